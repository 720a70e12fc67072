/* sqlite_orders.c — what the server lists: orders by queue and filter, a
 * caller's history, public letters.  Filters build their WHERE clause from
 * fixed fragments with numbered parameters (never from input text), so the
 * same filter shape reuses one cached statement. */
#include <stdio.h>
#include <string.h>

#include "sqlite_int.h"

/* Parameter numbers of the order filter fragments. */
enum { P_SCOPE = 1, P_CHANNEL, P_CATEGORY, P_TEXT, P_PHONE, P_NUMBER, P_FROM, P_TO, P_OVERDUE,
       P_LIMIT, P_OFFSET };

static hl_rc add(hl_buf *b, const char *s, hl_err *err)
{
    return hl_buf_adds(b, s) ? hl_fail(err, HL_ENOMEM, "内存不足") : HL_OK;
}

/* " AND <col> IN (states…)" for the wanted states, or nothing.  One state
 * is an equality, so that an index on (state, deadline) also gives the
 * order. */
static hl_rc states_in(hl_buf *b, const char *col, unsigned states, hl_err *err)
{
    if (!states)
        return HL_OK;
    hl_rc rc = hl_buf_printf(b, " AND %s IN (", col) ? HL_ENOMEM : HL_OK;
    for (int i = 0, n = 0; !rc && i < ST__COUNT; i++)
        if (states >> i & 1)
            rc = hl_buf_printf(b, "%s%d", n++ ? "," : "", i);
    if (!rc)
        rc = hl_buf_addc(b, ')');
    return rc ? hl_fail(err, HL_ENOMEM, "内存不足") : HL_OK;
}

/* The ids and deadlines of a unit scope's orders (assignee or sub-dispatch
 * holder among ?1) in the wanted states: two disjoint searches of covering
 * indexes — orders_by_unit, and orders_by_handler, which holds only orders
 * passed down (holder ≠ assignee) — instead of an OR that makes SQLite scan
 * every order of those states.  Disjoint, so UNION ALL: no temp b-tree. */
static hl_rc scope_ids(hl_buf *b, unsigned states, hl_err *err)
{
    hl_rc rc = add(b, "SELECT id, deadline FROM orders WHERE unit_id IN"
                      " (SELECT value FROM json_each(?1))", err);
    if (!rc)
        rc = states_in(b, "state", states, err);
    if (!rc)
        rc = add(b, " UNION ALL SELECT id, deadline FROM orders WHERE handler_id <> unit_id"
                    " AND handler_id IN (SELECT value FROM json_each(?1))"
                    " AND unit_id NOT IN (SELECT value FROM json_each(?1))", err);
    return rc ? rc : states_in(b, "state", states, err);
}

static hl_rc scope_where(hl_buf *b, unsigned states, hl_err *err)
{
    hl_rc rc = add(b, " AND o.id IN (SELECT id FROM (", err);
    if (!rc)
        rc = scope_ids(b, states, err);
    return rc ? rc : add(b, "))", err);
}

/* A unit's inbox: nothing but a scope and states.  Counted and sorted on
 * the indexes alone; only the page's rows are read. */
static int scope_only(const store_order_filter *f)
{
    return f->scope && !f->category && !f->text && !f->phone && !f->number && !f->from &&
           !f->to && !f->overdue_at && !f->pending && !f->callback_due &&
           !f->dissatisfied_open && !f->supervision_open && f->channel < 0;
}

/* The queue whose partial index answers f, if any.  Named explicitly: the
 * planner (no statistics) would rather search orders_by_state for
 * "state = 4" than the small partial index, and then sort thousands of
 * rows per page. */
static const char *queue_index(const store_order_filter *f)
{
    if (f->scope)
        return NULL;
    return f->callback_due        ? "orders_callback_due"
           : f->pending           ? "orders_pending"
           : f->dissatisfied_open ? "orders_dissatisfied"
           : f->supervision_open  ? "orders_supervised"
                                  : NULL;
}

/* " FROM orders o [INDEXED BY …] [JOIN appeals a …]".  Orders lead (CROSS
 * JOIN fixes the order of the loops), so that a page walks orders_by_deadline
 * and stops at its last row; left to itself the planner led with the
 * appeals and sorted every order.  A text or phone filter leads with the
 * few appeals it matches instead (appeals_by_seq, appeals_by_phone). */
static hl_rc from_clause(const store_order_filter *f, int with_appeal, hl_buf *b, hl_err *err)
{
    const char *ix = queue_index(f);
    hl_rc rc = add(b, " FROM orders o", err);
    if (!rc && ix)
        rc = hl_buf_printf(b, " INDEXED BY %s", ix) ? hl_fail(err, HL_ENOMEM, "内存不足") : HL_OK;
    if (!rc && with_appeal)
        rc = add(b, f->text || f->phone ? " JOIN" : " CROSS JOIN", err);
    if (!rc && with_appeal)
        rc = add(b, " appeals a ON a.order_id = o.id AND a.handling = 1", err);
    return rc;
}

