/* kb.c — the knowledge base (知识库) over HTTP: the operator's search,
 * articles with their version history, and review reminders.
 *
 * Who sees what (roles.md): every role searches and reads published
 * articles.  The editors (kb_edit: a kb_owner over its unit's subtree, the
 * manager everywhere) and the admin, who oversees without editing, also see
 * drafts, expired articles and reminders.  A kb_owner changing another
 * unit's article or answering its reminder gets 404, exactly as for an
 * unknown one; a body naming another unit is 403.
 *
 * Every change is one audited write under the write lock.  A change names
 * the version its editor saw (If-Match or "version"): stale 409, missing
 * 428, checked inside the write as order steps do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/timeutil.h"
#include "../core/utf8.h"
#include "../text/search.h"
#include "routes.h"

#define ID_MAX 64               /* characters of a new article's id */
#define TITLE_MAX 200
#define BODY_MAX 20000
#define CATEGORY_MAX 128
#define NOTE_MAX 500
#define QUERY_MAX 200           /* characters of a search query */
#define REVIEW_DAYS_MAX 3650
#define LIMIT_DEFAULT 10
#define DETAIL_MAX 800          /* bytes of an audit detail */

/* --- who sees what ------------------------------------------------------------ */

/* How far the user sees drafts, expired articles and reminders: an editor
 * as far as it edits, the admin everywhere (it oversees the platform but
 * edits no article, roles.md), anyone else nowhere. */
static hl_reach oversight(const http_req *r)
{
    hl_reach edit = http_reach(r, ACT_KB_EDIT);
    return edit == REACH_NONE && r->role == ROLE_ADMIN ? REACH_ALL : edit;
}

/* 1 when reach covers an article or reminder of unit (0: none); a
 * kb_owner's covers its unit's subtree. */
static int covers(const http_req *r, hl_reach reach, int64_t unit)
{
    return reach == REACH_ALL ||
           (reach == REACH_OWN && unit && hl_units_within(&r->app->units, unit, r->user.unit));
}

static hl_rc not_found(hl_err *err, const char *id)
{
    return hl_fail(err, HL_ENOTFOUND, "知识库文章 %.64s 不存在", id);
}

static int is_status(const char *s)
{
    return s && (!strcmp(s, "draft") || !strcmp(s, "published") || !strcmp(s, "expired"));
}

/* --- articles as JSON ------------------------------------------------------------ */

static json_t *unit_code(http_req *r, int64_t id)
{
    const hl_unit *u = hl_units_get(&r->app->units, id);
    return u ? json_string(u->code) : json_null();
}

static json_t *text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* A stored day (the UTC second it begins locally, as the CLI's import
 * writes it) as "YYYY-MM-DD"; null for none. */
static json_t *day_json(http_req *r, int64_t t)
{
    int y, m, d;
    char s[32];
    if (!t)
        return json_null();
    hl_civil_from_days(hl_local_day(t, r->app->rules.offset_min), &y, &m, &d);
    snprintf(s, sizeof s, "%04d-%02d-%02d", y, m, d);
    return json_string(s);
}

/* The article as the API answers it: a new object holding copies of the
 * row's strings (NULL when out of memory). */
static json_t *article_json(http_req *r, const store_kb_article *a)
{
    return json_pack(
        "{s:s, s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:I, s:o, s:s, s:I}", "id", a->id,
        "title", a->title, "body", a->body, "category", text_or_null(a->category), "unit",
        unit_code(r, a->unit), "status", a->status, "valid_from", day_json(r, a->valid_from),
        "valid_to", day_json(r, a->valid_to), "review_days",
        a->review_days ? json_integer(a->review_days) : json_null(), "next_review",
        http_time(r, a->next_review), "version", (json_int_t)a->version, "updated_at",
        http_time(r, a->updated_at), "updated_by", a->updated_by ? a->updated_by : "", "uses",
        (json_int_t)a->uses);
}

/* What a store walk builds: one article, or the items of a list. */
typedef struct {
    http_req *r;
    json_t *j;
} walk;

/* Append j (stolen; NULL when it could not be built) to items. */
static hl_rc append(http_req *r, json_t *items, json_t *j)
{
    return json_array_append_new(items, j) ? hl_fail(&r->err, HL_ENOMEM, "内存不足") : HL_OK;
}

