/* test_merge.c — 并单 through ingest (the real CLI binary): an appeal event
 * with handling "merge" joins an existing open order without creating one;
 * the month's figures count it as a contact, never as an order or a direct
 * answer, and the assessment does not change; export → import keeps it; a
 * merge into an unknown or closed order, or earlier than the order's last
 * event, is refused with the line and nothing is written. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../test.h"

static char *dir; /* fresh per test */
static char *db;

static void setup(void)
{
    dir = th_tmpdir();
    db = th_path(dir, "hotline.db");
}

static void teardown(void)
{
    free(db);
    th_rmtree(dir);
}

#define UNITS "code\tname\tkind\tparent_code\nC1\t城关区\tcounty\t\n"

/* R0001 open (dispatched), R0002 closed, A0002 a direct answer */
#define BASE                                                                                     \
    "{\"op\":\"appeal\",\"at\":\"2024-05-06T09:00:00+08:00\",\"id\":\"A0001\","                  \
    "\"channel\":\"hotline\",\"nature\":\"complaint\",\"content\":\"夜间施工噪音\","             \
    "\"handling\":\"order\",\"order\":\"R0001\"}\n"                                              \
    "{\"op\":\"appeal\",\"at\":\"2024-05-06T09:30:00+08:00\",\"id\":\"A0002\","                  \
    "\"channel\":\"hotline\",\"nature\":\"consult\",\"content\":\"社保查询\","                   \
    "\"handling\":\"direct\"}\n"                                                                 \
    "{\"op\":\"appeal\",\"at\":\"2024-05-06T09:40:00+08:00\",\"id\":\"A0010\","                  \
    "\"channel\":\"hotline\",\"nature\":\"help\",\"content\":\"路灯不亮\","                      \
    "\"handling\":\"order\",\"order\":\"R0002\"}\n"                                              \
    "{\"op\":\"dispatch\",\"at\":\"2024-05-06T10:00:00+08:00\",\"order\":\"R0001\","             \
    "\"unit\":\"C1\"}\n"                                                                         \
    "{\"op\":\"dispatch\",\"at\":\"2024-05-06T10:10:00+08:00\",\"order\":\"R0002\","             \
    "\"unit\":\"C1\"}\n"                                                                         \
    "{\"op\":\"sign\",\"at\":\"2024-05-06T10:20:00+08:00\",\"order\":\"R0002\"}\n"               \
    "{\"op\":\"reply\",\"at\":\"2024-05-06T10:30:00+08:00\",\"order\":\"R0002\","                \
    "\"text\":\"已修复\"}\n"                                                                     \
    "{\"op\":\"review\",\"at\":\"2024-05-06T10:40:00+08:00\",\"order\":\"R0002\","               \
    "\"result\":\"accept\"}\n"

/* an appeal line at `at` merged into `order` */
#define MERGE(id, at, order)                                                                     \
    "{\"op\":\"appeal\",\"at\":\"" at "\",\"id\":\"" id "\",\"channel\":\"hotline\","           \
    "\"nature\":\"complaint\",\"content\":\"施工噪音又来了\",\"citizen\":{\"name\":\"李四\","    \
    "\"phone\":\"13900000002\"},\"handling\":\"merge\",\"order\":\"" order "\","                 \
    "\"actor\":\"话务员02\"}\n"

#define CUTOFF "2024-06-10T00:00:00+08:00"

/* Run the CLI on path; insist on exit 0 and return its output (caller frees). */
static char *cli_ok(const char *path, const char *const *args)
{
    th_proc p;
    int st = th_cli_v(&p, path, args);
    ck_assert_msg(st == 0, "hotline %s exited %d: %s", args[0], st, p.err);
    char *out = strdup(p.out);
    th_proc_free(&p);
    return out;
}
#define CLI(path, ...) cli_ok((path), (const char *const[]){__VA_ARGS__, NULL})

/* init, then import units and `events` (written to dir/name) into path */
static void import(const char *path, const char *name, const char *events)
{
    char *u = th_path(dir, "units.tsv"), *e = th_path(dir, name);
    th_write(u, UNITS);
    th_write(e, events);
    free(CLI(path, "init"));
    free(CLI(path, "import", u, e));
    free(u);
    free(e);
}

/* The month's hotline figures: contacts, direct, orders. */
static void figures(const char *path, long long v[3])
{
    char *out = CLI(path, "figures", "--month", "2024-05", "--as-of", CUTOFF, "--format", "json");
    json_t *j = json_loads(out, 0, NULL), *h = json_object_get(j, "hotline");
    ck_assert_msg(h != NULL, "%s", out);
    static const char *const keys[3] = {"contacts", "direct", "orders"};
    for (int i = 0; i < 3; i++)
        v[i] = json_integer_value(json_object_get(h, keys[i]));
    json_decref(j);
    free(out);
}

static char *assessment(const char *path)
{
    return CLI(path, "assess", "--channel", "hotline", "--month", "2024-05", "--as-of", CUTOFF);
}

