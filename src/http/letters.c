/* letters.c — letters to the public mailbox and Open311 requests, shared
 * by public.c and open311*.c: the query code (random, libsodium), creating
 * a letter through the very path intake takes (actions.c → store/ingest.c)
 * with actor "citizen" under the per-address limit, finding one by code,
 * and the view a citizen may see: the order's public status, the published
 * reply (the reply the latest acceptance closed the order with), the
 * citizen's own rating — the writer's name and phone masked wherever the
 * content, the note or the reply quote them. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/privacy.h"
#include "../core/timeutil.h"
#include "../core/utf8.h"
#include "orders.h"
#include "public.h"

#define LETTER_WINDOW_S 3600

static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/* --- small checks ------------------------------------------------------------ */

int http_letter_code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n != LETTER_CODE_LEN)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 'a' + 'A') : s[i];
        if (!c || !strchr(code_alphabet, c))
            return 0;
    }
    return 1;
}

int http_phone_ok(const char *s)
{
    size_t n = strlen(s);
    return n >= 3 && n <= 20 && strspn(s, "0123456789+- ") == n && strpbrk(s, "0123456789");
}

static void code_upper(const char *in, char out[LETTER_CODE_LEN + 1])
{
    for (size_t i = 0; i < LETTER_CODE_LEN; i++)
        out[i] = in[i] >= 'a' && in[i] <= 'z' ? (char)(in[i] - 'a' + 'A') : in[i];
    out[LETTER_CODE_LEN] = '\0';
}

static void code_new(char out[LETTER_CODE_LEN + 1])
{
    for (size_t i = 0; i < LETTER_CODE_LEN; i++)
        out[i] = code_alphabet[randombytes_uniform(sizeof code_alphabet - 1)];
    out[LETTER_CODE_LEN] = '\0';
}

/* --- finding letters --------------------------------------------------------- */

static void copy_ref(http_letter_ref *d, const store_letter *l, const char *number)
{
    memset(d, 0, sizeof *d);
    snprintf(d->code, sizeof d->code, "%s", l->code ? l->code : "");
    snprintf(d->kind, sizeof d->kind, "%s", l->kind ? l->kind : "");
    snprintf(d->service_code, sizeof d->service_code, "%s", l->service_code ? l->service_code : "");
    snprintf(d->number, sizeof d->number, "%s", number ? number : "");
    snprintf(d->address, sizeof d->address, "%s", l->address ? l->address : "");
    d->created_at = l->created_at;
    d->lat = l->lat;
    d->lon = l->lon;
    d->has_position = l->has_position;
}

static hl_rc one_ref(const store_letter *l, const char *number, void *arg)
{
    copy_ref(arg, l, number);
    return HL_OK;
}

hl_rc http_letter_collect(const store_letter *l, const char *number, void *arg)
{
    http_letter_list *list = arg;
    if (hl_grow(&list->v, &list->cap, list->n, sizeof *list->v, 16))
        return HL_ENOMEM;
    copy_ref(&list->v[list->n++], l, number);
    return HL_OK;
}

hl_rc http_letter_find(http_req *r, const char *code, const char *kind, http_letter_ref *out,
                       hl_err *err)
{
    char up[LETTER_CODE_LEN + 1];
    if (!http_letter_code_ok(code))
        return hl_fail(err, HL_ENOTFOUND, "查询码不存在");
    code_upper(code, up);
    hl_rc rc = store_letter_get(r->store, up, one_ref, out, err);
    if (!rc && strcmp(out->kind, kind) != 0)
        rc = hl_fail(err, HL_ENOTFOUND, "查询码不存在");
    return rc;
}

/* --- creating a letter ------------------------------------------------------- */

/* A code no letter has yet (a collision is astronomically rare; checked). */
static hl_rc fresh_code(http_req *r, char code[LETTER_CODE_LEN + 1])
{
    http_letter_ref seen;
    for (int i = 0; i < 4; i++) {
        code_new(code);
        hl_rc rc = store_letter_get(r->store, code, one_ref, &seen, &r->err);
        if (rc == HL_ENOTFOUND)
            return HL_OK;
        if (rc)
            return rc;
    }
    return hl_fail(&r->err, HL_ESTORE, "无法生成查询码");
}

/* The appeal event of a letter: its members, then what the server sets
 * (the id and order number are placeholders: http_apply_appeal numbers). */
