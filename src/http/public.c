/* public.c — the mayor's mailbox for citizens, without login.
 *
 *   POST /api/v1/public/letters                a letter: an appeal of channel
 *                                              mailbox, source the city's web
 *                                              portal, waiting for dispatch;
 *                                              the answer is its query code
 *   GET  /api/v1/public/letters/{code}         its progress and, once closed,
 *                                              the published reply
 *   POST /api/v1/public/letters/{code}/rating  the citizen's rating: a
 *                                              callback (回访) of the order
 *
 * A letter goes through the very path intake takes (letters.c → actions.c →
 * store/ingest.c) with actor "citizen", at most mailbox_per_hour an hour
 * per client address (429 rate_limited).  The query code is random and is
 * the only key to a letter; the answers never carry the writer's name or
 * phone, and mask them where the content or the reply quotes them.
 *
 * Rating: once per closing.  A second rating of the same closing is 409
 * already_rated; a rating before the order is closed is 422 not_closed; a
 * reopened and closed-again order may be rated again.  Open311 requests
 * (kind "open311") are public and therefore cannot be rated or followed
 * here: their ids are listed to anyone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/timeutil.h"
#include "../core/utf8.h"
#include "orders.h"
#include "public.h"
#include "routes.h"

/* The source of a letter written on the portal: the name the bulletin's
 * figures (and the demo history) use for the mayor's mailbox web portal. */
#define PORTAL_SOURCE "市政府门户网站"

/* --- what a citizen sees ----------------------------------------------------- */

static json_t *letter_json(http_req *r, const http_letter_ref *ref, const http_letter_view *v)
{
    const char *label, *status = http_letter_status(v, &label);
    int closed = v->has_order && v->o.state == ST_CLOSED;
    int rated = closed && v->rating >= 0;
    json_t *j = json_pack("{s:s, s:o, s:s, s:s, s:s?, s:s}", "code", ref->code, "created_at",
                          http_time(r, ref->created_at), "status", status, "status_label", label,
                          "category", v->category, "content", v->content);
    if (!j)
        return NULL;
    json_object_set_new(j, "reply", closed && v->reply ? json_string(v->reply) : json_null());
    json_object_set_new(j, "reply_at", closed ? http_time(r, v->reply_at) : json_null());
    json_object_set_new(j, "closed_at", closed ? http_time(r, v->o.closed_at) : json_null());
    const char *rating = rated ? hl_enum_name(&hl_callback_enum, v->rating) : NULL;
    const char *rating_label = rated ? hl_enum_label(&hl_callback_enum, v->rating) : NULL;
    json_object_set_new(j, "rating", rating ? json_string(rating) : json_null());
    json_object_set_new(j, "rating_label", rating_label ? json_string(rating_label) : json_null());
    json_object_set_new(j, "rated_at", rated ? http_time(r, v->rated_at) : json_null());
    json_object_set_new(j, "can_rate", json_boolean(closed && !rated));
    return j;
}

/* --- POST /api/v1/public/letters ---------------------------------------------- */

static const http_field letter_fields[] = {
    {"title", JF_STR, 0, 100},    {"content", JF_STR, 1, 5000}, {"category", JF_STR, 0, 128},
    {"nature", JF_STR, 0, 16},    {"location", JF_STR, 0, 200}, {"name", JF_STR, 0, 32},
    {"phone", JF_STR, 0, 20},
};

/* Multi-line text: valid UTF-8 (checked by http_body), no control
 * characters but line breaks and tabs, and not blank. */
static int text_ok(const char *s)
{
    int blank = 1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') || *p == 0x7F)
            return 0;
        if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t')
            blank = 0;
    }
    return !blank;
}

static const char *opt_str(http_req *r, const char *key)
{
    const char *s = json_string_value(json_object_get(r->json, key));
    return s && *s ? s : NULL;
}