START_TEST(test_merge_is_a_contact_not_an_order)
{
    char *plain = th_path(dir, "plain.db");
    import(plain, "plain.jsonl", BASE);
    import(db, "merged.jsonl", BASE MERGE("A0003", "2024-05-06T11:00:00+08:00", "R0001"));
    long long a[3], b[3];
    figures(plain, a);
    figures(db, b);
    ck_assert_int_eq(a[0], 3);
    ck_assert_int_eq(b[0], a[0] + 1); /* one more contact */
    ck_assert_int_eq(b[1], a[1]);     /* no direct answer */
    ck_assert_int_eq(b[2], a[2]);     /* and no order */
    char *x = assessment(plain), *y = assessment(db);
    ck_assert_str_eq(x, y);
    free(x);
    free(y);
    /* the order's history holds the merged appeal, no order R0003 or the like */
    char *show = CLI(db, "order", "show", "R0001");
    ck_assert_msg(th_has(show, "并单 12345热线 A0003") && th_has(show, "话务员02"), "%s", show);
    free(show);
    char *dump = th_db_dump(db);
    ck_assert_msg(th_has(dump, "A0003"), "merged appeal not stored");
    free(dump);
    free(plain);
}
END_TEST

START_TEST(test_merge_round_trip)
{
    import(db, "merged.jsonl", BASE MERGE("A0003", "2024-05-06T11:00:00+08:00", "R0001"));
    char *order0 = CLI(db, "order", "show", "R0001");
    /* a re-import skips it */
    char *u = th_path(dir, "units.tsv"), *e = th_path(dir, "merged.jsonl");
    char *out = CLI(db, "import", u, e);
    ck_assert_msg(th_has(out, "新增 0 条") && th_has(out, "跳过 9 条"), "%s", out);
    free(out);
    /* export → import → export is the identity */
    char *a = th_path(dir, "A"), *b = th_path(dir, "B"), *db2 = th_path(dir, "second.db");
    free(CLI(db, "export", a));
    char *ae = th_path(a, "events.jsonl"), *au = th_path(a, "units.tsv");
    char *ta = th_read(ae, NULL);
    ck_assert_msg(th_has(ta, "\"order\":\"R0001\",\"id\":\"A0003\"") &&
                      th_has(ta, "\"handling\":\"merge\""),
                  "%s", ta);
    free(CLI(db2, "init"));
    free(CLI(db2, "import", au, ae));
    free(CLI(db2, "export", b));
    char *be = th_path(b, "events.jsonl");
    char *tb = th_read(be, NULL);
    ck_assert_str_eq(ta, tb);
    char *order1 = CLI(db2, "order", "show", "R0001");
    ck_assert_str_eq(order0, order1);
    free(order0);
    free(order1);
    free(ta);
    free(tb);
    free(u);
    free(e);
    free(a);
    free(b);
    free(ae);
    free(au);
    free(be);
    free(db2);
}
END_TEST

/* Import `bad` after BASE: refused naming the line and `want`, db unchanged. */
static void refused(const char *bad, const char *want)
{
    import(db, "base.jsonl", BASE);
    char *before = th_db_dump(db);
    char *u = th_path(dir, "units.tsv"), *e = th_path(dir, "bad.jsonl");
    th_write(e, bad);
    th_proc p;
    int st = TH_CLI(&p, db, "import", u, e);
    ck_assert_msg(st != 0, "accepted: %s", p.out);
    ck_assert_msg(th_has(p.err, "bad.jsonl:1") && th_has(p.err, want), "%s", p.err);
    th_proc_free(&p);
    char *after = th_db_dump(db);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    free(u);
    free(e);
}

START_TEST(test_merge_unknown_order)
{
    refused(MERGE("A0003", "2024-05-06T11:00:00+08:00", "R0099"), "R0099 不存在");
}
END_TEST

START_TEST(test_merge_closed_order)
{
    refused(MERGE("A0003", "2024-05-06T11:00:00+08:00", "R0002"), "已办结");
}
END_TEST

START_TEST(test_merge_before_last_event)
{
    refused(MERGE("A0003", "2024-05-06T09:50:00+08:00", "R0001"), "早于其上一事件");
}
END_TEST

START_TEST(test_merge_without_order)
{
    refused("{\"op\":\"appeal\",\"at\":\"2024-05-06T11:00:00+08:00\",\"id\":\"A0003\","
            "\"channel\":\"hotline\",\"nature\":\"help\",\"content\":\"x\","
            "\"handling\":\"merge\"}\n",
            "须有字段 order");
}
END_TEST

Suite *suite_merge(void)
{
    Suite *s = suite_create("merge");
    TCase *tc = tcase_create("merge");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_merge_is_a_contact_not_an_order);
    tcase_add_test(tc, test_merge_round_trip);
    tcase_add_test(tc, test_merge_unknown_order);
    tcase_add_test(tc, test_merge_closed_order);
    tcase_add_test(tc, test_merge_before_last_event);
    tcase_add_test(tc, test_merge_without_order);
    suite_add_tcase(s, tc);
    return s;
}