/* Filters on the appeal need its row; the others only the order's. */
static int needs_appeal(const store_order_filter *f)
{
    return f->category || f->text || f->phone;
}

static hl_rc order_where(const store_order_filter *f, hl_buf *b, hl_err *err)
{
    hl_rc rc = add(b, " WHERE 1", err);
    /* with a scope the states go inside it, so that SQLite drives the
     * query from the scope's short list rather than from every order in
     * those states */
    if (!rc && f->scope)
        rc = scope_where(b, f->states, err);
    else if (!rc)
        rc = states_in(b, "o.state", f->states, err);
    /* each filter given adds its fragment */
    const struct {
        int on;
        const char *sql;
    } frags[] = {
        {f->category != NULL,
         " AND (a.category = ?3 OR substr(a.category, 1, length(?3) + 3) = ?3 || ' › ')"},
        /* the bigram index of content and location (an FTS5 expression,
         * text/query.c); it never holds the citizen's name or phone */
        {f->text != NULL, " AND a.seq IN (" SQ_APPEALS_MATCHING("?4") ")"},
        {f->phone != NULL, " AND a.phone = ?5"},
        {f->number != NULL, " AND substr(o.number, 1, length(?6)) = ?6"},
        {f->from != 0, " AND o.created_at >= ?7"},
        {f->to != 0, " AND o.created_at < ?8"},
        {f->overdue_at != 0, " AND o.state IN (1, 2) AND o.deadline < ?9"},
        {f->pending, " AND (o.pending_return OR o.pending_extension)"},
        {f->callback_due, " AND o.state = 4 AND o.callbacks = 0"},
        {f->dissatisfied_open, " AND o.dissatisfied_open = 1"},
        {f->supervision_open, " AND o.supervisions_open > 0"},
    };
    for (size_t i = 0; !rc && i < sizeof frags / sizeof frags[0]; i++)
        if (frags[i].on)
            rc = add(b, frags[i].sql, err);
    if (!rc && f->channel >= 0)
        rc = add(b, " AND o.channel = ?2", err);
    return rc;
}

static hl_rc bind_filter(sqlite3_stmt *st, const store_order_filter *f, hl_buf *scope,
                         hl_err *err)
{
    if (f->scope) {
        hl_buf_reset(scope);
        hl_rc rc = hl_buf_addc(scope, '[');
        for (size_t i = 0; !rc && i < f->n_scope; i++)
            rc = hl_buf_printf(scope, "%s%lld", i ? "," : "", (long long)f->scope[i]);
        if (rc || hl_buf_addc(scope, ']'))
            return hl_fail(err, HL_ENOMEM, "内存不足");
        sqlite3_bind_text(st, P_SCOPE, hl_buf_str(scope), -1, SQLITE_STATIC);
    }
    sqlite3_bind_int(st, P_CHANNEL, f->channel);
    sq_bind_text(st, P_CATEGORY, f->category);
    sq_bind_text(st, P_TEXT, f->text);
    sq_bind_text(st, P_PHONE, f->phone);
    sq_bind_text(st, P_NUMBER, f->number);
    sqlite3_bind_int64(st, P_FROM, f->from);
    sqlite3_bind_int64(st, P_TO, f->to);
    sqlite3_bind_int64(st, P_OVERDUE, f->overdue_at);
    return HL_OK;
}

static hl_rc order_count(hl_store *s, const store_order_filter *f, const char *where,
                         hl_buf *scope, int64_t *total, hl_err *err)
{
    hl_buf q;
    hl_buf_init(&q, 1 << 14);
    hl_rc rc;
    if (scope_only(f)) {
        rc = add(&q, "SELECT count(*) FROM (", err);
        if (!rc)
            rc = scope_ids(&q, f->states, err);
        if (!rc)
            rc = add(&q, ")", err);
    } else {
        rc = add(&q, "SELECT count(*)", err);
        if (!rc)
            rc = from_clause(f, needs_appeal(f), &q, err);
        if (!rc)
            rc = add(&q, where, err);
    }
    sqlite3_stmt *st = rc ? NULL : sq_prepare_cached(s, hl_buf_str(&q), err);
    hl_buf_free(&q);
    if (!st)
        return err->rc;
    if (bind_filter(st, f, scope, err))
        return err->rc;
    int r = sqlite3_step(st);
    *total = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return r == SQLITE_ROW ? HL_OK : sq_fail(s, err, "统计工单");
}

/* Orders not yet dispatched (no deadline) come first, then by deadline,
 * then in arrival order: the order of index (state, deadline). */