static json_t *letter_event(http_req *r, json_t *appeal)
{
    char at[HL_TIME_STRLEN];
    hl_time_format(r->now, r->app->rules.offset_min, at);
    json_t *ev = json_deep_copy(appeal);
    if (!ev)
        return NULL;
    json_object_set_new(ev, "op", json_string("appeal"));
    json_object_set_new(ev, "at", json_string(at));
    json_object_set_new(ev, "actor", json_string(LETTER_ACTOR));
    json_object_set_new(ev, "id", json_string("A"));
    json_object_set_new(ev, "order", json_string("W"));
    json_object_set_new(ev, "channel", json_string("mailbox"));
    json_object_set_new(ev, "handling", json_string("order"));
    return ev;
}

/* The appeal and its letters row, inside the open transaction. */
static hl_rc letter_write(http_req *r, json_t *appeal, store_letter *l,
                          char code[LETTER_CODE_LEN + 1])
{
    char id[HTTP_ID_MAX];
    json_t *ev = letter_event(r, appeal);
    if (!ev)
        return hl_fail(&r->err, HL_ENOMEM, "内存不足");
    /* the numbering of intake: one sequence for all appeals */
    hl_rc rc = http_apply_appeal(r, ev, id, &r->err);
    json_decref(ev);
    if (!rc)
        rc = fresh_code(r, code);
    if (rc)
        return rc;
    l->code = code;
    l->appeal_id = id;
    l->created_at = r->now;
    return store_letter_put(r->store, l, &r->err);
}

hl_rc http_letter_create(http_req *r, json_t *appeal, store_letter *l,
                         char code[LETTER_CODE_LEN + 1])
{
    char key[96];
    int max = r->app->cfg.mailbox_per_hour;
    snprintf(key, sizeof key, "letter:%s", r->ip);
    if (http_write_begin(r))
        return r->err.rc ? r->err.rc : HL_ESTORE;
    /* checked and counted under the write lock: concurrent letters from one
     * address cannot slip past the limit together */
    hl_rc rc = HL_OK;
    if (http_limiter_blocked(r->app->letters, key, max, LETTER_WINDOW_S, r->now))
        rc = hl_fail(&r->err, HL_ELIMIT, "提交过于频繁：同一地址每小时至多提交 %d 件，请稍后再试",
                     max);
    if (!rc)
        rc = letter_write(r, appeal, l, code);
    if (!rc)
        http_limiter_hit(r->app->letters, key, LETTER_WINDOW_S, r->now);
    return http_write_end(r, rc);
}

/* --- what a citizen sees ----------------------------------------------------- */

/* text with every occurrence of needle replaced by mask (caller frees);
 * NULL when out of memory. */
static char *replace_all(const char *text, const char *needle, const char *mask)
{
    hl_buf b;
    size_t n = strlen(needle);
    const char *p = text, *hit;
    if (!n)
        return strdup(text);
    hl_buf_init(&b, (size_t)16 << 20);
    hl_rc rc = hl_buf_adds(&b, "");
    while (!rc && (hit = strstr(p, needle)) != NULL) {
        rc = hl_buf_add(&b, p, (size_t)(hit - p));
        if (!rc)
            rc = hl_buf_adds(&b, mask);
        p = hit + n;
    }
    if (!rc)
        rc = hl_buf_adds(&b, p);
    char *out = rc ? NULL : hl_buf_detach(&b);
    hl_buf_free(&b);
    return out;
}

/* Mask the citizen's name (two characters or more) and phone (five digits
 * or more) wherever *text quotes them. */
static hl_rc scrub(char **text, const char *name, const char *phone)
{
    char mask[HL_MASK_MAX];
    if (!*text)
        return HL_OK;
    if (name && hl_utf8_count(name, strlen(name)) >= 2) {
        hl_mask_name(name, mask, sizeof mask);
        char *t = replace_all(*text, name, mask);
        if (!t)
            return HL_ENOMEM;
        free(*text);
        *text = t;
    }
    if (phone && strlen(phone) >= 5) {
        hl_mask_phone(phone, mask, sizeof mask);
        char *t = replace_all(*text, phone, mask);
        if (!t)
            return HL_ENOMEM;
        free(*text);
        *text = t;
    }
    return HL_OK;
}

static char *dup_member(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? strdup(s) : NULL;
}

