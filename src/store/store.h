/* store.h — the one storage interface.
 *
 * Everything durable goes through these functions; SQL lives behind them
 * (sqlite_*.c today, a PostgreSQL backend later behind the same header).  No
 * SQLite type appears here, and src/core never includes this file: callers
 * load what core needs, let core decide, and hand the result back here inside
 * a transaction.
 *
 * A store handle is one connection and must be used by one thread at a time;
 * a server opens one per worker thread.  Functions return hl_rc and fill err
 * on failure; strings handed out are borrowed unless the comment says
 * "caller frees". */
#ifndef HL_STORE_H
#define HL_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/assess.h"
#include "../core/buf.h"
#include "../core/calendar.h"
#include "../core/err.h"
#include "../core/event.h"
#include "../core/order.h"
#include "../core/unit.h"

typedef struct hl_store hl_store;

/* Open (creating if needed) and migrate to the current schema. */
hl_rc store_open(const char *path, hl_store **out, hl_err *err);
void store_close(hl_store *s);
/* Bound the connection's page cache (KiB). */
void store_set_cache(hl_store *s, int kib);
/* A server's connection: WAL checkpoints and the upkeep of the appeals'
 * text index are left to the server's own thread (store_checkpoint,
 * store_text_upkeep), so that no request waits for either.  An appeal's
 * text goes to the small appeals_recent index, which the upkeep folds into
 * appeals_fts; searches read both. */
void store_server_mode(hl_store *s);
/* Copy committed WAL content into the database.  Passive: without blocking
 * readers or writers.  Restart: the writer waits while the rest is copied
 * and the next write starts the WAL from its beginning.  *left: frames
 * still to copy (a busy database is not an error). */
hl_rc store_checkpoint(hl_store *s, int restart, int *left, hl_err *err);
/* In one transaction of its own: move the appeals of appeals_recent into
 * appeals_fts, then merge up to about `pages` pages of appeals_fts (its
 * automatic merging is off: migration 5). */
hl_rc store_text_upkeep(hl_store *s, int pages, hl_err *err);
int store_schema_version(hl_store *s);

/* A write transaction (takes the write lock at once), or a read snapshot. */
hl_rc store_begin(hl_store *s, hl_err *err);
hl_rc store_begin_read(hl_store *s, hl_err *err);
hl_rc store_commit(hl_store *s, hl_err *err);
void store_rollback(hl_store *s);
/* Inside a write transaction: mark a point, then either keep what followed
 * (release) or undo it (rollback_to), leaving the transaction open.
 * rollback_to fails when SQLite itself had already rolled the whole
 * transaction back (on a full disk, I/O error or out of memory): what the
 * savepoints before kept is gone too. */
hl_rc store_savepoint(hl_store *s, hl_err *err);
hl_rc store_release(hl_store *s, hl_err *err);
hl_rc store_rollback_to(hl_store *s, hl_err *err);

/* Named settings (e.g. "rules": the rules JSON).  get: *value caller frees;
 * HL_ENOTFOUND when absent. */
hl_rc store_setting_get(hl_store *s, const char *name, char **value, hl_err *err);
hl_rc store_setting_put(hl_store *s, const char *name, const char *value, hl_err *err);

/* Working-day calendars, one text per year. */
hl_rc store_calendar_put(hl_store *s, int year, const char *text, hl_err *err);
hl_rc store_calendar_load(hl_store *s, hl_calendar *cal, hl_err *err);

/* The unit registry: load all, or save all (insert new, update changed). */
hl_rc store_units_load(hl_store *s, hl_units *u, hl_err *err);
hl_rc store_units_save(hl_store *s, const hl_units *u, hl_err *err);
/* *used = 1 when some event names the unit (dispatched or sub-dispatched to
 * it).  A scan: for the rare registry change that needs to know. */
hl_rc store_unit_used(hl_store *s, int64_t unit, int *used, hl_err *err);

/* Order snapshots.  get: HL_ENOTFOUND when the number is unknown.  put:
 * inserts when is_new (with o->id, or a fresh id set into o->id when it is
 * 0), updates otherwise. */
hl_rc store_order_get(hl_store *s, const char *number, hl_order *o, hl_err *err);
hl_rc store_order_put(hl_store *s, hl_order *o, int is_new, hl_err *err);
hl_rc store_order_count(hl_store *s, int64_t *n, hl_err *err);
/* An id greater than every stored order's. */
hl_rc store_order_next_id(hl_store *s, int64_t *id, hl_err *err);

