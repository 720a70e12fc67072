/* server.c — the libmicrohttpd daemon: epoll with a thread pool, bodies
 * read with a hard cap, one handler call per request, graceful stop.
 *
 * The response is queued on the second call of the access handler, never
 * the first: queuing on the first forces "Connection: close" (measured 8×
 * slower under load).  A request's state lives from the first call to the
 * completion callback, which frees it. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../core/timeutil.h"
#include "http.h"
#include "public.h"
#include "routes.h"

struct http_server {
    struct MHD_Daemon *d;
    http_app *app;
    /* the WAL checkpointer: workers never checkpoint, so no request waits
     * behind one (measured: auto-checkpoints were the intake's p99) */
    pthread_t checkpointer;
    pthread_mutex_t stop_lock;
    pthread_cond_t stop_cond;
    int stopping;
    atomic_int inflight;  /* requests begun and not completed: the graceful stop waits */
    /* set by the graceful stop: requests get 503 and their connection is
     * closed.  Not MHD_quiesce_daemon: with a thread pool on epoll it races
     * the workers removing the listening socket from their epoll sets, and
     * the loser aborts the process ("Failed to remove listen FD from epoll
     * set", libmicrohttpd 0.9.75; seen once in a few hundred test stops). */
    atomic_int draining;
};

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

typedef struct {
    http_req r;
    int64_t started_us;
    int done;
} conn_state;

static void client_ip(struct MHD_Connection *c, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, size, "?");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)size);
}

static int parse_method(const char *m, http_method *out)
{
    for (int i = 0; i < HM__COUNT; i++)
        if (strcmp(m, http_method_name((http_method)i)) == 0) {
            *out = (http_method)i;
            return 0;
        }
    return -1;
}

static int is_api(const char *path)
{
    return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0 ||
           strncmp(path, "/open311/", 9) == 0;
}

/* Authentication, CSRF and the role check of the route. */
static int admit(http_req *r)
{
    if (r->route->auth == AUTH_PUBLIC)
        return 0;
    if (http_auth_session(r)) {
        http_error(r, 401, "unauthenticated", "请先登录");
        return -1;
    }
    if (r->method != HM_GET && http_auth_csrf(r))
        return -1;
    if (r->route->auth == AUTH_ACTION && http_reach(r, r->route->action) == REACH_NONE) {
        http_error(r, 403, "forbidden", "您的角色（%s）无权%s",
                   hl_enum_label(&hl_role_enum, (int)r->role),
                   hl_enum_label(&hl_action_enum, (int)r->route->action));
        return -1;
    }
    return 0;
}


/* The route's handler, after admission, with the context read-locked; an
 * admin change reloads the context after. */
static void serve(http_req *r)
{
    if (!(r->store = http_app_store(r->app, &r->err))) {
        http_fail(r, &r->err);
        return;
    }
    pthread_rwlock_rdlock(&r->app->ctx_lock);
    if (!admit(r))
        r->route->handler(r);
    pthread_rwlock_unlock(&r->app->ctx_lock);
    if (r->reload) {
        pthread_rwlock_wrlock(&r->app->ctx_lock);
        if (http_app_reload(r->app, r->store, &r->err))
            http_error(r, 500, hl_rc_name(r->err.rc), "已保存，但重新加载失败：%s", r->err.msg);
        pthread_rwlock_unlock(&r->app->ctx_lock);
    }
}

static void dispatch(http_req *r, const char *method, const char *url)
{
    int known = 0;
    if (parse_method(method, &r->method)) {
        http_error(r, 405, "method_not_allowed", "不支持的请求方法 %.16s", method);
        return;
    }
    r->route = http_route_find(r, r->method, url, &known);
    if (!r->route) {
        if (!is_api(url) && r->method == HM_GET && r->app->web_dir)
            h_static(r);
        else if (known)
            http_error(r, 405, "method_not_allowed", "该地址不支持 %s 方法", method);
        else
            http_error(r, 404, "not_found", "没有这个地址");
        return;
    }
    if (r->body_too_big) {
        http_error(r, 413, "too_large", "请求内容超过 %ld 字节的上限", r->app->cfg.body_max);
        return;
    }
    if (r->route->report)
        http_pool_run(r->app->reports, r, serve);
    else
        serve(r);
}

