/* sqlite_kb_remind.c — review reminders of knowledge-base articles: sent to
 * the owning unit when an article's review falls due, answered by the unit
 * (confirmed or updated), or lapsed (the ledger's 知识库管理 entries). */
#include "sqlite_int.h"

#define REMINDER_COLS                                                                        \
    "r.id, r.unit_id, r.created_at, r.due_at, r.answered_at, a.id, a.title, r.answered_by,"  \
    " r.answer"

typedef struct {
    store_kb_reminder_fn fn;
    void *arg;
} reminder_cb;

static hl_rc reminder_row(sqlite3_stmt *st, void *arg)
{
    reminder_cb *c = arg;
    store_kb_reminder r = {
        sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
        sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4),
        (const char *)sqlite3_column_text(st, 5), (const char *)sqlite3_column_text(st, 6),
        (const char *)sqlite3_column_text(st, 7), (const char *)sqlite3_column_text(st, 8)};
    return c->fn(&r, c->arg);
}

hl_rc store_kb_remind(hl_store *s, int64_t now, int answer_days, int64_t *made, hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(
        s,
        "INSERT INTO kb_reminders(article, unit_id, created_at, due_at)"
        " SELECT a.n, a.unit_id, ?1, ?1 + 86400 * ?2 FROM kb_articles a"
        " WHERE a.status = 'published' AND a.next_review <= ?1 AND NOT EXISTS"
        " (SELECT 1 FROM kb_reminders r WHERE r.article = a.n AND r.answered_at IS NULL)",
        err);
    if (!st)
        return err->rc;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int(st, 2, answer_days);
    hl_rc rc = sq_done(s, st, err, "生成复核提醒");
    *made = rc ? 0 : sqlite3_changes(s->db);
    return rc;
}

hl_rc store_kb_reminders(hl_store *s, int64_t unit, int open_only, store_kb_reminder_fn fn,
                         void *arg, hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(
        s,
        "SELECT " REMINDER_COLS " FROM kb_reminders r JOIN kb_articles a ON a.n = r.article"
        " WHERE (?1 IS NULL OR r.unit_id = ?1) AND (?2 = 0 OR r.answered_at IS NULL)"
        " ORDER BY r.due_at, r.id",
        err);
    if (!st)
        return err->rc;
    sq_bind_opt(st, 1, unit);
    sqlite3_bind_int(st, 2, open_only);
    reminder_cb c = {fn, arg};
    return sq_rows(s, st, reminder_row, &c, err, "读取复核提醒");
}

hl_rc store_kb_answer(hl_store *s, int64_t id, const char *answer, const char *by, int64_t now,
                      hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(
        s, "SELECT answered_at IS NOT NULL FROM kb_reminders WHERE id = ?1", err);
    if (!st)
        return err->rc;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st), answered = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return hl_fail(err, HL_ENOTFOUND, "复核提醒 %lld 不存在", (long long)id);
    if (rc != SQLITE_ROW)
        return sq_fail(s, err, "读取复核提醒");
    if (answered)
        return hl_fail(err, HL_EEXISTS, "复核提醒 %lld 已答复", (long long)id);
    st = sq_prepare_cached(s,
                           "UPDATE kb_reminders SET answered_at = ?2, answered_by = ?3,"
                           " answer = ?4 WHERE id = ?1",
                           err);
    if (!st)
        return err->rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    sq_bind_text(st, 3, by);
    sq_bind_text(st, 4, answer);
    hl_rc r = sq_done(s, st, err, "答复复核提醒");
    if (r)
        return r;
    /* the next review: an interval after this one (none without one) */
    st = sq_prepare_cached(
        s,
        "UPDATE kb_articles SET next_review = CASE WHEN review_days > 0"
        " THEN ?2 + 86400 * review_days END"
        " WHERE n = (SELECT article FROM kb_reminders WHERE id = ?1)",
        err);
    if (!st)
        return err->rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    return sq_done(s, st, err, "更新复核日期");
}

hl_rc store_kb_lapsed(hl_store *s, int64_t from, int64_t to, store_kb_reminder_fn fn, void *arg,
                      hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(
        s,
        "SELECT " REMINDER_COLS " FROM kb_reminders r JOIN kb_articles a ON a.n = r.article"
        " WHERE r.due_at >= ?1 AND r.due_at < ?2"
        " AND (r.answered_at IS NULL OR r.answered_at > r.due_at)"
        " ORDER BY r.unit_id, a.id",
        err);
    if (!st)
        return err->rc;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    reminder_cb c = {fn, arg};
    return sq_rows(s, st, reminder_row, &c, err, "读取逾期复核提醒");
}
