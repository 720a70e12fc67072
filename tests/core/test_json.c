/* test_json.c — the strict JSON reader of the import's hot path (json.h):
 * what RFC 8259 accepts, what it refuses, and the arena and node bounds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/json.h"
#include "../test.h"

static hj_doc D;
static hl_err E;

static void setup(void)
{
    ck_assert_int_eq(hj_init(&D, 128), HL_OK);
    memset(&E, 0, sizeof E);
}

static void teardown(void)
{
    hj_free(&D);
}

static const hj_node *parse_ok_n(const char *text, size_t n)
{
    memset(&E, 0, sizeof E);
    hl_rc rc = hj_parse(&D, text, n, &E);
    ck_assert_msg(rc == HL_OK, "refused (%s): %.*s", E.msg, (int)n, text);
    return &D.nodes[0];
}

static const hj_node *parse_ok(const char *text)
{
    return parse_ok_n(text, strlen(text));
}

static void refused_n(const char *text, size_t n)
{
    memset(&E, 0, sizeof E);
    hl_rc rc = hj_parse(&D, text, n, &E);
    ck_assert_msg(rc == HL_EINVAL, "gave %s for: %.*s", hl_rc_name(rc), (int)n, text);
    ck_assert_msg(E.rc == HL_EINVAL && E.msg[0], "no message for: %.*s", (int)n, text);
}

static void refused(const char *text)
{
    refused_n(text, strlen(text));
}

START_TEST(test_scalars)
{
    ck_assert_int_eq(parse_ok("null")->type, HJ_NULL);
    ck_assert_int_eq(parse_ok("true")->type, HJ_TRUE);
    ck_assert_int_eq(parse_ok(" \t\r\n false \n")->type, HJ_FALSE);
    const hj_node *n = parse_ok("0");
    ck_assert_int_eq(n->type, HJ_NUMBER);
    ck_assert_int_eq(n->is_int, 1);
    ck_assert_int_eq(n->num, 0);
    n = parse_ok("-42");
    ck_assert_int_eq(n->num, -42);
    ck_assert_str_eq(n->str, "-42");
    n = parse_ok("123456789012345678"); /* 18 digits: an int64 */
    ck_assert_int_eq(n->is_int, 1);
    ck_assert_int_eq(n->num, INT64_C(123456789012345678));
    n = parse_ok("12345678901234567890"); /* too long to be taken as an integer */
    ck_assert_int_eq(n->type, HJ_NUMBER);
    ck_assert_int_eq(n->is_int, 0);
    ck_assert_str_eq(n->str, "12345678901234567890");
    n = parse_ok("1.5");
    ck_assert_int_eq(n->is_int, 0);
    ck_assert_str_eq(n->str, "1.5");
    ck_assert_int_eq(parse_ok("-0.0e+10")->is_int, 0);
    ck_assert_int_eq(parse_ok("2E-3")->is_int, 0);
}
END_TEST

