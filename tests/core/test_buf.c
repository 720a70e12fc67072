/* test_buf.c — the small building blocks: hl_buf (capped buffer and JSON
 * strings), UTF-8 validation, hl_map, hl_err. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/buf.h"
#include "../../src/core/map.h"
#include "../../src/core/utf8.h"
#include "../test.h"

/* ------------------------------------------------------------------------ */
/* hl_buf */

START_TEST(test_buf_cap_enforced)
{
    hl_buf b;
    hl_buf_init(&b, 10);
    ck_assert_str_eq(hl_buf_str(&b), "");
    ck_assert_int_eq(hl_buf_adds(&b, "0123456789"), HL_OK);
    ck_assert_uint_eq(b.len, 10);
    ck_assert_int_eq(hl_buf_addc(&b, 'x'), HL_ETOOBIG);
    ck_assert_int_eq(hl_buf_add(&b, "x", 1), HL_ETOOBIG);
    ck_assert_int_eq(hl_buf_printf(&b, "%d", 1), HL_ETOOBIG);
    ck_assert_int_eq(hl_buf_add_json_str(&b, ""), HL_ETOOBIG);
    /* a refused append leaves the content as it was */
    ck_assert_uint_eq(b.len, 10);
    ck_assert_str_eq(hl_buf_str(&b), "0123456789");
    /* adding nothing is fine even when full */
    ck_assert_int_eq(hl_buf_add(&b, "", 0), HL_OK);
    hl_buf_reset(&b);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_str_eq(hl_buf_str(&b), "");
    ck_assert_int_eq(hl_buf_printf(&b, "%s-%d", "abcd", 12345), HL_OK);
    ck_assert_str_eq(hl_buf_str(&b), "abcd-12345");
    ck_assert_int_eq(hl_buf_printf(&b, "%s", "y"), HL_ETOOBIG);
    ck_assert_str_eq(hl_buf_str(&b), "abcd-12345");
    hl_buf_free(&b);
    ck_assert_ptr_null(b.data);
    ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(test_buf_huge_request_refused)
{
    hl_buf b;
    hl_buf_init(&b, 100);
    ck_assert_int_eq(hl_buf_adds(&b, "abc"), HL_OK);
    /* a length that would overflow len + n must not wrap around */
    ck_assert_int_eq(hl_buf_add(&b, "x", (size_t)-1), HL_ETOOBIG);
    ck_assert_int_eq(hl_buf_add(&b, "x", (size_t)-3), HL_ETOOBIG);
    ck_assert_str_eq(hl_buf_str(&b), "abc");
    hl_buf_free(&b);
    hl_buf_init(&b, 0);
    ck_assert_int_eq(hl_buf_addc(&b, 'a'), HL_ETOOBIG);
    hl_buf_free(&b);
}
END_TEST

START_TEST(test_buf_grows)
{
    hl_buf b;
    hl_buf_init(&b, 1 << 20);
    for (int i = 0; i < 100000; i++)
        TH_REQUIRE(hl_buf_addc(&b, (char)('a' + i % 26)) == HL_OK, "addc %d", i);
    ck_assert_uint_eq(b.len, 100000);
    ck_assert_uint_eq(strlen(b.data), 100000);
    for (int i = 0; i < 100000; i += 997)
        TH_REQUIRE(b.data[i] == 'a' + i % 26, "byte %d", i);
    ck_assert_uint_ge(b.cap, b.len + 1);
    hl_buf_free(&b);
}
END_TEST

static char *json_str(const char *s)
{
    hl_buf b;
    hl_buf_init(&b, 1 << 16);
    ck_assert_int_eq(hl_buf_add_json_str(&b, s), HL_OK);
    char *out = strdup(hl_buf_str(&b));
    hl_buf_free(&b);
    return out;
}

START_TEST(test_json_escaping)
{
    char *s = json_str("a\"b\\c\nd\re\tf\bg\fh\x01i\x1f/中文\x7f");
    ck_assert_str_eq(s, "\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u001f/中文\x7f\"");
    free(s);
    s = json_str("");
    ck_assert_str_eq(s, "\"\"");
    free(s);
    s = json_str("\"");
    ck_assert_str_eq(s, "\"\\\"\"");
    free(s);
}
END_TEST

START_TEST(test_json_escaping_decodes_back)
{
    static const char *const samples[] = {
        "plain", "引号\"和\\反斜杠", "\n\r\t\b\f", "\x01\x02\x03\x1e\x1f", "😀 U+1F600",
        "tab\tin the middle\t", "</script>", "\\u0041"};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char *enc = json_str(samples[i]);
        json_error_t jerr;
        json_t *j = json_loads(enc, JSON_DECODE_ANY, &jerr);
        ck_assert_msg(j != NULL, "not JSON: %s (%s)", enc, jerr.text);
        ck_assert_str_eq(json_string_value(j), samples[i]);
        json_decref(j);
        free(enc);
    }
}
END_TEST

