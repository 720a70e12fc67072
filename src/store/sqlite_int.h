/* sqlite_int.h — internals of the SQLite backend, shared by its files only. */
#ifndef HL_SQLITE_INT_H
#define HL_SQLITE_INT_H

#include <sqlite3.h>

#include "../core/buf.h"

#include "store.h"

/* month_volumes filled from the appeals (migration 9, store_volumes_rebuild)
 * at the rules' utc_offset ("+08:00"; UTC before any rules): an upsert per
 * appeal rather than a GROUP BY, whose sort of 2 M rows took 400 MB
 * (temp_store=MEMORY) in a server upgrading its database. */
#define SQ_VOLUMES_FILL \
    "WITH z(v) AS (SELECT coalesce((SELECT json_extract(value, '$.utc_offset') FROM settings" \
    "                               WHERE name = 'rules'), '+00:00'))," \
    "     off(s) AS (SELECT (CASE substr(v, 1, 1) WHEN '-' THEN -1 ELSE 1 END)" \
    "                       * (substr(v, 2, 2) * 3600 + substr(v, 5, 2) * 60) FROM z)," \
    "     a(channel, month, line, handling, source, c) AS (" \
    "       SELECT channel, CAST(strftime('%Y%m', received_at + off.s, 'unixepoch') AS INTEGER)," \
    "              line, handling, coalesce(source, ''), coalesce(category, '')" \
    "       FROM appeals, off)" \
    "INSERT INTO month_volumes" \
    "  SELECT channel, month, line, handling, source," \
    "         CASE WHEN instr(c, ' › ') > 0 THEN substr(c, 1, instr(c, ' › ') - 1) ELSE c END, 1" \
    "  FROM a WHERE true" \
    "  ON CONFLICT(channel, month, line, handling, source, top_category) DO UPDATE SET n = n + 1;"

/* The ops an assessment folds (dispatch, return_decision, extension
 * request and decision, reply, review, callback, verify, reopen): these
 * events are also written to the facts table. */
#define SQ_FOLD_MASK                                                                         \
    (1u << OP_DISPATCH | 1u << OP_RETURN_DECISION | 1u << OP_EXTENSION_REQUEST |             \
     1u << OP_EXTENSION_DECISION | 1u << OP_REPLY | 1u << OP_REVIEW | 1u << OP_CALLBACK |    \
     1u << OP_VERIFY | 1u << OP_REOPEN)
/* Statements name a few ops by number (their comments say which). */
_Static_assert(OP_DISPATCH == 1 && OP_RETURN_DECISION == 5 && OP_REPLY == 8 && OP_REVIEW == 9 &&
                   OP_CALLBACK == 10 && OP_VERIFY == 11 && OP_SUPERVISE == 12 &&
                   OP_RECTIFIED == 13 && OP_REOPEN == 14,
               "op numbers written in SQL");

/* … and the handling of an order's own appeal (its merged ones are 2):
 * an order joins its appeals with "a.handling = 1" to get one row. */
_Static_assert(HANDLING_ORDER == 1 && HANDLING_MERGE == 2, "handling numbers written in SQL");

/* Every statement the backend runs, prepared once per connection. */
typedef enum {
    Q_BEGIN, Q_BEGIN_READ, Q_COMMIT, Q_ROLLBACK,
    Q_SETTING_GET, Q_SETTING_PUT,
    Q_CALENDAR_PUT, Q_CALENDAR_ALL,
    Q_UNITS_ALL, Q_UNITS_RENAME, Q_UNIT_PUT,
    Q_ORDER_GET, Q_ORDER_INSERT, Q_ORDER_UPDATE, Q_ORDER_COUNT, Q_ORDER_NEXT_ID,
    Q_APPEAL_BODY, Q_ORDER_APPEAL, Q_APPEAL_INSERT, Q_APPEAL_TEXT, Q_APPEAL_TEXT_RECENT,
    Q_LAST_SEQ, Q_EVENT_INSERT, Q_DISPATCH_DEADLINE, Q_SPAN_ADD, Q_SPAN_RANGE, Q_EVENT_FIND, Q_EVENTS_OF_ORDER, Q_EVENTS_ALL,
    Q_UNIT_USED, Q_FACTS, Q_FACTS_SINCE, Q_FACT_INSERT, Q_ORDER_ASSIGNED, Q_ORDER_UNIT_AT, Q_ORDER_CALLBACKS, Q_ORDER_FACTS, Q_ORDER_NUMBER, Q_UNIT_MONTH_ADD, Q_UNIT_MONTH_GET,
    Q_VOLUME_ADD, Q_FIG_VOLUMES, Q_FIG_ORDERS, Q_FIG_SPECIAL, Q_FIG_SUPERVISION,
    Q_LEDGER_CLEAR, Q_LEDGER_ADD, Q_LEDGER_DECIDE, Q_LEDGER_MONTH, Q_AUDIT,
    Q_USER_ADD, Q_USER_GET, Q_USER_BY_ID, Q_USER_UPDATE, Q_USERS_ALL,
    Q_SESSION_PUT, Q_SESSION_GET, Q_SESSION_DELETE, Q_SESSION_TOUCH, Q_SESSIONS_OF_USER,
    Q_SESSIONS_PURGE, Q_IDEM_GET, Q_IDEM_PUT, Q_LETTER_PUT, Q_ORDER_BY_ID,
    Q__COUNT
} sq_id;

