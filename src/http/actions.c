/* actions.c — writes on orders: intake (a new appeal, answered directly,
 * turned into an order or merged into an open one; Idempotency-Key honoured) and every lifecycle step
 * as a POST on the order.
 *
 * A request body becomes an interchange event (interchange.md) with the
 * server's time and the user as actor, and goes through the very path an
 * import takes (store/ingest.c): the same checks, the same history, the
 * same counts.  Optimistic concurrency: a step names the version it saw
 * (If-Match or "version"); a stale one is 409 and nothing is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/timeutil.h"
#include "../store/ingest.h"
#include "orders.h"
#include "routes.h"

#define BIT(op) (1u << (op))
#define ALL_OPS 0x7FFFu
#define TEXT_MAX 10000

/* What a step's body may hold: the interchange fields of its op (the
 * codec checks values), plus the version. */
static const struct {
    http_field f;
    unsigned ops;
} step_fields[] = {
    {{"unit", JF_STR, 0, 128}, BIT(OP_DISPATCH) | BIT(OP_SUBDISPATCH)},
    {{"deadline", JF_STR, 0, 40}, BIT(OP_DISPATCH)},
    {{"until", JF_STR, 0, 40}, BIT(OP_EXTENSION_REQUEST)},
    {{"approved", JF_BOOL, 0, 0}, BIT(OP_RETURN_DECISION) | BIT(OP_EXTENSION_DECISION)},
    {{"result", JF_STR, 0, 32}, BIT(OP_REVIEW) | BIT(OP_CALLBACK) | BIT(OP_VERIFY)},
    {{"text", JF_STR, 0, TEXT_MAX}, BIT(OP_REPLY)},
    {{"reason", JF_STR, 0, 2000},
     BIT(OP_RETURN_REQUEST) | BIT(OP_RETURN_DECISION) | BIT(OP_EXTENSION_REQUEST) |
         BIT(OP_REVIEW) | BIT(OP_REOPEN)},
    {{"note", JF_STR, 0, 2000}, ALL_OPS},
    {{"version", JF_INT, 0, 0}, ALL_OPS},
};
#define N_STEP (sizeof step_fields / sizeof step_fields[0])

static const http_field citizen_fields[] = {
    {"name", JF_STR, 0, 64},
    {"phone", JF_STR, 0, 32},
};

static const http_field intake_fields[] = {
    {"channel", JF_STR, 1, 16},     {"source", JF_STR, 0, 64},     {"line", JF_STR, 0, 16},
    {"category", JF_STR, 0, 128},   {"nature", JF_STR, 1, 16},     {"urgency", JF_STR, 0, 16},
    {"content", JF_STR, 1, TEXT_MAX}, {"location", JF_STR, 0, 500}, {"citizen", JF_OBJ, 0, 0},
    {"handling", JF_STR, 1, 16},    {"kb", JF_ARR, 0, 32},         {"note", JF_STR, 0, 2000},
    {"order", JF_STR, 0, HL_ORDER_NUMBER_MAX}, /* handling merge only: the order it joins */
};

/* An event made from a request before its write: serialised and parsed
 * outside the group commit, so that the single writer only stamps it (the
 * time; a new appeal's id and order number) and ingests it. */
typedef struct {
    char *line;              /* the JSON text that e's strings point into */
    void *doc;
    hl_event e;
    int new_appeal;          /* the writer numbers it */
    char id[HTTP_ID_MAX], number[HTTP_ID_MAX];
} http_event;

static hl_rc event_prepare(json_t *ev, http_event *pe, hl_err *err)
{
    pe->doc = NULL;
    pe->new_appeal = 0;
    pe->line = json_dumps(ev, JSON_COMPACT);
    if (!pe->line)
        return hl_fail(err, HL_ENOMEM, "内存不足");
    return hl_event_parse_line(pe->line, strlen(pe->line), &pe->e, &pe->doc, err);
}

static void event_free(http_event *pe)
{
    hl_event_doc_free(pe->doc);
    free(pe->line);
}

