/* test_order.c — the work-order lifecycle (interchange.md, "Lifecycle"):
 * every transition, every refusal with its own code, and refusals that
 * leave the order exactly as it was.  Events are built from JSON lines so
 * the codec is exercised on the way. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/order.h"
#include "../../src/core/timeutil.h"
#include "../test.h"

static hl_units units;
static hl_calendar *cal;
static hl_rules rules;
static hl_ctx ctx;
static int64_t C1, T1, T2, A1; /* a county with two towns, an agency */

static hl_order O;       /* the order under test */
static hl_err E;         /* the last apply's error */
static hl_event last;    /* the last event applied (completed by the lifecycle) */
static void *last_doc;   /* … whose strings it borrows */
static int64_t now;      /* time of the last event; each apply() is one hour later */
static int64_t next_seq;

static void setup(void)
{
    static const hl_unit_row rows[] = {
        {"C1", "城关区", "county", "", 2},
        {"T1", "城关镇", "county", "C1", 3},
        {"T2", "河西镇", "county", "C1", 4},
        {"A1", "市住建局", "agency", "", 5},
    };
    hl_err err;
    hl_units_init(&units);
    ck_assert_msg(hl_units_merge(&units, rows, 4, &err) == HL_OK, "%s", err.msg);
    C1 = hl_units_find(&units, "C1");
    T1 = hl_units_find(&units, "T1");
    T2 = hl_units_find(&units, "T2");
    A1 = hl_units_find(&units, "A1");
    cal = th_calendar();
    th_rules(&rules);
    ctx = (hl_ctx){&units, cal, &rules};
    memset(&O, 0, sizeof O);
    memset(&last, 0, sizeof last);
    last_doc = NULL;
    next_seq = 0;
}

static void teardown(void)
{
    hl_event_doc_free(last_doc);
    last_doc = NULL;
    hl_units_free(&units);
    free(cal);
}

/* Parse a JSON line into last (aborts the test if the line itself is bad). */
static void parse_last(const char *line)
{
    hl_err err;
    hl_event_doc_free(last_doc);
    last_doc = NULL;
    if (hl_event_parse_line(line, strlen(line), &last, &last_doc, &err) != HL_OK)
        ck_abort_msg("test line refused by the codec (%s): %s", err.msg, line);
}

/* A new order R0001 from an appeal at 2024-05-06 09:00 (+08:00). */
static void new_order(const char *channel, const char *nature, const char *urgency)
{
    char line[512];
    snprintf(line, sizeof line,
             "{\"op\":\"appeal\",\"at\":\"2024-05-06T09:00:00+08:00\",\"id\":\"A0001\","
             "\"channel\":\"%s\",\"nature\":\"%s\",\"urgency\":\"%s\",\"line\":\"npc\","
             "\"content\":\"夜间施工噪音\",\"handling\":\"order\",\"order\":\"R0001\"}",
             channel, nature, urgency);
    parse_last(line);
    last.seq = ++next_seq;
    hl_order_create(&O, &last);
    now = last.at;
}

/* Apply {"op":…, fields…} to O at time `at`. */
static hl_rc apply_at(int64_t at, const char *fields)
{
    char line[1024], t[HL_TIME_STRLEN];
    hl_time_format(at, 480, t);
    snprintf(line, sizeof line, "{\"at\":\"%s\",\"order\":\"R0001\",%s}", t, fields);
    parse_last(line);
    last.seq = ++next_seq;
    memset(&E, 0, sizeof E);
    return hl_order_apply(&ctx, &O, &last, &E);
}

/* Apply one hour after the previous event. */
static hl_rc apply(const char *fields)
{
    now += 3600;
    return apply_at(now, fields);
}

/* Apply and insist that it is accepted. */
static void ok(const char *fields)
{
    hl_rc rc = apply(fields);
    ck_assert_msg(rc == HL_OK, "refused (%s): %s — %s", hl_rc_name(rc), fields, E.msg);
}

/* Refusal: the wanted code, a message naming the op and the order, and
 * the order byte for byte as it was. */
static void refused_at(int64_t at, const char *fields, hl_rc want)
{
    hl_order before;
    memcpy(&before, &O, sizeof O);
    hl_rc rc = apply_at(at, fields);
    ck_assert_msg(rc == want, "%s: got %s, want %s (%s)", fields, hl_rc_name(rc),
                  hl_rc_name(want), E.msg);
    ck_assert_int_eq(E.rc, want);
    ck_assert_msg(memcmp(&before, &O, sizeof O) == 0, "order changed by refused %s", fields);
    ck_assert_msg(th_has(E.msg, "R0001"), "message should name the order: %s", E.msg);
    ck_assert_msg(th_has(E.msg, hl_enum_name(&hl_op_enum, (int)last.op)),
                  "message should name the op: %s", E.msg);
}

static void refused(const char *fields, hl_rc want)
{
    now += 3600;
    refused_at(now, fields, want);
}

#define DISPATCH_C1 "\"op\":\"dispatch\",\"unit\":\"C1\""

static void to_dispatched(void)
{
    new_order("hotline", "complaint", "normal");
    ok(DISPATCH_C1);
}

static void to_signed(void)
{
    to_dispatched();
    ok("\"op\":\"sign\"");
}

