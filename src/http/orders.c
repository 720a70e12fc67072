/* orders.c — reading orders: one order with its history, lists and queues
 * with server-side pagination, a caller's history, and the audited unmask.
 *
 * A unit role sees only orders of its subtree; anything else answers 404
 * exactly as an unknown number would.  Citizens' names and phones are
 * masked for roles without ACT_CLEAR_PII. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "../core/timeutil.h"
#include "../core/utf8.h"
#include "../text/text.h"
#include "orders.h"
#include "routes.h"

/* One masking for every answer: the text path (order_text.c), parsed. */
json_t *http_body_json(const char *body, int masked)
{
    hl_buf b;
    hl_buf_init(&b, (size_t)16 << 20);
    json_t *j = NULL;
    if (!hl_buf_addc(&b, '{') && !http_body_members(body, masked, &b) && !hl_buf_addc(&b, '}'))
        j = json_loadb(b.data, b.len, 0, NULL);
    hl_buf_free(&b);
    return j ? j : json_object();
}

int http_masked(const http_req *r)
{
    return http_reach(r, ACT_CLEAR_PII) == REACH_NONE;
}

int http_load_order(http_req *r, const char *number, hl_order *o)
{
    hl_rc rc = store_order_get(r->store, number, o, &r->err);
    if (!rc && http_reach(r, ACT_READ_ORDER) == REACH_OWN && !http_owns(r, o))
        rc = HL_ENOTFOUND;
    if (rc == HL_ENOTFOUND) {
        http_error(r, 404, "not_found", "工单 %.64s 不存在", number);
        return -1;
    }
    if (rc) {
        http_fail(r, &r->err);
        return -1;
    }
    return 0;
}

/* The history is written as text (order_text.c): each stored body is
 * already canonical JSON members; only the appeal's may need masking. */
typedef struct {
    http_req *r;
    hl_buf *out;              /* the history array's text */
    hl_buf *appeal;           /* the appeal event's object text */
    int masked;
    int n;
} history_ctx;

static hl_rc history_row(const store_event_row *row, void *arg)
{
    history_ctx *h = arg;
    char at[HL_TIME_STRLEN];
    hl_buf *b = h->out;
    size_t start = b->len + (h->n ? 1 : 0);
    /* a merged appeal (并单) is labelled as such, not as the order's intake */
    int merged = row->op == OP_APPEAL && row->result == HANDLING_MERGE;
    hl_time_format(row->at, h->r->app->rules.offset_min, at);
    hl_rc rc = hl_buf_printf(b, "%s{\"seq\":%lld,\"op\":\"%s\",\"op_label\":\"%s\",\"at\":\"%s\"",
                             h->n++ ? "," : "", (long long)row->seq,
                             hl_enum_name(&hl_op_enum, row->op),
                             merged ? hl_enum_label(&hl_handling_enum, HANDLING_MERGE)
                                    : hl_op_label((hl_op)row->op),
                             at);
    /* the body names the unit by code ("unit"); its name is added beside */
    const hl_unit *u = row->unit ? hl_units_get(&h->r->app->units, row->unit) : NULL;
    if (!rc && u && !(rc = hl_buf_adds(b, ",\"unit_name\":")))
        rc = hl_buf_add_json_str(b, u->name);
    if (!rc && *row->body)
        rc = hl_buf_addc(b, ',');
    if (!rc && *row->body)
        rc = http_body_members(row->body, h->masked && row->op == OP_APPEAL, b);
    if (!rc)
        rc = hl_buf_addc(b, '}');
    if (!rc && row->op == OP_APPEAL && !h->appeal->len)
        rc = hl_buf_add(h->appeal, b->data + start, b->len - start);
    return rc ? hl_fail(&h->r->err, rc, "工单历史过大") : HL_OK;
}