/* Errors the framework answered itself (no route, 405, 413, 500) on an
 * Open311 path take that standard's shape: [{code, description}]. */
static void open311_shape(http_req *r)
{
    if (strncmp(r->path, "/open311/", 9) != 0 || r->status < 400 || r->out.len == 0 ||
        r->out.data[0] != '{')
        return;
    json_t *j = json_loadb(r->out.data, r->out.len, 0, NULL);
    const char *msg = json_string_value(json_object_get(j, "message"));
    if (msg)
        http_o311_error(r, r->status, "%s", msg);
    json_decref(j);
}

static struct MHD_Response *make_response(http_req *r)
{
    struct MHD_Response *resp = NULL;
    if (r->file_path) {
        FILE *f = fopen(r->file_path, "rb");
        if (f) {
            fseek(f, 0, SEEK_END);
            long size = ftell(f);
            int fd = dup(fileno(f));
            fclose(f);
            if (size >= 0 && fd >= 0)
                resp = MHD_create_response_from_fd((uint64_t)size, fd);
            else if (fd >= 0)
                close(fd);
        }
        if (!resp)
            return NULL;
    } else {
        size_t len = r->out.len;
        char *data = hl_buf_detach(&r->out);
        resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
        if (!resp) {
            free(data);
            return NULL;
        }
    }
    MHD_add_response_header(resp, "Content-Type",
                            r->content_type ? r->content_type : "application/json; charset=utf-8");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (r->no_store || is_api(r->path))
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    else if (r->cache[0])
        MHD_add_response_header(resp, "Cache-Control", r->cache);
    if (r->etag[0])
        MHD_add_response_header(resp, "ETag", r->etag);
    if (r->cookie[0])
        MHD_add_response_header(resp, "Set-Cookie", r->cookie);
    if (r->location[0])
        MHD_add_response_header(resp, "Location", r->location);
    return resp;
}

static void access_log(http_req *r, const char *method, int64_t us, size_t bytes)
{
    http_app *app = r->app;
    if (!app->access_log)
        return;
    char t[HL_TIME_STRLEN];
    hl_time_format(r->now, 0, t);
    hl_buf line;
    hl_buf_init(&line, 8192);
    hl_buf_printf(&line, "{\"t\":\"%s\",\"ip\":\"%s\",\"method\":", t, r->ip);
    hl_buf_add_json_str(&line, method);
    hl_buf_adds(&line, ",\"path\":");
    hl_buf_add_json_str(&line, r->path ? r->path : "");
    hl_buf_printf(&line, ",\"status\":%d,\"us\":%lld,\"bytes\":%zu,\"user\":", r->status,
                  (long long)us, bytes);
    hl_buf_add_json_str(&line, r->logged_in ? r->user.name : "");
    hl_buf_adds(&line, "}\n");
    pthread_mutex_lock(&app->log_lock);
    fwrite(line.data, 1, line.len, app->access_log);
    pthread_mutex_unlock(&app->log_lock);
    hl_buf_free(&line);
}

/* Queue r's response (its buffer handed over) and log the request. */
static enum MHD_Result respond(http_server *s, struct MHD_Connection *c, conn_state *cs,
                               const char *method)
{
    http_req *r = &cs->r;
    if (!r->status)
        http_error(r, 500, "internal_error", "服务器未给出响应");
    open311_shape(r);
    size_t bytes = r->out.len; /* make_response hands the buffer over */
    struct MHD_Response *resp = make_response(r);
    if (!resp)
        return MHD_NO;
    if (atomic_load(&s->draining))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    access_log(r, method, now_us() - cs->started_us, bytes);
    return ok;
}