static void appeal_ids(const http_req *r, int64_t seq, char *id, char *number)
{
    char date[HL_TIME_STRLEN];
    hl_time_format(r->now, r->app->rules.offset_min, date);
    snprintf(id, HTTP_ID_MAX, "A%.4s%.2s%.2s-%lld", date, date + 5, date + 8, (long long)seq);
    snprintf(number, HTTP_ID_MAX, "W%.4s%.2s%.2s-%lld", date, date + 5, date + 8,
             (long long)seq);
}

/* Ingest a prepared event inside the caller's write transaction, stamped
 * with r->now; *o gets the order's new state when it has one. */
static hl_rc event_apply(http_req *r, http_event *pe, hl_order *o, hl_err *err)
{
    ingest in;
    hl_rc rc = ingest_init(&in, r->store, &r->app->ctx, err);
    if (rc)
        return rc;
    pe->e.at = r->now;
    if (pe->new_appeal) {
        appeal_ids(r, in.next_seq, pe->id, pe->number);
        pe->e.appeal_id = pe->id;
        if (pe->e.handling == HANDLING_ORDER)
            pe->e.order = pe->number;
    }
    rc = ingest_apply(&in, &pe->e, err);
    if (!rc)
        rc = ingest_finish(&in, err);
    /* the order's new state, as ingest just wrote it */
    const hl_order *now = !rc && pe->e.order ? ingest_order(&in, pe->e.order) : NULL;
    if (now && o)
        *o = *now;
    ingest_free(&in);
    return rc;
}

hl_rc http_apply_event(http_req *r, json_t *ev, hl_order *o, hl_err *err)
{
    http_event pe;
    hl_rc rc = event_prepare(ev, &pe, err);
    if (!rc)
        rc = event_apply(r, &pe, o, err);
    event_free(&pe);
    return rc;
}

static void stamp(http_req *r, json_t *ev, const char *op)
{
    char at[HL_TIME_STRLEN];
    hl_time_format(r->now, r->app->rules.offset_min, at);
    json_object_set_new(ev, "op", json_string(op));
    json_object_set_new(ev, "at", json_string(at));
    json_object_set_new(ev, "actor", json_string(r->user.name));
}

hl_rc http_apply_appeal(http_req *r, json_t *ev, char id[HTTP_ID_MAX], hl_err *err)
{
    http_event pe;
    hl_rc rc = event_prepare(ev, &pe, err);
    pe.new_appeal = 1;
    if (!rc && !(rc = event_apply(r, &pe, NULL, err)))
        memcpy(id, pe.id, HTTP_ID_MAX);
    event_free(&pe);
    return rc;
}

/* --- intake ----------------------------------------------------------------- */

static int idem_key_ok(const char *k)
{
    size_t n = strlen(k);
    if (!n || n > 128)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (k[i] < 0x21 || k[i] > 0x7E)
            return 0;
    return 1;
}

typedef struct {
    const char *key;          /* Idempotency-Key, or NULL */
    http_event ev;            /* the appeal, prepared before the write */
    int as_order;             /* handling order or merge */
    hl_order o;               /* its new order, or the one it was merged into */
    int status;               /* of a stored answer (repeated key); 0 otherwise */
    hl_buf stored;            /* that answer; or, with a key, the new one's */
} intake_job;

/* {"appeal_id", "order"} into b, written as text (building it with
 * jansson cost an intake 12 % of its CPU). */
static hl_rc intake_answer(http_req *r, intake_job *x, hl_buf *b)
{
    if (hl_buf_adds(b, "{\"appeal_id\":") || hl_buf_add_json_str(b, x->ev.id) ||
        hl_buf_adds(b, ",\"order\":"))
        return HL_ENOMEM;
    hl_rc rc = x->as_order ? http_order_object(r, &x->o, b) : hl_buf_adds(b, "null") ? HL_ENOMEM
                                                                                  : HL_OK;
    return rc ? rc : hl_buf_addc(b, '}') ? HL_ENOMEM : HL_OK;
}