START_TEST(test_strings_and_escapes)
{
    const hj_node *n = parse_ok("\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"");
    ck_assert_int_eq(n->type, HJ_STRING);
    ck_assert_str_eq(n->str, "a\"b\\c/d\be\ff\ng\rh\ti");
    ck_assert_uint_eq(n->len, strlen(n->str));
    ck_assert_str_eq(parse_ok("\"\\u00e9\\u00E9\"")->str, "éé");
    ck_assert_str_eq(parse_ok("\"\\u4e2d\\u6587\"")->str, "中文");
    ck_assert_str_eq(parse_ok("\"\\ud83d\\ude00\"")->str, "\xf0\x9f\x98\x80");
    ck_assert_str_eq(parse_ok("\"\\u0041\"")->str, "A");
    ck_assert_str_eq(parse_ok("\"\\u001f\"")->str, "\x1f"); /* escaped control: fine */
    ck_assert_str_eq(parse_ok("\"中文 \xf0\x9f\x98\x80\"")->str, "中文 \xf0\x9f\x98\x80");
    ck_assert_str_eq(parse_ok("\"\x7f\"")->str, "\x7f");
    n = parse_ok("\"\"");
    ck_assert_str_eq(n->str, "");
    ck_assert_uint_eq(n->len, 0);
}
END_TEST

START_TEST(test_containers)
{
    const hj_node *o = parse_ok("{\"a\":1,\"b\":[true,null,\"x\"],\"c\":{},\"d\":[],\"e\":{\"f\":-1}}");
    ck_assert_int_eq(o->type, HJ_OBJECT);
    ck_assert_uint_eq(o->count, 5);
    const hj_node *a = hj_get(&D, o, "a");
    ck_assert_ptr_nonnull(a);
    ck_assert_int_eq(a->num, 1);
    ck_assert_str_eq(a->key, "a");
    const hj_node *b = hj_get(&D, o, "b");
    ck_assert_int_eq(b->type, HJ_ARRAY);
    ck_assert_uint_eq(b->count, 3);
    ck_assert_int_eq(hj_child(&D, b, 0)->type, HJ_TRUE);
    ck_assert_int_eq(hj_child(&D, b, 1)->type, HJ_NULL);
    ck_assert_str_eq(hj_child(&D, b, 2)->str, "x");
    ck_assert_uint_eq(hj_get(&D, o, "c")->count, 0);
    ck_assert_int_eq(hj_get(&D, o, "d")->type, HJ_ARRAY);
    ck_assert_int_eq(hj_get(&D, hj_get(&D, o, "e"), "f")->num, -1);
    ck_assert_ptr_null(hj_get(&D, o, "z"));
    ck_assert_ptr_null(hj_get(&D, a, "a")); /* not an object */
    /* member order is kept */
    ck_assert_str_eq(hj_child(&D, o, 4)->key, "e");
    /* keys may be escaped and non-ASCII */
    o = parse_ok("{\"\\u540d\":\"张三\",\"k\\\"q\":2}");
    ck_assert_str_eq(hj_get(&D, o, "名")->str, "张三");
    ck_assert_int_eq(hj_get(&D, o, "k\"q")->num, 2);
    /* a second parse replaces the first */
    o = parse_ok("[7]");
    ck_assert_int_eq(o->type, HJ_ARRAY);
    ck_assert_int_eq(hj_child(&D, o, 0)->num, 7);
}
END_TEST

START_TEST(test_refused)
{
    static const char *const bad[] = {
        "", " ", "{", "}", "[", "[1,]", "[,1]", "{\"a\":1,}", "{,}", "{\"a\"}", "{\"a\":}",
        "{\"a\" 1}", "{a:1}", "{'a':1}", "[1 2]", "01", "-01", "1.", ".5", "-", "+1", "1e",
        "1e+", "0x10", "NaN", "Infinity", "-Infinity", "tru", "nul", "fals", "True", "nullx",
        "\"abc", "\"a\\x\"", "\"a\\\"", "\"\\u12\"", "\"\\u12g4\"", "\"\\u0000\"",
        "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\ud800x\"", "\"a\x01b\"",
        "\"a\tb\"", "\"a\nb\"", "{\"a\":1}{}", "{\"a\":1} x", "1 2", "[1]]",
        "{\"a\":1,\"a\":2}", "{\"a\":1,\"b\":{\"c\":1,\"c\":2}}",
        "\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xe4\xb8\"", "{\"\xff\":1}",
        "\xef\xbb\xbf{}", /* no byte-order mark */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused(bad[i]);
    /* a NUL byte inside the text */
    refused_n("\"a\0b\"", 5);
    refused_n("{}\0", 3);
}
END_TEST

START_TEST(test_depth_limit)
{
    char text[128];
    /* 8 levels of nesting hold a value; 9 do not */
    snprintf(text, sizeof text, "%s", "[[[[[[[[1]]]]]]]]");
    parse_ok(text);
    snprintf(text, sizeof text, "%s", "[[[[[[[[[1]]]]]]]]]");
    refused(text);
    memset(text, '[', 100);
    text[100] = '\0';
    refused(text);
    refused("{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":1}}}}}}}}}");
}
END_TEST

