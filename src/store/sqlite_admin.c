/* sqlite_admin.c — what the server's administration and report pages
 * read beyond the shared statements: one year's calendar text, one ledger
 * entry. */
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"

hl_rc store_calendar_get(hl_store *s, int year, char **text, hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(s, "SELECT text FROM calendars WHERE year = ?1", err);
    *text = NULL;
    if (!st)
        return err ? err->rc : HL_ESTORE;
    sqlite3_bind_int(st, 1, year);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *text = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return hl_fail(err, HL_ENOTFOUND, "没有 %d 年的工作日历", year);
    if (rc != SQLITE_ROW)
        return sq_fail(s, err, "读取工作日历");
    return *text ? HL_OK : hl_fail(err, HL_ENOMEM, "内存不足");
}

hl_rc store_ledger_get(hl_store *s, int64_t id, store_ledger_fn fn, void *arg, hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(
        s,
        "SELECT id, month, unit_id, points, indicator, detail, refs, status, rule, created_by, "
        "created_at, decided_by, decided_at FROM ledger WHERE id = ?1",
        err);
    if (!st)
        return err ? err->rc : HL_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? hl_fail(err, HL_ENOTFOUND, "加扣分条目 %lld 不存在", (long long)id)
                                 : sq_fail(s, err, "读取加扣分");
    }
#define TXT(i) ((const char *)sqlite3_column_text(st, i))
    store_ledger_row row = {sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1),
                            sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3),
                            TXT(4), TXT(5), TXT(6), TXT(7), TXT(8), TXT(9),
                            sqlite3_column_int64(st, 10), TXT(11),
                            sqlite3_column_int64(st, 12)};
#undef TXT
    hl_rc r = fn(&row, arg);
    sqlite3_reset(st);
    return r;
}