/* Inside the group commit: only the look-ups and writes.  The answer is
 * built by the request's own thread, except when a key must keep it. */
static hl_rc intake_write(http_req *r, void *arg)
{
    intake_job *x = arg;
    int64_t since = r->now - (int64_t)r->app->cfg.idempotency_hours * 3600;
    hl_rc rc = x->key ? store_idem_get(r->store, r->user.id, x->key, since, &x->status,
                                       &x->stored, &r->err)
                      : HL_ENOTFOUND;
    if (rc != HL_ENOTFOUND)
        return rc;
    x->status = 0;
    if ((rc = event_apply(r, &x->ev, x->as_order ? &x->o : NULL, &r->err)) != HL_OK || !x->key)
        return rc;
    if (intake_answer(r, x, &x->stored))
        return hl_fail(&r->err, HL_ENOMEM, "内存不足");
    return store_idem_put(r->store, r->user.id, x->key, 201, hl_buf_str(&x->stored), r->now,
                          &r->err);
}

/* The appeal event of r->json, numbered later by the writer. */
static hl_rc intake_prepare(http_req *r, intake_job *x)
{
    json_t *ev = json_deep_copy(r->json);
    if (!ev)
        return hl_fail(&r->err, HL_ENOMEM, "内存不足");
    const char *handling = json_string_value(json_object_get(ev, "handling"));
    int merge = strcmp(handling, "merge") == 0;
    if (!merge && json_string_value(json_object_get(ev, "order"))) {
        json_decref(ev);
        return hl_fail(&r->err, HL_EINVAL, "只有并单（handling 为 merge）时才可指定工单号 order");
    }
    stamp(r, ev, "appeal");
    json_object_set_new(ev, "id", json_string("A"));
    if (strcmp(handling, "order") == 0)
        json_object_set_new(ev, "order", json_string("W"));
    hl_rc rc = event_prepare(ev, &x->ev, &r->err);
    x->ev.new_appeal = 1;
    x->as_order = !rc && x->ev.e.handling != HANDLING_DIRECT;
    json_decref(ev);
    return rc;
}

static void intake_reply(http_req *r, void *arg, hl_rc rc)
{
    intake_job *x = arg;
    if (rc) {
        http_fail(r, &r->err);
    } else if (x->status || x->key) {
        /* the answer kept for the key (a repeated key: the first one) */
        hl_buf_reset(&r->out);
        hl_buf_add(&r->out, x->stored.data, x->stored.len);
        r->status = x->status ? x->status : 201;
    } else {
        hl_buf_reset(&r->out);
        http_text(r, 201, intake_answer(r, x, &r->out));
    }
}

static void intake_drop(void *arg)
{
    intake_job *x = arg;
    event_free(&x->ev);
    hl_buf_free(&x->stored);
    free(x);
}

static const http_write_ops intake_ops = {intake_write, intake_reply, intake_drop};

void h_intake(http_req *r)
{
    const char *key = http_header(r, "Idempotency-Key");
    if (key && !idem_key_ok(key)) {
        http_error(r, 400, "invalid_input", "Idempotency-Key 应为 1–128 个可见 ASCII 字符");
        return;
    }
    if (http_body(r, intake_fields, sizeof intake_fields / sizeof *intake_fields))
        return;
    json_t *c = json_object_get(r->json, "citizen");
    if (c && http_check_object(r, c, citizen_fields, 2, "citizen "))
        return;
    intake_job *x = calloc(1, sizeof *x);
    if (!x) {
        http_error(r, 500, "internal_error", "内存不足");
        return;
    }
    x->key = key; /* MHD's header value lives as long as the request */
    hl_buf_init(&x->stored, (size_t)1 << 20);
    if (intake_prepare(r, x)) {
        http_fail(r, &r->err);
        intake_drop(x);
        return;
    }
    http_write_async(r, &intake_ops, x);
}

/* --- lifecycle steps -------------------------------------------------------- */