/* The stored body (hl_event_write_rest) of appeal `id` into out, with its
 * time and order id (0 for a direct answer); HL_ENOTFOUND if none. */
hl_rc store_appeal_body(hl_store *s, const char *id, hl_buf *out, int64_t *at, int64_t *order_id,
                        hl_err *err);

/* Events: the append-only history.  seq is the store's total order. */
hl_rc store_last_seq(hl_store *s, int64_t *seq, hl_err *err);

/* Append e (e->seq set by the caller, greater than every stored seq) with
 * its body: the members after op, at and order (hl_event_write_rest); an
 * appeal also gets its appeals row. */
hl_rc store_event_append(hl_store *s, const hl_event *e, int64_t order_id, int channel,
                         const char *body, hl_err *err);

/* Find a stored event of order_id with this op, instant and body and
 * seq > after; *seq = 0 when there is none. */
hl_rc store_event_find(hl_store *s, int64_t order_id, int op, int64_t at, const char *body,
                       int64_t after, int64_t *seq, hl_err *err);

/* The deadline of a stored dispatch of order_id at instant `at` with
 * seq > after; 0 when there is none. */
hl_rc store_dispatch_deadline(hl_store *s, int64_t order_id, int64_t at, int64_t after,
                              int64_t *deadline, hl_err *err);

typedef struct {
    int64_t seq, order_id, at, unit, ref;
    int op;
    int result;         /* events.result: an appeal's handling, … (-1 when none) */
    const char *order;  /* order number, NULL for a direct answer */
    const char *body;   /* members after op, at, order (hl_event_join rebuilds the line) */
} store_event_row;

/* Call fn for each event: of one order (order_id > 0) in history order, or
 * of all (order_id 0) in time order.  Rows are borrowed for the call only.
 * A non-zero return from fn stops the walk and is returned. */
typedef hl_rc (*store_event_fn)(const store_event_row *row, void *arg);
hl_rc store_events_each(hl_store *s, int64_t order_id, store_event_fn fn, void *arg,
                        hl_err *err);

/* The facts an assessment folds (core/assess_fold.c) of one channel with
 * from ≤ at ≤ asof, whose local months are first_month … last_month (yyyymm),
 * in the order they were recorded — time order when history arrived in time
 * order, which the caller checks. */
typedef hl_rc (*store_fact_fn)(const hl_fact *f, void *arg);
hl_rc store_facts_each(hl_store *s, int channel, int64_t from, int64_t asof, int first_month,
                       int last_month, store_fact_fn fn, void *arg, hl_err *err);

/* *any = 1 when the channel has folded events at or before asof that were
 * recorded after seq after_seq (history imported late). */
hl_rc store_facts_since(hl_store *s, int channel, int64_t after_seq, int64_t asof, int *any,
                        hl_err *err);

/* Record that events first … last (seq) have `at` in local month yyyymm. */
hl_rc store_span_add(hl_store *s, int month, int64_t first, int64_t last, hl_err *err);

/* An order's assignee just before instant `before` (0 when none). */
hl_rc store_order_unit_at(hl_store *s, int64_t order_id, int64_t before, int64_t *unit,
                          hl_err *err);

/* An order's events that an assessment folds, up to asof, in time order. */
hl_rc store_order_facts(hl_store *s, int64_t order_id, int64_t asof, store_fact_fn fn, void *arg,
                        hl_err *err);

/* An order's callbacks and verifications, in history order. */
hl_rc store_order_callbacks(hl_store *s, int64_t order_id, store_fact_fn fn, void *arg,
                            hl_err *err);

/* Per unit and month counts, kept up to date by ingest: add a delta, or
 * read a channel's month. */
hl_rc store_unit_month_add(hl_store *s, int channel, int month, int64_t unit,
                           const hl_counts *delta, hl_err *err);
typedef hl_rc (*store_counts_fn)(int64_t unit, const hl_counts *n, void *arg);
hl_rc store_unit_month_each(hl_store *s, int channel, int month, store_counts_fn fn, void *arg,
                            hl_err *err);

/* Figures of a month (sqlite_figures.c): the appeals received in local
 * month yyyymm, counted per line, source and top-level category ("" when
 * none) and handling, in no particular order (the caller adds them up). */
typedef hl_rc (*store_volume_fn)(int line, const char *source, const char *top_category,
                                 int handling, int64_t n, void *arg);