void h_order_get(http_req *r)
{
    hl_order o;
    hl_buf history, appeal;
    hl_buf_init(&history, (size_t)32 << 20);
    hl_buf_init(&appeal, (size_t)1 << 20);
    history_ctx h = {r, &history, &appeal, http_masked(r), 0};
    char key[HL_ORDER_NUMBER_MAX + 32];
    hl_rc rc = store_begin_read(r->store, &r->err);
    if (!rc && http_load_order(r, r->params[0], &o) != 0)
        rc = HL_ENOTFOUND; /* the 404 is set */
    /* an order's page is kept at its version (cache.c) */
    snprintf(key, sizeof key, "order|%d|%s", h.masked, r->params[0]);
    if (!rc && http_cache_get(r->app->lists, key, o.version, r->app->reload_gen, &r->out)) {
        store_commit(r->store, NULL);
        snprintf(r->etag, sizeof r->etag, "\"%lld\"", (long long)o.version);
        r->status = 200;
        hl_buf_free(&history);
        hl_buf_free(&appeal);
        return;
    }
    if (!rc)
        rc = store_events_each(r->store, o.id, history_row, &h, &r->err);
    store_commit(r->store, NULL);
    if (!rc)
        hl_buf_reset(&r->out);
    if (!rc && (http_order_text(r, &o, &r->out) ||
                hl_buf_printf(&r->out, ",\"appeal\":%s,\"masked\":%s,\"history\":[",
                              appeal.len ? hl_buf_str(&appeal) : "null",
                              h.masked ? "true" : "false") ||
                hl_buf_add(&r->out, history.data, history.len) || hl_buf_adds(&r->out, "]}")))
        rc = hl_fail(&r->err, HL_ETOOBIG, "工单内容过大");
    if (!rc) {
        r->status = 200;
        snprintf(r->etag, sizeof r->etag, "\"%lld\"", (long long)o.version);
        http_cache_put(r->app->lists, key, o.version, r->app->reload_gen, &r->out);
    } else if (rc != HL_ENOTFOUND) {
        http_fail(r, &r->err);
    }
    hl_buf_free(&history);
    hl_buf_free(&appeal);
}

/* --- lists ------------------------------------------------------------------ */

typedef struct {
    http_req *r;
    json_t *items;            /* caller history (jansson) */
    int masked;
    int n;                    /* order lists: items written to r->out */
} list_ctx;

static hl_rc list_row(const store_order_item *it, void *arg)
{
    list_ctx *l = arg;
    hl_buf *b = &l->r->out;
    hl_rc rc = l->n++ ? hl_buf_addc(b, ',') : HL_OK;
    if (!rc)
        rc = http_order_text(l->r, it->o, b);
    /* the stored appeal body holds its id */
    if (!rc)
        rc = hl_buf_adds(b, ",\"appeal\":{");
    if (!rc && it->body)
        rc = http_body_members(it->body, l->masked, b);
    if (!rc)
        rc = hl_buf_adds(b, "}}");
    return rc ? hl_fail(&l->r->err, rc, "列表过大") : HL_OK;
}

/* Restrict f to the user's subtree (unit roles) and to the subtree of the
 * `unit` parameter; *ids is caller-freed.  -1 with the response set. */
static int scope_filter(http_req *r, const char *unit_param, store_order_filter *f,
                        int64_t **ids)
{
    size_t n = 0;
    int64_t only = 0;
    *ids = NULL;
    if (unit_param && !(only = hl_units_find(&r->app->units, unit_param))) {
        http_error(r, 400, "invalid_input", "单位 %.64s 不存在", unit_param);
        return -1;
    }
    int own = http_reach(r, ACT_READ_ORDER) == REACH_OWN;
    if (!own && !only)
        return 0;
    const hl_units *u = &r->app->units;
    if (!(*ids = malloc((u->n + 1) * sizeof **ids))) {
        http_error(r, 500, "out_of_memory", "内存不足");
        return -1;
    }
    for (size_t i = 0; i < u->n; i++) {
        int64_t id = u->v[i].id;
        if ((!own || hl_units_within(u, id, r->user.unit)) &&
            (!only || hl_units_within(u, id, only)))
            (*ids)[n++] = id;
    }
    f->scope = *ids;
    f->n_scope = n;
    return 0;
}

typedef struct {
    hl_buf *b;
    int full;                 /* the key did not fit: do not keep the answer */
} key_ctx;

/* Each parameter length-prefixed, so that no value can spell another
 * parameter ("q=a&state=x" and "q=a%26state%3Dx" differ). */