static void to_replied(void)
{
    to_signed();
    ok("\"op\":\"reply\",\"text\":\"已协调施工方停止夜间作业\"");
}

static void to_closed(void)
{
    to_replied();
    ok("\"op\":\"review\",\"result\":\"accept\"");
}

/* 5 working days from Monday 2024-05-06: May 7–10 and Saturday 11 (make-up) */
#define DEADLINE_0506 "2024-05-11T23:59:59+08:00"

/* ------------------------------------------------------------------------ */
/* transitions */

START_TEST(test_create)
{
    new_order("mailbox", "suggestion", "urgent");
    ck_assert_str_eq(O.number, "R0001");
    ck_assert_int_eq(O.state, ST_NEW);
    ck_assert_int_eq(O.channel, CH_MAILBOX);
    ck_assert_int_eq(O.nature, NATURE_SUGGESTION);
    ck_assert_int_eq(O.urgency, URGENCY_URGENT);
    ck_assert_int_eq(O.line, LINE_NPC);
    ck_assert_int_eq(O.created_at, th_time("2024-05-06T09:00:00+08:00"));
    ck_assert_int_eq(O.last_at, O.created_at);
    ck_assert_int_eq(O.unit, 0);
    ck_assert_int_eq(O.deadline, 0);
    ck_assert_str_eq(hl_state_name(O.state), "new");
}
END_TEST

START_TEST(test_dispatch)
{
    new_order("hotline", "complaint", "normal");
    ok(DISPATCH_C1);
    ck_assert_int_eq(O.state, ST_DISPATCHED);
    ck_assert_int_eq(O.unit, C1);
    ck_assert_int_eq(O.handler, C1);
    ck_assert_int_eq(O.dispatched_at, th_time("2024-05-06T10:00:00+08:00"));
    ck_assert_int_eq(O.deadline, th_time(DEADLINE_0506));
    ck_assert_int_eq(O.last_at, O.dispatched_at);
    /* the event is completed with what the history records */
    ck_assert_int_eq(last.unit, C1);
    ck_assert_int_eq(last.has_deadline, 1);
    ck_assert_int_eq(last.deadline, O.deadline);
}
END_TEST

START_TEST(test_dispatch_by_name)
{
    new_order("hotline", "complaint", "normal");
    ok("\"op\":\"dispatch\",\"unit\":\"市住建局\"");
    ck_assert_int_eq(O.unit, A1);
}
END_TEST

START_TEST(test_dispatch_given_deadline_kept)
{
    new_order("hotline", "complaint", "normal");
    ok(DISPATCH_C1 ",\"deadline\":\"2024-05-31T18:00:00+08:00\"");
    ck_assert_int_eq(O.deadline, th_time("2024-05-31T18:00:00+08:00"));
}
END_TEST

START_TEST(test_sign)
{
    to_dispatched();
    ok("\"op\":\"sign\"");
    ck_assert_int_eq(O.state, ST_SIGNED);
    ck_assert_int_eq(O.unit, C1);
}
END_TEST

START_TEST(test_subdispatch)
{
    to_signed();
    ok("\"op\":\"subdispatch\",\"unit\":\"T1\"");
    ck_assert_int_eq(O.state, ST_SIGNED);
    ck_assert_int_eq(O.unit, C1); /* the first-level assignee stays the assessed unit */
    ck_assert_int_eq(O.handler, T1);
    ck_assert_int_eq(last.unit, T1);
    ok("\"op\":\"subdispatch\",\"unit\":\"河西镇\"");
    ck_assert_int_eq(O.handler, T2);
    ok("\"op\":\"subdispatch\",\"unit\":\"C1\"");
    ck_assert_int_eq(O.handler, C1);
    ok("\"op\":\"reply\",\"text\":\"x\"");
    ck_assert_int_eq(O.state, ST_REPLIED);
}
END_TEST

START_TEST(test_return_request)
{
    to_dispatched();
    ok("\"op\":\"return_request\",\"reason\":\"非本单位职责\"");
    ck_assert_int_eq(O.pending_return, 1);
    ck_assert_int_eq(O.state, ST_DISPATCHED);
    ck_assert_int_eq(O.unit, C1);
    /* from signed too */
    to_signed();
    ok("\"op\":\"return_request\"");
    ck_assert_int_eq(O.pending_return, 1);
    ck_assert_int_eq(O.state, ST_SIGNED);
}
END_TEST

START_TEST(test_return_approved)
{
    to_signed();
    ok("\"op\":\"subdispatch\",\"unit\":\"T1\"");
    ok("\"op\":\"return_request\"");
    ok("\"op\":\"return_decision\",\"approved\":true,\"reason\":\"同意\"");
    ck_assert_int_eq(O.state, ST_NEW);
    ck_assert_int_eq(O.unit, 0);
    ck_assert_int_eq(O.handler, 0);
    ck_assert_int_eq(O.deadline, 0);
    ck_assert_int_eq(O.dispatched_at, 0);
    ck_assert_int_eq(O.pending_return, 0);
    /* awaiting a new dispatch, which starts a new time limit */
    ok("\"op\":\"dispatch\",\"unit\":\"A1\"");
    ck_assert_int_eq(O.state, ST_DISPATCHED);
    ck_assert_int_eq(O.unit, A1);
    ck_assert_int_eq(O.handler, A1);
    ck_assert_int_eq(O.dispatched_at, now);
    ck_assert_int_eq(O.deadline, th_time(DEADLINE_0506));
}
END_TEST