hl_rc store_appeal_volumes(hl_store *s, int channel, int month, store_volume_fn fn, void *arg,
                           hl_err *err);

/* Count those volumes again from the appeals (as migration 9 did), at the
 * rules' utc_offset now: after it changed.  Inside the caller's write
 * transaction. */
hl_rc store_volumes_rebuild(hl_store *s, hl_err *err);

/* n more appeals in those counts (ingest keeps them). */
hl_rc store_volume_add(hl_store *s, int channel, int month, int line, int handling,
                       const char *source, const char *top_category, int64_t n, hl_err *err);

/* The orders created by the month's appeals of a special line (not
 * LINE_GENERAL) or from one of n sources, with their line and source.
 * Without sources only an index of the special lines' orders is read;
 * with them, every order of the month. */
typedef hl_rc (*store_month_order_fn)(int64_t order_id, int line, const char *source, void *arg);
hl_rc store_month_orders(hl_store *s, int channel, int64_t from, int64_t to,
                         const char *const *sources, size_t n,
                         store_month_order_fn fn, void *arg, hl_err *err);

/* Dissatisfied callbacks of the month and what followed, as of asof. */
typedef struct {
    int64_t verified, upheld, excluded, supervised, rectified, satisfied_after;
} store_supervision;
hl_rc store_supervision_counts(hl_store *s, int channel, int64_t from, int64_t to, int64_t asof,
                               store_supervision *out, hl_err *err);

/* The order number of an order id into out (size bytes); "" if unknown. */
hl_rc store_order_number(hl_store *s, int64_t order_id, char *out, size_t size, hl_err *err);

/* The bonus/deduction ledger (sqlite_ledger.c).  Points are tenths. */
typedef struct {
    int64_t id;
    int month;
    int64_t unit, points;
    const char *indicator, *detail, *refs;
    const char *status;        /* proposed, confirmed, dropped */
    const char *rule;          /* the proposing rule, NULL for a manual entry */
    const char *created_by;
    int64_t created_at;
    const char *decided_by;    /* NULL until decided */
    int64_t decided_at;
} store_ledger_row;

/* Remove a month's undecided proposals (before proposing again). */
hl_rc store_ledger_clear_proposed(hl_store *s, int month, hl_err *err);
/* Add an entry; *id 0 when a rule's entry for that unit was already decided. */
hl_rc store_ledger_add(hl_store *s, const store_ledger_row *r, int64_t *id, hl_err *err);
/* proposed → confirmed or dropped; HL_ENOTFOUND when id is no pending proposal. */
hl_rc store_ledger_decide(hl_store *s, int64_t id, const char *status, const char *by,
                          int64_t at, hl_err *err);
typedef hl_rc (*store_ledger_fn)(const store_ledger_row *r, void *arg);
hl_rc store_ledger_each(hl_store *s, int month, store_ledger_fn fn, void *arg, hl_err *err);

/* The bulletin's sections a manager writes (sqlite_bulletin.c): every
 * saved text is a new version of (month, section). */
typedef struct {
    int month, section;
    int64_t version;
    const char *text, *author; /* borrowed for the callback */
    int64_t at;
} store_section;
typedef hl_rc (*store_section_fn)(const store_section *s, void *arg);
/* Save text as the next version; base is the version the writer started
 * from (0: none yet), HL_ECONFLICT when another was saved since.  *version
 * receives the new version. */
hl_rc store_section_put(hl_store *s, int month, int section, int64_t base, const char *text,
                        const char *author, int64_t at, int64_t *version, hl_err *err);
/* The latest version of every section of a month, by section. */
hl_rc store_sections_latest(hl_store *s, int month, store_section_fn fn, void *arg, hl_err *err);
/* Every version of one section, newest first. */
hl_rc store_section_history(hl_store *s, int month, int section, store_section_fn fn, void *arg,
                            hl_err *err);

/* --- access: users, sessions, audit (sqlite_access.c) --------------------- */

#define STORE_NAME_MAX 64
#define STORE_HASH_MAX 160
#define STORE_TOKEN_MAX 64

typedef struct {
    int64_t id;
    char name[STORE_NAME_MAX + 1];
    char role[24];
    int64_t unit;                  /* 0 for a role not bound to a unit */
    char pwhash[STORE_HASH_MAX];   /* libsodium's argon2id string */
    int disabled;
    int64_t created_at;
} store_user;

