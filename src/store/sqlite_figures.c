/* sqlite_figures.c — the month's volumes and supervision counts. */
#include <string.h>

#include "sqlite_int.h"

typedef struct {
    store_volume_fn appeal;
    void *arg;
} fig_ctx;

static hl_rc volume_row(sqlite3_stmt *st, void *arg)
{
    const fig_ctx *x = arg;
    return x->appeal(sqlite3_column_int(st, 0), (const char *)sqlite3_column_text(st, 1),
                     (const char *)sqlite3_column_text(st, 2), sqlite3_column_int(st, 3),
                     sqlite3_column_int64(st, 4), x->arg);
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

hl_rc store_appeal_volumes(hl_store *s, int channel, int month, store_volume_fn fn, void *arg,
                           hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_FIG_VOLUMES, err);
    fig_ctx x = {fn, arg};
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int(st, 1, channel);
    sqlite3_bind_int(st, 2, month);
    return sq_rows(s, st, volume_row, &x, err, "统计诉求量");
}

hl_rc store_volume_add(hl_store *s, int channel, int month, int line, int handling,
                       const char *source, const char *top_category, int64_t n, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_VOLUME_ADD, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int(st, 1, channel);
    sqlite3_bind_int(st, 2, month);
    sqlite3_bind_int(st, 3, line);
    sqlite3_bind_int(st, 4, handling);
    sqlite3_bind_text(st, 5, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, top_category, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, n);
    return sq_done(s, st, err, "更新月度诉求量");
}

typedef struct {
    hl_store *s;
    sqlite3_stmt *order; /* an appeal's order_id by its id */
    const char *const *sources;
    size_t n;
    store_month_order_fn fn;
    void *arg;
    hl_err *err;
} orders_ctx;

/* An order of a special line or from one of the sources: its order_id
 * read by the appeal's id, then handed to fn. */
static hl_rc order_row(sqlite3_stmt *st, void *arg)
{
    const orders_ctx *x = arg;
    int line = sqlite3_column_int(st, 1), wanted = line != LINE_GENERAL;
    const char *source = (const char *)sqlite3_column_text(st, 2);
    for (size_t i = 0; i < x->n && !wanted; i++)
        wanted = strcmp(source, x->sources[i]) == 0;
    if (!wanted)
        return HL_OK;
    sqlite3_bind_value(x->order, 1, sqlite3_column_value(st, 0));
    int rc = sqlite3_step(x->order);
    int64_t order_id = rc == SQLITE_ROW ? sqlite3_column_int64(x->order, 0) : 0;
    sqlite3_reset(x->order);
    if (rc != SQLITE_ROW)
        return sq_fail(x->s, x->err, "读取当月工单");
    return x->fn(order_id, line, source, x->arg);
}

static hl_rc special_row(sqlite3_stmt *st, void *arg)
{
    const orders_ctx *x = arg;
    return x->fn(sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1),
                 (const char *)sqlite3_column_text(st, 2), x->arg);
}

hl_rc store_month_orders(hl_store *s, int channel, int64_t from, int64_t to,
                         const char *const *sources, size_t n, store_month_order_fn fn, void *arg,
                         hl_err *err)
{
    orders_ctx x = {s, NULL, sources, n, fn, arg, err};
    sqlite3_stmt *st;
    if (!n) {
        st = month_stmt(s, Q_FIG_SPECIAL, channel, from, to, err);
        return st ? sq_rows(s, st, special_row, &x, err, "读取当月工单") : HL_ESTORE;
    }
    x.order = sq_prepare_cached(s, "SELECT order_id FROM appeals WHERE id = ?1", err);
    st = x.order ? month_stmt(s, Q_FIG_ORDERS, channel, from, to, err) : NULL;
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
