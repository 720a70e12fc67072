/* sqlite_figures.c — the month's volumes and supervision counts. */
#include "sqlite_int.h"

typedef struct {
    store_group_fn group;
    store_month_order_fn order;
    void *arg;
    store_fig_by by;
} fig_ctx;

static hl_rc group_row(sqlite3_stmt *st, void *arg)
{
    const fig_ctx *x = arg;
    const char *key = x->by == FIG_BY_LINE
                          ? hl_enum_name(&hl_line_enum, sqlite3_column_int(st, 0))
                          : (const char *)sqlite3_column_text(st, 0);
    return x->group(key, sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
                    sqlite3_column_int64(st, 3), x->arg);
}

/* The statement q for a channel's month [from, to), bound. */
static sqlite3_stmt *month_stmt(hl_store *s, sq_id q, int channel, int64_t from, int64_t to,
                                hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, q, err);
    if (st) {
        sqlite3_bind_int(st, 1, channel);
        sqlite3_bind_int64(st, 2, from);
        sqlite3_bind_int64(st, 3, to);
    }
    return st;
}

hl_rc store_appeal_groups(hl_store *s, int channel, int64_t from, int64_t to, store_fig_by by,
                          int line, store_group_fn fn, void *arg, hl_err *err)
{
    static const sq_id q[] = {Q_FIG_CATEGORY, Q_FIG_SOURCE, Q_FIG_LINE};
    sqlite3_stmt *st = month_stmt(s, q[by], channel, from, to, err);
    fig_ctx x = {fn, NULL, arg, by};
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int(st, 4, line);
    return sq_rows(s, st, group_row, &x, err, "统计诉求量");
}

static hl_rc order_row(sqlite3_stmt *st, void *arg)
{
    const fig_ctx *x = arg;
    return x->order(sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1),
                    (const char *)sqlite3_column_text(st, 2), x->arg);
}

hl_rc store_month_orders(hl_store *s, int channel, int64_t from, int64_t to,
                         store_month_order_fn fn, void *arg, hl_err *err)
{
    sqlite3_stmt *st = month_stmt(s, Q_FIG_ORDERS, channel, from, to, err);
    fig_ctx x = {NULL, fn, arg, FIG_BY_CATEGORY};
    return st ? sq_rows(s, st, order_row, &x, err, "读取当月工单") : HL_ESTORE;
}

hl_rc store_supervision_counts(hl_store *s, int channel, int64_t from, int64_t to, int64_t asof,
                               store_supervision *out, hl_err *err)
{
    sqlite3_stmt *st = month_stmt(s, Q_FIG_SUPERVISION, channel, from, to, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int64(st, 4, asof);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = (store_supervision){sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                                   sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3),
                                   sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5)};
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? HL_OK : sq_fail(s, err, "统计回访督办");
}