START_TEST(test_return_refused)
{
    to_signed();
    ok("\"op\":\"return_request\"");
    ok("\"op\":\"return_decision\",\"approved\":false,\"reason\":\"属本单位职责\"");
    ck_assert_int_eq(O.state, ST_SIGNED);
    ck_assert_int_eq(O.unit, C1);
    ck_assert_int_eq(O.deadline, th_time(DEADLINE_0506));
    ck_assert_int_eq(O.pending_return, 0);
    /* it may ask again */
    ok("\"op\":\"return_request\"");
    ck_assert_int_eq(O.pending_return, 1);
}
END_TEST

START_TEST(test_extension_request)
{
    to_signed();
    ok("\"op\":\"extension_request\",\"until\":\"2024-05-20T23:59:59+08:00\",\"reason\":\"需协调\"");
    ck_assert_int_eq(O.pending_extension, 1);
    ck_assert_int_eq(O.pending_until, th_time("2024-05-20T23:59:59+08:00"));
    ck_assert_int_eq(O.extension_asked, 1);
    ck_assert_int_eq(O.deadline, th_time(DEADLINE_0506));
    ck_assert_int_eq(O.state, ST_SIGNED);
    /* from dispatched too */
    to_dispatched();
    ok("\"op\":\"extension_request\",\"until\":\"2024-05-20T23:59:59+08:00\"");
    ck_assert_int_eq(O.pending_extension, 1);
    ck_assert_int_eq(O.state, ST_DISPATCHED);
}
END_TEST

START_TEST(test_extension_approved)
{
    to_signed();
    ok("\"op\":\"extension_request\",\"until\":\"2024-05-20T23:59:59+08:00\"");
    ok("\"op\":\"extension_decision\",\"approved\":true");
    ck_assert_int_eq(O.deadline, th_time("2024-05-20T23:59:59+08:00"));
    ck_assert_int_eq(O.pending_extension, 0);
    ck_assert_int_eq(O.pending_until, 0);
    ck_assert_int_eq(O.extension_asked, 1);
    ck_assert_int_eq(O.state, ST_SIGNED);
}
END_TEST

START_TEST(test_extension_refused)
{
    to_signed();
    ok("\"op\":\"extension_request\",\"until\":\"2024-05-20T23:59:59+08:00\"");
    ok("\"op\":\"extension_decision\",\"approved\":false");
    ck_assert_int_eq(O.deadline, th_time(DEADLINE_0506));
    ck_assert_int_eq(O.pending_extension, 0);
    ck_assert_int_eq(O.pending_until, 0);
    ck_assert_int_eq(O.extension_asked, 1);
}
END_TEST

START_TEST(test_reply)
{
    to_signed();
    ok("\"op\":\"reply\",\"text\":\"已处理\"");
    ck_assert_int_eq(O.state, ST_REPLIED);
    ck_assert_int_eq(O.replied, 1);
    ck_assert_int_eq(O.reply_at, now);
}
END_TEST

START_TEST(test_review_accept)
{
    to_replied();
    ok("\"op\":\"review\",\"result\":\"accept\"");
    ck_assert_int_eq(O.state, ST_CLOSED);
    ck_assert_int_eq(O.closed_at, now);
    ck_assert_int_eq(O.reworks, 0);
}
END_TEST

START_TEST(test_review_return)
{
    to_replied();
    int64_t first_reply = O.reply_at;
    ok("\"op\":\"review\",\"result\":\"return\",\"reason\":\"答复不完整\"");
    ck_assert_int_eq(O.state, ST_SIGNED);
    ck_assert_int_eq(O.reworks, 1);
    ck_assert_int_eq(O.closed_at, 0);
    /* the unit replies again without signing again */
    refused("\"op\":\"sign\"", HL_ENOT_DISPATCHED);
    ok("\"op\":\"reply\",\"text\":\"补充答复\"");
    ck_assert_int_eq(O.state, ST_REPLIED);
    ck_assert_int_gt(O.reply_at, first_reply);
    ok("\"op\":\"review\",\"result\":\"accept\"");
    ck_assert_int_eq(O.state, ST_CLOSED);
    ck_assert_int_eq(O.reworks, 1);
}
END_TEST

START_TEST(test_callback)
{
    to_closed();
    ok("\"op\":\"callback\",\"result\":\"satisfied\"");
    ck_assert_int_eq(O.callbacks, 1);
    ck_assert_int_eq(O.dissatisfied_open, 0);
    ck_assert_int_eq(O.dissatisfied_seq, 0);
    ok("\"op\":\"callback\",\"result\":\"unreachable\"");
    ck_assert_int_eq(O.callbacks, 2);
    ok("\"op\":\"callback\",\"result\":\"dissatisfied\",\"note\":\"噪音仍在\"");
    ck_assert_int_eq(O.callbacks, 3);
    ck_assert_int_eq(O.dissatisfied_seq, last.seq);
    ck_assert_int_eq(O.dissatisfied_open, 1);
    ck_assert_int_eq(O.state, ST_CLOSED);
}
END_TEST