static hl_rc article_one(const store_kb_article *a, void *arg)
{
    walk *w = arg;
    w->j = article_json(w->r, a);
    return w->j ? HL_OK : hl_fail(&w->r->err, HL_ENOMEM, "内存不足");
}

/* A list item: the article without its body (a page of bodies is large). */
static hl_rc article_item(const store_kb_article *a, void *arg)
{
    walk *w = arg;
    json_t *j = article_json(w->r, a);
    json_object_del(j, "body");
    return append(w->r, w->j, j);
}

static hl_rc version_item(const store_kb_article *a, void *arg)
{
    walk *w = arg;
    return append(w->r, w->j,
                  json_pack("{s:I, s:o, s:s, s:o, s:s, s:s}", "version", (json_int_t)a->version,
                            "at", http_time(w->r, a->updated_at), "actor",
                            a->updated_by ? a->updated_by : "", "note", text_or_null(a->note),
                            "status", a->status, "title", a->title));
}

/* The article with its versions, newest first, into *out (caller's).  A
 * draft or expired one is not found for whom oversight does not reach. */
static hl_rc article_load(http_req *r, const char *id, json_t **out, hl_err *err)
{
    walk one = {r, NULL}, versions = {r, json_array()};
    hl_rc rc = store_kb_get(r->store, id, article_one, &one, err);
    const char *status = json_string_value(json_object_get(one.j, "status"));
    if (!rc && oversight(r) == REACH_NONE && (!status || strcmp(status, "published") != 0))
        rc = not_found(err, id);
    if (!rc)
        rc = store_kb_versions(r->store, id, version_item, &versions, err);
    if (!rc && json_object_set(one.j, "versions", versions.j))
        rc = hl_fail(err, HL_ENOMEM, "内存不足");
    json_decref(versions.j);
    *out = rc ? (json_decref(one.j), NULL) : one.j;
    return rc;
}

/* Answer an article (steals j); its version is the ETag. */
static void article_send(http_req *r, int status, json_t *j)
{
    snprintf(r->etag, sizeof r->etag, "\"%lld\"",
             (long long)json_integer_value(json_object_get(j, "version")));
    http_json(r, status, j);
}

/* --- reading ------------------------------------------------------------------ */

/* An optional query parameter of clean text of at most max characters
 * (empty counts as absent); -1 with 400 set. */
static int query_text(http_req *r, const char *name, size_t max, const char **out)
{
    const char *v = http_query(r, name);
    *out = v && *v ? v : NULL;
    if (!*out || (hl_text_is_clean(v) && hl_utf8_count(v, strlen(v)) <= max))
        return 0;
    http_error(r, 400, "invalid_input", "查询参数 %s 含控制字符或超过 %zu 个字符", name, max);
    return -1;
}

/* The `unit` query parameter (code or name) as an id, 0 when absent; -1
 * with 400 set when no unit has it. */
static int query_unit(http_req *r, int64_t *unit)
{
    const char *s;
    *unit = 0;
    if (query_text(r, "unit", HL_UNIT_NAME_MAX, &s))
        return -1;
    if (!s || (*unit = hl_units_find(&r->app->units, s)) != 0)
        return 0;
    http_error(r, 400, "invalid_input", "单位 %.64s 不存在", s);
    return -1;
}

static json_t *hits_json(http_req *r, const text_kb_req *q, const text_kb_hits *h)
{
    json_t *items = json_array();
    for (size_t i = 0; i < h->n; i++) {
        const text_kb_hit *x = &h->v[i];
        json_array_append_new(
            items, json_pack("{s:s, s:s, s:s, s:o, s:o, s:f}", "id", x->id, "title", x->title,
                             "snippet", x->snippet, "category", text_or_null(x->category),
                             "unit", unit_code(r, x->unit), "score", x->score));
    }
    return json_pack("{s:s, s:b, s:o}", "query", q->q, "exact", h->exact, "hits", items);
}