/* add: sets u->id; HL_EEXISTS when the name is taken.  get/by_id:
 * HL_ENOTFOUND when absent.  update: role, unit, pwhash, disabled. */
hl_rc store_user_add(hl_store *s, store_user *u, hl_err *err);
hl_rc store_user_get(hl_store *s, const char *name, store_user *u, hl_err *err);
hl_rc store_user_by_id(hl_store *s, int64_t id, store_user *u, hl_err *err);
hl_rc store_user_update(hl_store *s, const store_user *u, hl_err *err);
typedef hl_rc (*store_user_fn)(const store_user *u, void *arg);
hl_rc store_users_each(hl_store *s, store_user_fn fn, void *arg, hl_err *err);

typedef struct {
    char token[STORE_TOKEN_MAX + 1];   /* hash of the cookie secret (hex) */
    int64_t user_id;
    char csrf[STORE_TOKEN_MAX + 1];
    int64_t created_at, expires_at;
} store_session;

hl_rc store_session_put(hl_store *s, const store_session *x, const char *ip, hl_err *err);
/* HL_ENOTFOUND when the token is unknown (expiry is the caller's check). */
hl_rc store_session_get(hl_store *s, const char *token, store_session *x, hl_err *err);
hl_rc store_session_delete(hl_store *s, const char *token, hl_err *err);
hl_rc store_session_touch(hl_store *s, const char *token, int64_t expires_at, hl_err *err);
hl_rc store_sessions_of_user_delete(hl_store *s, int64_t user_id, hl_err *err);
hl_rc store_sessions_purge(hl_store *s, int64_t now, hl_err *err);

/* The stored answer of (user, key) kept since `since`: HL_ENOTFOUND when
 * none; body into out.  put replaces an older answer of the key. */
hl_rc store_idem_get(hl_store *s, int64_t user_id, const char *key, int64_t since, int *status,
                     hl_buf *out, hl_err *err);
hl_rc store_idem_put(hl_store *s, int64_t user_id, const char *key, int status,
                     const char *body, int64_t at, hl_err *err);

typedef struct {
    int64_t id, at;
    const char *actor, *action, *detail, *ip;
} store_audit_row;

/* Append to the audit log (id ignored). */
hl_rc store_audit(hl_store *s, const store_audit_row *r, hl_err *err);
/* A page of the log, newest first; actor/action filter when non-NULL. */
typedef hl_rc (*store_audit_fn)(const store_audit_row *r, void *arg);
hl_rc store_audit_page(hl_store *s, const char *actor, const char *action, int64_t offset,
                       int64_t limit, int64_t *total, store_audit_fn fn, void *arg,
                       hl_err *err);

/* --- the server's reads: order lists, caller history, letters
 *     (sqlite_orders.c) ------------------------------------------------------ */

/* Which orders a list shows.  Zero/NULL members do not filter. */
typedef struct {
    unsigned states;          /* bit (1 << hl_state) per state wanted */
    const int64_t *scope;     /* assignee or sub-dispatch holder among these units */
    size_t n_scope;
    int channel;              /* -1: both */
    const char *category;     /* category, or a top level ("城市管理类" matches its subs) */
    const char *text;         /* FTS5 expression on the appeal's content and location
                               * (text/query.c: hl_text_query) */
    const char *phone;        /* the caller's phone */
    const char *number;       /* order number prefix */
    int64_t from, to;         /* created in [from, to) */
    int64_t overdue_at;       /* not replied and deadline before this instant */
    int pending;              /* a return or extension request awaits a decision */
    int callback_due;         /* closed and not yet called back */
    int dissatisfied_open, supervision_open;
    int64_t offset, limit;
} store_order_filter;

/* One row of a list: the snapshot and its appeal.  Borrowed for the call. */
typedef struct {
    const hl_order *o;
    const char *appeal_id, *category, *source;
    const char *body;         /* the appeal's stored body (hl_event_write_rest) */
} store_order_item;
typedef hl_rc (*store_order_item_fn)(const store_order_item *it, void *arg);

/* Orders matching f, most urgent first (deadline, then newest); *total
 * counts every match, fn sees the page f->offset, f->limit. */
hl_rc store_orders_page(hl_store *s, const store_order_filter *f, int64_t *total,
                        store_order_item_fn fn, void *arg, hl_err *err);
