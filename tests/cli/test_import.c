/* test_import.c — the real CLI binary (HL_TEST_BIN): import and export of
 * the interchange files, bad input refused with FILE:LINE and the database
 * untouched, and the small commands (help, usage, order show, units list). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/core/timeutil.h"
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

/* a, b, … concatenated (caller frees); the list ends with NULL. */
static char *cat(const char *first, ...) __attribute__((sentinel));
static char *cat(const char *first, ...)
{
    va_list ap;
    size_t n = 1;
    va_start(ap, first);
    for (const char *s = first; s; s = va_arg(ap, const char *))
        n += strlen(s);
    va_end(ap);
    char *out = malloc(n);
    ck_assert_ptr_nonnull(out);
    out[0] = '\0';
    va_start(ap, first);
    for (const char *s = first; s; s = va_arg(ap, const char *))
        strcat(out, s);
    va_end(ap);
    return out;
}

/* Write text to dir/name; returns the path (caller frees). */
static char *file(const char *name, const char *text)
{
    char *path = th_path(dir, name);
    th_write(path, text);
    return path;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Run the CLI on db and insist on exit 0; the output is kept in *p. */
#define CLI_OK(p, ...)                                                                   \
    do {                                                                                 \
        int st_ = TH_CLI((p), db, __VA_ARGS__);                                          \
        ck_assert_msg(st_ == 0, "hotline %s exited %d\nstdout: %s\nstderr: %s",          \
                      #__VA_ARGS__, st_, (p)->out, (p)->err);                            \
    } while (0)

/* Same, discarding the output. */
#define RUN_OK(...)                                                                      \
    do {                                                                                 \
        th_proc q_;                                                                      \
        CLI_OK(&q_, __VA_ARGS__);                                                        \
        th_proc_free(&q_);                                                               \
    } while (0)

/* ------------------------------------------------------------------------ */
/* a small valid history */

#define UNITS_HEAD "code\tname\tkind\tparent_code\n"
#define BASE_UNITS                                                                      \
    UNITS_HEAD "C1\t城关区\tcounty\t\n"                                                  \
               "T1\t城关镇\tcounty\tC1\n"                                                \
               "A1\t市住建局\tagency\t\n"                                                \
               "E1\t市水务集团\tenterprise\t\n"
#define NEW_UNIT "N1\t市数据局\tagency\t\n"

#define BASE_EVENTS                                                                                      \
    "{\"op\":\"appeal\",\"at\":\"2024-05-06T09:00:00+08:00\",\"id\":\"A0001\",\"channel\":\"hotline\","   \
    "\"nature\":\"complaint\",\"content\":\"夜间施工噪音\",\"citizen\":{\"name\":\"张三\","                \
    "\"phone\":\"13812345678\"},\"handling\":\"order\",\"order\":\"R0001\"}\n"                          \
    "{\"op\":\"appeal\",\"at\":\"2024-05-06T09:30:00+08:00\",\"id\":\"A0002\",\"channel\":\"hotline\","   \
    "\"nature\":\"consult\",\"content\":\"公积金提取\",\"handling\":\"order\",\"order\":\"R0002\"}\n"      \
    "{\"op\":\"appeal\",\"at\":\"2024-05-06T09:40:00+08:00\",\"id\":\"A0003\",\"channel\":\"hotline\","   \
    "\"nature\":\"consult\",\"content\":\"社保查询\",\"handling\":\"direct\",\"kb\":[101,\"KB-7\"]}\n"     \
    "{\"op\":\"dispatch\",\"at\":\"2024-05-06T10:00:00+08:00\",\"order\":\"R0001\",\"unit\":\"C1\"}\n"    \
    "{\"op\":\"dispatch\",\"at\":\"2024-05-06T10:30:00+08:00\",\"order\":\"R0002\",\"unit\":\"市住建局\"}\n" \
    "{\"op\":\"sign\",\"at\":\"2024-05-06T11:00:00+08:00\",\"order\":\"R0001\"}\n"                        \
    "{\"op\":\"subdispatch\",\"at\":\"2024-05-06T12:00:00+08:00\",\"order\":\"R0001\",\"unit\":\"T1\"}\n" \
    "{\"op\":\"reply\",\"at\":\"2024-05-07T09:00:00+08:00\",\"order\":\"R0001\",\"text\":\"已责令停工\"}\n" \
    "{\"op\":\"appeal\",\"at\":\"2024-05-06T13:00:00+08:00\",\"id\":\"A0004\",\"channel\":\"mailbox\","   \
    "\"nature\":\"suggestion\",\"content\":\"增设公交线路\",\"handling\":\"order\",\"order\":\"R0003\"}\n" \
    "{\"op\":\"dispatch\",\"at\":\"2024-05-06T14:00:00+08:00\",\"order\":\"R0003\",\"unit\":\"E1\","      \
    "\"deadline\":\"2024-05-31T23:59:59+08:00\"}\n"                                                      \
    "{\"op\":\"sign\",\"at\":\"2024-05-06T15:00:00+08:00\",\"order\":\"R0003\"}\n"
#define BASE_EVENT_COUNT 11

/* every op, on one order */
#define RICH_EVENTS                                                                                      \
    "{\"op\":\"appeal\",\"at\":\"2024-05-08T09:00:00.5+08:00\",\"id\":\"A0020\",\"channel\":\"hotline\"," \
    "\"source\":\"phone\",\"line\":\"enterprise\",\"category\":\"市场监管\",\"nature\":\"report\","       \
    "\"urgency\":\"urgent\",\"content\":\"无证经营\\n多次反映 \\\"急\\\"\",\"location\":\"城关区某路\","   \
    "\"citizen\":{\"name\":\"李四\",\"phone\":\"13900001111\"},\"handling\":\"order\","                  \
    "\"order\":\"R0020\",\"actor\":\"话务员01\"}\n"                                                       \
    "{\"op\":\"dispatch\",\"at\":\"2024-05-08T01:10:00Z\",\"order\":\"R0020\",\"unit\":\"城关区\"}\n"     \
    "{\"op\":\"return_request\",\"at\":\"2024-05-08T09:20:00+08:00\",\"order\":\"R0020\","                \
    "\"reason\":\"非本单位职责\"}\n"                                                                       \
    "{\"op\":\"return_decision\",\"at\":\"2024-05-08T09:30:00+08:00\",\"order\":\"R0020\","               \
    "\"approved\":true,\"reason\":\"同意退回\"}\n"                                                         \
    "{\"op\":\"dispatch\",\"at\":\"2024-05-08T09:40:00+08:00\",\"order\":\"R0020\",\"unit\":\"A1\"}\n"    \
    "{\"op\":\"sign\",\"at\":\"2024-05-08T09:50:00+08:00\",\"order\":\"R0020\",\"note\":null}\n"          \
    "{\"op\":\"extension_request\",\"at\":\"2024-05-08T10:00:00+08:00\",\"order\":\"R0020\","             \
    "\"until\":\"2024-05-20T23:59:59+08:00\",\"reason\":\"需现场核查\"}\n"                                 \
    "{\"op\":\"extension_decision\",\"at\":\"2024-05-08T10:10:00+08:00\",\"order\":\"R0020\","            \
    "\"approved\":true}\n"                                                                               \
    "{\"op\":\"reply\",\"at\":\"2024-05-08T10:20:00+08:00\",\"order\":\"R0020\",\"text\":\"已查处\"}\n"   \
    "{\"op\":\"review\",\"at\":\"2024-05-08T10:30:00+08:00\",\"order\":\"R0020\",\"result\":\"return\","  \
    "\"reason\":\"未说明处理结果\"}\n"                                                                     \
    "{\"op\":\"reply\",\"at\":\"2024-05-08T10:40:00+08:00\",\"order\":\"R0020\",\"text\":\"已查处并罚款\"}\n" \
    "{\"op\":\"review\",\"at\":\"2024-05-08T10:50:00+08:00\",\"order\":\"R0020\",\"result\":\"accept\"}\n" \
    "{\"op\":\"callback\",\"at\":\"2024-05-08T11:00:00+08:00\",\"order\":\"R0020\","                      \
    "\"result\":\"dissatisfied\",\"note\":\"仍在经营\"}\n"                                                 \
    "{\"op\":\"verify\",\"at\":\"2024-05-08T11:10:00+08:00\",\"order\":\"R0020\",\"result\":\"upheld\"}\n" \
    "{\"op\":\"supervise\",\"at\":\"2024-05-08T11:20:00+08:00\",\"order\":\"R0020\","                     \
    "\"note\":\"限期整改\"}\n"                                                                             \
    "{\"op\":\"reopen\",\"at\":\"2024-05-08T11:30:00+08:00\",\"order\":\"R0020\","                        \
    "\"reason\":\"核实不满意\"}\n"                                                                         \
    "{\"op\":\"rectified\",\"at\":\"2024-05-08T11:40:00+08:00\",\"order\":\"R0020\","                     \
    "\"note\":\"已整改\",\"actor\":\"督办员\"}\n"

/* init + import of the base history into db */
static void load_base(void)
{
    char *u = file("base-units.tsv", BASE_UNITS);
    char *e = file("base-events.jsonl", BASE_EVENTS);
    RUN_OK("init");
    th_proc p;
    CLI_OK(&p, "import", u, e);
    ck_assert_msg(th_has(p.out, "新增 11 条"), "%s", p.out);
    th_proc_free(&p);
    free(u);
    free(e);
}

/* export db to dir/name; returns "units.tsv\n<text>events.jsonl\n<text>" (caller frees) */
static char *export_text(const char *dbpath, const char *name)
{
    char *out = th_path(dir, name);
    th_proc p;
    int st = TH_CLI(&p, dbpath, "export", out);
    ck_assert_msg(st == 0, "export: %d %s", st, p.err);
    th_proc_free(&p);
    char *u = th_path(out, "units.tsv"), *e = th_path(out, "events.jsonl");
    char *ut = th_read(u, NULL), *et = th_read(e, NULL);
    ck_assert_ptr_nonnull(ut);
    ck_assert_ptr_nonnull(et);
    char *all = cat("units.tsv\n", ut, "events.jsonl\n", et, NULL);
    free(u);
    free(e);
    free(ut);
    free(et);
    free(out);
    return all;
}

/* ------------------------------------------------------------------------ */
/* the seed: 119 627 events, export → import → export is the identity */

static int file_lines(const char *path)
{
    char *t = th_read(path, NULL);
    ck_assert_msg(t != NULL, "cannot read %s", path);
    int n = count_lines(t);
    free(t);
    return n;
}

static void assert_same_file(const char *a, const char *b)
{
    size_t na, nb;
    char *ta = th_read(a, &na), *tb = th_read(b, &nb);
    ck_assert_msg(ta && tb, "cannot read %s or %s", a, b);
    ck_assert_msg(na == nb && memcmp(ta, tb, na) == 0, "%s and %s differ (%zu vs %zu bytes)", a,
                  b, na, nb);
    free(ta);
    free(tb);
}

START_TEST(test_seed_round_trip_and_reimport)
{
    th_proc p;
    char *seed = th_path(dir, "seed");
    const char *py[] = {"/usr/bin/env", "python3", HL_SHARED_DIR "/tools/seed-events.py", seed,
                        NULL};
    ck_assert_msg(th_run(&p, py) == 0, "seed-events.py: %s", p.err);
    th_proc_free(&p);
    char *su = th_path(seed, "units.tsv"), *se = th_path(seed, "events.jsonl");
    ck_assert_int_eq(file_lines(se), 119627);

    /* db1: init, import the seed */
    RUN_OK("init");
    CLI_OK(&p, "import", su, se);
    ck_assert_msg(th_has(p.out, "新增 119627 条") && th_has(p.out, "跳过 0 条"), "%s", p.out);
    th_proc_free(&p);

    /* export A */
    char *a = th_path(dir, "A"), *au = th_path(a, "units.tsv"), *ae = th_path(a, "events.jsonl");
    CLI_OK(&p, "export", a);
    th_proc_free(&p);
    ck_assert_int_eq(file_lines(ae), 119627);
    assert_same_file(su, au); /* the registry comes back as it went in */

    /* db2 (never initialised: import takes the default rules): import A, export B */
    char *db2 = th_path(dir, "second.db");
    char *b = th_path(dir, "B"), *bu = th_path(b, "units.tsv"), *be = th_path(b, "events.jsonl");
    int st = TH_CLI(&p, db2, "import", au, ae);
    ck_assert_msg(st == 0, "import of the export: %s", p.err);
    ck_assert_msg(th_has(p.out, "新增 119627 条"), "%s", p.out);
    th_proc_free(&p);
    st = TH_CLI(&p, db2, "export", b);
    ck_assert_msg(st == 0, "export B: %s", p.err);
    th_proc_free(&p);
    assert_same_file(au, bu);
    assert_same_file(ae, be);

    /* re-importing the seed into db1 changes nothing */
    char *before = th_db_dump(db);
    CLI_OK(&p, "import", su, se);
    ck_assert_msg(th_has(p.out, "新增 0 条") && th_has(p.out, "跳过 119627 条"), "%s", p.out);
    th_proc_free(&p);
    char *after = th_db_dump(db);
    ck_assert_msg(strcmp(before, after) == 0, "re-import changed the database");
    char *c = th_path(dir, "C"), *cu = th_path(c, "units.tsv"), *ce = th_path(c, "events.jsonl");
    CLI_OK(&p, "export", c);
    th_proc_free(&p);
    assert_same_file(au, cu);
    assert_same_file(ae, ce);

    char *paths[] = {seed, su, se, a, au, ae, db2, b, bu, be, before, after, c, cu, ce};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        free(paths[i]);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* bad input: refused with FILE:LINE: reason, the database unchanged */

/* Good lines around the bad one: two new orders, one on a unit (N1) that
 * only this import's units file brings, and events on the base orders. */
#define GOOD_HEAD                                                                                     \
    "{\"op\":\"appeal\",\"at\":\"2024-05-08T09:00:00+08:00\",\"id\":\"A0010\",\"channel\":\"hotline\"," \
    "\"nature\":\"help\",\"content\":\"路灯不亮\",\"handling\":\"order\",\"order\":\"R0010\"}\n"         \
    "{\"op\":\"appeal\",\"at\":\"2024-05-08T09:01:00+08:00\",\"id\":\"A0011\",\"channel\":\"hotline\"," \
    "\"nature\":\"complaint\",\"content\":\"占道经营\",\"handling\":\"order\",\"order\":\"R0011\"}\n"    \
    "{\"op\":\"dispatch\",\"at\":\"2024-05-08T09:10:00+08:00\",\"order\":\"R0010\",\"unit\":\"N1\"}\n"  \
    "{\"op\":\"review\",\"at\":\"2024-05-08T09:20:00+08:00\",\"order\":\"R0001\",\"result\":\"accept\"}\n" \
    "{\"op\":\"supervise\",\"at\":\"2024-05-08T09:30:00+08:00\",\"order\":\"R0003\",\"note\":\"督办\"}\n"
#define GOOD_TAIL                                                                                     \
    "{\"op\":\"sign\",\"at\":\"2024-05-08T10:00:00+08:00\",\"order\":\"R0010\"}\n"                      \
    "{\"op\":\"callback\",\"at\":\"2024-05-08T10:10:00+08:00\",\"order\":\"R0001\","                    \
    "\"result\":\"satisfied\"}\n"                                                                      \
    "{\"op\":\"rectified\",\"at\":\"2024-05-08T10:20:00+08:00\",\"order\":\"R0003\"}\n"

/* The base history loaded; then GOOD_HEAD, `before`, the bad line and
 * GOOD_TAIL with units BASE_UNITS + N1: refused naming the bad line and
 * every reason token, nothing kept.  Without the bad line the same files
 * import. */
static void bad_events(const char *before, const char *bad, const char *const *reasons)
{
    load_base();
    char *dump0 = th_db_dump(db);
    char *units = file("units.tsv", BASE_UNITS NEW_UNIT);
    char *text = cat(GOOD_HEAD, before, bad, "\n", GOOD_TAIL, NULL);
    char *events = file("events.jsonl", text);
    int line = count_lines(GOOD_HEAD) + count_lines(before) + 1;

    th_proc p;
    int st = TH_CLI(&p, db, "import", units, events);
    ck_assert_msg(st == 1, "bad line accepted (exit %d)\nstdout: %s\nstderr: %s", st, p.out,
                  p.err);
    char where[4200];
    snprintf(where, sizeof where, "hotline: %s:%d: ", events, line);
    ck_assert_msg(th_has(p.err, where), "stderr should contain \"%s\":\n%s", where, p.err);
    for (size_t i = 0; reasons[i]; i++)
        ck_assert_msg(th_has(p.err, reasons[i]), "stderr should give the reason (%s):\n%s",
                      reasons[i], p.err);
    ck_assert_msg(!th_has(p.out, "导入完成"), "%s", p.out);
    th_proc_free(&p);

    char *dump1 = th_db_dump(db);
    ck_assert_msg(strcmp(dump0, dump1) == 0, "the refused import changed the database");

    /* control: the same files without the bad line are fine */
    free(text);
    text = cat(GOOD_HEAD, before, GOOD_TAIL, NULL);
    th_write(events, text);
    st = TH_CLI(&p, db, "import", units, events);
    ck_assert_msg(st == 0, "the good lines alone were refused: %s", p.err);
    th_proc_free(&p);

    free(dump0);
    free(dump1);
    free(units);
    free(events);
    free(text);
}

#define BAD(before, bad, ...) bad_events((before), (bad), (const char *const[]){__VA_ARGS__, NULL})

START_TEST(test_bad_truncated_json)
{
    BAD("", "{\"op\":\"sign\",\"at\":\"2024-05-08T09:40:00+08:00\",\"order\":\"R00", "JSON");
}
END_TEST

START_TEST(test_bad_utf8)
{
    BAD("",
        "{\"op\":\"reply\",\"at\":\"2024-05-08T09:40:00+08:00\",\"order\":\"R0003\","
        "\"text\":\"已\xe5\x8a\xff处理\"}",
        "UTF-8");
}
END_TEST

START_TEST(test_bad_time_without_offset)
{
    BAD("", "{\"op\":\"sign\",\"at\":\"2024-05-08T09:40:00\",\"order\":\"R0002\"}",
        "2024-05-08T09:40:00", "at");
}
END_TEST

START_TEST(test_bad_missing_field)
{
    BAD("", "{\"op\":\"reply\",\"at\":\"2024-05-08T09:40:00+08:00\",\"order\":\"R0003\"}", "text");
}
END_TEST

START_TEST(test_bad_unknown_unit)
{
    BAD("",
        "{\"op\":\"dispatch\",\"at\":\"2024-05-08T09:40:00+08:00\",\"order\":\"R0011\","
        "\"unit\":\"U404\"}",
        "U404", "R0011");
}
END_TEST

START_TEST(test_bad_unknown_order)
{
    BAD("", "{\"op\":\"sign\",\"at\":\"2024-05-08T09:40:00+08:00\",\"order\":\"R9999\"}", "R9999");
}
END_TEST

START_TEST(test_bad_reply_before_sign)
{
    BAD("",
        "{\"op\":\"reply\",\"at\":\"2024-05-08T09:40:00+08:00\",\"order\":\"R0002\","
        "\"text\":\"已答复\"}",
        "R0002", "reply");
}
END_TEST

START_TEST(test_bad_review_without_reply)
{
    BAD("",
        "{\"op\":\"review\",\"at\":\"2024-05-08T09:40:00+08:00\",\"order\":\"R0003\","
        "\"result\":\"accept\"}",
        "R0003", "review");
}
END_TEST

START_TEST(test_bad_decision_without_request)
{
    BAD("",
        "{\"op\":\"return_decision\",\"at\":\"2024-05-08T09:40:00+08:00\",\"order\":\"R0003\","
        "\"approved\":true}",
        "R0003", "return_decision");
}
END_TEST

START_TEST(test_bad_extension_earlier_than_deadline)
{
    /* R0003's deadline is 2024-05-31 */
    BAD("",
        "{\"op\":\"extension_request\",\"at\":\"2024-05-08T09:40:00+08:00\",\"order\":\"R0003\","
        "\"until\":\"2024-05-20T23:59:59+08:00\"}",
        "R0003", "extension_request");
}
END_TEST

START_TEST(test_bad_extension_earlier_than_approved)
{
    /* R0002's dispatch deadline is 2024-05-08; an approved extension moves
     * it to 05-20, and a new request must beat that */
    BAD("{\"op\":\"extension_request\",\"at\":\"2024-05-08T09:40:00+08:00\",\"order\":\"R0002\","
        "\"until\":\"2024-05-20T23:59:59+08:00\"}\n"
        "{\"op\":\"extension_decision\",\"at\":\"2024-05-08T09:41:00+08:00\",\"order\":\"R0002\","
        "\"approved\":true}\n",
        "{\"op\":\"extension_request\",\"at\":\"2024-05-08T09:42:00+08:00\",\"order\":\"R0002\","
        "\"until\":\"2024-05-15T23:59:59+08:00\"}",
        "R0002", "extension_request");
}
END_TEST

START_TEST(test_bad_order_appealed_twice)
{
    BAD("",
        "{\"op\":\"appeal\",\"at\":\"2024-05-08T09:40:00+08:00\",\"id\":\"A0012\","
        "\"channel\":\"hotline\",\"nature\":\"help\",\"content\":\"另一条诉求\","
        "\"handling\":\"order\",\"order\":\"R0001\"}",
        "R0001");
}
END_TEST

START_TEST(test_bad_appeal_id_reused)
{
    BAD("",
        "{\"op\":\"appeal\",\"at\":\"2024-05-06T09:00:00+08:00\",\"id\":\"A0001\","
        "\"channel\":\"hotline\",\"nature\":\"complaint\",\"content\":\"内容不同\","
        "\"handling\":\"order\",\"order\":\"R0001\"}",
        "A0001");
}
END_TEST

/* An appeal id already stored names one appeal: the same id with another
 * order number, or at another time, is a conflict, not a re-import. */
START_TEST(test_bad_appeal_id_reused_other_order)
{
    BAD("",
        "{\"op\":\"appeal\",\"at\":\"2024-05-06T09:00:00+08:00\",\"id\":\"A0001\","
        "\"channel\":\"hotline\",\"nature\":\"complaint\",\"content\":\"夜间施工噪音\","
        "\"citizen\":{\"name\":\"张三\",\"phone\":\"13812345678\"},\"handling\":\"order\","
        "\"order\":\"R0099\"}",
        "A0001");
}
END_TEST

START_TEST(test_bad_appeal_id_reused_other_time)
{
    BAD("",
        "{\"op\":\"appeal\",\"at\":\"2024-05-06T09:05:00+08:00\",\"id\":\"A0001\","
        "\"channel\":\"hotline\",\"nature\":\"complaint\",\"content\":\"夜间施工噪音\","
        "\"citizen\":{\"name\":\"张三\",\"phone\":\"13812345678\"},\"handling\":\"order\","
        "\"order\":\"R0001\"}",
        "A0001");
}
END_TEST

START_TEST(test_bad_time_order)
{
    /* R0010 was dispatched at 09:10 in this file */
    BAD("", "{\"op\":\"sign\",\"at\":\"2024-05-08T09:05:00+08:00\",\"order\":\"R0010\"}", "R0010");
}
END_TEST

START_TEST(test_bad_event_older_than_history)
{
    /* R0002's stored history ends at 05-06 10:30: an unknown event before
     * that cannot be inserted into it */
    BAD("", "{\"op\":\"supervise\",\"at\":\"2024-05-06T10:00:00+08:00\",\"order\":\"R0002\"}",
        "R0002");
}
END_TEST

START_TEST(test_bad_deadline_into_2027)
{
    BAD("{\"op\":\"appeal\",\"at\":\"2026-12-28T09:00:00+08:00\",\"id\":\"A0013\","
        "\"channel\":\"hotline\",\"nature\":\"complaint\",\"content\":\"年底\","
        "\"handling\":\"order\",\"order\":\"R0013\"}\n",
        "{\"op\":\"dispatch\",\"at\":\"2026-12-28T10:00:00+08:00\",\"order\":\"R0013\",\"unit\":\"C1\"}",
        "2027", "R0013");
}
END_TEST

START_TEST(test_bad_line_in_a_later_batch)
{
    /* thousands of good lines (and a blank one) first: the bad line's number
     * must still be exact, and nothing before it kept */
    char *before = malloc(4200 * 100);
    ck_assert_ptr_nonnull(before);
    before[0] = '\0';
    size_t len = 0;
    for (int i = 0; i < 4200; i++) {
        char t[HL_TIME_STRLEN];
        hl_time_format(th_time("2024-05-08T09:35:00+08:00") + 60 * i, 480, t);
        len += (size_t)sprintf(before + len, "{\"op\":\"%s\",\"at\":\"%s\",\"order\":\"R0002\"}\n",
                               i % 2 ? "rectified" : "supervise", t);
        if (i == 2000)
            len += (size_t)sprintf(before + len, "\n");
    }
    BAD(before, "{\"op\":\"sign\",\"at\":\"2024-05-11T09:40:00+08:00\",\"order\":\"R00", "JSON");
    free(before);
}
END_TEST

START_TEST(test_bad_line_too_long)
{
    size_t n = 300000;
    char *bad = malloc(n + 200);
    ck_assert_ptr_nonnull(bad);
    int head = sprintf(bad, "{\"op\":\"reply\",\"at\":\"2024-05-08T09:40:00+08:00\","
                            "\"order\":\"R0003\",\"text\":\"");
    memset(bad + head, 'x', n);
    strcpy(bad + head + n, "\"}");
    BAD("", bad, "字节");
    free(bad);
}
END_TEST

/* A bad units file: refused naming the units file and a line. */
static void bad_units(const char *units_text, const int *lines, size_t n_lines,
                      const char *reason, const char *good_units)
{
    load_base();
    char *dump0 = th_db_dump(db);
    char *units = file("units.tsv", units_text);
    char *events = file("events.jsonl", GOOD_HEAD GOOD_TAIL);
    th_proc p;
    int st = TH_CLI(&p, db, "import", units, events);
    ck_assert_msg(st == 1, "bad units accepted (exit %d): %s", st, p.err);
    int named = 0;
    for (size_t i = 0; i < n_lines; i++) {
        char where[4200];
        snprintf(where, sizeof where, "hotline: %s:%d: ", units, lines[i]);
        named |= th_has(p.err, where);
    }
    ck_assert_msg(named, "stderr should name \"%s:LINE: \" (line %d…):\n%s", units, lines[0],
                  p.err);
    ck_assert_msg(th_has(p.err, reason), "stderr should give the reason (%s):\n%s", reason,
                  p.err);
    th_proc_free(&p);
    char *dump1 = th_db_dump(db);
    ck_assert_msg(strcmp(dump0, dump1) == 0, "the refused import changed the database");
    /* control */
    th_write(units, good_units);
    st = TH_CLI(&p, db, "import", units, events);
    ck_assert_msg(st == 0, "the good files were refused: %s", p.err);
    th_proc_free(&p);
    free(dump0);
    free(dump1);
    free(units);
    free(events);
}

START_TEST(test_bad_units_cycle)
{
    static const int lines[] = {4, 5};
    bad_units(UNITS_HEAD "C1\t城关区\tcounty\t\n"
                         "T1\t城关镇\tcounty\tC1\n"
                         "X1\t甲单位\tcounty\tX2\n"
                         "X2\t乙单位\tcounty\tX1\n"
                         "A1\t市住建局\tagency\t\n"
                         "E1\t市水务集团\tenterprise\t\n" NEW_UNIT,
              lines, 2, "X", BASE_UNITS NEW_UNIT);
}
END_TEST

START_TEST(test_bad_units_kind)
{
    static const int lines[] = {3};
    bad_units(UNITS_HEAD "C1\t城关区\tcounty\t\n"
                         "X1\t甲单位\ttown\tC1\n" NEW_UNIT,
              lines, 1, "town", BASE_UNITS NEW_UNIT);
}
END_TEST

START_TEST(test_bad_units_utf8)
{
    static const int lines[] = {3};
    bad_units(UNITS_HEAD "C1\t城关区\tcounty\t\n"
                         "X1\t甲\xff单位\tcounty\tC1\n" NEW_UNIT,
              lines, 1, "UTF-8", BASE_UNITS NEW_UNIT);
}
END_TEST

/* A unit whose orders are counted for its first-level unit keeps its parent. */
START_TEST(test_bad_units_move_with_history)
{
    static const int lines[] = {4};
    bad_units(UNITS_HEAD "C1\t城关区\tcounty\t\n"
                         "T1\t城关镇\tcounty\tC1\n"
                         "A1\t市住建局\tagency\tC1\n"
                         "E1\t市水务集团\tenterprise\t\n" NEW_UNIT,
              lines, 1, "不能更改其上级", BASE_UNITS NEW_UNIT);
}
END_TEST

/* A unit without history may move: N1 under C1, then back. */
START_TEST(test_units_move_without_history)
{
    load_base();
    char *units = file("units.tsv", BASE_UNITS NEW_UNIT);
    char *events = file("events.jsonl", "");
    th_proc p;
    ck_assert_int_eq(TH_CLI(&p, db, "import", units, events), 0);
    th_proc_free(&p);
    th_write(units, BASE_UNITS "N1\t市数据局\tagency\tC1\n");
    ck_assert_msg(TH_CLI(&p, db, "import", units, events) == 0, "%s", p.err);
    th_proc_free(&p);
    free(units);
    free(events);
}
END_TEST

/* Events must come from a regular file: a pipe or device is refused, not
 * silently read as empty. */
START_TEST(test_events_not_a_regular_file)
{
    load_base();
    char *dump0 = th_db_dump(db);
    char *units = file("units.tsv", BASE_UNITS);
    th_proc p;
    ck_assert_int_eq(TH_CLI(&p, db, "import", units, "/dev/null"), 1);
    ck_assert_msg(th_has(p.err, "不是普通文件"), "%s", p.err);
    th_proc_free(&p);
    char *dump1 = th_db_dump(db);
    ck_assert_str_eq(dump0, dump1);
    free(dump0);
    free(dump1);
    free(units);
}
END_TEST

/* A dispatch that left its deadline to the rules is still recognised on
 * re-import after the calendar changed (the stored deadline stands). */
START_TEST(test_reimport_after_calendar_change)
{
    char *d = th_tmpdir(), cmd[4200], *data = th_path(d, "data"), *cdb = th_path(d, "c.db");
    char *units = th_path(d, "u.tsv"), *events = th_path(d, "e.jsonl");
    th_proc p;
    th_write(units, UNITS_HEAD "C1\t城关区\tcounty\t\n");
    th_write(events,
             "{\"op\":\"appeal\",\"at\":\"2024-05-06T09:00:00+08:00\",\"id\":\"A1\",\"channel\":"
             "\"hotline\",\"nature\":\"complaint\",\"content\":\"噪音\",\"handling\":\"order\","
             "\"order\":\"R1\"}\n"
             "{\"op\":\"dispatch\",\"at\":\"2024-05-06T10:00:00+08:00\",\"order\":\"R1\","
             "\"unit\":\"C1\"}\n");
    ck_assert_msg(TH_CLI(&p, cdb, "import", units, events) == 0, "%s", p.err);
    th_proc_free(&p);
    snprintf(cmd, sizeof cmd, "cp -r '%s' '%s' && echo 'holiday 2024-05-07' >> '%s/calendar/cn-2024.txt'",
             HL_DATA_DIR, data, data);
    ck_assert_int_eq(system(cmd), 0);
    const char *const init[] = {HL_TEST_BIN, "--db", cdb, "--data", data, "init", NULL};
    ck_assert_msg(th_run(&p, init) == 0, "%s", p.err);
    th_proc_free(&p);
    ck_assert_msg(TH_CLI(&p, cdb, "import", units, events) == 0, "%s", p.err);
    ck_assert_msg(th_has(p.out, "新增 0 条"), "%s", p.out);
    th_proc_free(&p);
    free(d);
    free(data);
    free(cdb);
    free(units);
    free(events);
}
END_TEST

START_TEST(test_missing_file_refused)
{
    load_base();
    char *dump0 = th_db_dump(db);
    char *units = file("units.tsv", BASE_UNITS);
    char *missing = th_path(dir, "no-such.jsonl");
    th_proc p;
    ck_assert_int_eq(TH_CLI(&p, db, "import", units, missing), 1);
    ck_assert_msg(th_has(p.err, missing), "%s", p.err);
    th_proc_free(&p);
    ck_assert_int_eq(TH_CLI(&p, db, "import", missing, units), 1);
    ck_assert_msg(th_has(p.err, missing), "%s", p.err);
    th_proc_free(&p);
    char *dump1 = th_db_dump(db);
    ck_assert_str_eq(dump0, dump1);
    free(dump0);
    free(dump1);
    free(units);
    free(missing);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* good imports */

START_TEST(test_reimport_changes_nothing)
{
    load_base();
    char *dump0 = th_db_dump(db);
    char *u = th_path(dir, "base-units.tsv"), *e = th_path(dir, "base-events.jsonl");
    th_proc p;
    CLI_OK(&p, "import", u, e);
    ck_assert_msg(th_has(p.out, "新增 0 条") && th_has(p.out, "跳过 11 条"), "%s", p.out);
    th_proc_free(&p);
    char *dump1 = th_db_dump(db);
    ck_assert_str_eq(dump0, dump1);
    /* the same file grown by new lines: only those are applied */
    char *u2 = file("units2.tsv", BASE_UNITS NEW_UNIT);
    char *e2 = file("events2.jsonl", BASE_EVENTS GOOD_HEAD GOOD_TAIL);
    CLI_OK(&p, "import", u2, e2);
    ck_assert_msg(th_has(p.out, "新增 8 条") && th_has(p.out, "跳过 11 条"), "%s", p.out);
    th_proc_free(&p);
    CLI_OK(&p, "import", u2, e2);
    ck_assert_msg(th_has(p.out, "新增 0 条") && th_has(p.out, "跳过 19 条"), "%s", p.out);
    th_proc_free(&p);
    free(dump0);
    free(dump1);
    free(u);
    free(e);
    free(u2);
    free(e2);
}
END_TEST

START_TEST(test_every_op_round_trip)
{
    load_base();
    char *u = file("rich-units.tsv", BASE_UNITS);
    char *e = file("rich-events.jsonl", RICH_EVENTS);
    RUN_OK("import", u, e);
    char *a = export_text(db, "A");
    /* canonical: offsets normalised, fractions dropped, units as codes,
     * computed deadlines written out */
    ck_assert_msg(th_has(a, "{\"op\":\"dispatch\",\"at\":\"2024-05-08T09:10:00+08:00\","
                            "\"order\":\"R0020\",\"unit\":\"C1\","
                            "\"deadline\":\"2024-05-09T09:10:00+08:00\"}\n"),
                  "%s", a);
    ck_assert_msg(th_has(a, "\"at\":\"2024-05-08T09:00:00+08:00\",\"order\":\"R0020\",\"id\":\"A0020\""), "%s", a);
    ck_assert_msg(!th_has(a, "null"), "%s", a);
    /* a direct answer has no order; events come out in time order */
    ck_assert_msg(th_has(a, "{\"op\":\"appeal\",\"at\":\"2024-05-06T09:40:00+08:00\","
                            "\"id\":\"A0003\","),
                  "%s", a);
    const char *appeal4 = strstr(a, "\"id\":\"A0004\""), *reply1 = strstr(a, "已责令停工");
    ck_assert_msg(appeal4 && reply1 && appeal4 < reply1, "not in time order:\n%s", a);
    ck_assert_int_eq(count_lines(a), 2 + 5 + BASE_EVENT_COUNT + 17);

    char *db2 = th_path(dir, "second.db");
    char *au = th_path(dir, "A/units.tsv"), *ae = th_path(dir, "A/events.jsonl");
    th_proc p;
    int st = TH_CLI(&p, db2, "import", au, ae);
    ck_assert_msg(st == 0, "%s", p.err);
    th_proc_free(&p);
    char *b = export_text(db2, "B");
    ck_assert_str_eq(a, b);
    /* and the orders come out in the same state */
    static const char *const orders[] = {"R0001", "R0002", "R0003", "R0020"};
    for (size_t i = 0; i < 4; i++) {
        th_proc p1, p2;
        CLI_OK(&p1, "order", "show", orders[i]);
        st = TH_CLI(&p2, db2, "order", "show", orders[i]);
        ck_assert_int_eq(st, 0);
        ck_assert_str_eq(p1.out, p2.out);
        th_proc_free(&p1);
        th_proc_free(&p2);
    }
    free(a);
    free(b);
    free(u);
    free(e);
    free(db2);
    free(au);
    free(ae);
}
END_TEST

START_TEST(test_units_only_import)
{
    load_base();
    char *u = file("units.tsv", BASE_UNITS NEW_UNIT "V1\t东风村\tcounty\tT1\n");
    char *e = file("events.jsonl", "");
    th_proc p;
    CLI_OK(&p, "import", u, e);
    ck_assert_msg(th_has(p.out, "单位 6 个") && th_has(p.out, "新增 0 条"), "%s", p.out);
    th_proc_free(&p);
    CLI_OK(&p, "units", "list");
    ck_assert_msg(th_has(p.out, "市数据局") && th_has(p.out, "    东风村"), "%s", p.out);
    ck_assert_msg(th_has(p.out, "共 6 个单位，其中一级承办单位 4 个"), "%s", p.out);
    th_proc_free(&p);
    free(u);
    free(e);
}
END_TEST

START_TEST(test_crlf_and_blank_lines)
{
    RUN_OK("init");
    char *u = file("units.tsv", "code\tname\tkind\tparent_code\r\nC1\t城关区\tcounty\t\r\n");
    char *e = file("events.jsonl",
                   "{\"op\":\"appeal\",\"at\":\"2024-05-06T09:00:00+08:00\",\"id\":\"A1\","
                   "\"channel\":\"hotline\",\"nature\":\"help\",\"content\":\"x\","
                   "\"handling\":\"order\",\"order\":\"R1\"}\r\n\r\n"
                   "{\"op\":\"dispatch\",\"at\":\"2024-05-06T10:00:00+08:00\",\"order\":\"R1\","
                   "\"unit\":\"C1\"}");
    th_proc p;
    CLI_OK(&p, "import", u, e);
    ck_assert_msg(th_has(p.out, "新增 2 条"), "%s", p.out);
    th_proc_free(&p);
    free(u);
    free(e);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* the other commands */

/* The commands the global help lists (caller frees each and the array). */
static char **listed_commands(size_t *n)
{
    th_proc p;
    ck_assert_int_eq(TH_CLI(&p, NULL, "--help"), 0);
    const char *list = strstr(p.out, "命令:");
    ck_assert_msg(list != NULL, "no command list in:\n%s", p.out);
    char **names = calloc(32, sizeof *names);
    ck_assert_ptr_nonnull(names);
    *n = 0;
    for (const char *line = strchr(list, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        if (strncmp(line + 1, "  ", 2) != 0 || line[3] == ' ')
            continue;
        size_t len = strcspn(line + 3, " \n");
        ck_assert_uint_lt(*n, 32);
        names[(*n)++] = strndup(line + 3, len);
    }
    th_proc_free(&p);
    return names;
}

START_TEST(test_help_every_subcommand)
{
    /* the commands of the README, with their usage */
    static const char *const known[][2] = {{"init", "init"},
                                           {"import", "import UNITS.tsv EVENTS.jsonl"},
                                           {"export", "export DIR"},
                                           {"units", "units list"},
                                           {"order", "order show NUMBER"}};
    size_t n;
    char **names = listed_commands(&n);
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
        int found = 0;
        for (size_t i = 0; i < n; i++)
            found |= strcmp(names[i], known[k][0]) == 0;
        ck_assert_msg(found, "global help does not list %s", known[k][0]);
    }
    /* every listed command explains itself and exits 0, with --help or -h */
    for (size_t i = 0; i < n; i++) {
        static const char *const flags[] = {"--help", "-h"};
        for (int f = 0; f < 2; f++) {
            th_proc p;
            int st = TH_CLI(&p, db, names[i], flags[f]);
            ck_assert_msg(st == 0, "%s %s exited %d: %s", names[i], flags[f], st, p.err);
            ck_assert_msg(th_has(p.out, "用法: hotline") && th_has(p.out, names[i]),
                          "%s %s should print its usage:\n%s", names[i], flags[f], p.out);
            ck_assert_msg(strlen(p.out) > 60, "%s %s: too short: %s", names[i], flags[f], p.out);
            for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
                if (strcmp(names[i], known[k][0]) == 0)
                    ck_assert_msg(th_has(p.out, known[k][1]), "%s", p.out);
            th_proc_free(&p);
        }
        free(names[i]);
    }
    free(names);
    /* help touches no database */
    ck_assert_int_ne(access(db, F_OK), 0);
}
END_TEST

START_TEST(test_usage_errors_exit_2)
{
    th_proc p;
    ck_assert_int_eq(TH_CLI(&p, db, "frobnicate"), 2);
    ck_assert_msg(th_has(p.err, "frobnicate"), "%s", p.err);
    th_proc_free(&p);
    ck_assert_int_eq(TH_CLI(&p, db, "frobnicate", "--help"), 2);
    th_proc_free(&p);
    ck_assert_int_eq(TH_CLI(&p, NULL, "--db"), 2); /* option without its value */
    th_proc_free(&p);
    ck_assert_int_eq(th_cli_v(&p, db, (const char *const[]){NULL}), 2); /* no command */
    th_proc_free(&p);
    ck_assert_int_eq(TH_CLI(&p, db, "--verbose", "init"), 2);
    th_proc_free(&p);
    /* wrong arguments to a command: its usage */
    static const char *const wrong[][4] = {{"import", "only-one.tsv", NULL},
                                           {"export", NULL},
                                           {"units", NULL},
                                           {"units", "show", NULL},
                                           {"order", "show", NULL},
                                           {"order", "list", "R1", NULL},
                                           {"init", "extra", NULL}};
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        int st = th_cli_v(&p, db, wrong[i]);
        ck_assert_msg(st == 2, "%s %s exited %d", wrong[i][0], wrong[i][1] ? wrong[i][1] : "",
                      st);
        ck_assert_msg(th_has(p.err, "用法"), "no usage on stderr: %s", p.err);
        th_proc_free(&p);
    }
}
END_TEST

START_TEST(test_init_idempotent)
{
    th_proc p;
    CLI_OK(&p, "init");
    ck_assert_msg(th_has(p.out, "结构版本") && th_has(p.out, "个年度的工作日历"), "%s", p.out);
    th_proc_free(&p);
    char *d0 = th_db_dump(db);
    RUN_OK("init");
    char *d1 = th_db_dump(db);
    ck_assert_str_eq(d0, d1);
    free(d0);
    free(d1);
}
END_TEST

START_TEST(test_order_show)
{
    load_base();
    th_proc p;
    CLI_OK(&p, "order", "show", "R0001");
    const char *out = p.out;
    ck_assert_msg(th_has(out, "R0001") && th_has(out, "城关区") && th_has(out, "城关镇"), "%s",
                  out);
    ck_assert_msg(th_has(out, "2024-05-11 23:59:59"), "deadline missing:\n%s", out);
    ck_assert_msg(th_has(out, "受理") && th_has(out, "派单") && th_has(out, "签收") &&
                      th_has(out, "二级派单") && th_has(out, "答复"),
                  "history incomplete:\n%s", out);
    ck_assert_msg(th_has(out, "已责令停工"), "%s", out);
    /* five events, numbered, in order */
    ck_assert_msg(th_has(out, "    1  2024-05-06 09:00:00") &&
                      th_has(out, "    5  2024-05-07 09:00:00") && !th_has(out, "    6  "),
                  "%s", out);
    /* citizens' details masked */
    ck_assert_msg(th_has(out, "张*") && th_has(out, "138****5678"), "%s", out);
    ck_assert_msg(!th_has(out, "张三") && !th_has(out, "13812345678"), "not masked:\n%s", out);
    th_proc_free(&p);

    ck_assert_int_eq(TH_CLI(&p, db, "order", "show", "R404"), 1);
    ck_assert_msg(th_has(p.err, "R404"), "%s", p.err);
    th_proc_free(&p);
}
END_TEST

START_TEST(test_units_list)
{
    load_base();
    th_proc p;
    CLI_OK(&p, "units", "list");
    ck_assert_msg(th_has(p.out, "C1") && th_has(p.out, "城关区（county）") &&
                      th_has(p.out, "市住建局（agency）") &&
                      th_has(p.out, "市水务集团（enterprise）"),
                  "%s", p.out);
    /* the town indented under its county */
    ck_assert_msg(th_has(p.out, "  城关镇（county）"), "%s", p.out);
    const char *county = strstr(p.out, "城关区"), *town = strstr(p.out, "城关镇"),
               *agency = strstr(p.out, "市住建局");
    ck_assert(county && town && agency && county < town && town < agency);
    ck_assert_msg(th_has(p.out, "共 4 个单位，其中一级承办单位 3 个"), "%s", p.out);
    th_proc_free(&p);
}
END_TEST

Suite *suite_import(void)
{
    Suite *s = suite_create("import");
    TCase *tc = tcase_create("seed");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_seed_round_trip_and_reimport);
    suite_add_tcase(s, tc);

    tc = tcase_create("bad-input");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_bad_truncated_json);
    tcase_add_test(tc, test_bad_utf8);
    tcase_add_test(tc, test_bad_time_without_offset);
    tcase_add_test(tc, test_bad_missing_field);
    tcase_add_test(tc, test_bad_unknown_unit);
    tcase_add_test(tc, test_bad_unknown_order);
    tcase_add_test(tc, test_bad_reply_before_sign);
    tcase_add_test(tc, test_bad_review_without_reply);
    tcase_add_test(tc, test_bad_decision_without_request);
    tcase_add_test(tc, test_bad_extension_earlier_than_deadline);
    tcase_add_test(tc, test_bad_extension_earlier_than_approved);
    tcase_add_test(tc, test_bad_order_appealed_twice);
    tcase_add_test(tc, test_bad_appeal_id_reused);
    tcase_add_test(tc, test_bad_appeal_id_reused_other_order);
    tcase_add_test(tc, test_bad_appeal_id_reused_other_time);
    tcase_add_test(tc, test_bad_time_order);
    tcase_add_test(tc, test_bad_event_older_than_history);
    tcase_add_test(tc, test_bad_deadline_into_2027);
    tcase_add_test(tc, test_bad_line_in_a_later_batch);
    tcase_add_test(tc, test_bad_line_too_long);
    tcase_add_test(tc, test_bad_units_cycle);
    tcase_add_test(tc, test_bad_units_kind);
    tcase_add_test(tc, test_bad_units_utf8);
    tcase_add_test(tc, test_bad_units_move_with_history);
    tcase_add_test(tc, test_units_move_without_history);
    tcase_add_test(tc, test_events_not_a_regular_file);
    tcase_add_test(tc, test_reimport_after_calendar_change);
    tcase_add_test(tc, test_missing_file_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("good-input");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_reimport_changes_nothing);
    tcase_add_test(tc, test_every_op_round_trip);
    tcase_add_test(tc, test_units_only_import);
    tcase_add_test(tc, test_crlf_and_blank_lines);
    suite_add_tcase(s, tc);

    tc = tcase_create("commands");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_help_every_subcommand);
    tcase_add_test(tc, test_usage_errors_exit_2);
    tcase_add_test(tc, test_init_idempotent);
    tcase_add_test(tc, test_order_show);
    tcase_add_test(tc, test_units_list);
    suite_add_tcase(s, tc);
    return s;
}
