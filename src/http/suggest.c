/* suggest.c — 智能派单 at intake: POST /api/v1/suggestions gives the
 * likely categories and units of an appeal being taken, and its likely
 * duplicates; the server also retrains the models each night.
 *
 * The models (text/classify.h) are read from the store when first needed
 * and again when a training replaced them; they are shared by the worker
 * threads under one lock (a suggestion takes well under a millisecond). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/timeutil.h"
#include "../core/utf8.h"
#include "../text/hotspot.h"
#include "../text/suggest.h"
#include "public.h"
#include "routes.h"

#ifndef HL_DATA_DIR
#define HL_DATA_DIR "data"
#endif
#define CONFIG_MAX ((size_t)1 << 20)
#define CONTENT_MAX 4000
#define NIGHTLY_CHECK_S 60

struct http_text {
    pthread_mutex_t lock;
    int loaded;                 /* config read */
    tc_params cp;
    tx_params tp;
    hs_params hp;
    tc_model *m[2];             /* categories, units (NULL: none trained) */
    int64_t at[2];              /* their trained_at */
    int64_t next_check;         /* nightly: when to look again */
};

static const char *const model_names[2] = {TX_MODEL_CATEGORIES, TX_MODEL_UNITS};

hl_rc http_text_init(http_app *app, hl_err *err)
{
    if (!(app->text = calloc(1, sizeof *app->text)))
        return hl_fail(err, HL_ENOMEM, "内存不足");
    pthread_mutex_init(&app->text->lock, NULL);
    return HL_OK;
}

void http_text_free(http_app *app)
{
    if (!app->text)
        return;
    tc_model_free(app->text->m[0]);
    tc_model_free(app->text->m[1]);
    pthread_mutex_destroy(&app->text->lock);
    free(app->text);
    app->text = NULL;
}

/* data/text.json, once (caller holds the lock). */
static hl_rc load_config(http_app *app, hl_err *err)
{
    struct http_text *t = app->text;
    if (t->loaded)
        return HL_OK;
    char path[4200];
    snprintf(path, sizeof path, "%s/text.json", app->data_dir ? app->data_dir : HL_DATA_DIR);
    FILE *f = fopen(path, "rb");
    if (!f)
        return hl_fail(err, HL_ECONFIG, "无法读取文本配置 %s", path);
    char *text = malloc(CONFIG_MAX + 1);
    size_t len = text ? fread(text, 1, CONFIG_MAX, f) : 0;
    fclose(f);
    if (!text)
        return hl_fail(err, HL_ENOMEM, "内存不足");
    text[len] = '\0';
    hl_rc rc = tc_params_parse(&t->cp, text, err);
    if (!rc)
        rc = tx_params_parse(&t->tp, text, err);
    if (!rc)
        rc = hs_params_parse(&t->hp, text, err);
    free(text);
    t->loaded = !rc;
    return rc;
}

/* Read again the models a training replaced (caller holds the lock). */
static hl_rc refresh(http_app *app, hl_store *st, hl_err *err)
{
    struct http_text *t = app->text;
    for (int i = 0; i < 2; i++) {
        int64_t at;
        hl_rc rc = store_text_model_time(st, model_names[i], &at, err);
        if (rc)
            return rc;
        if (at == t->at[i])
            continue;
        hl_buf b;
        tc_model *m = NULL;
        hl_buf_init(&b, (size_t)1 << 31);
        rc = store_text_model_get(st, model_names[i], &b, &at, err);
        if (!rc)
            rc = tc_model_load(b.data, b.len, &m, err);
        hl_buf_free(&b);
        if (rc)
            return rc;
        tc_model_free(t->m[i]);
        t->m[i] = m;
        t->at[i] = at;
    }
    return HL_OK;
}

/* {code, name} of a category label ("环境保护类" or "group › name"): the
 * tree's service code of the item, or the group's two-digit prefix. */
static json_t *category_json(http_req *r, const char *label, double score)
{
    size_t n;
    const http_category *v = http_categories(r, &n, &r->err);
    char code[17] = "";
    for (size_t i = 0; v && i < n && !*code; i++) {
        size_t g = strlen(v[i].group);
        if (strncmp(label, v[i].group, g) != 0)
            continue;
        if (!label[g])
            snprintf(code, sizeof code, "%.2s", v[i].code);
        else if (strstr(label + g, v[i].name) && !strcmp(strstr(label + g, v[i].name), v[i].name))
            snprintf(code, sizeof code, "%s", v[i].code);
    }
    return json_pack("{s:s, s:s, s:f}", "code", code, "name", label, "score", score);
}

static json_t *unit_json(http_req *r, const char *code, double score)
{
    int64_t id = hl_units_find(&r->app->units, code);
    const hl_unit *u = id ? hl_units_get(&r->app->units, id) : NULL;
    return json_pack("{s:s, s:s, s:f}", "code", code, "name", u ? u->name : "", "score", score);
}