/* The stored body of the appeal that created order_id (as store_appeal_body). */
hl_rc store_order_appeal(hl_store *s, int64_t order_id, hl_buf *out, int64_t *at,
                         int64_t *order_id_out, hl_err *err);
/* One order by id into o; HL_ENOTFOUND when absent. */
hl_rc store_order_by_id(hl_store *s, int64_t id, hl_order *o, hl_err *err);

/* A caller's appeals by phone, newest first. */
typedef struct {
    const char *appeal_id, *order_number, *category, *body;
    int64_t at;
    int channel, handling, state;   /* state -1 for a direct answer */
} store_appeal_item;
typedef hl_rc (*store_appeal_fn)(const store_appeal_item *a, void *arg);
hl_rc store_appeals_by_phone(hl_store *s, const char *phone, int64_t offset, int64_t limit,
                             int64_t *total, store_appeal_fn fn, void *arg, hl_err *err);

/* Public letters and Open311 requests: the code a citizen follows. */
typedef struct {
    const char *code, *appeal_id, *kind, *service_code, *address;
    int64_t created_at;
    double lat, lon;
    int has_position;
} store_letter;
hl_rc store_letter_put(hl_store *s, const store_letter *l, hl_err *err);
/* HL_ENOTFOUND when the code is unknown; order_number "" before an order exists. */
typedef hl_rc (*store_letter_fn)(const store_letter *l, const char *order_number, void *arg);
hl_rc store_letter_get(hl_store *s, const char *code, store_letter_fn fn, void *arg,
                       hl_err *err);
/* Letters of a kind created in [from, to) (0: open), service code and
 * ids when given, newest first. */
typedef struct {
    const char *kind, *service_code;
    const char *const *codes;
    size_t n_codes;
    int64_t from, to;
    int64_t offset, limit;
} store_letter_filter;
hl_rc store_letters_page(hl_store *s, const store_letter_filter *f, store_letter_fn fn,
                         void *arg, hl_err *err);

/* --- admin (sqlite_admin.c) ---------------------------------------------- */

/* One year's calendar text (*text caller frees); HL_ENOTFOUND when the
 * year has none. */
hl_rc store_calendar_get(hl_store *s, int year, char **text, hl_err *err);

/* One ledger entry by id, handed to fn (borrowed for the call);
 * HL_ENOTFOUND when there is none. */
hl_rc store_ledger_get(hl_store *s, int64_t id, store_ledger_fn fn, void *arg, hl_err *err);

/* --- knowledge base (sqlite_kb.c) ----------------------------------------- */

/* An article.  Strings are borrowed (for put: from the caller; for the
 * rows handed to a callback: valid during the call).  Times are UTC
 * seconds, 0 for none; unit 0 for none. */
typedef struct {
    const char *id, *title, *body, *category, *status;
    int64_t unit, valid_from, valid_to, next_review;
    int review_days;
    int64_t version, updated_at, uses;
    const char *updated_by, *note;   /* note: of a version */
} store_kb_article;
typedef hl_rc (*store_kb_fn)(const store_kb_article *a, void *arg);

/* Insert a new article (version 1) or change one, keeping the old content
 * as a version (who, when, note).  expect: the version the editor saw, or
 * -1 (an import); a different one is HL_ECONFLICT.  An unchanged article
 * gets no new version.  *version: its version now. */
hl_rc store_kb_put(hl_store *s, const store_kb_article *a, int64_t expect, int64_t *version,
                   hl_err *err);
/* Merge each of the articles' indexes into one segment, in a transaction of its own
 * (after a bulk import: a search looks a term up once per segment, and an
 * import of 1,000,000 articles left 31). */
hl_rc store_kb_optimize(hl_store *s, hl_err *err);
/* HL_ENOTFOUND when there is no such article. */
hl_rc store_kb_get(hl_store *s, const char *id, store_kb_fn fn, void *arg, hl_err *err);
/* Every version, newest first (version and updated_* are the version's). */
hl_rc store_kb_versions(hl_store *s, const char *id, store_kb_fn fn, void *arg, hl_err *err);
/* Articles page by page, by id (status NULL: any; unit 0: any). */
hl_rc store_kb_list(hl_store *s, const char *status, int64_t unit, int64_t offset, int64_t limit,
                    store_kb_fn fn, void *arg, int64_t *total, hl_err *err);
/* Count one use of an article by a direct answer (unknown ids are ignored:
 * an imported history may name articles this database does not hold). */
hl_rc store_kb_used(hl_store *s, const char *id, hl_err *err);