#define PAGE_ORDER " ORDER BY o.deadline, o.id"
#define PAGE_COLS                                                                        \
    "SELECT " SQ_ORDER_COLS ", a.id, a.category, a.source, "                             \
    "(SELECT e.body FROM events e WHERE e.seq = a.seq)"

static hl_rc page_query(const store_order_filter *f, const char *where, hl_buf *q, hl_err *err)
{
    if (!scope_only(f)) {
        hl_rc rc = add(q, PAGE_COLS, err);
        if (!rc)
            rc = from_clause(f, 1, q, err);
        if (!rc)
            rc = add(q, where, err);
        return rc ? rc : add(q, PAGE_ORDER " LIMIT ?10 OFFSET ?11", err);
    }
    hl_rc rc = add(q, PAGE_COLS " FROM (", err);
    if (!rc)
        rc = scope_ids(q, f->states, err);
    if (!rc)
        rc = add(q, " ORDER BY deadline, id LIMIT ?10 OFFSET ?11) s JOIN orders o ON o.id = s.id"
                    " JOIN appeals a ON a.order_id = o.id AND a.handling = 1" PAGE_ORDER, err);
    return rc;
}

hl_rc store_orders_page(hl_store *s, const store_order_filter *f, int64_t *total,
                        store_order_item_fn fn, void *arg, hl_err *err)
{
    hl_buf where, q, scope;
    hl_buf_init(&where, 1 << 14);
    hl_buf_init(&q, 1 << 14);
    hl_buf_init(&scope, 1 << 20);
    sqlite3_stmt *st = NULL;
    hl_rc rc = order_where(f, &where, err);
    if (!rc)
        rc = order_count(s, f, hl_buf_str(&where), &scope, total, err);
    if (!rc)
        rc = page_query(f, hl_buf_str(&where), &q, err);
    if (!rc && !(st = sq_prepare_cached(s, hl_buf_str(&q), err)))
        rc = err->rc;
    if (!rc)
        rc = bind_filter(st, f, &scope, err);
    if (!rc) {
        sqlite3_bind_int64(st, P_LIMIT, f->limit);
        sqlite3_bind_int64(st, P_OFFSET, f->offset);
        int r;
        while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
            hl_order o;
            sq_order_from_row(st, &o);
            store_order_item it = {
                .o = &o,
                .appeal_id = (const char *)sqlite3_column_text(st, SQ_ORDER_NCOLS),
                .category = (const char *)sqlite3_column_text(st, SQ_ORDER_NCOLS + 1),
                .source = (const char *)sqlite3_column_text(st, SQ_ORDER_NCOLS + 2),
                .body = (const char *)sqlite3_column_text(st, SQ_ORDER_NCOLS + 3),
            };
            rc = fn(&it, arg);
        }
        if (!rc && r != SQLITE_DONE)
            rc = sq_fail(s, err, "读取工单列表");
        sqlite3_reset(st);
    }
    hl_buf_free(&where);
    hl_buf_free(&q);
    hl_buf_free(&scope);
    return rc;
}

hl_rc store_order_by_id(hl_store *s, int64_t id, hl_order *o, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_ORDER_BY_ID, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        sq_order_from_row(st, o);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return hl_fail(err, HL_ENOTFOUND, "工单不存在");
    return rc == SQLITE_ROW ? HL_OK : sq_fail(s, err, "读取工单");
}

#define PHONE_FROM " FROM appeals a LEFT JOIN orders o ON o.id = a.order_id WHERE a.phone = ?1"

hl_rc store_appeals_by_phone(hl_store *s, const char *phone, int64_t offset, int64_t limit,
                             int64_t *total, store_appeal_fn fn, void *arg, hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(s, "SELECT count(*)" PHONE_FROM, err);
    if (!st)
        return err->rc;
    sq_bind_text(st, 1, phone);
    int r = sqlite3_step(st);
    *total = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (r != SQLITE_ROW)
        return sq_fail(s, err, "读取来电历史");
    st = sq_prepare_cached(s,
                           "SELECT a.id, coalesce(o.number, ''), coalesce(a.category, ''), "
                           "(SELECT e.body FROM events e WHERE e.seq = a.seq), a.received_at, "
                           "a.channel, a.handling, coalesce(o.state, -1)" PHONE_FROM
                           " ORDER BY a.received_at DESC LIMIT ?2 OFFSET ?3",
                           err);
    if (!st)
        return err->rc;
    sq_bind_text(st, 1, phone);
    sqlite3_bind_int64(st, 2, limit);
    sqlite3_bind_int64(st, 3, offset);
    hl_rc rc = HL_OK;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
        store_appeal_item a = {
            .appeal_id = (const char *)sqlite3_column_text(st, 0),
            .order_number = (const char *)sqlite3_column_text(st, 1),
            .category = (const char *)sqlite3_column_text(st, 2),
            .body = (const char *)sqlite3_column_text(st, 3),
            .at = sqlite3_column_int64(st, 4),
            .channel = sqlite3_column_int(st, 5),
            .handling = sqlite3_column_int(st, 6),
            .state = sqlite3_column_int(st, 7),
        };
        rc = fn(&a, arg);
    }
    if (!rc && r != SQLITE_DONE)
        rc = sq_fail(s, err, "读取来电历史");
    sqlite3_reset(st);
    return rc;
}

