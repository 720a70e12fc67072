/* sqlite.c — SQLite backend: connection, statements, transactions,
 * settings, calendars and the unit registry.  Orders and events are in
 * sqlite_events.c. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"

static const char *const sql[Q__COUNT] = {
    [Q_BEGIN] = "BEGIN IMMEDIATE",
    [Q_BEGIN_READ] = "BEGIN",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    [Q_SETTING_GET] = "SELECT value FROM settings WHERE name = ?1",
    [Q_SETTING_PUT] = "INSERT INTO settings(name, value) VALUES (?1, ?2) "
                      "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
    [Q_CALENDAR_PUT] = "INSERT INTO calendars(year, text) VALUES (?1, ?2) "
                       "ON CONFLICT(year) DO UPDATE SET text = excluded.text",
    [Q_CALENDAR_ALL] = "SELECT year, text FROM calendars ORDER BY year",
    [Q_UNITS_ALL] = "SELECT id, code, name, kind, parent_id FROM units ORDER BY id",
    /* names are unique: park them all first, so that two units may swap */
    [Q_UNITS_RENAME] = "UPDATE units SET name = printf('%c%d', 1, id)",
    [Q_UNIT_PUT] = "INSERT INTO units(id, code, name, kind, parent_id) VALUES (?1, ?2, ?3, ?4, ?5) "
                   "ON CONFLICT(id) DO UPDATE SET code = excluded.code, name = excluded.name, "
                   "kind = excluded.kind, parent_id = excluded.parent_id",
    [Q_ORDER_GET] = "SELECT " SQ_ORDER_COLS " FROM orders o WHERE o.number = ?1",
    [Q_ORDER_INSERT] = "INSERT INTO orders(id, number, channel, nature, urgency, line, created_at, "
                       "state, unit_id, handler_id, dispatched_at, deadline, pending_until, "
                       "pending_return, pending_extension, replied, extension_asked, reworks, "
                       "reply_at, closed_at, callbacks, dissatisfied_seq, dissatisfied_at, "
                       "dissatisfied_open, supervisions_open, last_at, version) VALUES (?1, ?2, ?3, "
                       "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
                       "?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)",
    [Q_ORDER_UPDATE] = "UPDATE orders SET state = ?8, unit_id = ?9, handler_id = ?10, "
                       "dispatched_at = ?11, deadline = ?12, pending_until = ?13, "
                       "pending_return = ?14, pending_extension = ?15, replied = ?16, "
                       "extension_asked = ?17, reworks = ?18, reply_at = ?19, closed_at = ?20, "
                       "callbacks = ?21, dissatisfied_seq = ?22, dissatisfied_at = ?23, "
                       "dissatisfied_open = ?24, supervisions_open = ?25, last_at = ?26, "
                       "version = ?27 WHERE id = ?1",
    [Q_ORDER_COUNT] = "SELECT count(*) FROM orders",
    [Q_ORDER_NEXT_ID] = "SELECT coalesce(max(id), 0) + 1 FROM orders",
    [Q_APPEAL_BODY] = "SELECT e.body, a.received_at, coalesce(a.order_id, 0) FROM appeals a "
                      "JOIN events e ON e.seq = a.seq WHERE a.id = ?1",
    [Q_ORDER_APPEAL] = "SELECT e.body, a.received_at, coalesce(a.order_id, 0) FROM appeals a "
                       "JOIN events e ON e.seq = a.seq WHERE a.order_id = ?1 AND a.handling = 1",
    [Q_APPEAL_INSERT] = "INSERT INTO appeals(id, seq, order_id, channel, received_at, handling, "
                        "line, source, category, phone) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [Q_APPEAL_TEXT] = "INSERT INTO appeals_fts(rowid, content, location) VALUES (?1, ?2, ?3)",
    [Q_APPEAL_TEXT_RECENT] =
        "INSERT INTO appeals_recent(seq, content, location)"
        " SELECT value->>0, value->>1, value->>2 FROM json_each(?1)",
    [Q_LAST_SEQ] = "SELECT coalesce(max(seq), 0) FROM events",
    [Q_EVENT_INSERT] = "INSERT INTO events(seq, order_id, op, at, unit_id, result, t2, ref, body, "
                       "channel) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [Q_DISPATCH_DEADLINE] = "SELECT t2 FROM events WHERE order_id = ?1 AND at = ?2 AND op = 1 "
                            "AND seq > ?3 ORDER BY seq LIMIT 1",
    [Q_EVENT_FIND] = "SELECT seq FROM events WHERE order_id = ?1 AND at = ?2 AND op = ?5 "
                     "AND body = ?3 AND seq > ?4 ORDER BY seq LIMIT 1",
    [Q_EVENTS_OF_ORDER] = "SELECT e.seq, e.order_id, e.op, e.at, e.unit_id, e.ref, o.number, "
                          "e.body, coalesce(e.result, -1) FROM events e "
                          "LEFT JOIN orders o ON o.id = e.order_id WHERE e.order_id = ?1 ORDER BY e.seq",
    [Q_SPAN_ADD] = "INSERT INTO spans(month, first_seq, last_seq) VALUES (?1, ?2, ?3) "
                   "ON CONFLICT(month) DO UPDATE SET first_seq = min(first_seq, ?2), "
                   "last_seq = max(last_seq, ?3)",
    [Q_SPAN_RANGE] = "SELECT min(first_seq), max(last_seq) FROM spans WHERE month BETWEEN ?1 AND ?2",
    /* a seq range (the months' spans) of the folded events, in seq order */
    [Q_FACTS] = "SELECT at, op, order_id, unit_id, result, t2, ref, seq FROM facts "
                "WHERE seq BETWEEN ?4 AND ?5 AND channel = ?1 AND at >= ?2 AND at <= ?3",
    /* whether history at or before ?3 arrived after seq ?1 (a rowid range) */
    [Q_FACTS_SINCE] = "SELECT EXISTS (SELECT 1 FROM facts WHERE seq > ?1 AND channel = ?2 "
                      "AND at <= ?3)",
    [Q_FACT_INSERT] = "INSERT INTO facts(seq, channel, at, op, order_id, unit_id, result, t2, ref) "
                      "VALUES (?1, ?10, ?4, ?3, ?2, ?5, ?6, ?7, ?8)",
    [Q_UNIT_USED] = "SELECT EXISTS (SELECT 1 FROM events WHERE unit_id = ?1)",
    [Q_ORDER_ASSIGNED] = "SELECT coalesce(unit_id, 0), coalesce(dispatched_at, 0) FROM orders "
                         "WHERE id = ?1",
    /* the assignee just before ?2: the latest dispatch, unless a return was
     * approved after it (ops: 1 dispatch, 5 return_decision) */
    [Q_ORDER_UNIT_AT] = "SELECT CASE WHEN EXISTS (SELECT 1 FROM events r WHERE r.order_id = ?1 "
                        "AND r.op = 5 AND r.result = 1 AND r.seq > d.seq AND r.at < ?2) THEN 0 "
                        "ELSE d.unit_id END FROM events d WHERE d.order_id = ?1 AND d.op = 1 "
                        "AND d.at < ?2 ORDER BY d.seq DESC LIMIT 1",
    /* an order's callbacks and verifications (ops 10, 11) */
    [Q_ORDER_CALLBACKS] = "SELECT at, op, order_id, unit_id, result, t2, ref, seq FROM events "
                          "WHERE order_id = ?1 AND op IN (10, 11) ORDER BY seq",
    /* an order's folded events up to ?2 (?3: SQ_FOLD_MASK), in time order */
    [Q_ORDER_FACTS] = "SELECT at, op, order_id, unit_id, result, t2, ref, seq FROM events "
                      "WHERE order_id = ?1 AND at <= ?2 AND (?3 >> op) & 1 ORDER BY at, seq",
    [Q_ORDER_NUMBER] = "SELECT number FROM orders WHERE id = ?1",
    /* the month's appeals counted (month_volumes, kept by ingest) */
    [Q_VOLUME_ADD] = "INSERT INTO month_volumes(channel, month, line, handling, source, "
                     "top_category, n) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                     "ON CONFLICT(channel, month, line, handling, source, top_category) "
                     "DO UPDATE SET n = n + ?7",
    [Q_FIG_VOLUMES] = "SELECT line, source, top_category, handling, n FROM month_volumes "
                      "WHERE channel = ?1 AND month = ?2",
    /* the month's orders as their appeals' ids, from the covering index
     * appeals_by_time: the appeals table (keyed by id) is read only for
     * the few that the figures use (sqlite_figures.c) */
    [Q_FIG_ORDERS] = "SELECT id, line, coalesce(source, '') FROM appeals WHERE channel = ?1 "
                     "AND received_at >= ?2 AND received_at < ?3 AND handling = 1",
    /* the month's special-line orders, from the partial index
     * appeals_special (its condition word for word) */
    [Q_FIG_SPECIAL] = "SELECT order_id, line, coalesce(source, '') FROM appeals "
                      "WHERE channel = ?1 AND received_at >= ?2 AND received_at < ?3 "
                      "AND handling = 1 AND line <> 0",
    /* dissatisfied callbacks of the month and what followed, as of ?4
     * (ops: 10 callback, 11 verify, 12 supervise, 13 rectified); cb reads
     * the partial index events_dissatisfied, the rest events_followup by
     * order (the "op BETWEEN 10 AND 13" terms name that index's condition,
     * so SQLite may use it; an order's events share its channel): both
     * cover what is read, the events table itself is not touched */
    [Q_FIG_SUPERVISION] =
        "WITH cb AS (SELECT seq, order_id FROM events WHERE channel = ?1 AND at >= ?2 "
        "AND at < ?3 AND at <= ?4 AND op = 10 AND result = 2), "
        "v AS (SELECT e.order_id, e.result FROM cb JOIN events e ON e.order_id = cb.order_id "
        "AND e.ref = cb.seq WHERE e.op BETWEEN 10 AND 13 AND e.op = 11 AND e.at >= ?2 "
        "AND e.at <= ?4), "
        "up AS (SELECT DISTINCT order_id FROM v WHERE result = 0), "
        "fx AS (SELECT up.order_id, "
        " EXISTS (SELECT 1 FROM events x WHERE x.order_id = up.order_id AND x.op BETWEEN 10 AND 13 "
        "  AND x.op = 12 AND x.at >= ?2 AND x.at <= ?4) AS sup, "
        " (SELECT min(x.at) FROM events x INDEXED BY events_followup WHERE x.order_id = up.order_id "
        "  AND x.op BETWEEN 10 AND 13 "
        "  AND x.op = 13 AND x.at >= ?2 AND x.at <= ?4) AS rect FROM up) "
        "SELECT (SELECT count(*) FROM v), (SELECT count(*) FROM v WHERE result = 0), "
        "(SELECT count(*) FROM v WHERE result = 1), (SELECT count(*) FROM fx WHERE sup), "
        "(SELECT count(*) FROM fx WHERE rect IS NOT NULL), "
        "(SELECT count(*) FROM fx WHERE rect IS NOT NULL AND EXISTS (SELECT 1 FROM events x "
        " WHERE x.order_id = fx.order_id AND x.op BETWEEN 10 AND 13 AND x.op = 10 "
        " AND x.at > fx.rect AND x.at <= ?4 AND x.result IN (0, 1)))",
    [Q_LEDGER_CLEAR] = "DELETE FROM ledger WHERE month = ?1 AND status = 'proposed' "
                       "AND rule IS NOT NULL",
    /* a rule's proposal a manager already decided stays as decided */
    [Q_LEDGER_ADD] = "INSERT INTO ledger(month, unit_id, points, indicator, detail, refs, status, "
                     "rule, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                     "ON CONFLICT DO NOTHING",
    [Q_LEDGER_DECIDE] = "UPDATE ledger SET status = ?2, decided_by = ?3, decided_at = ?4 "
                        "WHERE id = ?1 AND status = 'proposed'",
    [Q_LEDGER_MONTH] = "SELECT id, month, unit_id, points, indicator, detail, refs, status, rule, "
                       "created_by, created_at, decided_by, decided_at FROM ledger "
                       "WHERE month = ?1 ORDER BY id",
    [Q_AUDIT] = "INSERT INTO audit(at, actor, action, detail, ip) VALUES (?1, ?2, ?3, ?4, ?5)",
    [Q_USER_ADD] = "INSERT INTO users(name, role, unit_id, pwhash, disabled, created_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [Q_USER_GET] = "SELECT id, name, role, coalesce(unit_id, 0), pwhash, disabled, created_at "
                   "FROM users WHERE name = ?1",
    [Q_USER_BY_ID] = "SELECT id, name, role, coalesce(unit_id, 0), pwhash, disabled, created_at "
                     "FROM users WHERE id = ?1",
    [Q_USER_UPDATE] = "UPDATE users SET role = ?2, unit_id = ?3, pwhash = ?4, disabled = ?5 "
                      "WHERE id = ?1",
    [Q_USERS_ALL] = "SELECT id, name, role, coalesce(unit_id, 0), pwhash, disabled, created_at "
                    "FROM users ORDER BY name",
    [Q_SESSION_PUT] = "INSERT INTO sessions(token, user_id, csrf, created_at, expires_at, ip) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [Q_SESSION_GET] = "SELECT user_id, csrf, created_at, expires_at FROM sessions WHERE token = ?1",
    [Q_SESSION_DELETE] = "DELETE FROM sessions WHERE token = ?1",
    [Q_SESSION_TOUCH] = "UPDATE sessions SET expires_at = ?2 WHERE token = ?1",
    [Q_SESSIONS_OF_USER] = "DELETE FROM sessions WHERE user_id = ?1",
    [Q_SESSIONS_PURGE] = "DELETE FROM sessions WHERE expires_at <= ?1",
    [Q_IDEM_GET] = "SELECT status, body FROM idempotency WHERE user_id = ?1 AND key = ?2 "
                   "AND created_at >= ?3",
    /* a key reused after its answer expired replaces it */
    [Q_IDEM_PUT] = "INSERT OR REPLACE INTO idempotency(user_id, key, status, body, created_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5)",
    [Q_LETTER_PUT] = "INSERT INTO letters(code, appeal_id, kind, service_code, created_at, lat, "
                     "lon, address) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [Q_ORDER_BY_ID] = "SELECT " SQ_ORDER_COLS " FROM orders o WHERE o.id = ?1",
    [Q_UNIT_MONTH_ADD] = "INSERT INTO unit_month(channel, month, unit_id, due, done, on_time, "
                         "rework, callbacks, dissatisfied, satisfied) VALUES (?1, ?2, ?3, ?4, ?5, "
                         "?6, ?7, ?8, ?9, ?10) ON CONFLICT(channel, month, unit_id) DO UPDATE SET "
                         "due = due + ?4, done = done + ?5, on_time = on_time + ?6, "
                         "rework = rework + ?7, callbacks = callbacks + ?8, "
                         "dissatisfied = dissatisfied + ?9, satisfied = satisfied + ?10",
    [Q_UNIT_MONTH_GET] = "SELECT unit_id, due, done, on_time, rework, callbacks, dissatisfied, "
                         "satisfied FROM unit_month WHERE channel = ?1 AND month = ?2",
    [Q_EVENTS_ALL] = "SELECT e.seq, e.order_id, e.op, e.at, e.unit_id, e.ref, o.number, e.body, "
                     "coalesce(e.result, -1) "
                     "FROM events e LEFT JOIN orders o ON o.id = e.order_id ORDER BY e.at, e.seq",
};