typedef struct {
    http_req *r;
    http_letter_view *v;
    char *last_reply;
    int64_t last_reply_at;
    int closings;
} walk_ctx;

static int member_is(json_t *obj, const char *key, const char *value)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s && strcmp(s, value) == 0;
}

/* One event of the history: replies, acceptances, the citizen's ratings. */
static hl_rc walk_row(const store_event_row *row, void *arg)
{
    walk_ctx *w = arg;
    http_letter_view *v = w->v;
    if (row->op != OP_REPLY && row->op != OP_REVIEW && row->op != OP_CALLBACK)
        return HL_OK;
    json_t *b = http_body_json(row->body, 0);
    hl_rc rc = HL_OK;
    if (row->op == OP_REPLY && json_is_string(json_object_get(b, "text"))) {
        free(w->last_reply);
        if (!(w->last_reply = dup_member(b, "text")))
            rc = HL_ENOMEM;
        w->last_reply_at = row->at;
    } else if (row->op == OP_REVIEW && member_is(b, "result", "accept")) {
        free(v->reply);
        v->reply = w->last_reply ? strdup(w->last_reply) : NULL;
        if (w->last_reply && !v->reply)
            rc = HL_ENOMEM;
        v->reply_at = w->last_reply_at;
        v->rating = -1; /* a new closing: the citizen may rate again */
        w->closings++;
    } else if (row->op == OP_CALLBACK && w->closings && member_is(b, "actor", LETTER_ACTOR)) {
        const char *res = json_string_value(json_object_get(b, "result"));
        v->rating = res ? hl_enum_parse(&hl_callback_enum, res) : -1;
        v->rated_at = row->at;
    }
    json_decref(b);
    return rc;
}

/* The appeal's members a citizen may see, and the citizen to mask. */
static hl_rc view_appeal(http_req *r, http_letter_view *v, char **name, char **phone,
                         hl_err *err)
{
    hl_buf body;
    int64_t at, order_id;
    hl_buf_init(&body, (size_t)16 << 20);
    hl_rc rc = store_order_appeal(r->store, v->o.id, &body, &at, &order_id, err);
    if (!rc) {
        json_t *a = http_body_json(hl_buf_str(&body), 0);
        json_t *c = json_object_get(a, "citizen");
        v->category = dup_member(a, "category");
        v->content = dup_member(a, "content");
        v->note = dup_member(a, "note");
        *name = dup_member(c, "name");
        *phone = dup_member(c, "phone");
        json_decref(a);
        if (!v->content)
            rc = hl_fail(err, HL_ENOMEM, "内存不足");
    }
    hl_buf_free(&body);
    return rc;
}

hl_rc http_letter_view_load(http_req *r, const char *number, http_letter_view *v, hl_err *err)
{
    char *name = NULL, *phone = NULL;
    memset(v, 0, sizeof *v);
    v->rating = -1;
    if (!*number) {
        v->content = strdup("");
        return v->content ? HL_OK : hl_fail(err, HL_ENOMEM, "内存不足");
    }
    hl_rc rc = store_order_get(r->store, number, &v->o, err);
    v->has_order = !rc;
    if (!rc)
        rc = view_appeal(r, v, &name, &phone, err);
    walk_ctx w = {r, v, NULL, 0, 0};
    if (!rc && (rc = store_events_each(r->store, v->o.id, walk_row, &w, err)) == HL_ENOMEM)
        hl_fail(err, HL_ENOMEM, "内存不足");
    if (!rc && (scrub(&v->content, name, phone) || scrub(&v->reply, name, phone) ||
                scrub(&v->note, name, phone)))
        rc = hl_fail(err, HL_ENOMEM, "内存不足");
    free(w.last_reply);
    free(name);
    free(phone);
    return rc;
}

void http_letter_view_free(http_letter_view *v)
{
    free(v->category);
    free(v->content);
    free(v->note);
    free(v->reply);
    memset(v, 0, sizeof *v);
}

const char *http_letter_status(const http_letter_view *v, const char **label)
{
    static const char *const names[ST__COUNT] = {"pending", "processing", "processing",
                                                 "replied", "closed"};
    static const char *const labels[ST__COUNT] = {"待派单", "办理中", "办理中", "已答复",
                                                  "已办结"};
    if (!v->has_order || (unsigned)v->o.state >= ST__COUNT) {
        *label = "已受理";
        return "received";
    }
    *label = labels[v->o.state];
    return names[v->o.state];
}
