/* app.c — what the server's threads share: configuration, the loaded
 * registry, calendar and rules, each thread's store connection, and the
 * rate limiters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../core/map.h"
#include "http.h"

hl_rc http_config_load(const char *path, http_config *cfg, hl_err *err)
{
    json_error_t je;
    json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!j)
        return hl_fail(err, HL_ECONFIG, "%s:%d: 服务器配置无效：%s", path, je.line, je.text);
    static const struct {
        const char *name;
        size_t off;
        int is_long;
        long min, max;
    } keys[] = {
#define K(n, l, lo, hi) {#n, offsetof(http_config, n), l, lo, hi}
        K(threads, 0, 1, 256),
        K(body_max, 1, 1024, 64L << 20),
        K(session_idle_min, 0, 1, 7 * 24 * 60),
        K(session_max_hours, 0, 1, 24 * 31),
        K(login_max_failures, 0, 1, 1000),
        K(login_window_s, 0, 1, 86400),
        K(mailbox_per_hour, 0, 1, 100000),
        K(page_size_default, 0, 1, 10000),
        K(page_size_max, 0, 1, 10000),
        K(pwhash_ops, 1, 1, 64),
        K(pwhash_mem_kib, 1, 8, 4L << 20),
        K(idempotency_hours, 0, 1, 24 * 365),
        K(checkpoint_ms, 0, 10, 60000),
        K(checkpoint_restart_frames, 0, 0, 1000000),
        K(kb_remind_minutes, 0, 1, 7 * 24 * 60),
        K(fts_merge_pages, 0, 1, 100000),
        K(write_linger_us, 0, 0, 100000),
        K(session_cache_s, 0, 0, 3600),
        K(report_threads, 0, 1, 256),
        K(static_max_age_s, 1, 0, 10L * 365 * 86400),
#undef K
    };
    hl_rc rc = HL_OK;
    size_t n = sizeof keys / sizeof keys[0];
    if (json_object_size(j) != n)
        rc = hl_fail(err, HL_ECONFIG, "%s: 服务器配置应恰有 %zu 项", path, n);
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *v = json_object_get(j, keys[i].name);
        json_int_t x = json_is_integer(v) ? json_integer_value(v) : keys[i].min - 1;
        if (x < keys[i].min || x > keys[i].max) {
            rc = hl_fail(err, HL_ECONFIG, "%s: %s 应为 %ld 到 %ld 之间的整数", path, keys[i].name,
                         keys[i].min, keys[i].max);
        } else if (keys[i].is_long) {
            *(long *)(void *)((char *)cfg + keys[i].off) = (long)x;
        } else {
            *(int *)(void *)((char *)cfg + keys[i].off) = (int)x;
        }
    }
    if (!rc && cfg->page_size_default > cfg->page_size_max)
        rc = hl_fail(err, HL_ECONFIG, "%s: page_size_default 大于 page_size_max", path);
    json_decref(j);
    return rc;
}

static void close_store(void *p)
{
    store_close(p);
}

hl_store *http_app_store(http_app *app, hl_err *err)
{
    hl_store *s = pthread_getspecific(app->store_key);
    if (s)
        return s;
    if (store_open(app->db_path, &s, err))
        return NULL;
    /* a bounded page cache per worker: the server's memory stays small;
     * checkpoints run on the server's own thread (server.c) */
    store_set_cache(s, 8192);
    store_server_mode(s);
    pthread_setspecific(app->store_key, s);
    return s;
}

hl_rc http_app_reload(http_app *app, hl_store *st, hl_err *err)
{
    char *rules = NULL;
    hl_rules parsed;
    hl_units units;
    hl_units_init(&units);
    hl_calendar *cal = malloc(sizeof *cal);
    hl_rc rc = cal ? store_setting_get(st, "rules", &rules, err) : hl_fail(err, HL_ENOMEM, "内存不足");
    if (!rc)
        rc = hl_rules_parse(&parsed, rules, err);
    if (!rc)
        rc = store_calendar_load(st, cal, err);
    if (!rc)
        rc = store_units_load(st, &units, err);
    free(rules);
    if (rc) {
        free(cal);
        hl_units_free(&units);
        return rc;
    }
    hl_units_free(&app->units);
    free(app->cal);
    app->units = units;
    app->cal = cal;
    app->rules = parsed;
    app->ctx = (hl_ctx){&app->units, app->cal, &app->rules};
    app->reload_gen++;
    return HL_OK;
}

