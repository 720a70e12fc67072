/* sqlite_admin.c — what the server's administration pages read beyond the
 * shared statements: one year's calendar text. */
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