/* A search: match is an FTS5 expression and weights the weight of each of
 * its phrases, space-separated (text/query.c); the ranking's parameters
 * are the rules' (ledger.knowledge_base.search, store/sqlite_rank.c). */
typedef struct {
    const char *match, *weights;
    const char *category;    /* NULL: any */
    int64_t unit;            /* 0: any */
    int valid_only;          /* published and valid at now */
    int64_t now;
    double title_weight, fresh_weight, fresh_days, k1, b, idf_power;
    int candidates;          /* rank only the newest this many matches (0: all) */
    int limit;
    int trigram;             /* look match up in the trigram index: every term
                                ends in a word or 3+ CJK characters (text.h) */
} store_kb_query;
typedef struct {
    const char *id, *title, *body, *category;
    int64_t unit;
    double score;            /* higher is better */
} store_kb_hit;
typedef hl_rc (*store_kb_hit_fn)(const store_kb_hit *h, void *arg);
hl_rc store_kb_search(hl_store *s, const store_kb_query *q, store_kb_hit_fn fn, void *arg,
                      hl_err *err);

/* Review reminders. */
typedef struct {
    int64_t id, unit, created_at, due_at, answered_at;
    const char *article, *title, *answered_by, *answer;
} store_kb_reminder;
typedef hl_rc (*store_kb_reminder_fn)(const store_kb_reminder *r, void *arg);
/* A reminder for every published article whose review is due at now and
 * has none open; each is due answer_days later.  *made: how many. */
hl_rc store_kb_remind(hl_store *s, int64_t now, int answer_days, int64_t *made, hl_err *err);
/* Reminders (unit 0: all; open_only: unanswered), by due time. */
hl_rc store_kb_reminders(hl_store *s, int64_t unit, int open_only, store_kb_reminder_fn fn,
                         void *arg, hl_err *err);
/* Answer a reminder: confirmed (still right) or updated; the article's next
 * review moves to now + its interval.  HL_ENOTFOUND / HL_EEXISTS (already
 * answered). */
hl_rc store_kb_answer(hl_store *s, int64_t id, const char *answer, const char *by, int64_t now,
                      hl_err *err);
/* Reminders due in [from, to) that were not answered by their due time. */
hl_rc store_kb_lapsed(hl_store *s, int64_t from, int64_t to, store_kb_reminder_fn fn, void *arg,
                      hl_err *err);

/* --- 智能派单 (sqlite_text.c) -------------------------------------------- */

/* A trained model (text/classify.h bytes) by name ("categories", "units"). */
hl_rc store_text_model_put(hl_store *s, const char *name, int64_t trained_at, int64_t docs,
                           const void *data, size_t len, hl_err *err);
/* Appended to out; HL_ENOTFOUND when none was trained. */
hl_rc store_text_model_get(hl_store *s, const char *name, hl_buf *out, int64_t *trained_at,
                           hl_err *err);
/* When it was trained; 0 when never. */
hl_rc store_text_model_time(hl_store *s, const char *name, int64_t *trained_at, hl_err *err);

/* The training texts: appeals by category (units 0), or orders not being
 * returned by unit code (units 1).  Strings borrowed for the call. */
typedef struct {
    const char *content, *location, *label;
} store_text_doc;
typedef hl_rc (*store_text_doc_fn)(const store_text_doc *d, void *arg);
hl_rc store_text_docs(hl_store *s, int units, store_text_doc_fn fn, void *arg, hl_err *err);

/* Appeals received since `since`, newest first, at most limit: the same
 * phone (NULL: none), or a location matching an FTS5 expression (NULL:
 * none).  Strings borrowed for the call. */
typedef struct {
    const char *appeal_id, *order_number, *content, *location;
    int64_t at;
    int same_phone;
    const char *unit;           /* store_text_window: the order's unit code ("" none) */
} store_text_recent_item;
typedef hl_rc (*store_text_recent_fn)(const store_text_recent_item *it, void *arg);
hl_rc store_text_recent(hl_store *s, const char *phone, const char *location_match, int64_t since,
                        int64_t limit, store_text_recent_fn fn, void *arg, hl_err *err);
/* The appeals received in [from, to), newest first, at most limit (hot
 * spots). */
hl_rc store_text_window(hl_store *s, int64_t from, int64_t to, int64_t limit,
                        store_text_recent_fn fn, void *arg, hl_err *err);

#endif