static int step_body(http_req *r, hl_op op)
{
    http_field f[N_STEP];
    size_t n = 0;
    for (size_t i = 0; i < N_STEP; i++)
        if (step_fields[i].ops & BIT(op))
            f[n++] = step_fields[i].f;
    if (!r->body.len) {
        r->json = json_object();
        return 0;
    }
    return http_body(r, f, n);
}

/* May the user take step op on order o?  -1 with 403/404 set. */
static int step_allowed(http_req *r, hl_op op, const hl_order *o)
{
    hl_reach reach = http_reach(r, hl_action_of_op(op));
    if (reach == REACH_NONE) {
        http_error(r, 403, "forbidden", "您的角色（%s）无权执行“%s”",
                   hl_enum_label(&hl_role_enum, (int)r->role), hl_op_label(op));
        return -1;
    }
    if (reach == REACH_OWN && !http_owns(r, o)) {
        http_error(r, 404, "not_found", "工单 %.64s 不存在", o->number);
        return -1;
    }
    const char *unit = json_string_value(json_object_get(r->json, "unit"));
    if (op == OP_SUBDISPATCH && unit) {
        int64_t id = hl_units_find(&r->app->units, unit);
        if (id && !hl_units_within(&r->app->units, id, r->user.unit)) {
            http_error(r, 422, "unit_outside_subtree", "二级派单只能派给本单位及下属单位");
            return -1;
        }
    }
    return 0;
}

typedef struct {
    hl_order o;               /* in: the order read; out: its new state */
    int64_t seen;             /* the version the client saw */
} step_job;

/* The step of r->params[1] with the body r->json, if the order is still at
 * the version the client saw. */
static hl_rc step_write(http_req *r, void *arg)
{
    step_job *x = arg;
    hl_order *o = &x->o;
    hl_rc rc = store_order_get(r->store, o->number, o, &r->err);
    if (!rc && x->seen != o->version)
        return hl_fail(&r->err, HL_ECONFLICT,
                       "工单 %s 已被他人修改（当前版本 %lld，您看到的是 %lld），请刷新后重试",
                       o->number, (long long)o->version, (long long)x->seen);
    if (rc)
        return rc;
    json_t *ev = json_deep_copy(r->json);
    json_object_del(ev, "version");
    stamp(r, ev, r->params[1]);
    json_object_set_new(ev, "order", json_string(o->number));
    rc = http_apply_event(r, ev, o, &r->err);
    json_decref(ev);
    return rc;
}

static void step_reply(http_req *r, void *arg, hl_rc rc)
{
    step_job *x = arg;
    if (rc) {
        http_fail(r, &r->err);
        return;
    }
    snprintf(r->etag, sizeof r->etag, "\"%lld\"", (long long)x->o.version);
    hl_buf_reset(&r->out);
    http_text(r, 200, http_order_object(r, &x->o, &r->out));
}

static const http_write_ops step_ops = {step_write, step_reply, free};

void h_order_action(http_req *r)
{
    int op = hl_enum_parse(&hl_op_enum, r->params[1]);
    if (op < 0 || op == OP_APPEAL) {
        http_error(r, 404, "not_found", "没有名为 %.32s 的操作", r->params[1]);
        return;
    }
    if (http_reach(r, ACT_READ_ORDER) == REACH_NONE) {
        http_error(r, 403, "forbidden", "您的角色无权办理工单");
        return;
    }
    step_job *x = calloc(1, sizeof *x);
    if (!x) {
        http_error(r, 500, "internal_error", "内存不足");
        return;
    }
    if (step_body(r, (hl_op)op) || http_load_order(r, r->params[0], &x->o) ||
        step_allowed(r, (hl_op)op, &x->o)) {
        free(x);
        return;
    }
    x->seen = http_client_version(r);
    if (x->seen == -1) {
        http_error(r, 428, "version_required", "请在 If-Match 请求头或 version 字段中给出工单版本");
        free(x);
        return;
    }
    http_write_async(r, &step_ops, x);
}
