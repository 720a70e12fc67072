/* test_store.c — the SQLite store behind store.h: schema, settings,
 * calendars, units, order snapshots, the event history, transactions. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/buf.h"
#include "../../src/core/event.h"
#include "../../src/core/order.h"
#include "../../src/core/timeutil.h"
#include "../../src/core/unit.h"
#include "../../src/store/store.h"
#include "../test.h"

static char *dir;
static char *db_path;
static hl_store *S;
static hl_err E;

static void setup(void)
{
    dir = th_tmpdir();
    db_path = th_path(dir, "test.db");
    memset(&E, 0, sizeof E);
    ck_assert_msg(store_open(db_path, &S, &E) == HL_OK, "%s", E.msg);
}

static void teardown(void)
{
    store_close(S);
    S = NULL;
    free(db_path);
    th_rmtree(dir);
}

static void reopen(void)
{
    store_close(S);
    S = NULL;
    ck_assert_msg(store_open(db_path, &S, &E) == HL_OK, "%s", E.msg);
}

#define OK(call) ck_assert_msg((call) == HL_OK, "%s failed: %s", #call, E.msg)

/* ------------------------------------------------------------------------ */

/* A new database is migrated to the current schema version (1 when these
 * tests were written; each migration adds one). */
START_TEST(test_schema_created)
{
    ck_assert_int_ge(store_schema_version(S), 1);
    char *dump = th_db_dump(db_path);
    static const char *const tables[] = {"== appeals", "== calendars", "== events", "== orders",
                                         "== settings", "== units"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        ck_assert_msg(th_has(dump, tables[i]), "no table %s in:\n%s", tables[i] + 3, dump);
    free(dump);
}
END_TEST

START_TEST(test_reopen_idempotent)
{
    int version = store_schema_version(S);
    OK(store_setting_put(S, "rules", "{}", &E));
    char *before = th_db_dump(db_path);
    reopen();
    ck_assert_int_eq(store_schema_version(S), version);
    reopen();
    ck_assert_int_eq(store_schema_version(S), version);
    char *after = th_db_dump(db_path);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
}
END_TEST

START_TEST(test_open_refuses_bad_path)
{
    hl_store *s = S; /* non-NULL: store_open must clear it */
    char *path = th_path(dir, "no/such/dir/x.db");
    hl_rc rc = store_open(path, &s, &E);
    ck_assert_int_ne(rc, HL_OK);
    ck_assert_ptr_null(s);
    ck_assert_msg(E.msg[0], "no message");
    free(path);
}
END_TEST

START_TEST(test_open_refuses_newer_schema)
{
    char *path = th_path(dir, "future.db");
    hl_store *s;
    OK(store_open(path, &s, &E));
    store_close(s);
    /* pretend a later version of hotline migrated it */
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    ck_assert_int_eq(store_open(path, &s, &E), HL_ESTORE);
    ck_assert_msg(th_has(E.msg, "99"), "%s", E.msg);
    free(path);
}
END_TEST

START_TEST(test_settings_round_trip)
{
    char *v = (char *)"untouched";
    ck_assert_int_eq(store_setting_get(S, "rules", &v, &E), HL_ENOTFOUND);
    ck_assert_ptr_null(v);
    OK(store_setting_put(S, "rules", "{\"utc_offset\":\"+08:00\"}", &E));
    OK(store_setting_put(S, "other", "中文 value", &E));
    OK(store_setting_get(S, "rules", &v, &E));
    ck_assert_str_eq(v, "{\"utc_offset\":\"+08:00\"}");
    free(v);
    OK(store_setting_put(S, "rules", "replaced", &E));
    reopen();
    OK(store_setting_get(S, "rules", &v, &E));
    ck_assert_str_eq(v, "replaced");
    free(v);
    OK(store_setting_get(S, "other", &v, &E));
    ck_assert_str_eq(v, "中文 value");
    free(v);
}
END_TEST

START_TEST(test_calendar_round_trip)
{
    hl_calendar *cal = malloc(sizeof *cal);
    ck_assert_ptr_nonnull(cal);
    OK(store_calendar_load(S, cal, &E));
    int w;
    ck_assert_int_eq(hl_calendar_is_working(cal, hl_days_from_civil(2024, 5, 11), &w, &E),
                     HL_ENOCALENDAR);
    char *t24 = th_read(HL_DATA_DIR "/calendar/cn-2024.txt", NULL);
    char *t25 = th_read(HL_DATA_DIR "/calendar/cn-2025.txt", NULL);
    ck_assert_ptr_nonnull(t24);
    ck_assert_ptr_nonnull(t25);
    OK(store_calendar_put(S, 2025, t25, &E));
    OK(store_calendar_put(S, 2024, "year 2024\n", &E));
    OK(store_calendar_put(S, 2024, t24, &E)); /* replaces */
    reopen();
    OK(store_calendar_load(S, cal, &E));
    hl_calendar *want = th_calendar();
    for (int64_t d = hl_days_from_civil(2024, 1, 1); d < hl_days_from_civil(2026, 1, 1); d++) {
        int a = -1, b = -2;
        hl_calendar_is_working(cal, d, &a, &E);
        hl_calendar_is_working(want, d, &b, &E);
        TH_REQUIRE(a == b, "day %lld: stored %d, file %d", (long long)d, a, b);
    }
    ck_assert_int_eq(hl_calendar_is_working(cal, hl_days_from_civil(2026, 1, 5), &w, &E),
                     HL_ENOCALENDAR);
    free(want);
    free(t24);
    free(t25);
    free(cal);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* units */

static void merge(hl_units *u, const hl_unit_row *rows, size_t n)
{
    OK(hl_units_merge(u, rows, n, &E));
}

static void assert_same_units(const hl_units *a, const hl_units *b)
{
    ck_assert_uint_eq(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        ck_assert_int_eq(a->v[i].id, b->v[i].id);
        ck_assert_str_eq(a->v[i].code, b->v[i].code);
        ck_assert_str_eq(a->v[i].name, b->v[i].name);
        ck_assert_int_eq(a->v[i].kind, b->v[i].kind);
        ck_assert_int_eq(a->v[i].parent, b->v[i].parent);
        ck_assert_int_eq(hl_units_find(b, a->v[i].name), a->v[i].id);
    }
}

static void assert_units_stored(const hl_units *u)
{
    hl_units back;
    hl_units_init(&back);
    OK(store_units_load(S, &back, &E));
    assert_same_units(u, &back);
    hl_units_free(&back);
}

static const hl_unit_row base_rows[] = {
    {"C1", "城关区", "county", "", 2},
    {"T1", "城关镇", "county", "C1", 3},
    {"A1", "市住建局", "agency", "", 4},
    {"E1", "市水务集团", "enterprise", "", 5},
};

START_TEST(test_units_round_trip)
{
    hl_units u;
    hl_units_init(&u);
    merge(&u, base_rows, 4);
    OK(store_units_save(S, &u, &E));
    reopen();
    assert_units_stored(&u);
    /* update: rename, re-parent, add */
    static const hl_unit_row upd[] = {
        {"T1", "城关街道", "county", "", 2},
        {"A1", "市住房和城乡建设局", "agency", "", 3},
        {"V1", "东风村", "county", "T1", 4},
    };
    merge(&u, upd, 3);
    OK(store_units_save(S, &u, &E));
    OK(store_units_save(S, &u, &E)); /* saving again is harmless */
    reopen();
    assert_units_stored(&u);
    hl_units_free(&u);
}
END_TEST

START_TEST(test_units_name_swap_saved)
{
    /* the registry accepts two units exchanging names in one merge; the
     * store must be able to save that registry */
    hl_units u;
    hl_units_init(&u);
    merge(&u, base_rows, 4);
    OK(store_units_save(S, &u, &E));
    static const hl_unit_row swap[] = {
        {"A1", "市水务集团", "agency", "", 2},
        {"E1", "市住建局", "enterprise", "", 3},
    };
    merge(&u, swap, 2);
    OK(store_begin(S, &E));
    hl_rc rc = store_units_save(S, &u, &E);
    if (rc)
        store_rollback(S);
    else
        OK(store_commit(S, &E));
    ck_assert_msg(rc == HL_OK, "saving swapped names failed: %s", E.msg);
    assert_units_stored(&u);
    hl_units_free(&u);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* orders */

static void assert_same_order(const hl_order *a, const hl_order *b)
{
#define SAME(f) ck_assert_msg(a->f == b->f, #f ": %lld != %lld", (long long)a->f, (long long)b->f)
    SAME(id);
    ck_assert_str_eq(a->number, b->number);
    SAME(channel);
    SAME(nature);
    SAME(urgency);
    SAME(line);
    SAME(created_at);
    SAME(state);
    SAME(unit);
    SAME(handler);
    SAME(dispatched_at);
    SAME(deadline);
    SAME(pending_until);
    SAME(pending_return);
    SAME(pending_extension);
    SAME(replied);
    SAME(extension_asked);
    SAME(reworks);
    SAME(reply_at);
    SAME(closed_at);
    SAME(callbacks);
    SAME(dissatisfied_seq);
    SAME(dissatisfied_at);
    SAME(dissatisfied_open);
    SAME(supervisions_open);
    SAME(last_at);
#undef SAME
}

/* Every field set, each to a different value. */
static void fill_order(hl_order *o, const char *number, int64_t base)
{
    memset(o, 0, sizeof *o);
    snprintf(o->number, sizeof o->number, "%s", number);
    o->channel = CH_MAILBOX;
    o->nature = NATURE_REPORT;
    o->urgency = URGENCY_URGENT;
    o->line = LINE_TOURISM;
    o->created_at = base + 1;
    o->state = ST_REPLIED;
    o->unit = 3;
    o->handler = 4;
    o->dispatched_at = base + 2;
    o->deadline = base + 3;
    o->pending_until = base + 4;
    o->pending_return = 1;
    o->pending_extension = 1;
    o->replied = 1;
    o->extension_asked = 1;
    o->reworks = 5;
    o->reply_at = base + 5;
    o->closed_at = base + 6;
    o->callbacks = 7;
    o->dissatisfied_seq = 8;
    o->dissatisfied_at = base + 8;
    o->dissatisfied_open = 1;
    o->supervisions_open = 9;
    o->last_at = base + 7;
}

START_TEST(test_order_round_trip)
{
    hl_order o, back;
    fill_order(&o, "R-2024-000001", 1714959000);
    OK(store_order_put(S, &o, 1, &E));
    ck_assert_int_gt(o.id, 0);
    reopen();
    OK(store_order_get(S, "R-2024-000001", &back, &E));
    assert_same_order(&o, &back);

    /* update: every mutable field changes, zeros included */
    o.state = ST_CLOSED;
    o.unit = 0;
    o.handler = 0;
    o.dispatched_at = 0;
    o.deadline = -86400; /* before 1970 still round-trips */
    o.pending_until = 0;
    o.pending_return = 0;
    o.pending_extension = 0;
    o.replied = 0;
    o.extension_asked = 0;
    o.reworks = 0;
    o.reply_at = 0;
    o.closed_at = 0;
    o.callbacks = 0;
    o.dissatisfied_seq = 0;
    o.dissatisfied_at = 0;
    o.dissatisfied_open = 0;
    o.supervisions_open = 0;
    o.last_at = INT64_C(4102444800);
    int64_t id = o.id;
    OK(store_order_put(S, &o, 0, &E));
    ck_assert_int_eq(o.id, id);
    OK(store_order_get(S, "R-2024-000001", &back, &E));
    assert_same_order(&o, &back);

    int64_t n;
    OK(store_order_count(S, &n, &E));
    ck_assert_int_eq(n, 1);
}
END_TEST

START_TEST(test_order_ids)
{
    int64_t next = -1;
    OK(store_order_next_id(S, &next, &E));
    ck_assert_int_eq(next, 1);
    hl_order a, b, back;
    fill_order(&a, "R1", 0);
    a.id = 42; /* ingest assigns ids itself */
    OK(store_order_put(S, &a, 1, &E));
    ck_assert_int_eq(a.id, 42);
    OK(store_order_get(S, "R1", &back, &E));
    ck_assert_int_eq(back.id, 42);
    OK(store_order_next_id(S, &next, &E));
    ck_assert_int_eq(next, 43);
    fill_order(&b, "R2", 0);
    OK(store_order_put(S, &b, 1, &E)); /* id 0: the store picks one */
    ck_assert_int_gt(b.id, 42);
    OK(store_order_next_id(S, &next, &E));
    ck_assert_int_eq(next, b.id + 1);
    /* an update never inserts */
    hl_order c;
    fill_order(&c, "R3", 0);
    c.id = 7;
    OK(store_order_put(S, &c, 0, &E));
    ck_assert_int_eq(store_order_get(S, "R3", &back, &E), HL_ENOTFOUND);
}
END_TEST

START_TEST(test_order_get_unknown)
{
    hl_order o;
    ck_assert_int_eq(store_order_get(S, "R404", &o, &E), HL_ENOTFOUND);
    ck_assert_msg(th_has(E.msg, "R404"), "%s", E.msg);
    int64_t n = -1;
    OK(store_order_count(S, &n, &E));
    ck_assert_int_eq(n, 0);
}
END_TEST

START_TEST(test_order_number_unique)
{
    hl_order a, b;
    fill_order(&a, "R1", 1000);
    fill_order(&b, "R1", 2000);
    OK(store_order_put(S, &a, 1, &E));
    ck_assert_int_eq(store_order_put(S, &b, 1, &E), HL_ESTORE);
    hl_order back;
    OK(store_order_get(S, "R1", &back, &E));
    assert_same_order(&a, &back);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* events */

typedef struct {
    void *doc;
    hl_event e;
    char *body; /* what the store keeps: the members after op, at, order */
    char *line; /* the canonical line */
} stored_ev;

/* Parse line as an event with seq and store it (order_id may be 0). */
static void append(stored_ev *x, const char *line, int64_t seq, int64_t order_id)
{
    hl_buf b;
    OK(hl_event_parse_line(line, strlen(line), &x->e, &x->doc, &E));
    x->e.seq = seq;
    hl_buf_init(&b, 1 << 20);
    OK(hl_event_write_rest(&x->e, 480, NULL, &b));
    x->body = strdup(hl_buf_str(&b));
    hl_buf_reset(&b);
    OK(hl_event_write(&x->e, 480, NULL, &b));
    x->line = strdup(hl_buf_str(&b));
    hl_buf_free(&b);
    /* the channel of the event's order (an appeal carries its own) */
    int channel = x->e.op == OP_APPEAL ? x->e.channel : CH_HOTLINE;
    OK(store_event_append(S, &x->e, order_id, channel, x->body, &E));
}

static void stored_free(stored_ev *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        hl_event_doc_free(x[i].doc);
        free(x[i].body);
        free(x[i].line);
    }
}

typedef struct {
    int64_t seq[16];
    int64_t at[16];
    char body[16][512]; /* the line rebuilt from the row */
    const char *order[16];
    int n, stop_after;
} walk;

static hl_rc collect(const store_event_row *row, void *arg)
{
    walk *w = arg;
    ck_assert_int_lt(w->n, 16);
    hl_buf line;
    hl_buf_init(&line, 1 << 20);
    ck_assert_int_eq(hl_event_join((hl_op)row->op, row->at, row->order, row->body, 480, &line),
                     HL_OK);
    w->seq[w->n] = row->seq;
    w->at[w->n] = row->at;
    snprintf(w->body[w->n], sizeof w->body[0], "%s", hl_buf_str(&line));
    hl_buf_free(&line);
    w->order[w->n] = row->order ? "set" : NULL;
    w->n++;
    return w->stop_after && w->n == w->stop_after ? HL_EIO : HL_OK;
}

#define APPEAL1 "{\"op\":\"appeal\",\"at\":\"2024-05-06T09:00:00+08:00\",\"id\":\"A1\",\"channel\":\"hotline\",\"nature\":\"help\",\"content\":\"x\",\"handling\":\"order\",\"order\":\"R1\"}"
#define APPEAL2 "{\"op\":\"appeal\",\"at\":\"2024-05-06T08:00:00+08:00\",\"id\":\"A2\",\"channel\":\"mailbox\",\"nature\":\"consult\",\"content\":\"y\",\"handling\":\"order\",\"order\":\"R2\"}"
#define DIRECT3 "{\"op\":\"appeal\",\"at\":\"2024-05-06T08:30:00+08:00\",\"id\":\"A3\",\"channel\":\"hotline\",\"nature\":\"consult\",\"content\":\"z\",\"handling\":\"direct\"}"
#define SUPERVISE1 "{\"op\":\"supervise\",\"at\":\"2024-05-06T10:00:00+08:00\",\"order\":\"R1\"}"

START_TEST(test_events_append_find_each)
{
    hl_order r1, r2;
    fill_order(&r1, "R1", 0);
    fill_order(&r2, "R2", 0);
    OK(store_order_put(S, &r1, 1, &E));
    OK(store_order_put(S, &r2, 1, &E));
    int64_t last = -1;
    OK(store_last_seq(S, &last, &E));
    ck_assert_int_eq(last, 0);

    stored_ev ev[5];
    memset(ev, 0, sizeof ev);
    append(&ev[0], APPEAL1, 1, r1.id);
    append(&ev[1], APPEAL2, 2, r2.id);
    append(&ev[2], DIRECT3, 3, 0);
    append(&ev[3], SUPERVISE1, 4, r1.id);
    append(&ev[4], SUPERVISE1, 5, r1.id); /* the same event twice */
    OK(store_last_seq(S, &last, &E));
    ck_assert_int_eq(last, 5);

    /* find: by order, op, instant, body, after a position */
    int64_t seq = -1;
    const hl_event *sup = &ev[3].e;
    OK(store_event_find(S, r1.id, OP_SUPERVISE, sup->at, ev[3].body, 0, &seq, &E));
    ck_assert_int_eq(seq, 4);
    OK(store_event_find(S, r1.id, OP_SUPERVISE, sup->at, ev[3].body, 4, &seq, &E));
    ck_assert_int_eq(seq, 5);
    OK(store_event_find(S, r1.id, OP_SUPERVISE, sup->at, ev[3].body, 5, &seq, &E));
    ck_assert_int_eq(seq, 0);
    OK(store_event_find(S, r2.id, OP_SUPERVISE, sup->at, ev[3].body, 0, &seq, &E));
    ck_assert_int_eq(seq, 0);
    OK(store_event_find(S, r1.id, OP_SUPERVISE, sup->at + 1, ev[3].body, 0, &seq, &E));
    ck_assert_int_eq(seq, 0);
    OK(store_event_find(S, r1.id, OP_RECTIFIED, sup->at, ev[3].body, 0, &seq, &E));
    ck_assert_int_eq(seq, 0); /* same instant and (empty) body, another op */
    OK(store_event_find(S, r1.id, OP_SUPERVISE, sup->at, "\"note\":\"x\"", 0, &seq, &E));
    ck_assert_int_eq(seq, 0);
    OK(store_event_find(S, r1.id, OP_APPEAL, ev[0].e.at, ev[0].body, 0, &seq, &E));
    ck_assert_int_eq(seq, 1);

    /* appeal bodies */
    hl_buf b;
    int64_t at, order_id;
    hl_buf_init(&b, 1 << 20);
    OK(store_appeal_body(S, "A2", &b, &at, &order_id, &E));
    ck_assert_str_eq(hl_buf_str(&b), ev[1].body);
    ck_assert_int_eq(at, ev[1].e.at);
    OK(store_appeal_body(S, "A3", &b, &at, &order_id, &E));
    ck_assert_str_eq(hl_buf_str(&b), ev[2].body);
    ck_assert_int_eq(at, ev[2].e.at);
    ck_assert_int_eq(store_appeal_body(S, "A404", &b, &at, &order_id, &E), HL_ENOTFOUND);
    hl_buf_free(&b);

    reopen();
    /* one order, in history order */
    walk w;
    memset(&w, 0, sizeof w);
    OK(store_events_each(S, r1.id, collect, &w, &E));
    ck_assert_int_eq(w.n, 3);
    ck_assert_int_eq(w.seq[0], 1);
    ck_assert_int_eq(w.seq[1], 4);
    ck_assert_int_eq(w.seq[2], 5);
    ck_assert_str_eq(w.body[0], ev[0].line);
    ck_assert_str_eq(w.body[2], ev[4].line);
    ck_assert_ptr_nonnull(w.order[0]);
    /* all, in time order: A2 08:00, A3 08:30, A1 09:00, then 10:00 ×2 */
    memset(&w, 0, sizeof w);
    OK(store_events_each(S, 0, collect, &w, &E));
    ck_assert_int_eq(w.n, 5);
    static const int64_t want[] = {2, 3, 1, 4, 5};
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(w.seq[i], want[i]);
    ck_assert_ptr_null(w.order[1]); /* the direct answer has no order */
    ck_assert_int_eq(w.at[0], ev[1].e.at);
    /* a callback's non-zero return stops the walk and is returned */
    memset(&w, 0, sizeof w);
    w.stop_after = 2;
    ck_assert_int_eq(store_events_each(S, 0, collect, &w, &E), HL_EIO);
    ck_assert_int_eq(w.n, 2);
    stored_free(ev, 5);
}
END_TEST

static hl_rc count_item(const store_order_item *it, void *arg)
{
    (void)it;
    ++*(int *)arg;
    return HL_OK;
}

/* Orders whose appeal's text matches the FTS5 expression q: *total and
 * the items seen must agree. */
static int64_t text_matches(const char *q)
{
    store_order_filter f = {.states = ~0u, .channel = -1, .text = q, .limit = 10};
    int64_t total = -1;
    int seen = 0;
    OK(store_orders_page(S, &f, &total, count_item, &seen, &E));
    ck_assert_int_eq(total, seen);
    return total;
}

static hl_rc count_recent(const store_text_recent_item *it, void *arg)
{
    (void)it;
    ++*(int *)arg;
    return HL_OK;
}

/* Appeals whose text matches q, as the duplicates at intake look for them. */
static int similar_appeals(const char *q)
{
    int n = 0;
    OK(store_text_recent(S, NULL, q, 0, 10, count_recent, &n, &E));
    return n;
}

/* A server's connection indexes its appeals' text in appeals_recent when
 * the transaction commits (not what a savepoint rolled back); the upkeep
 * moves it into appeals_fts.  Before, after, and on a plain connection, a
 * search finds it exactly once. */
START_TEST(test_text_recent_upkeep)
{
    hl_order r1, r2;
    fill_order(&r1, "R1", 0);
    fill_order(&r2, "R2", 0);
    OK(store_order_put(S, &r1, 1, &E));
    OK(store_order_put(S, &r2, 1, &E));
    store_server_mode(S);
    stored_ev ev[3];
    memset(ev, 0, sizeof ev);
    OK(store_begin(S, &E));
    OK(store_savepoint(S, &E));
    append(&ev[0], APPEAL1, 1, r1.id);
    OK(store_release(S, &E));
    OK(store_savepoint(S, &E));
    append(&ev[2], APPEAL2, 2, r2.id);
    OK(store_rollback_to(S, &E));
    OK(store_commit(S, &E));
    ck_assert_int_eq(text_matches("\"x\""), 1);
    ck_assert_int_eq(text_matches("\"y\""), 0);
    ck_assert_int_eq(similar_appeals("\"x\""), 1); /* not yet moved: found all the same */
    OK(store_text_upkeep(S, 16, &E));
    ck_assert_int_eq(text_matches("\"x\""), 1);
    ck_assert_int_eq(similar_appeals("\"x\""), 1);
    OK(store_text_upkeep(S, 16, &E)); /* nothing recent: merging only */
    ck_assert_int_eq(text_matches("\"x\""), 1);
    reopen(); /* a plain connection indexes in appeals_fts at once */
    append(&ev[1], APPEAL2, 2, r2.id);
    ck_assert_int_eq(text_matches("\"y\""), 1);
    ck_assert_int_eq(text_matches("\"x\""), 1);
    stored_free(ev, 3);
}
END_TEST

START_TEST(test_event_seq_unique)
{
    stored_ev a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    append(&a, DIRECT3, 1, 0);
    OK(hl_event_parse_line(SUPERVISE1, strlen(SUPERVISE1), &b.e, &b.doc, &E));
    b.e.seq = 1;
    ck_assert_int_eq(store_event_append(S, &b.e, 0, CH_HOTLINE, "", &E), HL_ESTORE);
    stored_free(&a, 1);
    stored_free(&b, 1);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* transactions */

START_TEST(test_rollback_leaves_nothing)
{
    char *before = th_db_dump(db_path);
    OK(store_begin(S, &E));
    OK(store_setting_put(S, "rules", "{}", &E));
    OK(store_calendar_put(S, 2024, "year 2024\n", &E));
    hl_units u;
    hl_units_init(&u);
    merge(&u, base_rows, 4);
    OK(store_units_save(S, &u, &E));
    hl_order o;
    fill_order(&o, "R1", 0);
    OK(store_order_put(S, &o, 1, &E));
    stored_ev ev;
    memset(&ev, 0, sizeof ev);
    append(&ev, APPEAL1, 1, o.id);
    store_rollback(S);

    char *v = NULL;
    ck_assert_int_eq(store_setting_get(S, "rules", &v, &E), HL_ENOTFOUND);
    hl_order back;
    ck_assert_int_eq(store_order_get(S, "R1", &back, &E), HL_ENOTFOUND);
    int64_t n = -1;
    OK(store_last_seq(S, &n, &E));
    ck_assert_int_eq(n, 0);
    OK(store_order_count(S, &n, &E));
    ck_assert_int_eq(n, 0);
    hl_units none;
    hl_units_init(&none);
    OK(store_units_load(S, &none, &E));
    ck_assert_uint_eq(none.n, 0);
    char *after = th_db_dump(db_path);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    hl_units_free(&none);
    hl_units_free(&u);
    stored_free(&ev, 1);
    /* rolling back with no transaction open is harmless */
    store_rollback(S);
}
END_TEST

START_TEST(test_commit_persists)
{
    OK(store_begin(S, &E));
    OK(store_setting_put(S, "rules", "committed", &E));
    OK(store_commit(S, &E));
    store_rollback(S); /* nothing open: must not undo the commit */
    reopen();
    char *v;
    OK(store_setting_get(S, "rules", &v, &E));
    ck_assert_str_eq(v, "committed");
    free(v);
}
END_TEST

START_TEST(test_read_snapshot)
{
    OK(store_setting_put(S, "k", "1", &E));
    OK(store_begin_read(S, &E));
    char *v;
    OK(store_setting_get(S, "k", &v, &E));
    ck_assert_str_eq(v, "1");
    free(v);
    store_rollback(S);
    /* a second connection writes while the first has finished reading */
    hl_store *other;
    OK(store_open(db_path, &other, &E));
    OK(store_begin(other, &E));
    OK(store_setting_put(other, "k", "2", &E));
    OK(store_commit(other, &E));
    store_close(other);
    OK(store_setting_get(S, "k", &v, &E));
    ck_assert_str_eq(v, "2");
    free(v);
}
END_TEST

Suite *suite_store(void)
{
    Suite *s = suite_create("store");
    TCase *tc = tcase_create("schema");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_schema_created);
    tcase_add_test(tc, test_reopen_idempotent);
    tcase_add_test(tc, test_open_refuses_bad_path);
    tcase_add_test(tc, test_open_refuses_newer_schema);
    tcase_add_test(tc, test_settings_round_trip);
    tcase_add_test(tc, test_calendar_round_trip);
    suite_add_tcase(s, tc);
    tc = tcase_create("data");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_units_round_trip);
    tcase_add_test(tc, test_units_name_swap_saved);
    tcase_add_test(tc, test_order_round_trip);
    tcase_add_test(tc, test_order_ids);
    tcase_add_test(tc, test_order_get_unknown);
    tcase_add_test(tc, test_order_number_unique);
    tcase_add_test(tc, test_events_append_find_each);
    tcase_add_test(tc, test_event_seq_unique);
    tcase_add_test(tc, test_text_recent_upkeep);
    suite_add_tcase(s, tc);
    tc = tcase_create("transactions");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_rollback_leaves_nothing);
    tcase_add_test(tc, test_commit_persists);
    tcase_add_test(tc, test_read_snapshot);
    suite_add_tcase(s, tc);
    return s;
}