hl_rc http_app_init(http_app *app, const char *db_path, const char *config, hl_err *err)
{
    memset(app, 0, sizeof *app);
    app->db_path = db_path;
    hl_units_init(&app->units);
    pthread_mutex_init(&app->log_lock, NULL);
    pthread_mutex_init(&app->write_lock, NULL);
    pthread_mutex_init(&app->group_lock, NULL);
    pthread_cond_init(&app->group_ready, NULL);
    pthread_cond_init(&app->group_done, NULL);
    pthread_rwlock_init(&app->ctx_lock, NULL);
    if (pthread_key_create(&app->store_key, close_store))
        return hl_fail(err, HL_ENOMEM, "无法创建线程存储");
    hl_rc rc = http_config_load(config, &app->cfg, err);
    if (rc)
        return rc;
    app->logins = http_limiter_new();
    app->letters = http_limiter_new();
    app->lists = http_cache_new();
    app->sessions = http_sessions_new();
    if (!app->logins || !app->letters || !app->lists || !app->sessions)
        return hl_fail(err, HL_ENOMEM, "内存不足");
    if ((rc = http_text_init(app, err)))
        return rc;
    /* a hash of a random secret at the configured cost */
    char secret[33];
    snprintf(secret, sizeof secret, "%08x%08x%08x%08x", randombytes_random(),
             randombytes_random(), randombytes_random(), randombytes_random());
    if ((rc = http_password_hash(&app->cfg, secret, app->dummy_hash, sizeof app->dummy_hash, err)))
        return rc;
    hl_store *st = http_app_store(app, err);
    if (!st || (rc = http_app_reload(app, st, err)))
        return st ? rc : err->rc;
    if (!(app->reports = http_pool_new(app->cfg.report_threads, err)))
        return err->rc;
    return http_writer_start(app, err);
}

void http_app_free(http_app *app)
{
    http_pool_free(app->reports);
    http_writer_stop(app);
    hl_store *s = pthread_getspecific(app->store_key);
    if (s) {
        store_close(s);
        pthread_setspecific(app->store_key, NULL);
    }
    pthread_key_delete(app->store_key);
    http_limiter_free(app->logins);
    http_limiter_free(app->letters);
    http_cache_free(app->lists);
    http_sessions_free(app->sessions);
    http_text_free(app);
    hl_units_free(&app->units);
    free(app->cal);
    pthread_rwlock_destroy(&app->ctx_lock);
    pthread_mutex_destroy(&app->write_lock);
    pthread_cond_destroy(&app->group_ready);
    pthread_cond_destroy(&app->group_done);
    pthread_mutex_destroy(&app->group_lock);
    pthread_mutex_destroy(&app->log_lock);
}

/* --- rate limits ---------------------------------------------------------- */

/* A fixed window per key; the value packs the window's start (seconds) and
 * its count.  The table is dropped when it grows past LIMITER_MAX keys, so
 * a flood of addresses cannot exhaust memory (it only resets counts). */
#define LIMITER_MAX 100000

struct http_limiter {
    pthread_mutex_t lock;
    hl_map m;
};

http_limiter *http_limiter_new(void)
{
    http_limiter *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    pthread_mutex_init(&l->lock, NULL);
    hl_map_init(&l->m);
    return l;
}

void http_limiter_free(http_limiter *l)
{
    if (!l)
        return;
    hl_map_free(&l->m);
    pthread_mutex_destroy(&l->lock);
    free(l);
}

static int64_t count_in_window(http_limiter *l, const char *key, int window_s, int64_t now)
{
    int64_t v;
    if (!hl_map_get(&l->m, key, &v))
        return 0;
    return (v >> 20) + window_s > now ? (v & 0xFFFFF) : 0;
}

int http_limiter_blocked(http_limiter *l, const char *key, int max, int window_s, int64_t now)
{
    pthread_mutex_lock(&l->lock);
    int blocked = count_in_window(l, key, window_s, now) >= max;
    pthread_mutex_unlock(&l->lock);
    return blocked;
}

/* Count one more for key; the caller holds l->lock. */
static void hit_locked(http_limiter *l, const char *key, int window_s, int64_t now)
{
    int64_t v;
    if (l->m.n >= LIMITER_MAX) {
        hl_map_free(&l->m);
        hl_map_init(&l->m);
    }
    int64_t n = count_in_window(l, key, window_s, now);
    int64_t start = n && hl_map_get(&l->m, key, &v) ? v >> 20 : now;
    if (n < 0xFFFFF)
        n++;
    hl_map_put(&l->m, key, start << 20 | n);
}

void http_limiter_hit(http_limiter *l, const char *key, int window_s, int64_t now)
{
    pthread_mutex_lock(&l->lock);
    hit_locked(l, key, window_s, now);
    pthread_mutex_unlock(&l->lock);
}

int http_limiter_take(http_limiter *l, const char *key, int max, int window_s, int64_t now)
{
    pthread_mutex_lock(&l->lock);
    int blocked = count_in_window(l, key, window_s, now) >= max;
    if (!blocked)
        hit_locked(l, key, window_s, now);
    pthread_mutex_unlock(&l->lock);
    return blocked;
}

void http_limiter_clear(http_limiter *l, const char *key)
{
    int64_t v;
    pthread_mutex_lock(&l->lock);
    if (hl_map_get(&l->m, key, &v))
        hl_map_put(&l->m, key, 0);
    pthread_mutex_unlock(&l->lock);
}
