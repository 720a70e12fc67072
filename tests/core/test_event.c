/* test_event.c — the events.jsonl codec: parsing every op, refusing bad
 * lines, and the canonical form that export writes. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/event.h"
#include "../test.h"

#define T "\"at\":\"2024-05-06T09:30:00+08:00\""

/* The smallest valid line of each op: required fields only. */
static const char *const minimal[OP__COUNT] = {
    [OP_APPEAL] = "{\"op\":\"appeal\"," T ",\"id\":\"A1\",\"channel\":\"hotline\","
                  "\"nature\":\"complaint\",\"content\":\"噪音\",\"handling\":\"order\","
                  "\"order\":\"R1\"}",
    [OP_DISPATCH] = "{\"op\":\"dispatch\"," T ",\"order\":\"R1\",\"unit\":\"C1\"}",
    [OP_SIGN] = "{\"op\":\"sign\"," T ",\"order\":\"R1\"}",
    [OP_SUBDISPATCH] = "{\"op\":\"subdispatch\"," T ",\"order\":\"R1\",\"unit\":\"T1\"}",
    [OP_RETURN_REQUEST] = "{\"op\":\"return_request\"," T ",\"order\":\"R1\"}",
    [OP_RETURN_DECISION] = "{\"op\":\"return_decision\"," T ",\"order\":\"R1\",\"approved\":true}",
    [OP_EXTENSION_REQUEST] = "{\"op\":\"extension_request\"," T ",\"order\":\"R1\","
                             "\"until\":\"2024-05-20T23:59:59+08:00\"}",
    [OP_EXTENSION_DECISION] = "{\"op\":\"extension_decision\"," T ",\"order\":\"R1\","
                              "\"approved\":false}",
    [OP_REPLY] = "{\"op\":\"reply\"," T ",\"order\":\"R1\",\"text\":\"已处理\"}",
    [OP_REVIEW] = "{\"op\":\"review\"," T ",\"order\":\"R1\",\"result\":\"accept\"}",
    [OP_CALLBACK] = "{\"op\":\"callback\"," T ",\"order\":\"R1\",\"result\":\"dissatisfied\"}",
    [OP_VERIFY] = "{\"op\":\"verify\"," T ",\"order\":\"R1\",\"result\":\"excluded\"}",
    [OP_SUPERVISE] = "{\"op\":\"supervise\"," T ",\"order\":\"R1\"}",
    [OP_RECTIFIED] = "{\"op\":\"rectified\"," T ",\"order\":\"R1\"}",
    [OP_REOPEN] = "{\"op\":\"reopen\"," T ",\"order\":\"R1\"}",
};

/* A line of each op with every field it accepts. */
static const char *const full[OP__COUNT] = {
    [OP_APPEAL] = "{\"op\":\"appeal\",\"at\":\"2024-05-06T01:30:00.25Z\",\"id\":\"A-0001\","
                  "\"channel\":\"mailbox\",\"source\":\"web\",\"line\":\"npc\","
                  "\"category\":\"城乡建设\",\"nature\":\"suggestion\",\"urgency\":\"urgent\","
                  "\"content\":\"第一行\\n第二行 \\\"引号\\\" \\\\ \\t\",\"location\":\"岳阳楼区\","
                  "\"citizen\":{\"name\":\"张三\",\"phone\":\"13812345678\"},"
                  "\"handling\":\"order\",\"order\":\"R0001\",\"kb\":[12,\"KB-7\",0],"
                  "\"actor\":\"李四\",\"note\":\"备注\"}",
    [OP_DISPATCH] = "{\"op\":\"dispatch\"," T ",\"order\":\"R1\",\"unit\":\"城关区\","
                    "\"deadline\":\"2024-05-10T23:59:59+08:00\",\"actor\":\"a\",\"note\":\"n\"}",
    [OP_SIGN] = "{\"op\":\"sign\"," T ",\"order\":\"R1\",\"actor\":\"a\",\"note\":\"n\"}",
    [OP_SUBDISPATCH] = "{\"op\":\"subdispatch\"," T ",\"order\":\"R1\",\"unit\":\"T1\","
                       "\"actor\":\"a\",\"note\":\"n\"}",
    [OP_RETURN_REQUEST] = "{\"op\":\"return_request\"," T ",\"order\":\"R1\",\"reason\":\"非本单位职责\","
                          "\"actor\":\"a\",\"note\":\"n\"}",
    [OP_RETURN_DECISION] = "{\"op\":\"return_decision\"," T ",\"order\":\"R1\",\"approved\":false,"
                           "\"reason\":\"属于本单位\",\"actor\":\"a\",\"note\":\"n\"}",
    [OP_EXTENSION_REQUEST] = "{\"op\":\"extension_request\"," T ",\"order\":\"R1\","
                             "\"until\":\"2024-05-20T15:59:59Z\",\"reason\":\"需协调\","
                             "\"actor\":\"a\",\"note\":\"n\"}",
    [OP_EXTENSION_DECISION] = "{\"op\":\"extension_decision\"," T ",\"order\":\"R1\","
                              "\"approved\":true,\"actor\":\"a\",\"note\":\"n\"}",
    [OP_REPLY] = "{\"op\":\"reply\"," T ",\"order\":\"R1\",\"text\":\"已处理\",\"actor\":\"a\","
                 "\"note\":\"n\"}",
    [OP_REVIEW] = "{\"op\":\"review\"," T ",\"order\":\"R1\",\"result\":\"return\","
                  "\"reason\":\"答复不完整\",\"actor\":\"a\",\"note\":\"n\"}",
    [OP_CALLBACK] = "{\"op\":\"callback\"," T ",\"order\":\"R1\",\"result\":\"basically_satisfied\","
                    "\"note\":\"群众基本认可\",\"actor\":\"a\"}",
    [OP_VERIFY] = "{\"op\":\"verify\"," T ",\"order\":\"R1\",\"result\":\"upheld\",\"actor\":\"a\","
                  "\"note\":\"n\"}",
    [OP_SUPERVISE] = "{\"op\":\"supervise\"," T ",\"order\":\"R1\",\"note\":\"限期整改\",\"actor\":\"a\"}",
    [OP_RECTIFIED] = "{\"op\":\"rectified\"," T ",\"order\":\"R1\",\"note\":\"已整改\",\"actor\":\"a\"}",
    [OP_REOPEN] = "{\"op\":\"reopen\"," T ",\"order\":\"R1\",\"reason\":\"群众再次反映\","
                  "\"actor\":\"a\",\"note\":\"n\"}",
};

