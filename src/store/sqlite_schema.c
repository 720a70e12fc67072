/* sqlite_schema.c — versioned migrations.  PRAGMA user_version holds the
 * number of migrations applied; each runs in its own transaction, so a
 * failed upgrade leaves the database at the previous version. */
#include <stdio.h>

#include "sqlite_int.h"

static const char *const migrations[] = {
    /* 1: registry, settings, calendars, orders, the event history */
    "CREATE TABLE settings(name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE calendars(year INTEGER PRIMARY KEY, text TEXT NOT NULL);"
    "CREATE TABLE units("
    "  id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('county','agency','enterprise')),"
    "  parent_id INTEGER REFERENCES units(id));"
    /* orders: the latest fold of each order's history (see core/order.h) */
    "CREATE TABLE orders("
    "  id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE,"
    "  channel INTEGER NOT NULL, nature INTEGER NOT NULL, urgency INTEGER NOT NULL,"
    "  line INTEGER NOT NULL, created_at INTEGER NOT NULL, state INTEGER NOT NULL,"
    "  unit_id INTEGER REFERENCES units(id), handler_id INTEGER REFERENCES units(id),"
    "  dispatched_at INTEGER, deadline INTEGER, pending_until INTEGER,"
    "  pending_return INTEGER NOT NULL, pending_extension INTEGER NOT NULL,"
    "  replied INTEGER NOT NULL, extension_asked INTEGER NOT NULL, reworks INTEGER NOT NULL,"
    "  reply_at INTEGER, closed_at INTEGER, callbacks INTEGER NOT NULL,"
    "  dissatisfied_seq INTEGER, dissatisfied_at INTEGER, dissatisfied_open INTEGER NOT NULL,"
    "  supervisions_open INTEGER NOT NULL, last_at INTEGER NOT NULL);"
    /* events: append-only; body is the canonical JSON members after op, at
     * and order, the other columns are what queries filter on (t2: deadline
     * or until) */
    "CREATE TABLE events("
    "  seq INTEGER PRIMARY KEY, order_id INTEGER REFERENCES orders(id),"
    "  channel INTEGER NOT NULL, op INTEGER NOT NULL, at INTEGER NOT NULL, unit_id INTEGER,"
    "  result INTEGER, t2 INTEGER, ref INTEGER, body TEXT NOT NULL);"
    "CREATE INDEX events_by_order ON events(order_id, at);"
    /* facts: the events an assessment folds (core/assess_fold.c), again, as
     * a narrow append-only table: an assessment as of a past instant scans a
     * seq range of it (events arrive in time order) and nothing else */
    "CREATE TABLE facts(seq INTEGER PRIMARY KEY REFERENCES events(seq), channel INTEGER NOT NULL,"
    "  at INTEGER NOT NULL, op INTEGER NOT NULL, order_id INTEGER NOT NULL, unit_id INTEGER,"
    "  result INTEGER, t2 INTEGER, ref INTEGER);"
    /* the seq range of each month's events (local month of `at`): where a
     * scan of a month starts and ends */
    "CREATE TABLE spans(month INTEGER PRIMARY KEY, first_seq INTEGER NOT NULL,"
    "  last_seq INTEGER NOT NULL);"
    "CREATE TABLE appeals("
    "  id TEXT PRIMARY KEY, seq INTEGER NOT NULL REFERENCES events(seq),"
    "  order_id INTEGER REFERENCES orders(id), channel INTEGER NOT NULL,"
    "  received_at INTEGER NOT NULL, handling INTEGER NOT NULL, line INTEGER NOT NULL,"
    "  source TEXT, category TEXT) WITHOUT ROWID;"
    /* the month's volumes by channel, category, source, line */
    "CREATE INDEX appeals_by_time ON appeals(channel, received_at, handling, line, source, category);"
    /* per unit and month, kept up to date as events arrive: the assessment
     * as of now reads these rows instead of the history (core/assess.h) */
    "CREATE TABLE unit_month("
    "  channel INTEGER NOT NULL, month INTEGER NOT NULL, unit_id INTEGER NOT NULL,"
    "  due INTEGER NOT NULL, done INTEGER NOT NULL, on_time INTEGER NOT NULL,"
    "  rework INTEGER NOT NULL, callbacks INTEGER NOT NULL, dissatisfied INTEGER NOT NULL,"
    "  satisfied INTEGER NOT NULL, PRIMARY KEY (channel, month, unit_id)) WITHOUT ROWID;",

    /* 2: the bonus/deduction ledger and the audit log */
    "CREATE TABLE ledger("
    "  id INTEGER PRIMARY KEY, month INTEGER NOT NULL, unit_id INTEGER NOT NULL REFERENCES units(id),"
    "  points INTEGER NOT NULL,"          /* tenths of a point, signed */
    "  indicator TEXT NOT NULL, detail TEXT NOT NULL, refs TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'dropped')),"
    "  rule TEXT,"                        /* the proposing rule; NULL for a manual entry */
    "  created_by TEXT NOT NULL, created_at INTEGER NOT NULL,"
    "  decided_by TEXT, decided_at INTEGER);"
    "CREATE UNIQUE INDEX ledger_by_rule ON ledger(month, unit_id, rule) WHERE rule IS NOT NULL;"
    "CREATE INDEX ledger_by_month ON ledger(month, status);"
    "CREATE TABLE audit("
    "  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
    "  detail TEXT NOT NULL);",

    /* 3: the server: order versions, what the queues and caller history
     * look up, users and sessions, idempotent intake, public letters */
    "ALTER TABLE orders ADD COLUMN version INTEGER NOT NULL DEFAULT 0;"
    "UPDATE orders SET version = (SELECT max(seq) FROM events WHERE order_id = orders.id);"
    "CREATE INDEX orders_by_unit ON orders(unit_id, state, deadline);"
    "CREATE INDEX orders_by_handler ON orders(handler_id, state, deadline, unit_id)"
    "  WHERE handler_id <> unit_id;"
    /* the small work queues, each a partial index matching its filter in
     * sqlite_orders.c word for word (SQLite uses a partial index only then) */
    "CREATE INDEX orders_callback_due ON orders(deadline) WHERE state = 4 AND callbacks = 0;"
    "CREATE INDEX orders_pending ON orders(deadline) WHERE (pending_return OR pending_extension);"
    "CREATE INDEX orders_dissatisfied ON orders(deadline) WHERE dissatisfied_open = 1;"
    "CREATE INDEX orders_supervised ON orders(deadline) WHERE supervisions_open > 0;"
    "CREATE INDEX orders_by_state ON orders(state, deadline);"
    "ALTER TABLE appeals ADD COLUMN phone TEXT;"
    "UPDATE appeals SET phone = (SELECT json_extract('{' || body || '}', '$.citizen.phone') "
    "  FROM events WHERE events.seq = appeals.seq);"
    "CREATE INDEX appeals_by_phone ON appeals(phone, received_at) WHERE phone IS NOT NULL;"
    "CREATE INDEX appeals_by_order ON appeals(order_id) WHERE order_id IS NOT NULL;"
    "ALTER TABLE audit ADD COLUMN ip TEXT;"
    "CREATE INDEX audit_by_time ON audit(at);"
    "CREATE TABLE users("
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,"
    "  unit_id INTEGER REFERENCES units(id), pwhash TEXT NOT NULL,"
    "  disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);"
    /* token: a hash of the cookie's secret, never the secret itself */
    "CREATE TABLE sessions("
    "  token TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),"
    "  csrf TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
    "  ip TEXT) WITHOUT ROWID;"
    /* the stored answer to a request with an Idempotency-Key (user 0: public) */
    "CREATE TABLE idempotency("
    "  user_id INTEGER NOT NULL, key TEXT NOT NULL, status INTEGER NOT NULL,"
    "  body TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (user_id, key)) WITHOUT ROWID;"
    /* letters to the public mailbox and Open311 requests: the query code a
     * citizen follows, the appeal it created */
    "CREATE TABLE letters("
    "  code TEXT PRIMARY KEY, appeal_id TEXT NOT NULL UNIQUE REFERENCES appeals(id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('mailbox', 'open311')),"
    "  service_code TEXT, created_at INTEGER NOT NULL, lat REAL, lon REAL,"
    "  address TEXT) WITHOUT ROWID;"
    "CREATE INDEX letters_by_time ON letters(kind, created_at);"
    /* ledger ids must never be reused: proposing again deletes undecided
     * proposals, and a decision names an id someone saw earlier */
    "CREATE TABLE ledger3("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, month INTEGER NOT NULL,"
    "  unit_id INTEGER NOT NULL REFERENCES units(id), points INTEGER NOT NULL,"
    "  indicator TEXT NOT NULL, detail TEXT NOT NULL, refs TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'dropped')),"
    "  rule TEXT, created_by TEXT NOT NULL, created_at INTEGER NOT NULL,"
    "  decided_by TEXT, decided_at INTEGER);"
    "INSERT INTO ledger3 SELECT id, month, unit_id, points, indicator, detail, refs, status, rule,"
    "  created_by, created_at, decided_by, decided_at FROM ledger;"
    "DROP TABLE ledger;"
    "ALTER TABLE ledger3 RENAME TO ledger;"
    "CREATE UNIQUE INDEX ledger_by_rule ON ledger(month, unit_id, rule) WHERE rule IS NOT NULL;"
    "CREATE INDEX ledger_by_month ON ledger(month, status);",

    /* 4: the knowledge base (sqlite_kb.c).  kb_fts indexes title and body
     * with the hlbigram tokenizer (sqlite_fts.c), kept in step by triggers;
     * a change of `uses` alone does not touch the index. */
    "CREATE TABLE kb_articles("
    "  n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT NOT NULL, body TEXT NOT NULL,"
    "  category TEXT, unit_id INTEGER REFERENCES units(id), valid_from INTEGER, valid_to INTEGER,"
    "  review_days INTEGER, next_review INTEGER,"
    "  status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'expired')),"
    "  version INTEGER NOT NULL, updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL,"
    "  uses INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX kb_review_due ON kb_articles(next_review) WHERE status = 'published';"
    "CREATE INDEX kb_by_unit ON kb_articles(unit_id);"
    "CREATE TABLE kb_versions("
    "  article INTEGER NOT NULL REFERENCES kb_articles(n), version INTEGER NOT NULL,"
    "  at INTEGER NOT NULL, actor TEXT NOT NULL, note TEXT, title TEXT NOT NULL, body TEXT NOT NULL,"
    "  category TEXT, unit_id INTEGER, valid_from INTEGER, valid_to INTEGER, review_days INTEGER,"
    "  next_review INTEGER, status TEXT NOT NULL, PRIMARY KEY (article, version)) WITHOUT ROWID;"
    "CREATE VIRTUAL TABLE kb_fts USING fts5(title, body, content='kb_articles', content_rowid='n',"
    "  tokenize='hlbigram', prefix='1');"
    "CREATE TRIGGER kb_fts_insert AFTER INSERT ON kb_articles BEGIN"
    "  INSERT INTO kb_fts(rowid, title, body) VALUES (new.n, new.title, new.body); END;"
    "CREATE TRIGGER kb_fts_update AFTER UPDATE OF title, body ON kb_articles BEGIN"
    "  INSERT INTO kb_fts(kb_fts, rowid, title, body) VALUES ('delete', old.n, old.title, old.body);"
    "  INSERT INTO kb_fts(rowid, title, body) VALUES (new.n, new.title, new.body); END;"
    "CREATE TABLE kb_reminders("
    "  id INTEGER PRIMARY KEY, article INTEGER NOT NULL REFERENCES kb_articles(n),"
    "  unit_id INTEGER REFERENCES units(id), created_at INTEGER NOT NULL, due_at INTEGER NOT NULL,"
    "  answered_at INTEGER, answered_by TEXT,"
    "  answer TEXT CHECK (answer IN ('confirmed', 'updated')));"
    "CREATE INDEX kb_reminders_open ON kb_reminders(unit_id, due_at) WHERE answered_at IS NULL;"
    "CREATE INDEX kb_reminders_by_due ON kb_reminders(due_at);"
    /* the text search of orders and appeals: content and location by the
     * appeal's seq (contentless: the text stays in the event bodies) */
    "CREATE VIRTUAL TABLE appeals_fts USING fts5(content, location, content='',"
    "  tokenize='hlbigram');"
    "INSERT INTO appeals_fts(rowid, content, location) SELECT seq,"
    "  json_extract('{' || body || '}', '$.content'), json_extract('{' || body || '}', '$.location')"
    "  FROM events WHERE op = 0;",

    /* 5: appeals_fts is written by every intake, one small transaction
     * each: FTS5's automatic merging on commit cut intake from 5,400 to
     * 740 req/s on a large index.  Merging is done by the server's own
     * thread instead (store_text_upkeep). */
    "INSERT INTO appeals_fts(appeals_fts, rank) VALUES ('automerge', 0);",

    /* 6: a server indexes each intake batch here, a small index whose
     * segments merge cheaply, and its own thread moves them into
     * appeals_fts in one segment per checkpoint_ms (store_text_upkeep) */
    "CREATE TABLE appeals_recent(seq INTEGER PRIMARY KEY, content TEXT, location TEXT);"
    "CREATE VIRTUAL TABLE appeals_recent_fts USING fts5(content, location,"
    "  content='appeals_recent', content_rowid='seq', tokenize='hlbigram');"
    "CREATE TRIGGER appeals_recent_insert AFTER INSERT ON appeals_recent BEGIN"
    "  INSERT INTO appeals_recent_fts(rowid, content, location)"
    "  VALUES (new.seq, new.content, new.location); END;",

    /* 7: 智能派单: the trained classifiers (text/classify.h bytes), one row
     * per model ("categories", "units"), replaced by each training */
    "CREATE TABLE text_models(name TEXT PRIMARY KEY, trained_at INTEGER NOT NULL,"
    "  docs INTEGER NOT NULL, model BLOB NOT NULL) WITHOUT ROWID;",

    /* 8: the bulletin's sections a manager writes (sqlite_bulletin.c),
     * every saved version kept; and for the month's figures (二（五）),
     * which otherwise read every event: the dissatisfied callbacks by time,
     * and callbacks, verifications, supervisions and rectifications by
     * order with what the figures read of them. */
    "CREATE TABLE bulletin_sections("
    "  month INTEGER NOT NULL, section INTEGER NOT NULL, version INTEGER NOT NULL,"
    "  text TEXT NOT NULL, author TEXT NOT NULL, at INTEGER NOT NULL,"
    "  PRIMARY KEY (month, section, version)) WITHOUT ROWID;"
    "CREATE INDEX events_dissatisfied ON events(channel, at, order_id, op, result) WHERE op = 10 AND result = 2;"
    "CREATE INDEX events_followup ON events(order_id, op, at, result, ref) WHERE op BETWEEN 10 AND 13;",

    /* 9: the bulletin's figures without reading the month's appeals (2 M
     * at a province's scale): the appeals counted per channel, local month
     * (yyyymm), line, handling, source and top-level category, kept by
     * ingest as unit_month is (ingest_counts.c), filled here from the
     * appeals at the rules' utc_offset ("+08:00"; UTC before any rules);
     * and the special lines' orders (about 1.5 % of them) by time. */
    "CREATE TABLE month_volumes("
    "  channel INTEGER NOT NULL, month INTEGER NOT NULL, line INTEGER NOT NULL,"
    "  handling INTEGER NOT NULL, source TEXT NOT NULL, top_category TEXT NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  PRIMARY KEY (channel, month, line, handling, source, top_category)) WITHOUT ROWID;"
    SQ_VOLUMES_FILL
    "CREATE INDEX appeals_special ON appeals(channel, received_at, line, source, order_id)"
    "  WHERE handling = 1 AND line <> 0;",

    /* 10: the knowledge base's trigram index (sqlite_kb.c): a keyword of 3
     * or more CJK characters is the phrase of its bigrams in kb_fts, and a
     * common bigram's list (问题: half of the articles) made such a search
     * 10–20 ms on a million articles; its trigrams' lists are short.  Same
     * columns and document lengths as kb_fts (text.h, HL_CUT_TRIGRAMS), so
     * hlrank scores alike; filled from the articles already there, in one
     * segment. */
    "CREATE VIRTUAL TABLE kb_trigram USING fts5(title, body,"
    "  content='kb_articles', content_rowid='n', tokenize='hltrigram');"
    "CREATE TRIGGER kb_trigram_insert AFTER INSERT ON kb_articles BEGIN"
    "  INSERT INTO kb_trigram(rowid, title, body) VALUES (new.n, new.title, new.body); END;"
    "CREATE TRIGGER kb_trigram_update AFTER UPDATE OF title, body ON kb_articles"
    "  BEGIN"
    "  INSERT INTO kb_trigram(kb_trigram, rowid, title, body)"
    "  VALUES ('delete', old.n, old.title, old.body);"
    "  INSERT INTO kb_trigram(rowid, title, body) VALUES (new.n, new.title, new.body); END;"
    "INSERT INTO kb_trigram(kb_trigram) VALUES ('rebuild');"
    "INSERT INTO kb_trigram(kb_trigram) VALUES ('optimize');",

    /* 11: what a search reads of each candidate article (sqlite_kb.c): the
     * filters' and freshness' columns, about 50 bytes a row, where the row
     * itself holds the text (330,000 pages for a million articles, so each
     * of a search's 300 candidates missed the page cache); the text is
     * read for the few hits only */
    "CREATE INDEX kb_rank_cols ON kb_articles(n, status, valid_from, valid_to,"
    "  updated_at, category, unit_id);",

    /* 12: the center's order lists (sqlite_orders.c).  Every order by
     * deadline: the first page of 717,000 orders sorted them all (2.6 s at
     * a province's scale), where walking this index reads 20.  Appeals by
     * seq: a text search's matches (appeals_fts rowids are seqs) lead to
     * their appeals, where each of 2 M appeals was probed against the
     * matches (6.5 s, also for none); with handling and order_id in it, a
     * match goes to its order without reading the appeal (70,000 matches:
     * 2.2 s → 0.95 s). */
    "CREATE INDEX orders_by_deadline ON orders(deadline);"
    "CREATE INDEX appeals_by_seq ON appeals(seq, handling, order_id);",
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int store_schema_version(hl_store *s)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static hl_rc migrate_from(hl_store *s, int v, hl_err *err)
{
    for (; v < N_MIGRATIONS; v++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
        if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
            return sq_fail(s, err, "开始迁移");
        if (sqlite3_exec(s->db, migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(s->db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
            hl_rc rc = sq_fail(s, err, "数据库迁移");
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
        if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            return sq_fail(s, err, "提交迁移");
    }
    return HL_OK;
}

hl_rc sq_migrate(hl_store *s, hl_err *err)
{
    int v = store_schema_version(s);
    if (v < 0)
        return sq_fail(s, err, "读取数据库版本");
    if (v > N_MIGRATIONS)
        return hl_fail(err, HL_ESTORE, "数据库版本 %d 高于本程序支持的 %d，请升级 hotline", v,
                       N_MIGRATIONS);
    if (v == N_MIGRATIONS)
        return HL_OK;
    /* an index built over a large table sorts it: with temporary files in
     * memory (the connection's setting) that sort is all in RAM — 425 MB
     * for migration 12 on a province's month, in the server that upgraded */
    sqlite3_exec(s->db, "PRAGMA temp_store=FILE", NULL, NULL, NULL);
    hl_rc rc = migrate_from(s, v, err);
    sqlite3_exec(s->db, "PRAGMA temp_store=MEMORY", NULL, NULL, NULL);
    return rc;
}

hl_rc store_volumes_rebuild(hl_store *s, hl_err *err)
{
    if (sqlite3_exec(s->db, "DELETE FROM month_volumes; " SQ_VOLUMES_FILL, NULL, NULL, NULL) !=
        SQLITE_OK)
        return sq_fail(s, err, "重算月度诉求量");
    return HL_OK;
}