/* Check the letter's members beyond the schema; -1 with 400 set. */
static int letter_check(http_req *r)
{
    static const char *const lines[] = {"title", "category", "location", "name"};
    const char *s;
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        if ((s = opt_str(r, lines[i])) && (!hl_text_is_clean(s) || !text_ok(s))) {
            http_error(r, 400, "invalid_input", "字段 %s 不能为空白或含有控制字符", lines[i]);
            return -1;
        }
    if (!text_ok(json_string_value(json_object_get(r->json, "content")))) {
        http_error(r, 400, "invalid_input", "信件内容不能为空白或含有控制字符");
        return -1;
    }
    if ((s = opt_str(r, "phone")) && !http_phone_ok(s)) {
        http_error(r, 400, "invalid_input", "联系电话应为 3–20 位数字（可含 +、- 和空格）");
        return -1;
    }
    if ((s = opt_str(r, "nature")) && hl_enum_parse(&hl_nature_enum, s) < 0) {
        http_error(r, 400, "invalid_input",
                   "诉求性质 %s 无效（consult、help、complaint、report、suggestion 或 praise）", s);
        return -1;
    }
    int known = (s = opt_str(r, "category")) ? http_category_known(r, s, &r->err) : 1;
    if (known < 0) {
        http_fail(r, &r->err);
        return -1;
    }
    if (!known) {
        http_error(r, 400, "invalid_input", "诉求类型“%s”不存在（应为如“城市管理类 › 噪音扰民”的类型）",
                   s);
        return -1;
    }
    return 0;
}

/* The appeal's members of the checked letter (caller decrefs). */
static json_t *letter_appeal(http_req *r)
{
    const char *title = opt_str(r, "title"), *name = opt_str(r, "name");
    const char *phone = opt_str(r, "phone"), *s;
    const char *content = json_string_value(json_object_get(r->json, "content"));
    json_t *a = json_pack("{s:s, s:s}", "source", PORTAL_SOURCE, "nature",
                          (s = opt_str(r, "nature")) ? s : "consult");
    if (!a)
        return NULL;
    if (title) {
        size_t size = strlen(title) + strlen(content) + 8;
        char *t = malloc(size);
        if (t)
            snprintf(t, size, "【%s】%s", title, content);
        json_object_set_new(a, "content", t ? json_string(t) : json_null());
        free(t);
    } else {
        json_object_set_new(a, "content", json_string(content));
    }
    if ((s = opt_str(r, "category")))
        json_object_set_new(a, "category", json_string(s));
    if ((s = opt_str(r, "location")))
        json_object_set_new(a, "location", json_string(s));
    if (name || phone)
        json_object_set_new(a, "citizen", json_pack("{s:s?, s:s?}", "name", name, "phone", phone));
    if (!json_is_string(json_object_get(a, "content"))) {
        json_decref(a);
        return NULL;
    }
    return a;
}

void h_letter_submit(http_req *r)
{
    char code[LETTER_CODE_LEN + 1];
    if (http_query_only(r, NULL, 0) ||
        http_body(r, letter_fields, sizeof letter_fields / sizeof *letter_fields) ||
        letter_check(r))
        return;
    json_t *appeal = letter_appeal(r);
    if (!appeal) {
        http_error(r, 500, "out_of_memory", "内存不足");
        return;
    }
    store_letter l = {.kind = "mailbox"};
    hl_rc rc = http_letter_create(r, appeal, &l, code);
    json_decref(appeal);
    if (rc == HL_ELIMIT) {
        http_error(r, 429, "rate_limited", "%s", r->err.msg);
        return;
    }
    if (rc) {
        http_fail(r, &r->err);
        return;
    }
    http_json(r, 201, json_pack("{s:s, s:s, s:s, s:o}", "code", code, "status", "pending",
                                "status_label", "待派单", "created_at", http_time(r, r->now)));
}

/* --- GET /api/v1/public/letters/{code} ----------------------------------------- */

/* The mailbox letter of r->params[0] and its view (inside a transaction
 * or a read snapshot); HL_ENOTFOUND for an unknown code or an Open311
 * request. */
static hl_rc letter_load(http_req *r, http_letter_ref *ref, http_letter_view *v)
{
    hl_rc rc = http_letter_find(r, r->params[0], "mailbox", ref, &r->err);
    if (!rc)
        rc = http_letter_view_load(r, ref->number, v, &r->err);
    return rc;
}