static hl_event ev;
static void *doc;
static hl_err err;

static void teardown(void)
{
    hl_event_doc_free(doc);
    doc = NULL;
}

/* Parse line into ev (doc kept until the next parse or teardown). */
static hl_rc parse_n(const char *line, size_t n)
{
    hl_event_doc_free(doc);
    doc = NULL;
    memset(&err, 0, sizeof err);
    return hl_event_parse_line(line, n, &ev, &doc, &err);
}

static hl_rc parse(const char *line)
{
    return parse_n(line, strlen(line));
}

static void parse_ok(const char *line)
{
    hl_rc rc = parse(line);
    ck_assert_msg(rc == HL_OK, "refused (%s: %s): %s", hl_rc_name(rc), err.msg, line);
}

static void refused_n(const char *line, size_t n, hl_rc want)
{
    hl_rc rc = parse_n(line, n);
    ck_assert_msg(rc == want, "gave %s, want %s: %.*s", hl_rc_name(rc), hl_rc_name(want), (int)n,
                  line);
    ck_assert_msg(err.rc == want && err.msg[0], "no error message for %.*s", (int)n, line);
}

static void refused(const char *line, hl_rc want)
{
    refused_n(line, strlen(line), want);
}

/* The canonical form of ev (caller frees). */
static char *canonical(const char *unit_code)
{
    hl_buf b;
    hl_buf_init(&b, 1 << 20);
    ck_assert_int_eq(hl_event_write(&ev, 480, unit_code, &b), HL_OK);
    char *s = strdup(hl_buf_str(&b));
    hl_buf_free(&b);
    return s;
}

/* ------------------------------------------------------------------------ */

START_TEST(test_every_op_parses)
{
    for (int op = 0; op < OP__COUNT; op++) {
        parse_ok(minimal[op]);
        ck_assert_int_eq(ev.op, op);
        ck_assert_int_eq(ev.at, th_time("2024-05-06T09:30:00+08:00"));
        ck_assert_str_eq(ev.order, "R1");
        parse_ok(full[op]);
        ck_assert_int_eq(ev.op, op);
        ck_assert_str_eq(hl_enum_name(&hl_op_enum, op), hl_enum_name(&hl_op_enum, (int)ev.op));
    }
}
END_TEST

START_TEST(test_appeal_fields)
{
    parse_ok(full[OP_APPEAL]);
    ck_assert_int_eq(ev.at, th_time("2024-05-06T09:30:00+08:00")); /* fraction truncated */
    ck_assert_str_eq(ev.appeal_id, "A-0001");
    ck_assert_int_eq(ev.channel, CH_MAILBOX);
    ck_assert_str_eq(ev.source, "web");
    ck_assert_int_eq(ev.line, LINE_NPC);
    ck_assert_str_eq(ev.category, "城乡建设");
    ck_assert_int_eq(ev.nature, NATURE_SUGGESTION);
    ck_assert_int_eq(ev.urgency, URGENCY_URGENT);
    ck_assert_str_eq(ev.content, "第一行\n第二行 \"引号\" \\ \t");
    ck_assert_str_eq(ev.location, "岳阳楼区");
    ck_assert_str_eq(ev.citizen_name, "张三");
    ck_assert_str_eq(ev.citizen_phone, "13812345678");
    ck_assert_int_eq(ev.handling, HANDLING_ORDER);
    ck_assert_str_eq(ev.order, "R0001");
    ck_assert_uint_eq(ev.n_kb, 3);
    ck_assert_int_eq(ev.kb_num[0], 12);
    ck_assert_ptr_null(ev.kb_text[0]);
    ck_assert_str_eq(ev.kb_text[1], "KB-7");
    ck_assert_int_eq(ev.kb_num[2], 0);
    ck_assert_ptr_null(ev.kb_text[2]);
    ck_assert_str_eq(ev.actor, "李四");
    ck_assert_str_eq(ev.note, "备注");
}
END_TEST

