/* sqlite_bulletin.c — the bulletin's manager-written sections, versioned:
 * a save never overwrites, it adds (month, section, version + 1). */
#include "sqlite_int.h"

typedef struct {
    store_section_fn fn;
    void *arg;
} section_ctx;

static hl_rc section_row(sqlite3_stmt *st, void *arg)
{
    const section_ctx *x = arg;
    store_section r = {sqlite3_column_int(st, 0), sqlite3_column_int(st, 1),
                       sqlite3_column_int64(st, 2), (const char *)sqlite3_column_text(st, 3),
                       (const char *)sqlite3_column_text(st, 4), sqlite3_column_int64(st, 5)};
    return x->fn(&r, x->arg);
}

#define SECTION_COLS "SELECT month, section, version, text, author, at FROM bulletin_sections "

hl_rc store_section_put(hl_store *s, int month, int section, int64_t base, const char *text,
                        const char *author, int64_t at, int64_t *version, hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(
        s, "SELECT coalesce(max(version), 0) FROM bulletin_sections WHERE month = ?1 AND section = ?2",
        err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int(st, 1, month);
    sqlite3_bind_int(st, 2, section);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return sq_fail(s, err, "读取通报段落");
    }
    int64_t latest = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (latest != base)
        return hl_fail(err, HL_ECONFLICT, "该段落已被他人修改（当前版本 %lld），请刷新后再保存",
                       (long long)latest);
    st = sq_prepare_cached(s, "INSERT INTO bulletin_sections(month, section, version, text, author, at) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int(st, 1, month);
    sqlite3_bind_int(st, 2, section);
    sqlite3_bind_int64(st, 3, latest + 1);
    sq_bind_text(st, 4, text);
    sq_bind_text(st, 5, author);
    sqlite3_bind_int64(st, 6, at);
    *version = latest + 1;
    return sq_done(s, st, err, "保存通报段落");
}

hl_rc store_sections_latest(hl_store *s, int month, store_section_fn fn, void *arg, hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(
        s, SECTION_COLS "b WHERE month = ?1 AND version = (SELECT max(version) FROM "
                        "bulletin_sections WHERE month = b.month AND section = b.section) ORDER BY section",
        err);
    section_ctx x = {fn, arg};
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int(st, 1, month);
    return sq_rows(s, st, section_row, &x, err, "读取通报段落");
}

hl_rc store_section_history(hl_store *s, int month, int section, store_section_fn fn, void *arg,
                            hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(
        s, SECTION_COLS "WHERE month = ?1 AND section = ?2 ORDER BY version DESC", err);
    section_ctx x = {fn, arg};
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int(st, 1, month);
    sqlite3_bind_int(st, 2, section);
    return sq_rows(s, st, section_row, &x, err, "读取通报段落");
}
