/* sqlite_ledger.c — the bonus/deduction ledger. */
#include <stdio.h>

#include "sqlite_int.h"

hl_rc store_order_number(hl_store *s, int64_t order_id, char *out, size_t size, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_ORDER_NUMBER, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int64(st, 1, order_id);
    int rc = sqlite3_step(st);
    snprintf(out, size, "%s", rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "");
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? HL_OK : sq_fail(s, err, "读取工单");
}

hl_rc store_ledger_clear_proposed(hl_store *s, int month, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_LEDGER_CLEAR, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int(st, 1, month);
    return sq_done(s, st, err, "清除待确认的加扣分");
}

hl_rc store_ledger_add(hl_store *s, const store_ledger_row *r, int64_t *id, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_LEDGER_ADD, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int(st, 1, r->month);
    sqlite3_bind_int64(st, 2, r->unit);
    sqlite3_bind_int64(st, 3, r->points);
    sq_bind_text(st, 4, r->indicator);
    sq_bind_text(st, 5, r->detail);
    sq_bind_text(st, 6, r->refs ? r->refs : "");
    sq_bind_text(st, 7, r->status);
    sq_bind_text(st, 8, r->rule);
    sq_bind_text(st, 9, r->created_by);
    sqlite3_bind_int64(st, 10, r->created_at);
    if (sq_done(s, st, err, "添加加扣分"))
        return err->rc;
    *id = sqlite3_changes(s->db) ? sqlite3_last_insert_rowid(s->db) : 0;
    return HL_OK;
}

hl_rc store_ledger_decide(hl_store *s, int64_t id, const char *status, const char *by,
                          int64_t at, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_LEDGER_DECIDE, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    sq_bind_text(st, 2, status);
    sq_bind_text(st, 3, by);
    sqlite3_bind_int64(st, 4, at);
    if (sq_done(s, st, err, "确认加扣分"))
        return err->rc;
    if (!sqlite3_changes(s->db))
        return hl_fail(err, HL_ENOTFOUND, "加扣分条目 %lld 不存在或已确认/作废", (long long)id);
    return HL_OK;
}

typedef struct {
    store_ledger_fn fn;
    void *arg;
    int n;
} ledger_ctx;

static hl_rc ledger_row(sqlite3_stmt *st, void *arg)
{
    ledger_ctx *x = arg;
    x->n++;
#define TXT(i) ((const char *)sqlite3_column_text(st, i))
    store_ledger_row row = {sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1),
                            sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3),
                            TXT(4), TXT(5), TXT(6), TXT(7), TXT(8), TXT(9),
                            sqlite3_column_int64(st, 10), TXT(11),
                            sqlite3_column_int64(st, 12)};
#undef TXT
    return x->fn(&row, x->arg);
}

hl_rc store_ledger_each(hl_store *s, int month, store_ledger_fn fn, void *arg, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_LEDGER_MONTH, err);
    ledger_ctx x = {fn, arg, 0};
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int(st, 1, month);
    return sq_rows(s, st, ledger_row, &x, err, "读取加扣分");
}

hl_rc store_ledger_get(hl_store *s, int64_t id, store_ledger_fn fn, void *arg, hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(
        s,
        "SELECT id, month, unit_id, points, indicator, detail, refs, status, rule, created_by, "
        "created_at, decided_by, decided_at FROM ledger WHERE id = ?1",
        err);
    ledger_ctx x = {fn, arg, 0};
    if (!st)
        return err ? err->rc : HL_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    hl_rc rc = sq_rows(s, st, ledger_row, &x, err, "读取加扣分");
    if (!rc && !x.n)
        return hl_fail(err, HL_ENOTFOUND, "加扣分条目 %lld 不存在", (long long)id);
    return rc;
}