START_TEST(test_appeal_defaults_and_direct)
{
    parse_ok("{\"op\":\"appeal\"," T ",\"id\":\"A2\",\"channel\":\"hotline\",\"nature\":\"consult\","
             "\"content\":\"公积金怎么提取\",\"handling\":\"direct\",\"kb\":[\"KB-1\"]}");
    ck_assert_int_eq(ev.line, LINE_GENERAL);
    ck_assert_int_eq(ev.urgency, URGENCY_NORMAL);
    ck_assert_int_eq(ev.handling, HANDLING_DIRECT);
    ck_assert_ptr_null(ev.order);
    ck_assert_ptr_null(ev.citizen_name);
    char *c = canonical(NULL);
    ck_assert_str_eq(c, "{\"op\":\"appeal\",\"at\":\"2024-05-06T09:30:00+08:00\",\"id\":\"A2\","
                        "\"channel\":\"hotline\",\"line\":\"general\",\"nature\":\"consult\","
                        "\"urgency\":\"normal\",\"content\":\"公积金怎么提取\","
                        "\"handling\":\"direct\",\"kb\":[\"KB-1\"]}");
    free(c);
}
END_TEST

START_TEST(test_fields_of_order_events)
{
    parse_ok(full[OP_DISPATCH]);
    ck_assert_str_eq(ev.unit_ref, "城关区");
    ck_assert_int_eq(ev.has_deadline, 1);
    ck_assert_int_eq(ev.deadline, th_time("2024-05-10T23:59:59+08:00"));
    parse_ok(minimal[OP_DISPATCH]);
    ck_assert_int_eq(ev.has_deadline, 0);
    parse_ok(full[OP_EXTENSION_REQUEST]);
    ck_assert_int_eq(ev.until, th_time("2024-05-20T23:59:59+08:00"));
    ck_assert_str_eq(ev.reason, "需协调");
    parse_ok(minimal[OP_RETURN_DECISION]);
    ck_assert_int_eq(ev.approved, 1);
    parse_ok(full[OP_RETURN_DECISION]);
    ck_assert_int_eq(ev.approved, 0);
    parse_ok(full[OP_REVIEW]);
    ck_assert_int_eq(ev.result, REVIEW_RETURN);
    parse_ok(full[OP_CALLBACK]);
    ck_assert_int_eq(ev.result, CB_BASICALLY_SATISFIED);
    parse_ok(full[OP_VERIFY]);
    ck_assert_int_eq(ev.result, VERIFY_UPHELD);
    parse_ok(full[OP_REPLY]);
    ck_assert_str_eq(ev.text, "已处理");
    ck_assert_str_eq(ev.actor, "a");
    ck_assert_str_eq(ev.note, "n");
}
END_TEST

/* Removing any key of a minimal line leaves a required field missing. */
START_TEST(test_missing_required_field_refused)
{
    for (int op = 0; op < OP__COUNT; op++) {
        json_error_t jerr;
        json_t *obj = json_loads(minimal[op], 0, &jerr);
        ck_assert_ptr_nonnull(obj);
        const char *key;
        json_t *v;
        json_object_foreach(obj, key, v) {
            json_t *copy = json_deep_copy(obj);
            json_object_del(copy, key);
            char *line = json_dumps(copy, JSON_COMPACT);
            refused(line, HL_EINVAL);
            ck_assert_msg(th_has(err.msg, key), "message should name the missing field %s: %s",
                          key, err.msg);
            free(line);
            json_decref(copy);
        }
        json_decref(obj);
    }
    /* null counts as absent, so a null required field is missing too */
    refused("{\"op\":\"sign\",\"at\":null,\"order\":\"R1\"}", HL_EINVAL);
    refused("{\"op\":\"sign\"," T ",\"order\":null}", HL_EINVAL);
    refused("{\"op\":null," T ",\"order\":\"R1\"}", HL_EINVAL);
}
END_TEST

