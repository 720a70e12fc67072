/* sqlite_figures.c — the month's volumes and supervision counts. */
#include "sqlite_int.h"

hl_rc store_appeal_groups(hl_store *s, int channel, int64_t from, int64_t to, store_fig_by by,
                          int line, store_group_fn fn, void *arg, hl_err *err)
{
    static const sq_id q[] = {Q_FIG_CATEGORY, Q_FIG_SOURCE, Q_FIG_LINE};
    sqlite3_stmt *st = sq_stmt(s, q[by], err);
    hl_rc r = HL_OK;
    int rc;
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int(st, 1, channel);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    sqlite3_bind_int(st, 4, line);
    while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *key = by == FIG_BY_LINE
                              ? hl_enum_name(&hl_line_enum, sqlite3_column_int(st, 0))
                              : (const char *)sqlite3_column_text(st, 0);
        r = fn(key, sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
               sqlite3_column_int64(st, 3), arg);
    }
    sqlite3_reset(st);
    if (r)
        return r;
    return rc == SQLITE_DONE ? HL_OK : sq_fail(s, err, "统计诉求量");
}

hl_rc store_month_orders(hl_store *s, int channel, int64_t from, int64_t to,
                         store_month_order_fn fn, void *arg, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_FIG_ORDERS, err);
    hl_rc r = HL_OK;
    int rc;
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int(st, 1, channel);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW)
        r = fn(sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1),
               (const char *)sqlite3_column_text(st, 2), arg);
    sqlite3_reset(st);
    if (r)
        return r;
    return rc == SQLITE_DONE ? HL_OK : sq_fail(s, err, "读取当月工单");
}

hl_rc store_supervision_counts(hl_store *s, int channel, int64_t from, int64_t to, int64_t asof,
                               store_supervision *out, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_FIG_SUPERVISION, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int(st, 1, channel);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    sqlite3_bind_int64(st, 4, asof);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = (store_supervision){sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                                   sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3),
                                   sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5)};
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? HL_OK : sq_fail(s, err, "统计回访督办");
}