static void verify_case(const char *result)
{
    char fields[128];
    to_closed();
    ok("\"op\":\"callback\",\"result\":\"dissatisfied\"");
    int64_t cb = last.seq;
    snprintf(fields, sizeof fields, "\"op\":\"verify\",\"result\":\"%s\"", result);
    ok(fields);
    ck_assert_int_eq(O.dissatisfied_open, 0);
    ck_assert_int_eq(O.dissatisfied_seq, cb);
    ck_assert_int_eq(last.ref, cb); /* applies to the latest dissatisfied callback */
    ck_assert_int_eq(O.state, ST_CLOSED);
}

START_TEST(test_verify_upheld)
{
    verify_case("upheld");
    ck_assert_int_eq(last.result, VERIFY_UPHELD);
}
END_TEST

START_TEST(test_verify_excluded)
{
    verify_case("excluded");
    ck_assert_int_eq(last.result, VERIFY_EXCLUDED);
}
END_TEST

START_TEST(test_verify_latest_dissatisfied)
{
    to_closed();
    ok("\"op\":\"callback\",\"result\":\"dissatisfied\"");
    ok("\"op\":\"verify\",\"result\":\"excluded\"");
    ok("\"op\":\"reopen\",\"reason\":\"群众再次反映\"");
    ok("\"op\":\"reply\",\"text\":\"再次处理\"");
    ok("\"op\":\"review\",\"result\":\"accept\"");
    ok("\"op\":\"callback\",\"result\":\"dissatisfied\"");
    int64_t second = last.seq;
    ok("\"op\":\"verify\",\"result\":\"upheld\"");
    ck_assert_int_eq(last.ref, second);
}
END_TEST

START_TEST(test_supervise_and_rectified)
{
    to_dispatched();
    ok("\"op\":\"supervise\",\"note\":\"限期办理\"");
    ck_assert_int_eq(O.supervisions_open, 1);
    ck_assert_int_eq(O.state, ST_DISPATCHED);
    ok("\"op\":\"supervise\"");
    ck_assert_int_eq(O.supervisions_open, 2);
    ok("\"op\":\"rectified\",\"note\":\"已整改\"");
    ck_assert_int_eq(O.supervisions_open, 1);
    ok("\"op\":\"sign\"");
    ok("\"op\":\"reply\",\"text\":\"x\"");
    ok("\"op\":\"review\",\"result\":\"accept\"");
    /* any state but new */
    ok("\"op\":\"supervise\"");
    ck_assert_int_eq(O.supervisions_open, 2);
    ok("\"op\":\"rectified\"");
    ok("\"op\":\"rectified\"");
    ck_assert_int_eq(O.supervisions_open, 0);
    ck_assert_int_eq(O.state, ST_CLOSED);
}
END_TEST

START_TEST(test_reopen)
{
    to_closed();
    ok("\"op\":\"reopen\",\"reason\":\"问题复发\"");
    ck_assert_int_eq(O.state, ST_SIGNED);
    ck_assert_int_eq(O.reworks, 1);
    ck_assert_int_eq(O.closed_at, 0);
    ck_assert_int_eq(O.unit, C1); /* back to its unit */
    ok("\"op\":\"reply\",\"text\":\"再次处理\"");
    ok("\"op\":\"review\",\"result\":\"accept\"");
    ck_assert_int_eq(O.state, ST_CLOSED);
    ck_assert_int_eq(O.closed_at, now);
}
END_TEST

/* 并单: a merged appeal moves an open order's last_at and version only;
 * a closed order or an earlier time is refused, the order unchanged. */
static hl_rc merge_at(int64_t at)
{
    char line[512], t[HL_TIME_STRLEN];
    hl_time_format(at, 480, t);
    snprintf(line, sizeof line,
             "{\"op\":\"appeal\",\"at\":\"%s\",\"id\":\"A0002\",\"channel\":\"hotline\","
             "\"nature\":\"complaint\",\"content\":\"又有噪音\",\"handling\":\"merge\","
             "\"order\":\"R0001\"}",
             t);
    parse_last(line);
    last.seq = ++next_seq;
    memset(&E, 0, sizeof E);
    return hl_order_merge(&ctx, &O, &last, &E);
}

START_TEST(test_merge)
{
    to_dispatched();
    hl_order before;
    memcpy(&before, &O, sizeof O);
    ck_assert_int_eq(merge_at(now + 60), HL_OK);
    ck_assert_int_eq(O.last_at, now + 60);
    ck_assert_int_eq(O.version, next_seq);
    before.last_at = O.last_at;
    before.version = O.version;
    ck_assert_msg(memcmp(&before, &O, sizeof O) == 0, "a merge changed the lifecycle");
    memcpy(&before, &O, sizeof O);
    ck_assert_int_eq(merge_at(now), HL_ETIME_ORDER);
    ck_assert_msg(memcmp(&before, &O, sizeof O) == 0, "refused merge changed the order");
    now += 60;
    ok("\"op\":\"sign\"");
    ok("\"op\":\"reply\",\"text\":\"已处理\"");
    ok("\"op\":\"review\",\"result\":\"accept\"");
    memcpy(&before, &O, sizeof O);
    ck_assert_int_eq(merge_at(now + 60), HL_EORDER_CLOSED);
    ck_assert_msg(th_has(E.msg, "R0001") && th_has(E.msg, "已办结"), "%s", E.msg);
    ck_assert_msg(memcmp(&before, &O, sizeof O) == 0, "refused merge changed the order");
}
END_TEST