static enum MHD_Result key_arg(void *cls, enum MHD_ValueKind kind, const char *k,
                               const char *v)
{
    (void)kind;
    key_ctx *x = cls;
    if (!v)
        v = "";
    if (hl_buf_printf(x->b, "&%zu:%s=%zu:%s", strlen(k), k, strlen(v), v)) {
        x->full = 1;
        return MHD_NO;
    }
    return MHD_YES;
}

/* What decides a list's answer besides the data: the path and query, the
 * masking, and for a unit role its unit.  -1 when it cannot be keyed. */
static int list_key(http_req *r, hl_buf *key)
{
    int own = http_reach(r, ACT_READ_ORDER) == REACH_OWN;
    key_ctx x = {key, 0};
    if (hl_buf_printf(key, "%s|%d|%lld|", r->path, http_masked(r),
                      own ? (long long)r->user.unit : 0LL))
        return -1;
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, key_arg, &x);
    return x.full ? -1 : 0;
}

/* {"items":[…],"total":N,"page":P,"page_size":S}, items as text; an answer
 * kept at the same last seq is served as it is (cache.c). */
static void run_list(http_req *r, store_order_filter *f, int64_t page, int64_t size)
{
    list_ctx l = {r, NULL, http_masked(r), 0};
    int64_t total = 0, seq = 0;
    hl_buf key;
    hl_buf_init(&key, 4096);
    int keyed = list_key(r, &key) == 0;
    f->offset = (page - 1) * size;
    f->limit = size;
    hl_buf_reset(&r->out);
    hl_rc rc = store_begin_read(r->store, &r->err);
    if (!rc)
        rc = store_last_seq(r->store, &seq, &r->err);
    if (!rc && keyed &&
        http_cache_get(r->app->lists, hl_buf_str(&key), seq, r->app->reload_gen, &r->out)) {
        store_commit(r->store, NULL);
        hl_buf_free(&key);
        r->status = 200;
        return;
    }
    if (!rc && hl_buf_adds(&r->out, "{\"items\":["))
        rc = hl_fail(&r->err, HL_ENOMEM, "内存不足");
    if (!rc)
        rc = store_orders_page(r->store, f, &total, list_row, &l, &r->err);
    store_commit(r->store, NULL);
    if (!rc && hl_buf_printf(&r->out, "],\"total\":%lld,\"page\":%lld,\"page_size\":%lld}",
                             (long long)total, (long long)page, (long long)size))
        rc = hl_fail(&r->err, HL_ENOMEM, "内存不足");
    if (rc) {
        http_fail(r, &r->err);
    } else {
        r->status = 200;
        if (keyed)
            http_cache_put(r->app->lists, hl_buf_str(&key), seq, r->app->reload_gen, &r->out);
    }
    hl_buf_free(&key);
}

static const char *const list_params[] = {"state", "unit", "channel", "category", "q",
                                          "phone", "number", "from", "to", "overdue",
                                          "page", "page_size"};

static int text_param(http_req *r, const char *name, size_t max, const char **out)
{
    const char *v = http_query(r, name);
    *out = NULL;
    if (!v || !*v)
        return 0;
    if (strlen(v) > max || !hl_text_is_clean(v)) {
        http_error(r, 400, "invalid_input", "查询参数 %s 无效或过长（上限 %zu 字节）", name, max);
        return -1;
    }
    *out = v;
    return 0;
}