/* ------------------------------------------------------------------------ */
/* UTF-8 */

#define VALID(lit) ck_assert_msg(hl_utf8_valid(lit, sizeof lit - 1) == 1, "refused: %s", #lit)
#define INVALID(lit) ck_assert_msg(hl_utf8_valid(lit, sizeof lit - 1) == 0, "accepted: %s", #lit)

START_TEST(test_utf8_valid)
{
    VALID("");
    VALID("ascii only");
    VALID("\xc2\x80");         /* U+0080, smallest 2-byte */
    VALID("\xdf\xbf");         /* U+07FF */
    VALID("\xe0\xa0\x80");     /* U+0800, smallest 3-byte */
    VALID("中文 12345");
    VALID("\xed\x9f\xbf");     /* U+D7FF, just below the surrogates */
    VALID("\xee\x80\x80");     /* U+E000, just above */
    VALID("\xef\xbf\xbf");     /* U+FFFF */
    VALID("\xf0\x90\x80\x80"); /* U+10000, smallest 4-byte */
    VALID("\xf4\x8f\xbf\xbf"); /* U+10FFFF, the largest */
    /* the length given is what counts, not a NUL */
    ck_assert_int_eq(hl_utf8_valid("ab\xff", 2), 1);
    ck_assert_int_eq(hl_utf8_valid("中", 2), 0);
}
END_TEST

START_TEST(test_utf8_overlong)
{
    INVALID("\xc0\x80");         /* NUL in 2 bytes */
    INVALID("\xc0\xaf");
    INVALID("\xc1\xbf");
    INVALID("\xe0\x80\xaf");
    INVALID("\xe0\x9f\xbf");     /* U+07FF in 3 bytes */
    INVALID("\xf0\x80\x80\xaf");
    INVALID("\xf0\x8f\xbf\xbf"); /* U+FFFF in 4 bytes */
}
END_TEST

START_TEST(test_utf8_surrogates)
{
    INVALID("\xed\xa0\x80"); /* U+D800 */
    INVALID("\xed\xaf\xbf"); /* U+DBFF */
    INVALID("\xed\xb0\x80"); /* U+DC00 */
    INVALID("\xed\xbf\xbf"); /* U+DFFF */
    INVALID("\xed\xa0\xbd\xed\xb8\x80"); /* CESU-8 pair */
}
END_TEST

START_TEST(test_utf8_truncated_and_stray)
{
    INVALID("\xc2");
    INVALID("\xe4\xb8");
    INVALID("\xf0\x9f\x98");
    INVALID("ok\xe4\xb8");
    INVALID("\xe4\xb8x");      /* continuation replaced by ASCII */
    INVALID("\x80");           /* lone continuation */
    INVALID("\xbf");
    INVALID("\xf4\x90\x80\x80"); /* above U+10FFFF */
    INVALID("\xf5\x80\x80\x80");
    INVALID("\xf8\x88\x80\x80\x80"); /* 5-byte form */
    INVALID("\xfe");
    INVALID("\xff");
}
END_TEST