START_TEST(test_rework_counting)
{
    to_replied();
    ok("\"op\":\"review\",\"result\":\"return\"");
    ok("\"op\":\"reply\",\"text\":\"2\"");
    ok("\"op\":\"review\",\"result\":\"return\"");
    ok("\"op\":\"reply\",\"text\":\"3\"");
    ck_assert_int_eq(O.reworks, 2);
    ok("\"op\":\"review\",\"result\":\"accept\"");
    ck_assert_int_eq(O.reworks, 2);
    ok("\"op\":\"callback\",\"result\":\"dissatisfied\"");
    ok("\"op\":\"reopen\"");
    ck_assert_int_eq(O.reworks, 3);
    ok("\"op\":\"reply\",\"text\":\"4\"");
    ok("\"op\":\"review\",\"result\":\"accept\"");
    ck_assert_int_eq(O.reworks, 3);
    /* supervision, callbacks and extensions are not rework */
    ok("\"op\":\"supervise\"");
    ok("\"op\":\"callback\",\"result\":\"satisfied\"");
    ck_assert_int_eq(O.reworks, 3);
}
END_TEST

START_TEST(test_deadline_in_force_after_extension)
{
    to_signed();
    ok("\"op\":\"extension_request\",\"until\":\"2024-05-20T23:59:59+08:00\"");
    ok("\"op\":\"extension_decision\",\"approved\":true");
    /* a new request must beat the extended deadline, not the original one */
    refused("\"op\":\"extension_request\",\"until\":\"2024-05-15T23:59:59+08:00\"",
            HL_EEXTENSION_EARLIER);
    refused("\"op\":\"extension_request\",\"until\":\"2024-05-20T23:59:59+08:00\"",
            HL_EEXTENSION_EARLIER);
    ok("\"op\":\"extension_request\",\"until\":\"2024-05-27T23:59:59+08:00\"");
    ok("\"op\":\"extension_decision\",\"approved\":false");
    ck_assert_int_eq(O.deadline, th_time("2024-05-20T23:59:59+08:00"));
    ok("\"op\":\"extension_request\",\"until\":\"2024-05-31T23:59:59+08:00\"");
    ok("\"op\":\"extension_decision\",\"approved\":true");
    ck_assert_int_eq(O.deadline, th_time("2024-05-31T23:59:59+08:00"));
}
END_TEST

/* The deadline a dispatch without one gets, for an order of this kind. */
static int64_t computed_deadline(const char *channel, const char *nature, const char *urgency)
{
    new_order(channel, nature, urgency);
    ok(DISPATCH_C1);
    ck_assert_int_eq(last.has_deadline, 1);
    ck_assert_int_eq(last.deadline, O.deadline);
    return O.deadline;
}

START_TEST(test_deadline_computed_when_absent)
{
    /* dispatched Monday 2024-05-06 10:00 */
    ck_assert_int_eq(computed_deadline("hotline", "complaint", "urgent"),
                     th_time("2024-05-07T10:00:00+08:00"));
    ck_assert_int_eq(computed_deadline("mailbox", "consult", "normal"),
                     th_time("2024-05-24T23:59:59+08:00"));
    ck_assert_int_eq(computed_deadline("hotline", "consult", "normal"),
                     th_time("2024-05-08T23:59:59+08:00"));
    ck_assert_int_eq(computed_deadline("hotline", "suggestion", "normal"),
                     th_time("2024-05-24T23:59:59+08:00"));
    ck_assert_int_eq(computed_deadline("hotline", "help", "normal"), th_time(DEADLINE_0506));
    /* the computed deadline is part of the event's canonical form */
    hl_buf b;
    hl_buf_init(&b, 4096);
    ck_assert_int_eq(hl_event_write(&last, 480, "C1", &b), HL_OK);
    ck_assert_str_eq(hl_buf_str(&b), "{\"op\":\"dispatch\",\"at\":\"2024-05-06T10:00:00+08:00\","
                                     "\"order\":\"R0001\",\"unit\":\"C1\","
                                     "\"deadline\":\"" DEADLINE_0506 "\"}");
    hl_buf_free(&b);
}
END_TEST

START_TEST(test_complete_without_applying)
{
    /* hl_order_complete resolves the unit and the deadline, whatever the state */
    to_closed();
    hl_order before;
    memcpy(&before, &O, sizeof O);
    parse_last("{\"op\":\"dispatch\",\"at\":\"2024-05-06T10:00:00+08:00\",\"order\":\"R0001\","
               "\"unit\":\"城关镇\"}");
    ck_assert_int_eq(hl_order_complete(&ctx, &O, &last, &E), HL_OK);
    ck_assert_int_eq(last.unit, T1);
    ck_assert_int_eq(last.deadline, th_time(DEADLINE_0506));
    ck_assert(memcmp(&before, &O, sizeof O) == 0);
}
END_TEST