/* The top guesses of model i for the appeal (caller holds the lock). */
static json_t *guesses(http_req *r, int i, const char *location, const char *content)
{
    struct http_text *t = r->app->text;
    json_t *a = json_array();
    tc_guess g[20];
    size_t k = t->m[i] ? tc_suggest(t->m[i], location, content, g, (size_t)t->tp.top) : 0;
    pthread_rwlock_rdlock(&r->app->ctx_lock);
    for (size_t j = 0; a && j < k; j++) {
        const char *label = tc_model_label(t->m[i], (size_t)g[j].label);
        json_array_append_new(a, i ? unit_json(r, label, g[j].score)
                                   : category_json(r, label, g[j].score));
    }
    pthread_rwlock_unlock(&r->app->ctx_lock);
    return a;
}

static json_t *duplicates_json(http_req *r, const tx_dup *d, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(
            a, json_pack("{s:s, s:s, s:s, s:f, s:o}", "appeal_id", d[i].appeal_id, "number",
                         d[i].number, "reason", d[i].reason, "similarity", d[i].similarity,
                         "created", http_time(r, d[i].at)));
    return a;
}

static const http_field fields[] = {
    {"content", JF_STR, 1, CONTENT_MAX},
    {"location", JF_STR, 0, 200},
    {"phone", JF_STR, 0, 32},
};

void h_suggestions(http_req *r)
{
    if (hl_role_reach(r->role, ACT_CREATE_APPEAL) == REACH_NONE &&
        hl_role_reach(r->role, ACT_DISPATCH) == REACH_NONE) {
        http_error(r, 403, "forbidden", "只有受理员和派单员可以获取派单建议");
        return;
    }
    if (http_query_only(r, NULL, 0) || http_body(r, fields, sizeof fields / sizeof *fields))
        return;
    const char *content = json_string_value(json_object_get(r->json, "content"));
    const char *location = json_string_value(json_object_get(r->json, "location"));
    const char *phone = json_string_value(json_object_get(r->json, "phone"));
    if (!*content || !hl_text_is_clean(content) || (location && !hl_text_is_clean(location)) ||
        (phone && !http_phone_ok(phone))) {
        http_error(r, 400, "invalid_input", "content 不能为空，content、location 不能含控制字符，"
                                            "phone 应为电话号码");
        return;
    }
    struct http_text *t = r->app->text;
    tx_dup dups[50];
    size_t n_dups = 0;
    pthread_mutex_lock(&t->lock);
    hl_rc rc = load_config(r->app, &r->err);
    if (!rc)
        rc = refresh(r->app, r->store, &r->err);
    json_t *cats = rc ? NULL : guesses(r, 0, location, content);
    json_t *units = rc ? NULL : guesses(r, 1, location, content);
    tx_params tp = t->tp;
    pthread_mutex_unlock(&t->lock);
    if (!rc)
        rc = tx_duplicates(r->store, &tp, content, location, phone, r->now, dups, &n_dups,
                           &r->err);
    if (rc) {
        json_decref(cats);
        json_decref(units);
        http_fail(r, &r->err);
        return;
    }
    http_json(r, 200, json_pack("{s:o, s:o, s:o}", "categories", cats, "units", units,
                                "duplicates", duplicates_json(r, dups, n_dups)));
}

hl_rc http_text_hotspot_params(http_app *app, hs_params *p, hl_err *err)
{
    pthread_mutex_lock(&app->text->lock);
    hl_rc rc = load_config(app, err);
    if (!rc)
        *p = app->text->hp;
    pthread_mutex_unlock(&app->text->lock);
    return rc;
}

void http_text_nightly(http_app *app, hl_store *st, int64_t now)
{
    struct http_text *t = app->text;
    hl_err err;
    int64_t at = 0;
    pthread_mutex_lock(&t->lock);
    int due = now >= t->next_check && !load_config(app, &err) && t->tp.nightly_hour >= 0;
    tc_params cp = t->cp;
    int hour = t->tp.nightly_hour;
    if (now >= t->next_check)
        t->next_check = now + NIGHTLY_CHECK_S;
    pthread_mutex_unlock(&t->lock);
    if (!due || store_text_model_time(st, TX_MODEL_CATEGORIES, &at, &err))
        return;
    pthread_rwlock_rdlock(&app->ctx_lock);
    int offset = app->rules.offset_min;
    pthread_rwlock_unlock(&app->ctx_lock);
    int64_t today = hl_local_day(now, offset);
    /* once a day, after the hour, models someone trained (`text train`):
     * one trained today (or later) is fresh */
    if (!at || now < hl_day_start(today, offset) + (int64_t)hour * 3600 ||
        hl_local_day(at, offset) >= today)
        return;
    tx_train_stats ts;
    tx_train(st, &cp, now, &app->write_lock, &ts, &err);
}