/* A request resumed: after its queued write (writer.c), answered under
 * the context's read lock as its handler ran; or after the report pool
 * ran it (pool.c). */
static enum MHD_Result resumed(http_server *s, struct MHD_Connection *c, conn_state *cs,
                               const char *method)
{
    http_req *r = &cs->r;
    if (r->pooled) {
        r->pooled = 0;
        return respond(s, c, cs, method);
    }
    pthread_rwlock_rdlock(&r->app->ctx_lock);
    int had = http_write_answer(r);
    pthread_rwlock_unlock(&r->app->ctx_lock);
    return had ? respond(s, c, cs, method) : MHD_NO;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version;
    http_server *s = cls;
    http_app *app = s->app;
    conn_state *cs = *con_cls;
    if (!cs) {
        if (!(cs = calloc(1, sizeof *cs)))
            return MHD_NO;
        atomic_fetch_add(&s->inflight, 1);
        cs->started_us = now_us();
        cs->r.app = app;
        cs->r.conn = c;
        hl_buf_init(&cs->r.body, (size_t)app->cfg.body_max);
        hl_buf_init(&cs->r.out, (size_t)64 << 20);
        *con_cls = cs;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!cs->r.body_too_big && hl_buf_add(&cs->r.body, upload, *upload_size))
            cs->r.body_too_big = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    if (cs->done)
        return resumed(s, c, cs, method);
    cs->done = 1;
    http_req *r = &cs->r;
    r->now = (int64_t)time(NULL);
    client_ip(c, r->ip, sizeof r->ip);
    r->path = url;
    if (atomic_load(&s->draining))
        http_unavailable(r);
    else
        dispatch(r, method, url);
    /* a queued write or report: the connection is suspended until it ran */
    return r->pooled || r->job ? MHD_YES : respond(s, c, cs, method);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
    (void)c, (void)code;
    http_server *s = cls;
    conn_state *cs = *con_cls;
    if (!cs)
        return;
    atomic_fetch_sub(&s->inflight, 1);
    http_write_forget(&cs->r);
    json_decref(cs->r.json);
    hl_buf_free(&cs->r.body);
    hl_buf_free(&cs->r.out);
    free(cs->r.file_path);
    free(cs);
    *con_cls = NULL;
}

/* The server's own thread: WAL checkpoints, merging the appeals' text
 * index, and every kb_remind_minutes the knowledge base's review reminders.
 *
 * Under a steady stream of writes a passive checkpoint never catches up
 * with the WAL (new frames arrive while it copies), so the WAL is never
 * started over: it grew by ~150 MB/s under intake load, and each
 * checkpoint's fsync of it stalled requests for 100–200 ms.  So: passive
 * checkpoints every checkpoint_ms copy the bulk without blocking anyone;
 * once few frames are left, a restart checkpoint holds the writer for
 * those few, and the next commit writes the WAL from its beginning again,
 * over blocks already allocated. */
/* Send the knowledge-base review reminders that fell due (store_kb_remind;
 * a lapsed one becomes a ledger proposal at `ledger propose`). */
static void remind_due(http_app *app, hl_store *st)
{
    hl_err err;
    int64_t made = 0;
    pthread_rwlock_rdlock(&app->ctx_lock);
    int days = app->rules.kb_answer_days;
    pthread_rwlock_unlock(&app->ctx_lock);
    if (!days)
        return;
    pthread_mutex_lock(&app->write_lock);
    if (!store_begin(st, &err)) {
        if (store_kb_remind(st, (int64_t)time(NULL), days, &made, &err))
            store_rollback(st);
        else
            store_commit(st, &err);
    }
    pthread_mutex_unlock(&app->write_lock);
}