START_TEST(test_node_limit)
{
    hj_doc small;
    ck_assert_int_eq(hj_init(&small, 8), HL_OK);
    /* the root and 7 elements fit in 8 nodes; 8 elements do not */
    ck_assert_int_eq(hj_parse(&small, "[1,2,3,4,5,6,7]", 15, &E), HL_OK);
    ck_assert_uint_eq(small.nodes[0].count, 7);
    ck_assert_int_eq(hj_parse(&small, "[1,2,3,4,5,6,7,8]", 17, &E), HL_EINVAL);
    ck_assert_int_eq(hj_parse(&small, "[[1,2,3],[4,5,6],[7,8,9]]", 25, &E), HL_EINVAL);
    ck_assert_int_eq(hj_parse(&small, "{\"a\":[1,2],\"b\":[3]}", 19, &E), HL_OK);
    hj_free(&small);
}
END_TEST

/* The string arena is sized from the input alone (HJ_ARENA_NEED): inputs
 * that are all numbers, all escapes or all empty strings must fit. */
START_TEST(test_arena_bound)
{
    static const char *const docs[] = {
        "0", "-1234567", "[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]",
        "[\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"]", "{\"\":0,\"a\":1,\"b\":\"\"}",
        "[1e5,2.5,-0,3]", "\"\\ud83d\\ude00\\ud83d\\ude00\\u00e9\\n\"",
        "{\"a\":[1,[2,[3,[4]]]],\"b\":-5}",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        size_t n = strlen(docs[i]);
        /* a heap copy of exactly n bytes, so reading past it is caught */
        char *copy = malloc(n);
        ck_assert_ptr_nonnull(copy);
        memcpy(copy, docs[i], n);
        /* a fresh document: its arena is exactly HJ_ARENA_NEED(n) bytes */
        hj_doc d;
        ck_assert_int_eq(hj_init(&d, 128), HL_OK);
        ck_assert_msg(hj_parse(&d, copy, n, &E) == HL_OK, "%s: %s", docs[i], E.msg);
        ck_assert_uint_le(d.strs_len, HJ_ARENA_NEED(n));
        hj_free(&d);
        free(copy);
    }
}
END_TEST

START_TEST(test_batch_keeps_strings)
{
    const char *docs[] = {"{\"s\":\"first\"}", "{\"s\":\"第二\"}", "[\"third\",4]"};
    size_t total = 0;
    for (int i = 0; i < 3; i++)
        total += HJ_ARENA_NEED(strlen(docs[i]));
    ck_assert_int_eq(hj_batch_begin(&D, total), HL_OK);
    const char *s[3];
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(hj_parse_next(&D, docs[i], strlen(docs[i]), &E), HL_OK);
        const hj_node *r = &D.nodes[0];
        s[i] = r->type == HJ_OBJECT ? hj_get(&D, r, "s")->str : hj_child(&D, r, 0)->str;
    }
    /* every document's strings are still there */
    ck_assert_str_eq(s[0], "first");
    ck_assert_str_eq(s[1], "第二");
    ck_assert_str_eq(s[2], "third");
    /* a document that would not fit in what is left of the arena is refused */
    const char *big = "\"0123456789012345678901234567\"";
    ck_assert_int_eq(hj_parse_next(&D, big, strlen(big), &E), HL_ENOMEM);
}
END_TEST

Suite *suite_json(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("reader");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_scalars);
    tcase_add_test(tc, test_strings_and_escapes);
    tcase_add_test(tc, test_containers);
    tcase_add_test(tc, test_refused);
    tcase_add_test(tc, test_depth_limit);
    tcase_add_test(tc, test_node_limit);
    tcase_add_test(tc, test_arena_bound);
    tcase_add_test(tc, test_batch_keeps_strings);
    suite_add_tcase(s, tc);
    return s;
}