hl_rc store_letter_put(hl_store *s, const store_letter *l, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_LETTER_PUT, err);
    if (!st)
        return HL_ESTORE;
    sq_bind_text(st, 1, l->code);
    sq_bind_text(st, 2, l->appeal_id);
    sq_bind_text(st, 3, l->kind);
    sq_bind_text(st, 4, l->service_code);
    sqlite3_bind_int64(st, 5, l->created_at);
    if (l->has_position) {
        sqlite3_bind_double(st, 6, l->lat);
        sqlite3_bind_double(st, 7, l->lon);
    }
    sq_bind_text(st, 8, l->address);
    return sq_done(s, st, err, "保存来信");
}

#define LETTER_COLS                                                                       \
    "SELECT l.code, l.appeal_id, l.kind, l.service_code, l.created_at, l.lat, l.lon, "    \
    "l.address, coalesce(o.number, '') FROM letters l JOIN appeals a ON a.id = l.appeal_id " \
    "LEFT JOIN orders o ON o.id = a.order_id "

static hl_rc letter_rows(hl_store *s, sqlite3_stmt *st, store_letter_fn fn, void *arg,
                         int *n, hl_err *err)
{
    int r;
    hl_rc rc = HL_OK;
    *n = 0;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
        store_letter l = {
            .code = (const char *)sqlite3_column_text(st, 0),
            .appeal_id = (const char *)sqlite3_column_text(st, 1),
            .kind = (const char *)sqlite3_column_text(st, 2),
            .service_code = (const char *)sqlite3_column_text(st, 3),
            .created_at = sqlite3_column_int64(st, 4),
            .has_position = sqlite3_column_type(st, 5) != SQLITE_NULL,
            .lat = sqlite3_column_double(st, 5),
            .lon = sqlite3_column_double(st, 6),
            .address = (const char *)sqlite3_column_text(st, 7),
        };
        (*n)++;
        rc = fn(&l, (const char *)sqlite3_column_text(st, 8), arg);
    }
    if (!rc && r != SQLITE_DONE)
        rc = sq_fail(s, err, "读取来信");
    sqlite3_reset(st);
    return rc;
}

hl_rc store_letter_get(hl_store *s, const char *code, store_letter_fn fn, void *arg,
                       hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(s, LETTER_COLS "WHERE l.code = ?1", err);
    int n;
    if (!st)
        return err->rc;
    sq_bind_text(st, 1, code);
    hl_rc rc = letter_rows(s, st, fn, arg, &n, err);
    if (!rc && !n)
        return hl_fail(err, HL_ENOTFOUND, "查询码不存在");
    return rc;
}

hl_rc store_letters_page(hl_store *s, const store_letter_filter *f, store_letter_fn fn,
                         void *arg, hl_err *err)
{
    hl_buf codes;
    hl_buf_init(&codes, 1 << 16);
    hl_rc rc = hl_buf_addc(&codes, '[');
    for (size_t i = 0; !rc && i < f->n_codes; i++)
        rc = hl_buf_printf(&codes, "%s", i ? "," : "") || hl_buf_add_json_str(&codes, f->codes[i]);
    if (rc || hl_buf_addc(&codes, ']')) {
        hl_buf_free(&codes);
        return hl_fail(err, HL_ENOMEM, "内存不足");
    }
    sqlite3_stmt *st = sq_prepare_cached(
        s,
        LETTER_COLS "WHERE l.kind = ?1 AND (?2 IS NULL OR l.service_code = ?2)"
                    " AND (?3 = 0 OR l.created_at >= ?3) AND (?4 = 0 OR l.created_at < ?4)"
                    " AND (?5 = '[]' OR l.code IN (SELECT value FROM json_each(?5)))"
                    " ORDER BY l.created_at DESC, l.code LIMIT ?6 OFFSET ?7",
        err);
    int n;
    if (st) {
        sq_bind_text(st, 1, f->kind);
        sq_bind_text(st, 2, f->service_code);
        sqlite3_bind_int64(st, 3, f->from);
        sqlite3_bind_int64(st, 4, f->to);
        sqlite3_bind_text(st, 5, hl_buf_str(&codes), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, f->limit);
        sqlite3_bind_int64(st, 7, f->offset);
        rc = letter_rows(s, st, fn, arg, &n, err);
    } else {
        rc = err->rc;
    }
    hl_buf_free(&codes);
    return rc;
}