/* Statements built at run time (list filters) that recur: a few are kept. */
#define SQ_DYN_CACHE 16

struct hl_store {
    sqlite3 *db;
    sqlite3_stmt *q[Q__COUNT];
    int in_tx;
    int server_mode;     /* store_server_mode */
    /* a server's appeals' text of the open transaction, indexed at commit
     * (sqlite_fts.c); stash_mark: its length at the savepoint */
    hl_buf text_stash;
    size_t stash_mark;
    struct {
        char *sql;
        sqlite3_stmt *st;
    } dyn[SQ_DYN_CACHE];
    unsigned dyn_next;   /* round-robin victim */
};

/* The prepared statement `id`, reset and with bindings cleared; NULL and err
 * set on failure.  Borrowed: owned by the store. */
sqlite3_stmt *sq_stmt(hl_store *s, sq_id id, hl_err *err);

/* sqlite_fts.c: keep an appeal's text until the transaction commits (a
 * server's connection), and index what was kept. */
hl_rc sq_text_stash(hl_store *s, int64_t seq, const char *content, const char *location,
                    hl_err *err);
hl_rc sq_text_flush(hl_store *s, hl_err *err);

/* The seqs of the appeals whose text matches the FTS5 expression bound as
 * parameter p: appeals_fts and the recent ones a server has not moved
 * there yet (store_text_upkeep).  Every text search of appeals uses it. */
#define SQ_APPEALS_MATCHING(p)                                                  \
    "SELECT rowid FROM appeals_fts WHERE appeals_fts MATCH " p                  \
    " UNION ALL SELECT rowid FROM appeals_recent_fts WHERE appeals_recent_fts MATCH " p

/* Fill err from the connection's last error; returns HL_ESTORE. */
hl_rc sq_fail(hl_store *s, hl_err *err, const char *what);

/* Run a statement that returns no rows. */
hl_rc sq_done(hl_store *s, sqlite3_stmt *st, hl_err *err, const char *what);

/* Step st to its end, calling row(st, arg) for each row; a non-zero
 * return stops the walk and is returned.  Resets st. */
typedef hl_rc (*sq_row_fn)(sqlite3_stmt *st, void *arg);
hl_rc sq_rows(hl_store *s, sqlite3_stmt *st, sq_row_fn row, void *arg, hl_err *err,
              const char *what);

/* Bind an int64, or NULL when v is 0 (unset ids and times). */
void sq_bind_opt(sqlite3_stmt *st, int i, int64_t v);
/* Bind a borrowed string, or NULL. */
void sq_bind_text(sqlite3_stmt *st, int i, const char *v);

/* The columns of an order snapshot, for queries that read whole orders,
 * and the row → hl_order step (sqlite_events.c). */
#define SQ_ORDER_COLS                                                                     \
    "o.id, o.number, o.channel, o.nature, o.urgency, o.line, o.created_at, o.state, "     \
    "o.unit_id, o.handler_id, o.dispatched_at, o.deadline, o.pending_until, "             \
    "o.pending_return, o.pending_extension, o.replied, o.extension_asked, o.reworks, "    \
    "o.reply_at, o.closed_at, o.callbacks, o.dissatisfied_seq, o.dissatisfied_at, "       \
    "o.dissatisfied_open, o.supervisions_open, o.last_at, o.version"
#define SQ_ORDER_NCOLS 27
void sq_order_from_row(sqlite3_stmt *st, hl_order *o);

/* Prepare a statement built at run time (caller finalizes); NULL and err
 * set on failure. */
sqlite3_stmt *sq_prepare(hl_store *s, const char *sql, hl_err *err);
/* The same, kept by the store for the next call with the same text:
 * borrowed, reset, bindings cleared. */
sqlite3_stmt *sq_prepare_cached(hl_store *s, const char *sql, hl_err *err);

hl_rc sq_migrate(hl_store *s, hl_err *err);
/* Register the hlbigram FTS5 tokenizer and hlrank() on the connection
 * (sqlite_fts.c, sqlite_rank.c). */
hl_rc sq_fts_register(hl_store *s, hl_err *err);
hl_rc sq_rank_register(hl_store *s, fts5_api *api, hl_err *err);

#endif
