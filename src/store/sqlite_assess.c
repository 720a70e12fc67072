/* sqlite_assess.c — what the assessment reads: a channel's folded facts in
 * time order, and the per unit and month counts. */
#include "sqlite_int.h"

typedef struct {
    store_fact_fn fn;
    store_counts_fn counts;
    void *arg;
} each_ctx;

static hl_rc fact_row(sqlite3_stmt *st, void *arg)
{
    const each_ctx *x = arg;
    hl_fact f = {
        .at = sqlite3_column_int64(st, 0),
        .op = sqlite3_column_int(st, 1),
        .order_id = sqlite3_column_int64(st, 2),
        .unit = sqlite3_column_int64(st, 3),
        .result = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 4),
        .t2 = sqlite3_column_int64(st, 5),
        .ref = sqlite3_column_int64(st, 6),
        .seq = sqlite3_column_int64(st, 7),
    };
    return x->fn(&f, x->arg);
}

hl_rc store_facts_each(hl_store *s, int channel, int64_t from, int64_t asof, int first_month,
                       int last_month, store_fact_fn fn, void *arg, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_SPAN_RANGE, err);
    each_ctx x = {fn, NULL, arg};
    int64_t lo, hi;
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int(st, 1, first_month);
    sqlite3_bind_int(st, 2, last_month);
    int rc = sqlite3_step(st);
    int none = rc != SQLITE_ROW || sqlite3_column_type(st, 0) == SQLITE_NULL;
    lo = none ? 0 : sqlite3_column_int64(st, 0);
    hi = none ? 0 : sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return sq_fail(s, err, "读取考核数据");
    if (none || !(st = sq_stmt(s, Q_FACTS, err)))
        return none ? HL_OK : HL_ESTORE;
    sqlite3_bind_int(st, 1, channel);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, asof);
    sqlite3_bind_int64(st, 4, lo);
    sqlite3_bind_int64(st, 5, hi);
    return sq_rows(s, st, fact_row, &x, err, "读取考核数据");
}

hl_rc store_facts_since(hl_store *s, int channel, int64_t after_seq, int64_t asof, int *any,
                        hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_FACTS_SINCE, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int64(st, 1, after_seq);
    sqlite3_bind_int(st, 2, channel);
    sqlite3_bind_int64(st, 3, asof);
    int rc = sqlite3_step(st);
    *any = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? HL_OK : sq_fail(s, err, "读取考核数据");
}

hl_rc store_span_add(hl_store *s, int month, int64_t first, int64_t last, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_SPAN_ADD, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int(st, 1, month);
    sqlite3_bind_int64(st, 2, first);
    sqlite3_bind_int64(st, 3, last);
    return sq_done(s, st, err, "记录月份范围");
}

hl_rc store_order_callbacks(hl_store *s, int64_t order_id, store_fact_fn fn, void *arg,
                            hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_ORDER_CALLBACKS, err);
    each_ctx x = {fn, NULL, arg};
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int64(st, 1, order_id);
    return sq_rows(s, st, fact_row, &x, err, "读取工单回访");
}

hl_rc store_order_facts(hl_store *s, int64_t order_id, int64_t asof, store_fact_fn fn, void *arg,
                        hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_ORDER_FACTS, err);
    each_ctx x = {fn, NULL, arg};
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int64(st, 1, order_id);
    sqlite3_bind_int64(st, 2, asof);
    sqlite3_bind_int64(st, 3, SQ_FOLD_MASK);
    return sq_rows(s, st, fact_row, &x, err, "读取工单历史");
}

hl_rc store_order_unit_at(hl_store *s, int64_t order_id, int64_t before, int64_t *unit,
                          hl_err *err)
{
    /* the snapshot answers when its assignment is older than `before` (the
     * common case: one row read); otherwise the history does */
    sqlite3_stmt *st = sq_stmt(s, Q_ORDER_ASSIGNED, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int64(st, 1, order_id);
    int found = sqlite3_step(st) == SQLITE_ROW;
    int64_t now_unit = found ? sqlite3_column_int64(st, 0) : 0,
            dispatched = found ? sqlite3_column_int64(st, 1) : 0;
    sqlite3_reset(st);
    if (now_unit && dispatched < before) {
        *unit = now_unit;
        return HL_OK;
    }
    if (!(st = sq_stmt(s, Q_ORDER_UNIT_AT, err)))
        return HL_ESTORE;
    sqlite3_bind_int64(st, 1, order_id);
    sqlite3_bind_int64(st, 2, before);
    int rc = sqlite3_step(st);
    *unit = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? HL_OK : sq_fail(s, err, "读取工单");
}

hl_rc store_unit_month_add(hl_store *s, int channel, int month, int64_t unit,
                           const hl_counts *d, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_UNIT_MONTH_ADD, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int(st, 1, channel);
    sqlite3_bind_int(st, 2, month);
    sqlite3_bind_int64(st, 3, unit);
    sqlite3_bind_int64(st, 4, d->due);
    sqlite3_bind_int64(st, 5, d->done);
    sqlite3_bind_int64(st, 6, d->on_time);
    sqlite3_bind_int64(st, 7, d->rework);
    sqlite3_bind_int64(st, 8, d->callbacks);
    sqlite3_bind_int64(st, 9, d->dissatisfied);
    sqlite3_bind_int64(st, 10, d->satisfied);
    return sq_done(s, st, err, "更新单位月度统计");
}

static hl_rc counts_row(sqlite3_stmt *st, void *arg)
{
    const each_ctx *x = arg;
    hl_counts n = {sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
                   sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4),
                   sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6),
                   sqlite3_column_int64(st, 7)};
    return x->counts(sqlite3_column_int64(st, 0), &n, x->arg);
}

hl_rc store_unit_month_each(hl_store *s, int channel, int month, store_counts_fn fn, void *arg,
                            hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_UNIT_MONTH_GET, err);
    each_ctx x = {NULL, fn, arg};
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int(st, 1, channel);
    sqlite3_bind_int(st, 2, month);
    return sq_rows(s, st, counts_row, &x, err, "读取单位月度统计");
}