void h_kb_search(http_req *r)
{
    static const char *const params[] = {"q", "category", "unit", "limit", "all"};
    int64_t limit, all;
    text_kb_req q = {.now = r->now};
    text_kb_hits hits = {0};
    if (http_query_only(r, params, 5) || query_text(r, "q", QUERY_MAX, &q.q) ||
        query_text(r, "category", CATEGORY_MAX, &q.category) || query_unit(r, &q.unit) ||
        http_query_int(r, "limit", 1, TEXT_KB_LIMIT_MAX, LIMIT_DEFAULT, &limit) ||
        http_query_int(r, "all", 0, 1, 0, &all))
        return;
    if (!q.q) {
        http_error(r, 400, "invalid_input", "查询参数 q 不能为空（1–%d 个字符）", QUERY_MAX);
        return;
    }
    if (all && oversight(r) == REACH_NONE) {
        http_error(r, 403, "forbidden", "您的角色只能检索已发布且在有效期内的文章");
        return;
    }
    q.valid_only = !all;
    q.limit = (int)limit;
    if (text_kb_search(r->store, &r->app->rules, &q, &hits, &r->err))
        http_fail(r, &r->err);
    else
        http_json(r, 200, hits_json(r, &q, &hits));
    text_kb_hits_free(&hits);
}

void h_kb_articles(http_req *r)
{
    static const char *const params[] = {"status", "unit", "page", "page_size"};
    const char *status;
    int64_t unit, page, size, total = 0;
    if (http_query_only(r, params, 4) || http_page(r, &page, &size) ||
        query_text(r, "status", 16, &status) || query_unit(r, &unit))
        return;
    if (status && !is_status(status)) {
        http_error(r, 400, "invalid_input", "查询参数 status 应为 draft、published 或 expired");
        return;
    }
    if (oversight(r) == REACH_NONE) {
        if (status && strcmp(status, "published") != 0) {
            http_error(r, 403, "forbidden", "您的角色只能查看已发布的文章");
            return;
        }
        status = "published";
    }
    walk w = {r, json_array()};
    if (store_kb_list(r->store, status, unit, (page - 1) * size, size, article_item, &w, &total,
                      &r->err)) {
        json_decref(w.j);
        http_fail(r, &r->err);
        return;
    }
    http_json(r, 200, http_page_json(w.j, total, page, size));
}

void h_kb_article_get(http_req *r)
{
    json_t *j = NULL;
    if (http_query_only(r, NULL, 0))
        return;
    if (store_begin_read(r->store, &r->err)) {
        http_fail(r, &r->err);
        return;
    }
    hl_rc rc = article_load(r, r->params[0], &j, &r->err);
    store_rollback(r->store);
    if (rc)
        http_fail(r, &r->err);
    else
        article_send(r, 200, j);
}

/* --- creating and changing ------------------------------------------------------ */

/* The members of a create (id first) and of a change (version last). */
static const http_field article_fields[] = {
    {"id", JF_STR, 1, ID_MAX},
    {"title", JF_STR, 1, TITLE_MAX},        {"body", JF_STR, 1, BODY_MAX},
    {"category", JF_STR, 0, CATEGORY_MAX},  {"unit", JF_STR, 0, HL_UNIT_NAME_MAX},
    {"valid_from", JF_STR, 0, 10},          {"valid_to", JF_STR, 0, 10},
    {"review_days", JF_INT, 0, REVIEW_DAYS_MAX}, {"status", JF_STR, 0, 16},
    {"note", JF_STR, 0, NOTE_MAX},
    {"version", JF_INT, 0, 0},
};
#define N_ARTICLE (sizeof article_fields / sizeof article_fields[0])

/* An article as a request asks for it; its strings are borrowed from
 * r->json (or r->params), which outlive the handler's write. */
typedef struct {
    store_kb_article a;
    int unit_given, days_given;
    json_int_t days;        /* review_days as sent */
    int64_t seen;           /* a change: the version its editor saw */
} kb_edit;

/* A text member: NULL when absent, null or empty; -1 with 400 set when it
 * holds control characters (a multi-line text may break lines and tab). */