START_TEST(test_unknown_or_misplaced_field_refused)
{
    refused("{\"op\":\"sign\"," T ",\"order\":\"R1\",\"colour\":\"red\"}", HL_EINVAL);
    ck_assert_msg(th_has(err.msg, "colour"), "%s", err.msg);
    refused("{\"op\":\"sign\"," T ",\"order\":\"R1\",\"unit\":\"C1\"}", HL_EINVAL);
    refused("{\"op\":\"sign\"," T ",\"order\":\"R1\",\"reason\":\"x\"}", HL_EINVAL);
    refused("{\"op\":\"reply\"," T ",\"order\":\"R1\",\"text\":\"x\",\"result\":\"accept\"}",
            HL_EINVAL);
    refused("{\"op\":\"subdispatch\"," T ",\"order\":\"R1\",\"unit\":\"T1\","
            "\"deadline\":\"2024-05-10T23:59:59+08:00\"}",
            HL_EINVAL);
    refused("{\"op\":\"dispatch\"," T ",\"order\":\"R1\",\"unit\":\"C1\",\"content\":\"x\"}",
            HL_EINVAL);
    refused("{\"op\":\"callback\"," T ",\"order\":\"R1\",\"result\":\"satisfied\",\"reason\":\"x\"}",
            HL_EINVAL);
    refused("{\"op\":\"appeal\"," T ",\"id\":\"A1\",\"channel\":\"hotline\",\"nature\":\"help\","
            "\"content\":\"x\",\"handling\":\"order\",\"order\":\"R1\",\"unit\":\"C1\"}",
            HL_EINVAL);
    refused("{\"op\":\"appeal\"," T ",\"id\":\"A1\",\"channel\":\"hotline\",\"nature\":\"help\","
            "\"content\":\"x\",\"handling\":\"order\",\"order\":\"R1\","
            "\"citizen\":{\"name\":\"张三\",\"email\":\"a@b\"}}",
            HL_EINVAL);
    refused("{\"op\":\"sign\"," T ",\"order\":\"R1\",\"order\":\"R2\"}", HL_EINVAL); /* duplicate */
}
END_TEST

START_TEST(test_wrong_types_refused)
{
    refused("{\"op\":\"sign\",\"at\":1714959000,\"order\":\"R1\"}", HL_EINVAL);
    refused("{\"op\":\"sign\"," T ",\"order\":17}", HL_EINVAL);
    refused("{\"op\":7," T ",\"order\":\"R1\"}", HL_EINVAL);
    refused("{\"op\":\"appeal\"," T ",\"id\":7,\"channel\":\"hotline\",\"nature\":\"help\","
            "\"content\":\"x\",\"handling\":\"order\",\"order\":\"R1\"}",
            HL_EINVAL);
    refused("{\"op\":\"return_decision\"," T ",\"order\":\"R1\",\"approved\":\"true\"}", HL_EINVAL);
    refused("{\"op\":\"return_decision\"," T ",\"order\":\"R1\",\"approved\":1}", HL_EINVAL);
    refused("{\"op\":\"reply\"," T ",\"order\":\"R1\",\"text\":[\"x\"]}", HL_EINVAL);
    refused("{\"op\":\"reply\"," T ",\"order\":\"R1\",\"text\":{}}", HL_EINVAL);
    refused("{\"op\":\"extension_request\"," T ",\"order\":\"R1\",\"until\":true}", HL_EINVAL);
    refused("{\"op\":\"extension_request\"," T ",\"order\":\"R1\",\"until\":\"2024-05-20\"}",
            HL_EINVAL);
    refused("{\"op\":\"dispatch\"," T ",\"order\":\"R1\",\"unit\":5}", HL_EINVAL);
    refused("{\"op\":\"dispatch\"," T ",\"order\":\"R1\",\"unit\":\"C1\",\"deadline\":0}",
            HL_EINVAL);
    const char *appeal_head = "{\"op\":\"appeal\"," T ",\"id\":\"A1\",\"channel\":\"hotline\","
                              "\"nature\":\"help\",\"content\":\"x\",\"handling\":\"order\","
                              "\"order\":\"R1\",";
    static const char *const tails[] = {
        "\"citizen\":\"张三\"}", "\"citizen\":{\"name\":5}}", "\"citizen\":[]}",
        "\"kb\":\"KB-1\"}",     "\"kb\":[-1]}",             "\"kb\":[1.5]}",
        "\"kb\":[true]}",       "\"kb\":[[1]]}",            "\"source\":1}",
        "\"actor\":false}",
    };
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        char line[1024];
        snprintf(line, sizeof line, "%s%s", appeal_head, tails[i]);
        refused(line, HL_EINVAL);
    }
}
END_TEST