hl_rc sq_fail(hl_store *s, hl_err *err, const char *what)
{
    int code = sqlite3_errcode(s->db);
    if (code == SQLITE_NOMEM)
        return hl_fail(err, HL_ENOMEM, "%s：内存不足", what);
    return hl_fail(err, HL_ESTORE, "%s：数据库错误：%s", what, sqlite3_errmsg(s->db));
}

sqlite3_stmt *sq_stmt(hl_store *s, sq_id id, hl_err *err)
{
    if (!s->q[id]) {
        if (sqlite3_prepare_v3(s->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s->q[id], NULL) !=
            SQLITE_OK) {
            sq_fail(s, err, "准备语句");
            return NULL;
        }
    } else {
        sqlite3_reset(s->q[id]);
        sqlite3_clear_bindings(s->q[id]);
    }
    return s->q[id];
}

hl_rc sq_done(hl_store *s, sqlite3_stmt *st, hl_err *err, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sq_fail(s, err, what);
    return HL_OK;
}

hl_rc sq_rows(hl_store *s, sqlite3_stmt *st, sq_row_fn row, void *arg, hl_err *err,
              const char *what)
{
    hl_rc r = HL_OK;
    int rc;
    while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW)
        r = row(st, arg);
    sqlite3_reset(st);
    if (r)
        return r;
    return rc == SQLITE_DONE ? HL_OK : sq_fail(s, err, what);
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