static int member_text(http_req *r, const char *name, int multiline, const char **out)
{
    const char *s = json_string_value(json_object_get(r->json, name));
    *out = s && *s ? s : NULL;
    for (; s && *s; s++)
        if (((unsigned char)*s < 0x20 && !(multiline && strchr("\t\r\n", *s))) || *s == 0x7F) {
            http_error(r, 400, "invalid_input", "字段 %s 不能含控制字符", name);
            return -1;
        }
    return 0;
}

/* A "YYYY-MM-DD" member (a local day) as the UTC second the day begins,
 * the way `kb import` stores it; 0 when absent.  -1 with 400 set. */
static int member_day(http_req *r, const char *name, int64_t *t)
{
    const char *s = json_string_value(json_object_get(r->json, name));
    int64_t day = 0;
    if (s && hl_date_parse(s, &day)) {
        http_error(r, 400, "invalid_input", "字段 %s 应为有效日期 YYYY-MM-DD", name);
        return -1;
    }
    *t = s ? hl_day_start(day, r->app->rules.offset_min) : 0;
    return 0;
}

static int id_ok(const char *id)
{
    static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
    return id && *id && *id != '.' && strspn(id, chars) == strlen(id);
}

/* The first rule the edit breaks, or NULL. */
static const char *edit_fault(const kb_edit *e, int is_new)
{
    if (is_new && !id_ok(e->a.id))
        return "id 应为 1–64 个字母、数字、点、下划线或连字符，且不以点开头";
    if (!e->a.title || !e->a.body)
        return "title 和 body 不能为空";
    if (!is_status(e->a.status))
        return "status 应为 draft、published 或 expired";
    if (e->a.valid_from && e->a.valid_to && e->a.valid_to <= e->a.valid_from)
        return "valid_to 应晚于 valid_from";
    if (e->days_given && e->days < 1)
        return "review_days 应为 1–3650 的整数";
    return NULL;
}

/* r->json (checked against the schema) into e; -1 with the response set. */
static int edit_parse(http_req *r, int is_new, kb_edit *e)
{
    const char *unit, *fault;
    json_t *days = json_object_get(r->json, "review_days");
    memset(e, 0, sizeof *e);
    e->a.id = is_new ? json_string_value(json_object_get(r->json, "id")) : r->params[0];
    e->a.status = json_string_value(json_object_get(r->json, "status"));
    e->a.status = e->a.status ? e->a.status : "draft";
    e->days_given = json_is_integer(days);
    e->days = json_integer_value(days);
    if (member_text(r, "title", 0, &e->a.title) || member_text(r, "body", 1, &e->a.body) ||
        member_text(r, "category", 0, &e->a.category) || member_text(r, "note", 0, &e->a.note) ||
        member_text(r, "unit", 0, &unit) || member_day(r, "valid_from", &e->a.valid_from) ||
        member_day(r, "valid_to", &e->a.valid_to))
        return -1;
    if ((fault = edit_fault(e, is_new)) != NULL) {
        http_error(r, 400, "invalid_input", "%s", fault);
        return -1;
    }
    e->a.review_days = e->days_given ? (int)e->days : 0;
    e->unit_given = unit != NULL;
    if (unit && !(e->a.unit = hl_units_find(&r->app->units, unit))) {
        http_error(r, 422, "unit_unknown", "单位 %.64s 不存在", unit);
        return -1;
    }
    return 0;
}

/* The unit an edit names must be the editor's to name (a kb_owner: inside
 * its subtree, else 403); a new article without one is the kb_owner's own
 * (none for the manager).  -1 with the response set. */
static int edit_unit(http_req *r, kb_edit *e, int is_new)
{
    hl_reach reach = http_reach(r, ACT_KB_EDIT);
    if (is_new && !e->unit_given && reach == REACH_OWN)
        e->a.unit = r->user.unit;
    if ((!is_new && !e->unit_given) || covers(r, reach, e->a.unit))
        return 0;
    http_error(r, 403, "forbidden", "知识库维护人只能维护本单位（含下属单位）的文章");
    return -1;
}

/* What a change keeps of the article as stored: numbers only (the row's
 * strings die with the call). */
static hl_rc stored_row(const store_kb_article *a, void *arg)
{
    *(store_kb_article *)arg = (store_kb_article){.unit = a->unit, .valid_from = a->valid_from,
                                                  .next_review = a->next_review,
                                                  .review_days = a->review_days};
    return HL_OK;
}