START_TEST(test_bad_enum_values_refused)
{
    refused("{\"op\":\"delete\"," T ",\"order\":\"R1\"}", HL_EINVAL);
    refused("{\"op\":\"SIGN\"," T ",\"order\":\"R1\"}", HL_EINVAL);
    refused("{\"op\":\"appeal\"," T ",\"id\":\"A1\",\"channel\":\"phone\",\"nature\":\"help\","
            "\"content\":\"x\",\"handling\":\"order\",\"order\":\"R1\"}",
            HL_EINVAL);
    ck_assert_msg(th_has(err.msg, "phone"), "message should quote the value: %s", err.msg);
    refused("{\"op\":\"appeal\"," T ",\"id\":\"A1\",\"channel\":\"hotline\",\"nature\":\"gossip\","
            "\"content\":\"x\",\"handling\":\"order\",\"order\":\"R1\"}",
            HL_EINVAL);
    refused("{\"op\":\"appeal\"," T ",\"id\":\"A1\",\"channel\":\"hotline\",\"nature\":\"help\","
            "\"content\":\"x\",\"handling\":\"later\",\"order\":\"R1\"}",
            HL_EINVAL);
    refused("{\"op\":\"appeal\"," T ",\"id\":\"A1\",\"channel\":\"hotline\",\"nature\":\"help\","
            "\"content\":\"x\",\"handling\":\"order\",\"order\":\"R1\",\"line\":\"vip\"}",
            HL_EINVAL);
    refused("{\"op\":\"appeal\"," T ",\"id\":\"A1\",\"channel\":\"hotline\",\"nature\":\"help\","
            "\"content\":\"x\",\"handling\":\"order\",\"order\":\"R1\",\"urgency\":\"high\"}",
            HL_EINVAL);
    /* result values belong to their op */
    refused("{\"op\":\"review\"," T ",\"order\":\"R1\",\"result\":\"satisfied\"}", HL_EINVAL);
    refused("{\"op\":\"callback\"," T ",\"order\":\"R1\",\"result\":\"accept\"}", HL_EINVAL);
    refused("{\"op\":\"callback\"," T ",\"order\":\"R1\",\"result\":\"upheld\"}", HL_EINVAL);
    refused("{\"op\":\"verify\"," T ",\"order\":\"R1\",\"result\":\"dissatisfied\"}", HL_EINVAL);
    refused("{\"op\":\"review\"," T ",\"order\":\"R1\",\"result\":\"\"}", HL_EINVAL);
}
END_TEST

START_TEST(test_invalid_utf8_refused)
{
    static const char *const bad[] = {
        "\xff",         /* never valid */
        "\xc0\xaf",     /* overlong '/' */
        "\xe0\x80\xaf", /* overlong */
        "\xed\xa0\x80", /* surrogate U+D800 */
        "\xe4\xb8",     /* truncated 中 */
        "\x80",         /* lone continuation */
        "\xf4\x90\x80\x80", /* above U+10FFFF */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char line[256];
        snprintf(line, sizeof line, "{\"op\":\"reply\"," T ",\"order\":\"R1\",\"text\":\"答%s复\"}",
                 bad[i]);
        refused(line, HL_EINVAL);
        ck_assert_msg(th_has(err.msg, "UTF-8"), "message should say UTF-8: %s", err.msg);
    }
    /* outside a string too */
    refused("{\"op\":\"sign\"," T ",\"order\":\"R1\"}\xff", HL_EINVAL);
}
END_TEST

START_TEST(test_truncated_json_refused)
{
    /* every proper prefix of a valid line is refused */
    const char *line = full[OP_APPEAL];
    size_t n = strlen(line);
    for (size_t len = 0; len < n; len++) {
        /* cut only at character boundaries so the refusal is about JSON */
        if (((unsigned char)line[len] & 0xC0) == 0x80)
            continue;
        refused_n(line, len, HL_EINVAL);
    }
    refused("{\"op\":\"sign\"," T ",\"order\":\"R1\"", HL_EINVAL);
    refused("", HL_EINVAL);
    refused("[]", HL_EINVAL);
    refused("\"sign\"", HL_EINVAL);
    refused("42", HL_EINVAL);
    refused("null", HL_EINVAL);
    refused("{\"op\":\"sign\"," T ",\"order\":\"R1\"}{}", HL_EINVAL);
    refused("{\"op\":\"sign\"," T ",\"order\":\"R1\",}", HL_EINVAL);
}
END_TEST