sqlite3_stmt *sq_prepare(hl_store *s, const char *sqltext, hl_err *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sqltext, -1, &st, NULL) != SQLITE_OK) {
        sq_fail(s, err, "准备查询");
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

sqlite3_stmt *sq_prepare_cached(hl_store *s, const char *sqltext, hl_err *err)
{
    for (int i = 0; i < SQ_DYN_CACHE; i++)
        if (s->dyn[i].sql && strcmp(s->dyn[i].sql, sqltext) == 0) {
            sqlite3_reset(s->dyn[i].st);
            sqlite3_clear_bindings(s->dyn[i].st);
            return s->dyn[i].st;
        }
    char *copy = strdup(sqltext);
    if (!copy) {
        hl_fail(err, HL_ENOMEM, "内存不足");
        return NULL;
    }
    sqlite3_stmt *st = sq_prepare(s, sqltext, err);
    if (!st) {
        free(copy);
        return NULL;
    }
    unsigned v = s->dyn_next++ % SQ_DYN_CACHE;
    sqlite3_finalize(s->dyn[v].st);
    free(s->dyn[v].sql);
    s->dyn[v].sql = copy;
    s->dyn[v].st = st;
    return st;
}

void sq_bind_opt(sqlite3_stmt *st, int i, int64_t v)
{
    if (v)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

/* Process-wide settings, before SQLite initialises: no global memory
 * statistics (a mutex on every allocation) since we never read them. */
static void configure_once(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

hl_rc store_open(const char *path, hl_store **out, hl_err *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, configure_once);
    hl_store *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s)
        return hl_fail(err, HL_ENOMEM, "内存不足");
    hl_buf_init(&s->text_stash, (size_t)1 << 26);
    /* NOMUTEX: a connection belongs to one thread (store.h), so SQLite's
     * per-call connection mutex is pure overhead. */
    if (sqlite3_open_v2(path, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        hl_fail(err, HL_ESTORE, "无法打开数据库 %s：%s", path,
                s->db ? sqlite3_errmsg(s->db) : "内存不足");
        store_close(s);
        return err ? err->rc : HL_ESTORE;
    }
    sqlite3_busy_timeout(s->db, 5000);
    /* WAL: readers never block the writer; NORMAL sync is durable across
     * application crashes and loses at most the last commits on power loss. */
    hl_rc rc = HL_OK;
    /* 4 KiB pages.  16 KiB made a bulk import ~10 % faster (issue 2), but
     * every small transaction of the server writes whole pages to the WAL:
     * on the same scale-30 month, intake went from 2,652–3,833 req/s (p99
     * 138–195 ms) to 5,320 (p99 48 ms) with 4 KiB (docs/performance.md).
     * Takes effect only on a new database. */
    if (sqlite3_exec(s->db, "PRAGMA page_size=4096;", NULL, NULL, NULL) != SQLITE_OK)
        rc = sq_fail(s, err, "设置数据库参数");
    if (!rc && sqlite3_exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                            "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;",
                     NULL, NULL, NULL) != SQLITE_OK)
        rc = sq_fail(s, err, "设置数据库参数");
    if (!rc)
        rc = sq_fts_register(s, err);
    if (!rc)
        rc = sq_migrate(s, err);

    if (rc) {
        store_close(s);
        return rc;
    }
    *out = s;
    return HL_OK;
}

void store_set_cache(hl_store *s, int kib)
{
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA cache_size=%d", -kib);
    sqlite3_exec(s->db, pragma, NULL, NULL, NULL);
}

void store_server_mode(hl_store *s)
{
    sqlite3_wal_autocheckpoint(s->db, 0);
    s->server_mode = 1;
}

hl_rc store_checkpoint(hl_store *s, int restart, int *left, hl_err *err)
{
    int log = 0, done = 0;
    int rc = sqlite3_wal_checkpoint_v2(
        s->db, NULL, restart ? SQLITE_CHECKPOINT_RESTART : SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    *left = log > done ? log - done : 0;
    return rc == SQLITE_OK || rc == SQLITE_BUSY ? HL_OK : sq_fail(s, err, "检查点");
}

void store_close(hl_store *s)
{
    if (!s)
        return;
    for (int i = 0; i < Q__COUNT; i++)
        sqlite3_finalize(s->q[i]);
    for (int i = 0; i < SQ_DYN_CACHE; i++) {
        sqlite3_finalize(s->dyn[i].st);
        free(s->dyn[i].sql);
    }
    sqlite3_close(s->db);
    hl_buf_free(&s->text_stash);
    free(s);
}

static hl_rc run(hl_store *s, sq_id id, hl_err *err, const char *what)
{
    sqlite3_stmt *st = sq_stmt(s, id, err);
    return st ? sq_done(s, st, err, what) : HL_ESTORE;
}

hl_rc store_begin(hl_store *s, hl_err *err)
{
    hl_rc rc = run(s, Q_BEGIN, err, "开始事务");
    s->in_tx = !rc;
    return rc;
}

hl_rc store_begin_read(hl_store *s, hl_err *err)
{
    hl_rc rc = run(s, Q_BEGIN_READ, err, "开始读事务");
    s->in_tx = !rc;
    return rc;
}

hl_rc store_commit(hl_store *s, hl_err *err)
{
    hl_rc rc = sq_text_flush(s, err);
    if (!rc)
        rc = run(s, Q_COMMIT, err, "提交事务");
    if (!rc)
        s->in_tx = 0;
    return rc;
}

void store_rollback(hl_store *s)
{
    if (s->in_tx)
        run(s, Q_ROLLBACK, NULL, "回滚事务");
    s->in_tx = 0;
    hl_buf_reset(&s->text_stash);
}

hl_rc store_savepoint(hl_store *s, hl_err *err)
{
    s->stash_mark = s->text_stash.len;
    return sqlite3_exec(s->db, "SAVEPOINT w", NULL, NULL, NULL) == SQLITE_OK
               ? HL_OK
               : sq_fail(s, err, "设置保存点");
}

hl_rc store_release(hl_store *s, hl_err *err)
{
    return sqlite3_exec(s->db, "RELEASE w", NULL, NULL, NULL) == SQLITE_OK
               ? HL_OK
               : sq_fail(s, err, "释放保存点");
}

hl_rc store_rollback_to(hl_store *s, hl_err *err)
{
    s->text_stash.len = s->stash_mark;
    sqlite3_exec(s->db, "ROLLBACK TO w; RELEASE w", NULL, NULL, NULL);
    if (!sqlite3_get_autocommit(s->db))
        return HL_OK;
    s->in_tx = 0; /* "ROLLBACK TO" found no transaction, or "RELEASE w" ended it */
    hl_buf_reset(&s->text_stash);
    return hl_fail(err, HL_ESTORE, "写入事务已被数据库中止");
}

hl_rc store_setting_get(hl_store *s, const char *name, char **value, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_SETTING_GET, err);
    *value = NULL;
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return hl_fail(err, HL_ENOTFOUND, "数据库中没有设置 %s（请先运行 hotline init）", name);
    if (rc != SQLITE_ROW)
        return sq_fail(s, err, "读取设置");
    *value = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return *value ? HL_OK : hl_fail(err, HL_ENOMEM, "内存不足");
}

hl_rc store_setting_put(hl_store *s, const char *name, const char *value, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_SETTING_PUT, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    return sq_done(s, st, err, "保存设置");
}

hl_rc store_calendar_put(hl_store *s, int year, const char *text, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_CALENDAR_PUT, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int(st, 1, year);
    sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    return sq_done(s, st, err, "保存工作日历");
}

typedef struct {
    hl_calendar *cal;
    hl_units *units;
    hl_err *err;
} load_ctx;

static hl_rc calendar_row(sqlite3_stmt *st, void *arg)
{
    load_ctx *x = arg;
    return hl_calendar_load(x->cal, (const char *)sqlite3_column_text(st, 1), NULL, x->err);
}

hl_rc store_calendar_load(hl_store *s, hl_calendar *cal, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_CALENDAR_ALL, err);
    load_ctx x = {cal, NULL, err};
    if (!st)
        return HL_ESTORE;
    hl_calendar_init(cal);
    return sq_rows(s, st, calendar_row, &x, err, "读取工作日历");
}