/* A change, inside the write: the article must be within the editor's
 * reach (another unit's is not found, as an unknown one).  Without a unit
 * it keeps its own; with the same review interval and start its review
 * date stays (an answered reminder moved it). */
static hl_rc edit_merge(http_req *r, kb_edit *e, hl_err *err)
{
    store_kb_article s;
    hl_rc rc = store_kb_get(r->store, e->a.id, stored_row, &s, err);
    if (!rc && !covers(r, http_reach(r, ACT_KB_EDIT), s.unit))
        rc = not_found(err, e->a.id);
    if (rc)
        return rc;
    if (!e->unit_given)
        e->a.unit = s.unit;
    if (e->a.review_days == s.review_days && e->a.valid_from == s.valid_from)
        e->a.next_review = s.next_review;
    return HL_OK;
}

/* Inside the write: save the edit, audit it, and read the article back
 * into *out.  The next review is review_days after the later of
 * valid_from and now (as `kb import` sets it). */
static hl_rc edit_save(http_req *r, kb_edit *e, int is_new, json_t **out)
{
    store_kb_article *a = &e->a;
    char detail[DETAIL_MAX];
    int64_t version = 0, from = a->valid_from > r->now ? a->valid_from : r->now;
    a->updated_at = r->now;
    a->updated_by = r->user.name;
    a->next_review = a->review_days ? from + (int64_t)86400 * a->review_days : 0;
    hl_rc rc = is_new ? HL_OK : edit_merge(r, e, &r->err);
    if (!rc)
        rc = store_kb_put(r->store, a, is_new ? 0 : e->seen, &version, &r->err);
    if (rc == HL_ECONFLICT && is_new)
        rc = hl_fail(&r->err, HL_EEXISTS, "知识库文章 %s 已存在", a->id);
    snprintf(detail, sizeof detail, "%s知识库文章 %s（%s，版本 %lld）：%s", is_new ? "新建" : "修改",
             a->id, a->status, (long long)version, a->title);
    if (!rc)
        rc = http_audit(r, is_new ? "kb_create" : "kb_update", detail, &r->err);
    return rc ? rc : article_load(r, a->id, out, &r->err);
}

/* Create (is_new) or change the article of the request in one write. */
static void article_write(http_req *r, int is_new)
{
    kb_edit e;
    json_t *j = NULL;
    /* a create's members are the table but version, a change's but id */
    if (http_body(r, article_fields + !is_new, N_ARTICLE - 1) || edit_parse(r, is_new, &e) ||
        edit_unit(r, &e, is_new))
        return;
    if (!is_new && (e.seen = http_client_version(r)) == -1) {
        http_error(r, 428, "version_required", "请在 If-Match 请求头或 version 字段中给出文章版本");
        return;
    }
    if (!is_new && e.seen < 0)
        e.seen = 0; /* malformed: no article has it (a negative one would mean "any") */
    if (http_write_begin(r))
        return;
    hl_rc rc = edit_save(r, &e, is_new, &j);
    if (http_write_end(r, rc)) {
        json_decref(j);
        http_fail(r, &r->err);
        return;
    }
    if (is_new)
        snprintf(r->location, sizeof r->location, "/api/v1/kb/articles/%s", e.a.id);
    article_send(r, is_new ? 201 : 200, j);
}

void h_kb_article_add(http_req *r)
{
    article_write(r, 1);
}

void h_kb_article_put(http_req *r)
{
    article_write(r, 0);
}

/* --- review reminders ------------------------------------------------------------ */

/* Open past its due time: the unit's 知识库管理 deduction is running. */
static int overdue(const http_req *r, const store_kb_reminder *x)
{
    return !x->answered_at && x->due_at < r->now;
}

static json_t *reminder_json(http_req *r, const store_kb_reminder *x)
{
    return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "id",
                     (json_int_t)x->id, "article", x->article, "title", x->title ? x->title : "",
                     "unit", unit_code(r, x->unit), "created_at", http_time(r, x->created_at),
                     "due_at", http_time(r, x->due_at), "answered_at",
                     http_time(r, x->answered_at), "answered_by", text_or_null(x->answered_by),
                     "answer", text_or_null(x->answer), "overdue", overdue(r, x));
}