START_TEST(test_too_big_refused)
{
    char line[512], big[300];
    /* an order number longer than HL_ORDER_NUMBER_MAX (64) */
    memset(big, 'R', 65);
    big[65] = '\0';
    snprintf(line, sizeof line, "{\"op\":\"sign\"," T ",\"order\":\"%s\"}", big);
    refused(line, HL_ETOOBIG);
    big[64] = '\0';
    snprintf(line, sizeof line, "{\"op\":\"sign\"," T ",\"order\":\"%s\"}", big);
    parse_ok(line);
    /* a short field over 200 bytes */
    memset(big, 'a', 201);
    big[201] = '\0';
    snprintf(line, sizeof line, "{\"op\":\"sign\"," T ",\"order\":\"R1\",\"actor\":\"%s\"}", big);
    refused(line, HL_ETOOBIG);
    /* a text field over 64 KiB */
    size_t n = 65537;
    char *text = malloc(n + 128);
    ck_assert_ptr_nonnull(text);
    int head = snprintf(text, 128, "{\"op\":\"reply\"," T ",\"order\":\"R1\",\"text\":\"");
    memset(text + head, 'x', n);
    strcpy(text + head + n, "\"}");
    refused(text, HL_ETOOBIG);
    strcpy(text + head + n - 1, "\"}"); /* exactly 65536 is fine */
    parse_ok(text);
    free(text);
    /* more than HL_KB_MAX knowledge-base ids */
    char kb[1024] = "";
    for (int i = 0; i <= HL_KB_MAX; i++)
        snprintf(kb + strlen(kb), sizeof kb - strlen(kb), "%s%d", i ? "," : "", i);
    char *appeal = malloc(2048);
    ck_assert_ptr_nonnull(appeal);
    snprintf(appeal, 2048,
             "{\"op\":\"appeal\"," T ",\"id\":\"A1\",\"channel\":\"hotline\",\"nature\":\"help\","
             "\"content\":\"x\",\"handling\":\"direct\",\"kb\":[%s]}",
             kb);
    refused(appeal, HL_EINVAL);
    free(appeal);
}
END_TEST

START_TEST(test_control_characters)
{
    /* short fields (ids, names) refuse control characters … */
    refused("{\"op\":\"sign\"," T ",\"order\":\"R\\u00011\"}", HL_EINVAL);
    refused("{\"op\":\"sign\"," T ",\"order\":\"R1\",\"actor\":\"a\\tb\"}", HL_EINVAL);
    refused("{\"op\":\"sign\"," T ",\"order\":\"R1\\u0000\"}", HL_EINVAL);
    /* … texts keep line breaks */
    parse_ok("{\"op\":\"reply\"," T ",\"order\":\"R1\",\"text\":\"第一行\\r\\n第二行\"}");
    ck_assert_str_eq(ev.text, "第一行\r\n第二行");
}
END_TEST

START_TEST(test_appeal_order_consistency)
{
    /* handling order needs an order number; a direct answer has none */
    refused("{\"op\":\"appeal\"," T ",\"id\":\"A1\",\"channel\":\"hotline\",\"nature\":\"help\","
            "\"content\":\"x\",\"handling\":\"order\"}",
            HL_EINVAL);
    refused("{\"op\":\"appeal\"," T ",\"id\":\"A1\",\"channel\":\"hotline\",\"nature\":\"help\","
            "\"content\":\"x\",\"handling\":\"direct\",\"order\":\"R1\"}",
            HL_EINVAL);
    parse_ok("{\"op\":\"appeal\"," T ",\"id\":\"A1\",\"channel\":\"hotline\",\"nature\":\"help\","
             "\"content\":\"x\",\"handling\":\"direct\",\"order\":null}");
    ck_assert_ptr_null(ev.order);
}
END_TEST

START_TEST(test_null_optional_fields_absent)
{
    parse_ok("{\"op\":\"dispatch\"," T ",\"order\":\"R1\",\"unit\":\"C1\",\"deadline\":null,"
             "\"actor\":null,\"note\":null}");
    ck_assert_int_eq(ev.has_deadline, 0);
    ck_assert_ptr_null(ev.actor);
    ck_assert_ptr_null(ev.note);
    char *with_nulls = canonical(NULL);
    parse_ok(minimal[OP_DISPATCH]);
    char *without = canonical(NULL);
    ck_assert_str_eq(with_nulls, without);
    free(with_nulls);
    free(without);

    parse_ok("{\"op\":\"appeal\"," T ",\"id\":\"A1\",\"channel\":\"hotline\",\"nature\":\"help\","
             "\"content\":\"x\",\"handling\":\"order\",\"order\":\"R1\",\"source\":null,"
             "\"line\":null,\"category\":null,\"urgency\":null,\"location\":null,\"kb\":null,"
             "\"citizen\":{\"name\":null,\"phone\":\"13800000000\"}}");
    ck_assert_ptr_null(ev.source);
    ck_assert_int_eq(ev.line, LINE_GENERAL);
    ck_assert_int_eq(ev.urgency, URGENCY_NORMAL);
    ck_assert_ptr_null(ev.citizen_name);
    ck_assert_str_eq(ev.citizen_phone, "13800000000");
    ck_assert_uint_eq(ev.n_kb, 0);
    char *c = canonical(NULL);
    ck_assert_msg(th_has(c, "\"citizen\":{\"phone\":\"13800000000\"}"), "%s", c);
    ck_assert_msg(!th_has(c, "null") && !th_has(c, "\"kb\"") && !th_has(c, "\"source\""), "%s",
                  c);
    free(c);

    parse_ok("{\"op\":\"review\"," T ",\"order\":\"R1\",\"result\":\"accept\",\"reason\":null}");
    ck_assert_ptr_null(ev.reason);
}
END_TEST