static void *checkpoint_loop(void *arg)
{
    http_server *s = arg;
    const http_config *cfg = &s->app->cfg;
    hl_store *st = NULL;
    hl_err err;
    int64_t next_remind = 0;
    if (store_open(s->app->db_path, &st, &err))
        return NULL;
    store_server_mode(st);
    pthread_mutex_lock(&s->stop_lock);
    while (!s->stopping) {
        struct timespec until;
        http_deadline(&until, cfg->checkpoint_ms * 1000000L);
        pthread_cond_timedwait(&s->stop_cond, &s->stop_lock, &until);
        pthread_mutex_unlock(&s->stop_lock);
        int left = 0;
        if (!store_checkpoint(st, 0, &left, &err) && left > 0 &&
            left <= cfg->checkpoint_restart_frames)
            store_checkpoint(st, 1, &left, &err);
        /* the appeals' text index: the recent appeals moved in, merged a
         * little at a time (holding the write lock, as any writer) */
        pthread_mutex_lock(&s->app->write_lock);
        store_text_upkeep(st, cfg->fts_merge_pages, &err);
        pthread_mutex_unlock(&s->app->write_lock);
        if ((int64_t)time(NULL) >= next_remind) {
            remind_due(s->app, st);
            next_remind = (int64_t)time(NULL) + (int64_t)cfg->kb_remind_minutes * 60;
        }
        http_text_nightly(s->app, st, (int64_t)time(NULL));
        pthread_mutex_lock(&s->stop_lock);
    }
    pthread_mutex_unlock(&s->stop_lock);
    store_close(st);
    return NULL;
}

hl_rc http_server_start(http_app *app, const char *host, int port, http_server **out,
                        int *bound, hl_err *err)
{
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1)
        return hl_fail(err, HL_EINVAL, "监听地址 %s 无效（需要 IPv4 地址）", host);
    http_server *s = calloc(1, sizeof *s);
    if (!s)
        return hl_fail(err, HL_ENOMEM, "内存不足");
    s->app = app;
    s->d = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME,
        (uint16_t)port, NULL, NULL,
        on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)app->cfg.threads, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_LISTEN_BACKLOG_SIZE,
        (unsigned)1024, MHD_OPTION_END);
    if (!s->d) {
        free(s);
        return hl_fail(err, HL_EIO, "无法在 %s:%d 上监听（端口被占用或无权限）", host, port);
    }
    pthread_mutex_init(&s->stop_lock, NULL);
    pthread_cond_init(&s->stop_cond, NULL);
    if (pthread_create(&s->checkpointer, NULL, checkpoint_loop, s)) {
        MHD_stop_daemon(s->d);
        free(s);
        return hl_fail(err, HL_ENOMEM, "无法启动检查点线程");
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    *bound = di ? di->port : port;
    *out = s;
    return HL_OK;
}

void http_server_stop(http_server *s)
{
    if (!s)
        return;
    /* refuse new requests, then give those in flight up to 10 s to finish;
     * idle keep-alive connections are simply closed */
    atomic_store(&s->draining, 1);
    for (int i = 0; i < 1000 && atomic_load(&s->inflight) > 0; i++)
        usleep(10000);
    /* the daemon must not stop with a suspended connection (libmicrohttpd
     * leaks it, or panics): the queued writes and reports are run, their
     * requests resumed, and those get a moment to be answered */
    http_pool_close(s->app->reports);
    http_writer_close(s->app);
    for (int i = 0; i < 100 && atomic_load(&s->inflight) > 0; i++)
        usleep(10000);
    MHD_stop_daemon(s->d);
    pthread_mutex_lock(&s->stop_lock);
    s->stopping = 1;
    pthread_cond_signal(&s->stop_cond);
    pthread_mutex_unlock(&s->stop_lock);
    pthread_join(s->checkpointer, NULL);
    pthread_cond_destroy(&s->stop_cond);
    pthread_mutex_destroy(&s->stop_lock);
    free(s);
}