/* Reminders walked into items: those reach covers, only overdue ones when
 * asked, only the one numbered id when id > 0.  The table holds few rows
 * (at most one open per article), so the filter runs here. */
typedef struct {
    http_req *r;
    hl_reach reach;
    int overdue_only;
    int64_t id;
    json_t *items;
} reminder_walk;

static hl_rc reminder_row(const store_kb_reminder *x, void *arg)
{
    reminder_walk *w = arg;
    if (!covers(w->r, w->reach, x->unit) || (w->id && x->id != w->id) ||
        (w->overdue_only && !overdue(w->r, x)))
        return HL_OK;
    return append(w->r, w->items, reminder_json(w->r, x));
}

void h_kb_reminders(http_req *r)
{
    static const char *const params[] = {"open", "overdue", "page", "page_size"};
    int64_t open, late, page, size;
    reminder_walk w = {r, oversight(r), 0, 0, NULL};
    if (http_query_only(r, params, 4) || http_query_int(r, "open", 0, 1, 0, &open) ||
        http_query_int(r, "overdue", 0, 1, 0, &late) || http_page(r, &page, &size))
        return;
    if (w.reach == REACH_NONE) {
        http_error(r, 403, "forbidden", "您的角色（%s）无权查看知识库复核提醒",
                   hl_enum_label(&hl_role_enum, (int)r->role));
        return;
    }
    w.overdue_only = (int)late;
    w.items = json_array();
    if (store_kb_reminders(r->store, 0, open || late, reminder_row, &w, &r->err)) {
        json_decref(w.items);
        http_fail(r, &r->err);
        return;
    }
    http_json(r, 200, http_page_slice(w.items, page, size));
}

/* Inside the write: the reminder must be within the editor's reach
 * (another unit's is not found, as an unknown one); answered, audited,
 * and read back into *out. */
static hl_rc answer_save(http_req *r, int64_t id, const char *answer, json_t **out)
{
    reminder_walk w = {r, http_reach(r, ACT_KB_EDIT), 0, id, json_array()};
    char detail[DETAIL_MAX];
    hl_rc rc = store_kb_reminders(r->store, 0, 0, reminder_row, &w, &r->err);
    const char *article = json_string_value(json_object_get(json_array_get(w.items, 0), "article"));
    if (!rc && !article)
        rc = hl_fail(&r->err, HL_ENOTFOUND, "复核提醒 %lld 不存在", (long long)id);
    if (!rc)
        rc = store_kb_answer(r->store, id, answer, r->user.name, r->now, &r->err);
    if (!rc) {
        snprintf(detail, sizeof detail, "复核提醒 #%lld（文章 %s）：%s", (long long)id, article,
                 answer);
        rc = http_audit(r, "kb_answer", detail, &r->err);
    }
    json_array_clear(w.items);
    if (!rc)
        rc = store_kb_reminders(r->store, 0, 0, reminder_row, &w, &r->err);
    if (!rc)
        *out = json_incref(json_array_get(w.items, 0));
    json_decref(w.items);
    return rc;
}

static const http_field answer_fields[] = {{"answer", JF_STR, 1, 16}};

void h_kb_answer(http_req *r)
{
    const char *p = r->params[0];
    size_t n = strlen(p);
    json_t *j = NULL;
    if (!n || n > 15 || strspn(p, "0123456789") != n || p[0] == '0') {
        http_error(r, 400, "invalid_input", "提醒编号应为正整数");
        return;
    }
    if (http_body(r, answer_fields, 1))
        return;
    const char *answer = json_string_value(json_object_get(r->json, "answer"));
    if (strcmp(answer, "confirmed") != 0 && strcmp(answer, "updated") != 0) {
        http_error(r, 400, "invalid_input", "answer 应为 confirmed（内容无误）或 updated（已更新）");
        return;
    }
    if (http_write_begin(r))
        return;
    hl_rc rc = answer_save(r, strtoll(p, NULL, 10), answer, &j);
    if (http_write_end(r, rc)) {
        json_decref(j);
        http_fail(r, &r->err);
        return;
    }
    http_json(r, 200, j);
}