static void letter_answer(http_req *r, int status, const http_letter_ref *ref,
                          const http_letter_view *v)
{
    json_t *j = letter_json(r, ref, v);
    if (!j)
        http_error(r, 500, "out_of_memory", "内存不足");
    else
        http_json(r, status, j);
}

void h_letter_get(http_req *r)
{
    http_letter_ref ref;
    http_letter_view v = {0};
    if (http_query_only(r, NULL, 0))
        return;
    if (store_begin_read(r->store, &r->err)) {
        http_fail(r, &r->err);
        return;
    }
    hl_rc rc = letter_load(r, &ref, &v);
    store_commit(r->store, NULL);
    if (rc == HL_ENOTFOUND)
        http_error(r, 404, "not_found", "查询码不存在，请核对后重试");
    else if (rc)
        http_fail(r, &r->err);
    else
        letter_answer(r, 200, &ref, &v);
    http_letter_view_free(&v);
}

/* --- POST /api/v1/public/letters/{code}/rating --------------------------------- */

static const http_field rating_fields[] = {
    {"result", JF_STR, 1, 32},
    {"note", JF_STR, 0, 500},
};

/* Record the rating inside the open transaction. */
static hl_rc rate(http_req *r, http_letter_ref *ref, http_letter_view *v, int result)
{
    hl_rc rc = letter_load(r, ref, v);
    if (rc)
        return rc;
    if (!v->has_order || v->o.state != ST_CLOSED)
        return hl_fail(&r->err, HL_ENOT_CLOSED, "信件尚未办结，办结后才能评价");
    if (v->rating >= 0)
        return hl_fail(&r->err, HL_EEXISTS, "您已评价过本次答复，不能重复评价");
    char at[HL_TIME_STRLEN];
    hl_time_format(r->now, r->app->rules.offset_min, at);
    json_t *ev = json_pack("{s:s, s:s, s:s, s:s, s:s}", "op", "callback", "at", at, "order",
                           v->o.number, "result", hl_enum_name(&hl_callback_enum, result),
                           "actor", LETTER_ACTOR);
    const char *note = opt_str(r, "note");
    if (ev && note)
        json_object_set_new(ev, "note", json_string(note));
    rc = ev ? http_apply_event(r, ev, &v->o, &r->err) : hl_fail(&r->err, HL_ENOMEM, "内存不足");
    json_decref(ev);
    if (!rc) {
        v->rating = result;
        v->rated_at = r->now;
    }
    return rc;
}

void h_letter_rate(http_req *r)
{
    http_letter_ref ref;
    http_letter_view v = {0};
    if (http_query_only(r, NULL, 0) ||
        http_body(r, rating_fields, sizeof rating_fields / sizeof *rating_fields))
        return;
    const char *res = json_string_value(json_object_get(r->json, "result"));
    const char *note = opt_str(r, "note");
    int result = hl_enum_parse(&hl_callback_enum, res);
    if (result < 0 || result == CB_UNREACHABLE) {
        http_error(r, 400, "invalid_input",
                   "评价结果应为 satisfied（满意）、basically_satisfied（基本满意）或 dissatisfied（不满意）");
        return;
    }
    if (note && !text_ok(note)) {
        http_error(r, 400, "invalid_input", "评价说明不能为空白或含有控制字符");
        return;
    }
    if (http_write_begin(r))
        return;
    hl_rc rc = http_write_end(r, rate(r, &ref, &v, result));
    if (rc == HL_ENOTFOUND)
        http_error(r, 404, "not_found", "查询码不存在，请核对后重试");
    else if (rc == HL_ENOT_CLOSED)
        http_error(r, 422, "not_closed", "%s", r->err.msg);
    else if (rc == HL_EEXISTS)
        http_error(r, 409, "already_rated", "%s", r->err.msg);
    else if (rc)
        http_fail(r, &r->err);
    else
        letter_answer(r, 200, &ref, &v);
    http_letter_view_free(&v);
}
