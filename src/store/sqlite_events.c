/* sqlite_events.c — order snapshots, appeals and the event history. */
#include <stdio.h>
#include <string.h>

#include "sqlite_int.h"

/* Column/parameter order shared by Q_ORDER_GET (0-based columns) and
 * Q_ORDER_INSERT / Q_ORDER_UPDATE (1-based parameters). */
enum {
    OC_ID, OC_NUMBER, OC_CHANNEL, OC_NATURE, OC_URGENCY, OC_LINE, OC_CREATED, OC_STATE,
    OC_UNIT, OC_HANDLER, OC_DISPATCHED, OC_DEADLINE, OC_PENDING_UNTIL, OC_PENDING_RETURN,
    OC_PENDING_EXT, OC_REPLIED, OC_EXT_ASKED, OC_REWORKS, OC_REPLY_AT, OC_CLOSED_AT,
    OC_CALLBACKS, OC_DISSAT_SEQ, OC_DISSAT_AT, OC_DISSAT_OPEN, OC_SUPERVISIONS, OC_LAST_AT,
    OC_VERSION, OC__COUNT
};

void sq_order_from_row(sqlite3_stmt *st, hl_order *o)
{
#define I64(c) sqlite3_column_int64(st, c)
#define INT(c) sqlite3_column_int(st, c)
    memset(o, 0, sizeof *o);
    o->id = I64(OC_ID);
    snprintf(o->number, sizeof o->number, "%s", (const char *)sqlite3_column_text(st, OC_NUMBER));
    o->channel = INT(OC_CHANNEL);
    o->nature = INT(OC_NATURE);
    o->urgency = INT(OC_URGENCY);
    o->line = INT(OC_LINE);
    o->created_at = I64(OC_CREATED);
    o->state = (hl_state)INT(OC_STATE);
    o->unit = I64(OC_UNIT);
    o->handler = I64(OC_HANDLER);
    o->dispatched_at = I64(OC_DISPATCHED);
    o->deadline = I64(OC_DEADLINE);
    o->pending_until = I64(OC_PENDING_UNTIL);
    o->pending_return = INT(OC_PENDING_RETURN);
    o->pending_extension = INT(OC_PENDING_EXT);
    o->replied = INT(OC_REPLIED);
    o->extension_asked = INT(OC_EXT_ASKED);
    o->reworks = INT(OC_REWORKS);
    o->reply_at = I64(OC_REPLY_AT);
    o->closed_at = I64(OC_CLOSED_AT);
    o->callbacks = INT(OC_CALLBACKS);
    o->dissatisfied_seq = I64(OC_DISSAT_SEQ);
    o->dissatisfied_at = I64(OC_DISSAT_AT);
    o->dissatisfied_open = INT(OC_DISSAT_OPEN);
    o->supervisions_open = INT(OC_SUPERVISIONS);
    o->last_at = I64(OC_LAST_AT);
    o->version = I64(OC_VERSION);
#undef I64
#undef INT
}

static void order_bind(sqlite3_stmt *st, const hl_order *o)
{
#define B(c, v) sqlite3_bind_int64(st, (c) + 1, (v))
#define OPT(c, v) sq_bind_opt(st, (c) + 1, (v))
    B(OC_ID, o->id);
    sqlite3_bind_text(st, OC_NUMBER + 1, o->number, -1, SQLITE_STATIC);
    B(OC_CHANNEL, o->channel);
    B(OC_NATURE, o->nature);
    B(OC_URGENCY, o->urgency);
    B(OC_LINE, o->line);
    B(OC_CREATED, o->created_at);
    B(OC_STATE, o->state);
    OPT(OC_UNIT, o->unit);
    OPT(OC_HANDLER, o->handler);
    OPT(OC_DISPATCHED, o->dispatched_at);
    OPT(OC_DEADLINE, o->deadline);
    OPT(OC_PENDING_UNTIL, o->pending_until);
    B(OC_PENDING_RETURN, o->pending_return);
    B(OC_PENDING_EXT, o->pending_extension);
    B(OC_REPLIED, o->replied);
    B(OC_EXT_ASKED, o->extension_asked);
    B(OC_REWORKS, o->reworks);
    OPT(OC_REPLY_AT, o->reply_at);
    OPT(OC_CLOSED_AT, o->closed_at);
    B(OC_CALLBACKS, o->callbacks);
    OPT(OC_DISSAT_SEQ, o->dissatisfied_seq);
    OPT(OC_DISSAT_AT, o->dissatisfied_at);
    B(OC_DISSAT_OPEN, o->dissatisfied_open);
    B(OC_SUPERVISIONS, o->supervisions_open);
    B(OC_LAST_AT, o->last_at);
    B(OC_VERSION, o->version);
#undef B
#undef OPT
}