/* The filter members the query string sets (list and queues share them). */
static int parse_filter(http_req *r, store_order_filter *f, const char **unit)
{
    const char *state, *channel, *from, *to, *overdue;
    if (text_param(r, "state", 32, &state) || text_param(r, "unit", 128, unit) ||
        text_param(r, "channel", 16, &channel) || text_param(r, "category", 256, &f->category) ||
        text_param(r, "q", 256, &f->text) || text_param(r, "phone", 32, &f->phone) ||
        text_param(r, "number", 64, &f->number) || text_param(r, "from", 40, &from) ||
        text_param(r, "to", 40, &to) || text_param(r, "overdue", 8, &overdue))
        return -1;
    if (state) {
        int s = -1;
        for (int i = 0; i < ST__COUNT; i++)
            if (strcmp(state, hl_state_name((hl_state)i)) == 0)
                s = i;
        if (s < 0) {
            http_error(r, 400, "invalid_input", "未知的工单状态 %s", state);
            return -1;
        }
        f->states = 1u << s;
    }
    f->channel = -1;
    if (channel && (f->channel = hl_enum_parse(&hl_channel_enum, channel)) < 0) {
        http_error(r, 400, "invalid_input", "未知的渠道 %s（hotline 或 mailbox）", channel);
        return -1;
    }
    if ((from && http_parse_time(r, "from", from, &f->from)) ||
        (to && http_parse_time(r, "to", to, &f->to)))
        return -1;
    if (overdue && strcmp(overdue, "true") && strcmp(overdue, "false")) {
        http_error(r, 400, "invalid_input", "查询参数 overdue 应为 true 或 false");
        return -1;
    }
    if (overdue && strcmp(overdue, "true") == 0)
        f->overdue_at = r->now;
    if (f->phone && http_masked(r)) {
        http_error(r, 403, "forbidden", "您的角色无权按来电号码查询");
        return -1;
    }
    return 0;
}

/* The work queues of PRODUCT.md as filters. */
static int queue_filter(const char *name, int64_t now, store_order_filter *f)
{
    if (strcmp(name, "dispatch") == 0)
        f->states = 1u << ST_NEW;
    else if (strcmp(name, "requests") == 0)
        f->pending = 1;
    else if (strcmp(name, "review") == 0)
        f->states = 1u << ST_REPLIED;
    else if (strcmp(name, "callback") == 0)
        f->callback_due = 1;
    else if (strcmp(name, "verify") == 0)
        f->dissatisfied_open = 1;
    else if (strcmp(name, "supervision") == 0)
        f->supervision_open = 1;
    else if (strcmp(name, "overdue") == 0)
        f->overdue_at = now;
    else if (strcmp(name, "inbox") == 0)
        f->states = 1u << ST_DISPATCHED | 1u << ST_SIGNED | 1u << ST_REPLIED;
    else
        return -1;
    return 0;
}

static void list_orders_run(http_req *r, const char *queue, store_order_filter *f,
                            const char *unit, int64_t page, int64_t size)
{
    int64_t *ids = NULL;
    if (queue && queue_filter(queue, r->now, f)) {
        http_error(r, 404, "not_found", "没有名为 %.32s 的队列", queue);
        return;
    }
    if (queue && strcmp(queue, "inbox") == 0 && !unit &&
        http_reach(r, ACT_READ_ORDER) != REACH_OWN) {
        http_error(r, 400, "invalid_input", "单位收件箱需要查询参数 unit");
        return;
    }
    if (scope_filter(r, unit, f, &ids))
        return;
    run_list(r, f, page, size);
    free(ids);
}

/* q as the bigram index's expression (exact: what the user typed, as a
 * substring of content or location once normalised) into match. */
static int text_match(http_req *r, store_order_filter *f, hl_buf *match)
{
    if (!f->text)
        return 0;
    int n = hl_text_query(f->text, HL_QUERY_EXACT, NULL, match, NULL);
    if (n <= 0) {
        http_error(r, 400, "invalid_input", "查询词 q 中没有可检索的文字或数字");
        return -1;
    }
    f->text = hl_buf_str(match);
    return 0;
}

/* GET /orders (queue NULL) and GET /queues/{queue}: the same filters,
 * a queue adds its own. */
static void list_orders(http_req *r, const char *queue)
{
    store_order_filter f = {0};
    const char *unit = NULL;
    int64_t page, size;
    hl_buf match;
    hl_buf_init(&match, (size_t)1 << 16);
    if (http_query_only(r, list_params, sizeof list_params / sizeof *list_params) ||
        http_page(r, &page, &size) || parse_filter(r, &f, &unit) ||
        text_match(r, &f, &match)) {
        hl_buf_free(&match);
        return;
    }
    list_orders_run(r, queue, &f, unit, page, size);
    hl_buf_free(&match);
}

void h_orders_list(http_req *r)
{
    list_orders(r, NULL);
}

void h_queue(http_req *r)
{
    list_orders(r, r->params[0]);
}

/* --- a caller's history, an appeal, unmasking ------------------------------- */