START_TEST(test_canonical_form)
{
    parse_ok("{\"order\":\"R1\",\"at\":\"2024-05-06T01:30:00.75Z\",\"op\":\"sign\"}");
    char *c = canonical(NULL);
    ck_assert_str_eq(c, "{\"op\":\"sign\",\"at\":\"2024-05-06T09:30:00+08:00\",\"order\":\"R1\"}");
    free(c);

    parse_ok(minimal[OP_APPEAL]);
    c = canonical(NULL);
    ck_assert_str_eq(c, "{\"op\":\"appeal\",\"at\":\"2024-05-06T09:30:00+08:00\",\"order\":\"R1\","
                        "\"id\":\"A1\",\"channel\":\"hotline\",\"line\":\"general\","
                        "\"nature\":\"complaint\",\"urgency\":\"normal\",\"content\":\"噪音\","
                        "\"handling\":\"order\"}");
    free(c);

    /* the unit is written as the code the caller resolved */
    parse_ok(full[OP_DISPATCH]);
    c = canonical("C1");
    ck_assert_str_eq(c, "{\"op\":\"dispatch\",\"at\":\"2024-05-06T09:30:00+08:00\","
                        "\"order\":\"R1\",\"unit\":\"C1\","
                        "\"deadline\":\"2024-05-10T23:59:59+08:00\",\"actor\":\"a\",\"note\":\"n\"}");
    free(c);

    parse_ok(full[OP_EXTENSION_DECISION]);
    c = canonical(NULL);
    ck_assert_str_eq(c, "{\"op\":\"extension_decision\",\"at\":\"2024-05-06T09:30:00+08:00\","
                        "\"order\":\"R1\",\"approved\":true,\"actor\":\"a\",\"note\":\"n\"}");
    free(c);
}
END_TEST

/* write → parse → write is the identity for every op */
START_TEST(test_canonical_round_trip)
{
    for (int op = 0; op < OP__COUNT; op++) {
        const char *lines[2] = {minimal[op], full[op]};
        for (int k = 0; k < 2; k++) {
            parse_ok(lines[k]);
            char *first = canonical(NULL);
            parse_ok(first);
            char *second = canonical(NULL);
            ck_assert_msg(strcmp(first, second) == 0, "not stable:\n%s\n%s", first, second);
            /* and the canonical text is valid JSON with the same op */
            json_error_t jerr;
            json_t *j = json_loads(first, JSON_REJECT_DUPLICATES, &jerr);
            ck_assert_msg(j != NULL, "canonical form is not JSON: %s", first);
            ck_assert_str_eq(json_string_value(json_object_get(j, "op")),
                             hl_enum_name(&hl_op_enum, op));
            json_decref(j);
            free(first);
            free(second);
        }
    }
    /* escapes survive the round trip */
    parse_ok(full[OP_APPEAL]);
    char *c = canonical(NULL);
    parse_ok(c);
    ck_assert_str_eq(ev.content, "第一行\n第二行 \"引号\" \\ \t");
    ck_assert_int_eq(ev.kb_num[0], 12);
    ck_assert_str_eq(ev.kb_text[1], "KB-7");
    free(c);
}
END_TEST

/* The store keeps op, at and order in columns and the rest as text;
 * joining them gives the canonical line back. */