hl_rc store_order_get(hl_store *s, const char *number, hl_order *o, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_ORDER_GET, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        sq_order_from_row(st, o);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return hl_fail(err, HL_ENOTFOUND, "工单 %.64s 不存在", number);
    return rc == SQLITE_ROW ? HL_OK : sq_fail(s, err, "读取工单");
}

hl_rc store_order_put(hl_store *s, hl_order *o, int is_new, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, is_new ? Q_ORDER_INSERT : Q_ORDER_UPDATE, err);
    if (!st)
        return HL_ESTORE;
    order_bind(st, o);
    if (is_new && !o->id)
        sqlite3_bind_null(st, OC_ID + 1);
    if (sq_done(s, st, err, "保存工单"))
        return err->rc;
    if (!o->id)
        o->id = sqlite3_last_insert_rowid(s->db);
    return HL_OK;
}

static hl_rc single_int(hl_store *s, sq_id id, int64_t *out, hl_err *err, const char *what)
{
    sqlite3_stmt *st = sq_stmt(s, id, err);
    if (!st)
        return HL_ESTORE;
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? HL_OK : sq_fail(s, err, what);
}

hl_rc store_order_count(hl_store *s, int64_t *n, hl_err *err)
{
    return single_int(s, Q_ORDER_COUNT, n, err, "统计工单");
}

hl_rc store_order_next_id(hl_store *s, int64_t *id, hl_err *err)
{
    return single_int(s, Q_ORDER_NEXT_ID, id, err, "读取工单编号");
}

hl_rc store_last_seq(hl_store *s, int64_t *seq, hl_err *err)
{
    return single_int(s, Q_LAST_SEQ, seq, err, "读取事件序号");
}

/* One appeal row (body, time, order) of statement st, already bound. */
static hl_rc appeal_row(hl_store *s, sqlite3_stmt *st, hl_buf *out, int64_t *at,
                        int64_t *order_id, hl_err *err)
{
    int rc = sqlite3_step(st);
    hl_rc r = HL_OK;
    if (rc == SQLITE_ROW) {
        hl_buf_reset(out);
        r = hl_buf_add(out, sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0));
        *at = sqlite3_column_int64(st, 1);
        *order_id = sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return HL_ENOTFOUND;
    if (rc != SQLITE_ROW)
        return sq_fail(s, err, "读取诉求");
    return r ? hl_fail(err, r, "诉求内容过大") : HL_OK;
}

hl_rc store_appeal_body(hl_store *s, const char *id, hl_buf *out, int64_t *at, int64_t *order_id,
                        hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_APPEAL_BODY, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return appeal_row(s, st, out, at, order_id, err);
}

hl_rc store_order_appeal(hl_store *s, int64_t order_id, hl_buf *out, int64_t *at,
                         int64_t *order_id_out, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_ORDER_APPEAL, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int64(st, 1, order_id);
    return appeal_row(s, st, out, at, order_id_out, err);
}

/* The events.result column: handling, review/callback/verify result, or
 * the decision; -1 when the op has none. */
static int event_result(const hl_event *e)
{
    switch (e->op) {
    case OP_APPEAL:
        return e->handling;
    case OP_REVIEW:
    case OP_CALLBACK:
    case OP_VERIFY:
        return e->result;
    case OP_RETURN_DECISION:
    case OP_EXTENSION_DECISION:
        return e->approved;
    default:
        return -1;
    }
}

static int64_t event_t2(const hl_event *e)
{
    return e->op == OP_DISPATCH ? e->deadline : e->op == OP_EXTENSION_REQUEST ? e->until : 0;
}

/* The parameters Q_EVENT_INSERT and Q_FACT_INSERT share (?9, the body, is
 * the events table's only). */
static void bind_event(sqlite3_stmt *st, const hl_event *e, int64_t order_id, int channel)
{
    sqlite3_bind_int64(st, 1, e->seq);
    sq_bind_opt(st, 2, order_id);
    sqlite3_bind_int(st, 3, (int)e->op);
    sqlite3_bind_int64(st, 4, e->at);
    sq_bind_opt(st, 5, e->unit);
    if (event_result(e) >= 0)
        sqlite3_bind_int(st, 6, event_result(e));
    sq_bind_opt(st, 7, event_t2(e));
    sq_bind_opt(st, 8, e->ref);
    sqlite3_bind_int(st, 10, channel);
}