START_TEST(test_text_is_clean)
{
    ck_assert_int_eq(hl_text_is_clean("城关区 12345"), 1);
    ck_assert_int_eq(hl_text_is_clean(""), 1);
    ck_assert_int_eq(hl_text_is_clean("a\tb"), 0);
    ck_assert_int_eq(hl_text_is_clean("a\nb"), 0);
    ck_assert_int_eq(hl_text_is_clean("a\x7f"), 0);
    ck_assert_int_eq(hl_text_is_clean("a\x1b[0m"), 0);
    ck_assert_int_eq(hl_text_is_clean("\xe4\xb8"), 0);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* hl_map */

START_TEST(test_map_put_get)
{
    hl_map m;
    int64_t v = -1;
    hl_map_init(&m);
    ck_assert_int_eq(hl_map_get(&m, "absent", &v), 0);
    ck_assert_int_eq(v, -1);
    ck_assert_int_eq(hl_map_put(&m, "城关区", 7), HL_OK);
    ck_assert_int_eq(hl_map_put(&m, "", 8), HL_OK);
    ck_assert_int_eq(hl_map_get(&m, "城关区", &v), 1);
    ck_assert_int_eq(v, 7);
    ck_assert_int_eq(hl_map_get(&m, "", &v), 1);
    ck_assert_int_eq(v, 8);
    ck_assert_int_eq(hl_map_get(&m, "城关", &v), 0);
    /* overwrite keeps one entry */
    ck_assert_int_eq(hl_map_put(&m, "城关区", -42), HL_OK);
    ck_assert_int_eq(hl_map_get(&m, "城关区", &v), 1);
    ck_assert_int_eq(v, -42);
    ck_assert_uint_eq(m.n, 2);
    /* keys are copied */
    char key[16] = "temp";
    ck_assert_int_eq(hl_map_put(&m, key, 99), HL_OK);
    strcpy(key, "gone");
    ck_assert_int_eq(hl_map_get(&m, "temp", &v), 1);
    ck_assert_int_eq(v, 99);
    ck_assert_int_eq(hl_map_get(&m, "gone", &v), 0);
    hl_map_free(&m);
    ck_assert_int_eq(hl_map_get(&m, "temp", &v), 0);
    hl_map_free(&m); /* freeing twice is harmless: free re-initialises */
}
END_TEST

START_TEST(test_map_grows)
{
    hl_map m;
    hl_map_init(&m);
    char key[32];
    for (int i = 0; i < 20000; i++) {
        snprintf(key, sizeof key, "R%07d", i);
        TH_REQUIRE(hl_map_put(&m, key, i * 3) == HL_OK, "put %s", key);
    }
    ck_assert_uint_eq(m.n, 20000);
    ck_assert_uint_ge(m.cap * 3, m.n * 4); /* load stays under 3/4 */
    ck_assert_int_eq(m.cap & (m.cap - 1), 0);
    for (int i = 0; i < 20000; i++) {
        int64_t v;
        snprintf(key, sizeof key, "R%07d", i);
        TH_REQUIRE(hl_map_get(&m, key, &v) == 1 && v == i * 3, "get %s", key);
    }
    ck_assert_int_eq(hl_map_get(&m, "R0020000", &(int64_t){0}), 0);
    hl_map_free(&m);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* hl_err */

START_TEST(test_err_messages)
{
    hl_err err;
    ck_assert_int_eq(hl_fail(&err, HL_ENOT_SIGNED, "工单 %s 未签收", "R1"), HL_ENOT_SIGNED);
    ck_assert_int_eq(err.rc, HL_ENOT_SIGNED);
    ck_assert_str_eq(err.msg, "工单 R1 未签收");
    hl_err_prefix(&err, "%s:%d", "events.jsonl", 12);
    ck_assert_str_eq(err.msg, "events.jsonl:12: 工单 R1 未签收");
    ck_assert_int_eq(hl_fail(NULL, HL_EIO, "ignored"), HL_EIO);
    ck_assert_str_eq(hl_rc_name(HL_OK), "ok");
    ck_assert_str_eq(hl_rc_name(HL_ENOT_SIGNED), "order_not_signed");
    ck_assert_str_eq(hl_rc_name(HL_RC__COUNT), "unknown_error");
    ck_assert_str_eq(hl_rc_name((hl_rc)-1), "unknown_error");
}
END_TEST

START_TEST(test_err_long_message_cut_on_character)
{
    hl_err err;
    char big[2000] = "";
    for (int i = 0; i < 400; i++)
        strcat(big, "中");
    hl_fail(&err, HL_EINVAL, "%s", big);
    size_t n = strlen(err.msg);
    ck_assert_uint_lt(n, sizeof err.msg);
    ck_assert_uint_ge(n, sizeof err.msg - 4);
    ck_assert_int_eq(n % 3, 0);
    ck_assert_int_eq(hl_utf8_valid(err.msg, n), 1);
    hl_err_prefix(&err, "x%s", "y");
    n = strlen(err.msg);
    ck_assert_int_eq(hl_utf8_valid(err.msg, n), 1);
    ck_assert_int_eq(strncmp(err.msg, "xy: ", 4), 0);
}
END_TEST

/* Lines cut in place: CR LF and LF, an empty line kept, no line after the
 * final newline, nothing in an empty text. */
START_TEST(test_line_next)
{
    char text[] = "a\r\nb\n\nc\n", empty[] = "";
    char *p = text, *q = empty, *none = NULL;
    static const char *const want[] = {"a", "b", "", "c"};
    for (size_t i = 0; i < 4; i++) {
        char *line = hl_line_next(&p);
        ck_assert_ptr_nonnull(line);
        ck_assert_str_eq(line, want[i]);
    }
    ck_assert_ptr_null(hl_line_next(&p));
    ck_assert_ptr_null(hl_line_next(&q));
    ck_assert_ptr_null(hl_line_next(&none));
    char last[] = "x\ry";
    p = last;
    ck_assert_str_eq(hl_line_next(&p), "x\ry"); /* a CR inside a line stays */
    ck_assert_ptr_null(p);
}
END_TEST

START_TEST(test_rc_names_distinct)
{
    for (int i = 0; i < HL_RC__COUNT; i++) {
        ck_assert_str_ne(hl_rc_name((hl_rc)i), "unknown_error");
        for (int j = i + 1; j < HL_RC__COUNT; j++)
            ck_assert_str_ne(hl_rc_name((hl_rc)i), hl_rc_name((hl_rc)j));
    }
}
END_TEST

Suite *suite_buf(void)
{
    Suite *s = suite_create("buf");
    TCase *tc = tcase_create("buf");
    tcase_add_test(tc, test_buf_cap_enforced);
    tcase_add_test(tc, test_buf_huge_request_refused);
    tcase_add_test(tc, test_buf_grows);
    tcase_add_test(tc, test_json_escaping);
    tcase_add_test(tc, test_json_escaping_decodes_back);
    suite_add_tcase(s, tc);
    tc = tcase_create("utf8");
    tcase_add_test(tc, test_utf8_valid);
    tcase_add_test(tc, test_utf8_overlong);
    tcase_add_test(tc, test_utf8_surrogates);
    tcase_add_test(tc, test_utf8_truncated_and_stray);
    tcase_add_test(tc, test_text_is_clean);
    suite_add_tcase(s, tc);
    tc = tcase_create("map");
    tcase_add_test(tc, test_map_put_get);
    tcase_add_test(tc, test_map_grows);
    suite_add_tcase(s, tc);
    tc = tcase_create("err");
    tcase_add_test(tc, test_err_messages);
    tcase_add_test(tc, test_err_long_message_cut_on_character);
    tcase_add_test(tc, test_rc_names_distinct);
    tcase_add_test(tc, test_line_next);
    suite_add_tcase(s, tc);
    return s;
}
