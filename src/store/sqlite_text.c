/* sqlite_text.c — what 智能派单 keeps and reads: the trained models, the
 * training texts (appeals by category, orders by unit) and the recent
 * appeals a new one may repeat. */
#include <string.h>

#include "sqlite_int.h"

hl_rc store_text_model_put(hl_store *s, const char *name, int64_t trained_at, int64_t docs,
                           const void *data, size_t len, hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(
        s, "INSERT OR REPLACE INTO text_models(name, trained_at, docs, model) VALUES (?1, ?2, ?3, ?4)",
        err);
    if (!st)
        return err->rc;
    sq_bind_text(st, 1, name);
    sqlite3_bind_int64(st, 2, trained_at);
    sqlite3_bind_int64(st, 3, docs);
    sqlite3_bind_blob64(st, 4, data, len, SQLITE_STATIC); /* borrowed for the step */
    return sq_done(s, st, err, "保存分类模型");
}

hl_rc store_text_model_time(hl_store *s, const char *name, int64_t *trained_at, hl_err *err)
{
    sqlite3_stmt *st =
        sq_prepare_cached(s, "SELECT trained_at FROM text_models WHERE name = ?1", err);
    if (!st)
        return err->rc;
    sq_bind_text(st, 1, name);
    int r = sqlite3_step(st);
    *trained_at = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return r == SQLITE_ROW || r == SQLITE_DONE ? HL_OK : sq_fail(s, err, "读取分类模型");
}

hl_rc store_text_model_get(hl_store *s, const char *name, hl_buf *out, int64_t *trained_at,
                           hl_err *err)
{
    sqlite3_stmt *st =
        sq_prepare_cached(s, "SELECT trained_at, model FROM text_models WHERE name = ?1", err);
    if (!st)
        return err->rc;
    sq_bind_text(st, 1, name);
    int r = sqlite3_step(st);
    hl_rc rc = HL_OK;
    if (r == SQLITE_ROW) {
        *trained_at = sqlite3_column_int64(st, 0);
        if (hl_buf_add(out, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1)))
            rc = hl_fail(err, HL_ENOMEM, "内存不足");
    } else {
        rc = r == SQLITE_DONE ? hl_fail(err, HL_ENOTFOUND, "尚未训练分类模型 %s", name)
                              : sq_fail(s, err, "读取分类模型");
    }
    sqlite3_reset(st);
    return rc;
}

/* The training texts: the appeal's content and location from its intake
 * event; categories from the appeals, units from the orders holding one
 * that no return is pending for. */
#define DOC_TEXT                                                                          \
    "json_extract('{' || e.body || '}', '$.content'), "                                   \
    "coalesce(json_extract('{' || e.body || '}', '$.location'), '')"
static const char *const docs_sql[2] = {
    "SELECT " DOC_TEXT ", a.category FROM appeals a JOIN events e ON e.seq = a.seq"
    " WHERE a.category IS NOT NULL AND a.category <> '' ORDER BY a.seq",
    "SELECT " DOC_TEXT ", u.code FROM orders o JOIN appeals a ON a.order_id = o.id"
    " AND a.handling = 1"
    " JOIN events e ON e.seq = a.seq JOIN units u ON u.id = o.unit_id"
    " WHERE o.pending_return = 0 ORDER BY a.seq",
};

typedef struct {
    store_text_doc_fn fn;
    void *arg;
} doc_cb;

static hl_rc doc_row(sqlite3_stmt *st, void *arg)
{
    doc_cb *c = arg;
    store_text_doc d = {(const char *)sqlite3_column_text(st, 0),
                        (const char *)sqlite3_column_text(st, 1),
                        (const char *)sqlite3_column_text(st, 2)};
    return d.content && d.label ? c->fn(&d, c->arg) : HL_OK;
}

hl_rc store_text_docs(hl_store *s, int units, store_text_doc_fn fn, void *arg, hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(s, docs_sql[units ? 1 : 0], err);
    doc_cb c = {fn, arg};
    return st ? sq_rows(s, st, doc_row, &c, err, "读取训练文本") : err->rc;
}

/* A row of store_text_recent and store_text_window: appeal id, order
 * number, content, location, received_at, same phone, unit code. */
typedef struct {
    store_text_recent_fn fn;
    void *arg;
} recent_cb;

static hl_rc recent_row(sqlite3_stmt *st, void *arg)
{
    recent_cb *c = arg;
    store_text_recent_item it = {
        (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
        (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
        sqlite3_column_int64(st, 4), sqlite3_column_int(st, 5),
        (const char *)sqlite3_column_text(st, 6)};
    return c->fn(&it, c->arg);
}

hl_rc store_text_recent(hl_store *s, const char *phone, const char *location_match, int64_t since,
                        int64_t limit, store_text_recent_fn fn, void *arg, hl_err *err)
{
    /* newest first: the same caller, or the same place (an FTS5 expression
     * over the location column) */
    sqlite3_stmt *st = sq_prepare_cached(
        s,
        "SELECT a.id, coalesce(o.number, ''), " DOC_TEXT ", a.received_at,"
        " (?1 IS NOT NULL AND a.phone = ?1), NULL FROM appeals a JOIN events e ON e.seq = a.seq"
        " LEFT JOIN orders o ON o.id = a.order_id"
        " WHERE a.received_at >= ?3 AND ((?1 IS NOT NULL AND a.phone = ?1) OR (?2 IS NOT NULL AND"
        " a.seq IN (" SQ_APPEALS_MATCHING("?2") ")))"
        " ORDER BY a.received_at DESC LIMIT ?4",
        err);
    if (!st)
        return err->rc;
    sq_bind_text(st, 1, phone);
    sq_bind_text(st, 2, location_match);
    sqlite3_bind_int64(st, 3, since);
    sqlite3_bind_int64(st, 4, limit);
    recent_cb c = {fn, arg};
    return sq_rows(s, st, recent_row, &c, err, "查找相似诉求");
}

hl_rc store_text_window(hl_store *s, int64_t from, int64_t to, int64_t limit,
                        store_text_recent_fn fn, void *arg, hl_err *err)
{
    /* the appeals of [from, to), newest first; same_phone carries nothing */
    sqlite3_stmt *st = sq_prepare_cached(
        s,
        "SELECT a.id, coalesce(o.number, ''), " DOC_TEXT ", a.received_at, 0,"
        " coalesce(u.code, '') FROM appeals a JOIN events e ON e.seq = a.seq"
        " LEFT JOIN orders o ON o.id = a.order_id LEFT JOIN units u ON u.id = o.unit_id"
        " WHERE a.received_at >= ?1 AND a.received_at < ?2 ORDER BY a.received_at DESC LIMIT ?3",
        err);
    if (!st)
        return err->rc;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    sqlite3_bind_int64(st, 3, limit);
    recent_cb c = {fn, arg};
    return sq_rows(s, st, recent_row, &c, err, "读取诉求");
}