hl_rc store_event_append(hl_store *s, const hl_event *e, int64_t order_id, int channel,
                         const char *body, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_EVENT_INSERT, err);
    if (!st)
        return HL_ESTORE;
    bind_event(st, e, order_id, channel);
    sqlite3_bind_text(st, 9, body, -1, SQLITE_STATIC);
    if (sq_done(s, st, err, "写入事件"))
        return err->rc;
    if ((SQ_FOLD_MASK >> e->op) & 1) {
        if (!(st = sq_stmt(s, Q_FACT_INSERT, err)))
            return HL_ESTORE;
        bind_event(st, e, order_id, channel);
        if (sq_done(s, st, err, "写入事件"))
            return err->rc;
    }
    if (e->op != OP_APPEAL)
        return HL_OK;
    st = sq_stmt(s, Q_APPEAL_INSERT, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_text(st, 1, e->appeal_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, e->seq);
    sq_bind_opt(st, 3, order_id);
    sqlite3_bind_int(st, 4, e->channel);
    sqlite3_bind_int64(st, 5, e->at);
    sqlite3_bind_int(st, 6, e->handling);
    sqlite3_bind_int(st, 7, e->line);
    if (e->source)
        sqlite3_bind_text(st, 8, e->source, -1, SQLITE_STATIC);
    if (e->category)
        sqlite3_bind_text(st, 9, e->category, -1, SQLITE_STATIC);
    sq_bind_text(st, 10, e->citizen_phone); /* the caller's history, duplicates at intake */
    if (sq_done(s, st, err, "写入诉求"))
        return err->rc;
    /* the text search of orders and appeals: content and location only
     * (never the citizen's name or phone, which a masked role could probe) */
    if (s->server_mode)
        return sq_text_stash(s, e->seq, e->content, e->location, err);
    if (!(st = sq_stmt(s, Q_APPEAL_TEXT, err)))
        return HL_ESTORE;
    sqlite3_bind_int64(st, 1, e->seq);
    sq_bind_text(st, 2, e->content);
    sq_bind_text(st, 3, e->location);
    return sq_done(s, st, err, "写入诉求检索索引");
}

hl_rc store_dispatch_deadline(hl_store *s, int64_t order_id, int64_t at, int64_t after,
                              int64_t *deadline, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_DISPATCH_DEADLINE, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int64(st, 1, order_id);
    sqlite3_bind_int64(st, 2, at);
    sqlite3_bind_int64(st, 3, after);
    int rc = sqlite3_step(st);
    *deadline = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? HL_OK : sq_fail(s, err, "查找派单");
}

hl_rc store_event_find(hl_store *s, int64_t order_id, int op, int64_t at, const char *body,
                       int64_t after, int64_t *seq, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_EVENT_FIND, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int64(st, 1, order_id);
    sqlite3_bind_int64(st, 2, at);
    sqlite3_bind_text(st, 3, body, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, after);
    sqlite3_bind_int(st, 5, op);
    int rc = sqlite3_step(st);
    *seq = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? HL_OK : sq_fail(s, err, "查找事件");
}

typedef struct {
    store_event_fn fn;
    void *arg;
} events_ctx;

static hl_rc event_row(sqlite3_stmt *st, void *arg)
{
    const events_ctx *x = arg;
    store_event_row row = {
        .seq = sqlite3_column_int64(st, 0),
        .order_id = sqlite3_column_int64(st, 1),
        .op = sqlite3_column_int(st, 2),
        .at = sqlite3_column_int64(st, 3),
        .unit = sqlite3_column_int64(st, 4),
        .ref = sqlite3_column_int64(st, 5),
        .order = (const char *)sqlite3_column_text(st, 6),
        .body = (const char *)sqlite3_column_text(st, 7),
        .result = sqlite3_column_int(st, 8),
    };
    return x->fn(&row, x->arg);
}

hl_rc store_events_each(hl_store *s, int64_t order_id, store_event_fn fn, void *arg,
                        hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, order_id ? Q_EVENTS_OF_ORDER : Q_EVENTS_ALL, err);
    events_ctx x = {fn, arg};
    if (!st)
        return HL_ESTORE;
    if (order_id)
        sqlite3_bind_int64(st, 1, order_id);
    return sq_rows(s, st, event_row, &x, err, "读取事件");
}