START_TEST(test_deadline_needs_calendar)
{
    new_order("hotline", "complaint", "normal");
    now = th_time("2026-12-28T09:00:00+08:00");
    refused(DISPATCH_C1, HL_ENOCALENDAR);
    ck_assert_msg(th_has(E.msg, "2027"), "message should name 2027: %s", E.msg);
    /* with a deadline given, no calendar is needed */
    ok(DISPATCH_C1 ",\"deadline\":\"2027-01-06T23:59:59+08:00\"");
    ck_assert_int_eq(O.state, ST_DISPATCHED);
}
END_TEST

START_TEST(test_same_time_allowed)
{
    to_dispatched();
    ck_assert_int_eq(apply_at(now, "\"op\":\"sign\""), HL_OK);
    ck_assert_int_eq(apply_at(now, "\"op\":\"supervise\""), HL_OK);
    ck_assert_int_eq(O.state, ST_SIGNED);
}
END_TEST

START_TEST(test_state_names)
{
    static const char *const names[] = {"new", "dispatched", "signed", "replied", "closed"};
    for (int s = 0; s < ST__COUNT; s++)
        ck_assert_str_eq(hl_state_name((hl_state)s), names[s]);
    ck_assert_str_eq(hl_state_label(ST_CLOSED), "已办结");
    ck_assert_str_eq(hl_state_name((hl_state)99), "?");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* refusals: one code each */

START_TEST(test_refuse_not_new)
{
    to_dispatched();
    refused("\"op\":\"dispatch\",\"unit\":\"A1\"", HL_ENOT_NEW);
    ok("\"op\":\"sign\"");
    refused(DISPATCH_C1, HL_ENOT_NEW);
    to_closed();
    refused(DISPATCH_C1, HL_ENOT_NEW);
}
END_TEST

START_TEST(test_refuse_not_dispatched)
{
    new_order("hotline", "complaint", "normal");
    refused("\"op\":\"sign\"", HL_ENOT_DISPATCHED);
    to_signed();
    refused("\"op\":\"sign\"", HL_ENOT_DISPATCHED);
    to_replied();
    refused("\"op\":\"sign\"", HL_ENOT_DISPATCHED);
}
END_TEST

START_TEST(test_refuse_not_signed)
{
    new_order("hotline", "complaint", "normal");
    refused("\"op\":\"reply\",\"text\":\"x\"", HL_ENOT_SIGNED);
    to_dispatched();
    refused("\"op\":\"reply\",\"text\":\"x\"", HL_ENOT_SIGNED);
    refused("\"op\":\"subdispatch\",\"unit\":\"T1\"", HL_ENOT_SIGNED);
    to_replied();
    refused("\"op\":\"reply\",\"text\":\"again\"", HL_ENOT_SIGNED);
    refused("\"op\":\"subdispatch\",\"unit\":\"T1\"", HL_ENOT_SIGNED);
}
END_TEST

START_TEST(test_refuse_not_replied)
{
    to_signed();
    refused("\"op\":\"review\",\"result\":\"accept\"", HL_ENOT_REPLIED);
    to_closed();
    refused("\"op\":\"review\",\"result\":\"return\"", HL_ENOT_REPLIED);
}
END_TEST

START_TEST(test_refuse_not_closed)
{
    to_replied();
    refused("\"op\":\"callback\",\"result\":\"satisfied\"", HL_ENOT_CLOSED);
    refused("\"op\":\"reopen\"", HL_ENOT_CLOSED);
    to_signed();
    refused("\"op\":\"reopen\",\"reason\":\"x\"", HL_ENOT_CLOSED);
}
END_TEST

START_TEST(test_refuse_not_assigned)
{
    new_order("hotline", "complaint", "normal");
    refused("\"op\":\"supervise\"", HL_ENOT_ASSIGNED);
    refused("\"op\":\"return_request\"", HL_ENOT_ASSIGNED);
    refused("\"op\":\"extension_request\",\"until\":\"2024-05-20T23:59:59+08:00\"",
            HL_ENOT_ASSIGNED);
    /* back at the center after an approved return */
    to_dispatched();
    ok("\"op\":\"return_request\"");
    ok("\"op\":\"return_decision\",\"approved\":true");
    refused("\"op\":\"supervise\"", HL_ENOT_ASSIGNED);
}
END_TEST

START_TEST(test_refuse_already_replied)
{
    to_replied();
    refused("\"op\":\"return_request\"", HL_EALREADY_REPLIED);
    refused("\"op\":\"extension_request\",\"until\":\"2024-05-20T23:59:59+08:00\"",
            HL_EALREADY_REPLIED);
    /* after a rework the order is signed again, but it has replied */
    ok("\"op\":\"review\",\"result\":\"return\"");
    refused("\"op\":\"return_request\"", HL_EALREADY_REPLIED);
    to_closed();
    refused("\"op\":\"return_request\"", HL_EALREADY_REPLIED);
}
END_TEST

START_TEST(test_refuse_request_pending)
{
    to_signed();
    ok("\"op\":\"return_request\"");
    refused("\"op\":\"return_request\"", HL_EREQUEST_PENDING);
    to_signed();
    ok("\"op\":\"extension_request\",\"until\":\"2024-05-20T23:59:59+08:00\"");
    refused("\"op\":\"extension_request\",\"until\":\"2024-05-27T23:59:59+08:00\"",
            HL_EREQUEST_PENDING);
    refused("\"op\":\"return_request\"", HL_EREQUEST_PENDING);
}
END_TEST

START_TEST(test_refuse_no_return_request)
{
    to_signed();
    refused("\"op\":\"return_decision\",\"approved\":true", HL_ENO_RETURN_REQUEST);
    ok("\"op\":\"return_request\"");
    ok("\"op\":\"return_decision\",\"approved\":false");
    refused("\"op\":\"return_decision\",\"approved\":false", HL_ENO_RETURN_REQUEST);
    ok("\"op\":\"extension_request\",\"until\":\"2024-05-20T23:59:59+08:00\"");
    refused("\"op\":\"return_decision\",\"approved\":true", HL_ENO_RETURN_REQUEST);
}
END_TEST

START_TEST(test_refuse_no_extension_request)
{
    to_signed();
    refused("\"op\":\"extension_decision\",\"approved\":true", HL_ENO_EXTENSION_REQUEST);
    ok("\"op\":\"extension_request\",\"until\":\"2024-05-20T23:59:59+08:00\"");
    ok("\"op\":\"extension_decision\",\"approved\":true");
    refused("\"op\":\"extension_decision\",\"approved\":true", HL_ENO_EXTENSION_REQUEST);
    ok("\"op\":\"return_request\"");
    refused("\"op\":\"extension_decision\",\"approved\":false", HL_ENO_EXTENSION_REQUEST);
}
END_TEST

START_TEST(test_refuse_extension_earlier)
{
    to_signed();
    refused("\"op\":\"extension_request\",\"until\":\"2024-05-10T23:59:59+08:00\"",
            HL_EEXTENSION_EARLIER);
    refused("\"op\":\"extension_request\",\"until\":\"" DEADLINE_0506 "\"", HL_EEXTENSION_EARLIER);
    ck_assert_int_eq(O.extension_asked, 0);
    /* an approval that would move the deadline earlier is refused too
     * (a pending request whose until is no longer later than the deadline) */
    ok("\"op\":\"extension_request\",\"until\":\"2024-05-20T23:59:59+08:00\"");
    O.pending_until = O.deadline;
    refused("\"op\":\"extension_decision\",\"approved\":true", HL_EEXTENSION_EARLIER);
    O.pending_until = O.deadline - 86400;
    refused("\"op\":\"extension_decision\",\"approved\":true", HL_EEXTENSION_EARLIER);
}
END_TEST

START_TEST(test_refuse_deadline_earlier)
{
    new_order("hotline", "complaint", "normal");
    refused(DISPATCH_C1 ",\"deadline\":\"2024-05-06T09:59:59+08:00\"", HL_EDEADLINE_EARLIER);
    ck_assert_int_eq(O.state, ST_NEW);
    /* a deadline at the dispatch instant itself is not earlier: accepted */
    ck_assert_int_eq(apply_at(th_time("2024-05-06T10:00:00+08:00"),
                              DISPATCH_C1 ",\"deadline\":\"2024-05-06T10:00:00+08:00\""),
                     HL_OK);
    ck_assert_int_eq(O.state, ST_DISPATCHED);
}
END_TEST

START_TEST(test_refuse_not_in_subtree)
{
    to_signed(); /* assigned to C1 */
    refused("\"op\":\"subdispatch\",\"unit\":\"A1\"", HL_ENOT_IN_SUBTREE);
    new_order("hotline", "complaint", "normal");
    ok("\"op\":\"dispatch\",\"unit\":\"A1\"");
    ok("\"op\":\"sign\"");
    refused("\"op\":\"subdispatch\",\"unit\":\"T1\"", HL_ENOT_IN_SUBTREE);
    refused("\"op\":\"subdispatch\",\"unit\":\"C1\"", HL_ENOT_IN_SUBTREE);
}
END_TEST

START_TEST(test_refuse_no_dissatisfied)
{
    to_closed();
    refused("\"op\":\"verify\",\"result\":\"upheld\"", HL_ENO_DISSATISFIED);
    ok("\"op\":\"callback\",\"result\":\"satisfied\"");
    refused("\"op\":\"verify\",\"result\":\"upheld\"", HL_ENO_DISSATISFIED);
    ok("\"op\":\"callback\",\"result\":\"dissatisfied\"");
    ok("\"op\":\"verify\",\"result\":\"upheld\"");
    refused("\"op\":\"verify\",\"result\":\"excluded\"", HL_ENO_DISSATISFIED);
}
END_TEST

START_TEST(test_refuse_no_supervision)
{
    to_signed();
    refused("\"op\":\"rectified\"", HL_ENO_SUPERVISION);
    ok("\"op\":\"supervise\"");
    ok("\"op\":\"rectified\"");
    refused("\"op\":\"rectified\",\"note\":\"again\"", HL_ENO_SUPERVISION);
}
END_TEST

START_TEST(test_refuse_time_order)
{
    to_signed();
    refused_at(now - 1, "\"op\":\"reply\",\"text\":\"x\"", HL_ETIME_ORDER);
    refused_at(th_time("2024-05-01T00:00:00+08:00"), "\"op\":\"supervise\"", HL_ETIME_ORDER);
    /* before the appeal */
    new_order("hotline", "complaint", "normal");
    refused_at(th_time("2024-05-06T08:59:59+08:00"), DISPATCH_C1, HL_ETIME_ORDER);
}
END_TEST

START_TEST(test_refuse_unit_unknown)
{
    new_order("hotline", "complaint", "normal");
    refused("\"op\":\"dispatch\",\"unit\":\"U404\"", HL_EUNIT_UNKNOWN);
    ck_assert_msg(th_has(E.msg, "U404"), "message should name the unit: %s", E.msg);
    to_signed();
    refused("\"op\":\"subdispatch\",\"unit\":\"不存在的镇\"", HL_EUNIT_UNKNOWN);
}
END_TEST

/* The refusal codes are distinct values with distinct stable names. */
START_TEST(test_refusal_codes_distinct)
{
    static const hl_rc codes[] = {
        HL_ENOT_NEW, HL_ENOT_DISPATCHED, HL_ENOT_SIGNED, HL_ENOT_REPLIED, HL_ENOT_CLOSED,
        HL_ENOT_ASSIGNED, HL_EALREADY_REPLIED, HL_EREQUEST_PENDING, HL_ENO_RETURN_REQUEST,
        HL_ENO_EXTENSION_REQUEST, HL_EEXTENSION_EARLIER, HL_EDEADLINE_EARLIER,
        HL_ENOT_IN_SUBTREE, HL_ENO_DISSATISFIED, HL_ENO_SUPERVISION, HL_ETIME_ORDER,
        HL_EUNIT_UNKNOWN};
    size_t n = sizeof codes / sizeof codes[0];
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_ne(codes[i], HL_OK);
        ck_assert_str_ne(hl_rc_name(codes[i]), "unknown_error");
        for (size_t j = i + 1; j < n; j++) {
            ck_assert_int_ne(codes[i], codes[j]);
            ck_assert_str_ne(hl_rc_name(codes[i]), hl_rc_name(codes[j]));
        }
    }
}
END_TEST