START_TEST(test_rest_and_join)
{
    for (int op = 0; op < OP__COUNT; op++) {
        const char *lines[2] = {minimal[op], full[op]};
        for (int k = 0; k < 2; k++) {
            parse_ok(lines[k]);
            hl_buf rest, joined;
            hl_buf_init(&rest, 1 << 20);
            hl_buf_init(&joined, 1 << 20);
            char *line = canonical(NULL);
            ck_assert_int_eq(hl_event_write_rest(&ev, 480, NULL, &rest), HL_OK);
            ck_assert_msg(!th_has(hl_buf_str(&rest), "\"op\":") &&
                              !th_has(hl_buf_str(&rest), "\"at\":") &&
                              !th_has(hl_buf_str(&rest), "\"order\":"),
                          "rest holds a column: %s", hl_buf_str(&rest));
            ck_assert_int_eq(hl_event_join(ev.op, ev.at, ev.order, hl_buf_str(&rest), 480, &joined),
                             HL_OK);
            ck_assert_str_eq(hl_buf_str(&joined), line);
            free(line);
            hl_buf_free(&rest);
            hl_buf_free(&joined);
        }
    }
    /* an op with nothing but op, at and order has an empty rest */
    hl_buf b;
    hl_buf_init(&b, 1024);
    parse_ok(minimal[OP_SIGN]);
    ck_assert_int_eq(hl_event_write_rest(&ev, 480, NULL, &b), HL_OK);
    ck_assert_str_eq(hl_buf_str(&b), "");
    parse_ok(full[OP_DISPATCH]);
    ck_assert_int_eq(hl_event_write_rest(&ev, 480, "C1", &b), HL_OK);
    ck_assert_str_eq(hl_buf_str(&b), "\"unit\":\"C1\",\"deadline\":\"2024-05-10T23:59:59+08:00\","
                                     "\"actor\":\"a\",\"note\":\"n\"");
    /* a direct answer has no order */
    hl_buf_reset(&b);
    ck_assert_int_eq(hl_event_join(OP_APPEAL, th_time("2024-05-06T01:30:00Z"), NULL, "\"id\":\"A9\"",
                                   480, &b),
                     HL_OK);
    ck_assert_str_eq(hl_buf_str(&b), "{\"op\":\"appeal\",\"at\":\"2024-05-06T09:30:00+08:00\","
                                     "\"id\":\"A9\"}");
    hl_buf_reset(&b);
    ck_assert_int_eq(hl_event_join(OP_SIGN, 0, "R1", "", 0, &b), HL_OK);
    ck_assert_str_eq(hl_buf_str(&b),
                     "{\"op\":\"sign\",\"at\":\"1970-01-01T00:00:00+00:00\",\"order\":\"R1\"}");
    hl_buf_free(&b);
}
END_TEST

START_TEST(test_parse_into_reuses_doc)
{
    hj_doc d;
    hl_event e;
    ck_assert_int_eq(hj_init(&d, 128), HL_OK);
    for (int round = 0; round < 2; round++) {
        for (int op = 0; op < OP__COUNT; op++) {
            hl_rc rc = hl_event_parse_into(&d, full[op], strlen(full[op]), &e, &err);
            ck_assert_msg(rc == HL_OK, "%s: %s", full[op], err.msg);
            ck_assert_int_eq(e.op, op);
        }
        const char *bad = "{\"op\":\"sign\"}";
        ck_assert_int_eq(hl_event_parse_into(&d, bad, strlen(bad), &e, &err), HL_EINVAL);
    }
    ck_assert_int_eq(hl_event_parse_into(&d, full[OP_APPEAL], strlen(full[OP_APPEAL]), &e, &err),
                     HL_OK);
    ck_assert_str_eq(e.citizen_name, "张三");
    hj_free(&d);
}
END_TEST

START_TEST(test_enum_tables)
{
    ck_assert_int_eq(hl_op_enum.count, OP__COUNT);
    ck_assert_int_eq(hl_enum_parse(&hl_callback_enum, "basically_satisfied"),
                     CB_BASICALLY_SATISFIED);
    ck_assert_int_eq(hl_enum_parse(&hl_callback_enum, "Satisfied"), HL_ENUM_NONE);
    ck_assert_str_eq(hl_enum_name(&hl_nature_enum, NATURE_PRAISE), "praise");
    ck_assert_str_eq(hl_enum_name(&hl_nature_enum, 99), "");
    ck_assert_str_eq(hl_op_label(OP_SIGN), "签收");
    for (int op = 0; op < OP__COUNT; op++)
        ck_assert_int_eq(hl_enum_parse(&hl_op_enum, hl_enum_name(&hl_op_enum, op)), op);
}
END_TEST

Suite *suite_event(void)
{
    Suite *s = suite_create("event");
    TCase *tc = tcase_create("parse");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_every_op_parses);
    tcase_add_test(tc, test_appeal_fields);
    tcase_add_test(tc, test_appeal_defaults_and_direct);
    tcase_add_test(tc, test_fields_of_order_events);
    tcase_add_test(tc, test_null_optional_fields_absent);
    tcase_add_test(tc, test_appeal_order_consistency);
    tcase_add_test(tc, test_enum_tables);
    suite_add_tcase(s, tc);
    tc = tcase_create("refuse");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_missing_required_field_refused);
    tcase_add_test(tc, test_unknown_or_misplaced_field_refused);
    tcase_add_test(tc, test_wrong_types_refused);
    tcase_add_test(tc, test_bad_enum_values_refused);
    tcase_add_test(tc, test_invalid_utf8_refused);
    tcase_add_test(tc, test_truncated_json_refused);
    tcase_add_test(tc, test_too_big_refused);
    tcase_add_test(tc, test_control_characters);
    suite_add_tcase(s, tc);
    tc = tcase_create("canonical");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_canonical_form);
    tcase_add_test(tc, test_canonical_round_trip);
    tcase_add_test(tc, test_rest_and_join);
    tcase_add_test(tc, test_parse_into_reuses_doc);
    suite_add_tcase(s, tc);
    return s;
}