static hl_rc unit_row(sqlite3_stmt *st, void *arg)
{
    load_ctx *x = arg;
    int kind = hl_unit_kind_parse((const char *)sqlite3_column_text(st, 3));
    hl_rc r = hl_units_load(x->units, sqlite3_column_int64(st, 0),
                            (const char *)sqlite3_column_text(st, 1),
                            (const char *)sqlite3_column_text(st, 2), (hl_unit_kind)kind,
                            sqlite3_column_int64(st, 4));
    return r ? hl_fail(x->err, r, "单位名录读取失败（编号不连续或内存不足）") : HL_OK;
}

hl_rc store_units_load(hl_store *s, hl_units *u, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_UNITS_ALL, err);
    load_ctx x = {NULL, u, err};
    return st ? sq_rows(s, st, unit_row, &x, err, "读取单位名录") : HL_ESTORE;
}

hl_rc store_unit_used(hl_store *s, int64_t unit, int *used, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_UNIT_USED, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int64(st, 1, unit);
    int rc = sqlite3_step(st);
    *used = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? HL_OK : sq_fail(s, err, "读取单位");
}

hl_rc store_units_save(hl_store *s, const hl_units *u, hl_err *err)
{
    if (run(s, Q_UNITS_RENAME, err, "保存单位"))
        return err->rc;
    for (size_t i = 0; i < u->n; i++) {
        const hl_unit *x = &u->v[i];
        sqlite3_stmt *st = sq_stmt(s, Q_UNIT_PUT, err);
        if (!st)
            return HL_ESTORE;
        sqlite3_bind_int64(st, 1, x->id);
        sqlite3_bind_text(st, 2, x->code, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, x->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, hl_unit_kind_name(x->kind), -1, SQLITE_STATIC);
        sq_bind_opt(st, 5, x->parent);
        if (sq_done(s, st, err, "保存单位"))
            return err->rc;
    }
    return HL_OK;
}