Suite *suite_order(void)
{
    Suite *s = suite_create("order");
    TCase *tc = tcase_create("transitions");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_create);
    tcase_add_test(tc, test_dispatch);
    tcase_add_test(tc, test_dispatch_by_name);
    tcase_add_test(tc, test_dispatch_given_deadline_kept);
    tcase_add_test(tc, test_sign);
    tcase_add_test(tc, test_subdispatch);
    tcase_add_test(tc, test_return_request);
    tcase_add_test(tc, test_return_approved);
    tcase_add_test(tc, test_return_refused);
    tcase_add_test(tc, test_extension_request);
    tcase_add_test(tc, test_extension_approved);
    tcase_add_test(tc, test_extension_refused);
    tcase_add_test(tc, test_reply);
    tcase_add_test(tc, test_review_accept);
    tcase_add_test(tc, test_review_return);
    tcase_add_test(tc, test_callback);
    tcase_add_test(tc, test_verify_upheld);
    tcase_add_test(tc, test_verify_excluded);
    tcase_add_test(tc, test_verify_latest_dissatisfied);
    tcase_add_test(tc, test_supervise_and_rectified);
    tcase_add_test(tc, test_reopen);
    tcase_add_test(tc, test_merge);
    tcase_add_test(tc, test_rework_counting);
    tcase_add_test(tc, test_deadline_in_force_after_extension);
    tcase_add_test(tc, test_deadline_computed_when_absent);
    tcase_add_test(tc, test_complete_without_applying);
    tcase_add_test(tc, test_deadline_needs_calendar);
    tcase_add_test(tc, test_same_time_allowed);
    tcase_add_test(tc, test_state_names);
    suite_add_tcase(s, tc);
    tc = tcase_create("refusals");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_refuse_not_new);
    tcase_add_test(tc, test_refuse_not_dispatched);
    tcase_add_test(tc, test_refuse_not_signed);
    tcase_add_test(tc, test_refuse_not_replied);
    tcase_add_test(tc, test_refuse_not_closed);
    tcase_add_test(tc, test_refuse_not_assigned);
    tcase_add_test(tc, test_refuse_already_replied);
    tcase_add_test(tc, test_refuse_request_pending);
    tcase_add_test(tc, test_refuse_no_return_request);
    tcase_add_test(tc, test_refuse_no_extension_request);
    tcase_add_test(tc, test_refuse_extension_earlier);
    tcase_add_test(tc, test_refuse_deadline_earlier);
    tcase_add_test(tc, test_refuse_not_in_subtree);
    tcase_add_test(tc, test_refuse_no_dissatisfied);
    tcase_add_test(tc, test_refuse_no_supervision);
    tcase_add_test(tc, test_refuse_time_order);
    tcase_add_test(tc, test_refuse_unit_unknown);
    tcase_add_test(tc, test_refusal_codes_distinct);
    suite_add_tcase(s, tc);
    return s;
}