static hl_rc caller_row(const store_appeal_item *a, void *arg)
{
    list_ctx *l = arg;
    json_t *j = http_body_json(a->body, l->masked);
    json_object_set_new(j, "id", json_string(a->appeal_id));
    json_object_set_new(j, "at", http_time(l->r, a->at));
    json_object_set_new(j, "order", *a->order_number ? json_string(a->order_number) : json_null());
    json_object_set_new(j, "state",
                        a->state >= 0 ? json_string(hl_state_name((hl_state)a->state)) : json_null());
    json_array_append_new(l->items, j);
    return HL_OK;
}

void h_caller_history(http_req *r)
{
    static const char *const params[] = {"page", "page_size"};
    const char *phone = r->params[0];
    int64_t page, size, total;
    if (http_query_only(r, params, 2) || http_page(r, &page, &size))
        return;
    if (!*phone || strlen(phone) > 32 || strspn(phone, "0123456789+-") != strlen(phone)) {
        http_error(r, 400, "invalid_input", "电话号码只能含数字、+ 和 -（至多 32 位）");
        return;
    }
    list_ctx l = {r, json_array(), 0, 0};
    if (store_appeals_by_phone(r->store, phone, (page - 1) * size, size, &total, caller_row, &l,
                               &r->err)) {
        json_decref(l.items);
        http_fail(r, &r->err);
        return;
    }
    http_json(r, 200, http_page_json(l.items, total, page, size));
}

void h_appeal_get(http_req *r)
{
    hl_buf body;
    int64_t at, order_id;
    hl_order o;
    hl_buf_init(&body, (size_t)16 << 20);
    hl_rc rc = store_appeal_body(r->store, r->params[0], &body, &at, &order_id, &r->err);
    if (!rc && order_id)
        rc = store_order_by_id(r->store, order_id, &o, &r->err);
    /* a unit sees an appeal only through its own order */
    if (!rc && http_reach(r, ACT_READ_ORDER) == REACH_OWN && (!order_id || !http_owns(r, &o)))
        rc = HL_ENOTFOUND;
    if (rc == HL_ENOTFOUND) {
        http_error(r, 404, "not_found", "诉求 %.64s 不存在", r->params[0]);
    } else if (rc) {
        http_fail(r, &r->err);
    } else {
        json_t *j = http_body_json(hl_buf_str(&body), http_masked(r));
        json_object_set_new(j, "id", json_string(r->params[0]));
        json_object_set_new(j, "at", http_time(r, at));
        json_object_set_new(j, "order", order_id ? json_string(o.number) : json_null());
        http_json(r, 200, j);
    }
    hl_buf_free(&body);
}

static const http_field unmask_fields[] = {{"reason", JF_STR, 1, 200}};

void h_order_unmask(http_req *r)
{
    hl_order o;
    hl_buf body;
    int64_t at, order_id;
    char detail[512];
    if (http_body(r, unmask_fields, 1))
        return;
    const char *reason = json_string_value(json_object_get(r->json, "reason"));
    if (hl_utf8_count(reason, strlen(reason)) < 2) {
        http_error(r, 400, "invalid_input", "请写明查看群众信息的原因（至少 2 个字）");
        return;
    }
    if (http_load_order(r, r->params[0], &o))
        return;
    hl_buf_init(&body, (size_t)16 << 20);
    snprintf(detail, sizeof detail, "工单 %s，原因：%s", o.number, reason);
    hl_rc rc = http_write_begin(r) ? HL_ESTORE : HL_OK;
    if (rc)
        goto out;
    rc = store_order_appeal(r->store, o.id, &body, &at, &order_id, &r->err);
    if (!rc)
        rc = http_audit(r, "unmask", detail, &r->err);
    if ((rc = http_write_end(r, rc)) != 0) {
        http_fail(r, &r->err);
    } else {
        json_t *a = http_body_json(hl_buf_str(&body), 0);
        json_t *c = json_object_get(a, "citizen");
        http_json(r, 200, json_pack("{s:s, s:O}", "number", o.number, "citizen",
                                    c ? c : json_null()));
        json_decref(a);
    }
out:
    hl_buf_free(&body);
}
