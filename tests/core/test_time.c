/* test_time.c — RFC 3339 parsing and formatting, civil dates, local days. */
#include <string.h>

#include "../../src/core/timeutil.h"
#include "../test.h"

/* 2024-05-06T09:30:00+08:00 = 2024-05-06T01:30:00Z */
#define T_0506_0930_CST INT64_C(1714959000)

static void parses_to(const char *s, int64_t want)
{
    int64_t t = 0;
    hl_err err = {0};
    hl_rc rc = hl_time_parse(s, &t, &err);
    ck_assert_msg(rc == HL_OK, "\"%s\" refused: %s", s, err.msg);
    ck_assert_msg(t == want, "\"%s\" → %lld, want %lld", s, (long long)t, (long long)want);
}

static void refused(const char *s)
{
    int64_t t = 12345;
    hl_err err = {0};
    hl_rc rc = hl_time_parse(s, &t, &err);
    ck_assert_msg(rc == HL_EINVAL, "\"%s\" gave %s, want invalid_input", s, hl_rc_name(rc));
    ck_assert_msg(err.rc == HL_EINVAL && err.msg[0], "\"%s\": no error message", s);
    ck_assert_msg(t == 12345, "\"%s\": output written on refusal", s);
}

START_TEST(test_parse_offsets)
{
    parses_to("2024-05-06T09:30:00+08:00", T_0506_0930_CST);
    parses_to("2024-05-06T01:30:00Z", T_0506_0930_CST);
    parses_to("2024-05-06T01:30:00z", T_0506_0930_CST);
    parses_to("2024-05-06T01:30:00+00:00", T_0506_0930_CST);
    parses_to("2024-05-05T20:30:00-05:00", T_0506_0930_CST);
    parses_to("2024-05-06T07:15:00+05:45", T_0506_0930_CST);
    parses_to("2024-05-06t09:30:00+08:00", T_0506_0930_CST);
    parses_to("1970-01-01T00:00:00Z", 0);
    parses_to("1970-01-01T08:00:00+08:00", 0);
    parses_to("1969-12-31T23:59:59Z", -1);
    parses_to("2000-01-01T00:00:00Z", INT64_C(946684800));
}
END_TEST

START_TEST(test_parse_fraction_truncated)
{
    parses_to("2024-05-06T09:30:00.0+08:00", T_0506_0930_CST);
    parses_to("2024-05-06T09:30:00.999999+08:00", T_0506_0930_CST);
    parses_to("2024-05-06T01:30:00.5Z", T_0506_0930_CST);
    parses_to("2024-05-06T01:30:59.123456789Z", T_0506_0930_CST + 59);
}
END_TEST

START_TEST(test_parse_leap_day)
{
    parses_to("2024-02-29T00:00:00Z", INT64_C(1709164800));
    parses_to("2000-02-29T00:00:00Z", INT64_C(951782400));
}
END_TEST

START_TEST(test_missing_offset_refused)
{
    hl_err err = {0};
    int64_t t;
    ck_assert_int_eq(hl_time_parse("2024-05-06T09:30:00", &t, &err), HL_EINVAL);
    ck_assert_msg(th_has(err.msg, "2024-05-06T09:30:00"), "message should quote the time: %s",
                  err.msg);
    refused("2024-05-06T09:30:00.5");
    refused("2024-05-06T09:30");
    refused("2024-05-06");
}
END_TEST

START_TEST(test_bad_dates_refused)
{
    refused("2024-02-30T00:00:00+08:00");
    refused("2023-02-29T00:00:00+08:00");
    refused("1900-02-29T00:00:00Z");
    refused("2024-04-31T00:00:00+08:00");
    refused("2024-13-01T00:00:00+08:00");
    refused("2024-00-10T00:00:00+08:00");
    refused("2024-05-00T00:00:00+08:00");
    refused("2024-5-6T09:30:00+08:00");
    refused("24-05-06T09:30:00+08:00");
}
END_TEST

START_TEST(test_bad_times_refused)
{
    refused("2024-05-06T24:00:00+08:00");
    refused("2024-05-06T09:60:00+08:00");
    refused("2024-05-06T09:30:60+08:00");
    refused("2024-05-06T9:30:00+08:00");
    refused("2024-05-06X09:30:00+08:00");
    refused("2024-05-06T09:30:00.+08:00");
    refused("2024-05-06T09:30:00+08");
    refused("2024-05-06T09:30:00+0800");
    refused("2024-05-06T09:30:00+24:00");
    refused("2024-05-06T09:30:00+08:60");
    refused("2024-05-06T09:30:00Zjunk");
    refused("2024-05-06T09:30:00+08:00 ");
    refused(" 2024-05-06T09:30:00+08:00");
    refused("");
    refused("now");
}
END_TEST

START_TEST(test_format)
{
    char s[HL_TIME_STRLEN];
    hl_time_format(T_0506_0930_CST, 480, s);
    ck_assert_str_eq(s, "2024-05-06T09:30:00+08:00");
    hl_time_format(T_0506_0930_CST, 0, s);
    ck_assert_str_eq(s, "2024-05-06T01:30:00+00:00");
    hl_time_format(T_0506_0930_CST, -330, s);
    ck_assert_str_eq(s, "2024-05-05T20:00:00-05:30");
    hl_time_format(-1, 0, s);
    ck_assert_str_eq(s, "1969-12-31T23:59:59+00:00");
    /* 23:59:59 local: the form deadlines take */
    hl_time_format(th_time("2024-05-10T15:59:59Z"), 480, s);
    ck_assert_str_eq(s, "2024-05-10T23:59:59+08:00");
    ck_assert_uint_eq(strlen(s), HL_TIME_STRLEN - 1);
}
END_TEST

START_TEST(test_format_parse_round_trip)
{
    static const int offsets[] = {480, 0, -300, 345, -720, 840};
    for (int64_t t = INT64_C(946684800); t < INT64_C(1830297600); t += INT64_C(86413) * 7) {
        for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
            char s[HL_TIME_STRLEN];
            int64_t back;
            hl_err err;
            hl_time_format(t, offsets[i], s);
            TH_REQUIRE(hl_time_parse(s, &back, &err) == HL_OK, "%s: %s", s, err.msg);
            TH_REQUIRE(back == t, "%lld → %s → %lld", (long long)t, s, (long long)back);
        }
    }
}
END_TEST

START_TEST(test_local_day)
{
    int64_t may6 = hl_days_from_civil(2024, 5, 6);
    ck_assert_int_eq(may6, 19849);
    /* 2024-05-06 00:00 in Shanghai is 2024-05-05 16:00 UTC */
    ck_assert_int_eq(hl_local_day(th_time("2024-05-05T16:00:00Z"), 480), may6);
    ck_assert_int_eq(hl_local_day(th_time("2024-05-05T15:59:59Z"), 480), may6 - 1);
    ck_assert_int_eq(hl_local_day(th_time("2024-05-06T23:59:59+08:00"), 480), may6);
    ck_assert_int_eq(hl_local_day(th_time("2024-05-06T23:59:59+08:00"), 0), may6);
    ck_assert_int_eq(hl_local_day(th_time("2024-05-07T00:00:00+08:00"), 0), may6);
    ck_assert_int_eq(hl_local_day(th_time("2024-05-07T00:00:00+08:00"), 480), may6 + 1);
    ck_assert_int_eq(hl_local_day(0, 0), 0);
    ck_assert_int_eq(hl_local_day(-1, 0), -1);
    ck_assert_int_eq(hl_local_day(-86400, 0), -1);
    ck_assert_int_eq(hl_local_day(-86401, 0), -2);
}
END_TEST

START_TEST(test_civil_days)
{
    int y, m, d;
    ck_assert_int_eq(hl_days_from_civil(1970, 1, 1), 0);
    ck_assert_int_eq(hl_days_from_civil(1969, 12, 31), -1);
    ck_assert_int_eq(hl_days_from_civil(2000, 3, 1) - hl_days_from_civil(2000, 2, 28), 2);
    ck_assert_int_eq(hl_days_from_civil(2100, 3, 1) - hl_days_from_civil(2100, 2, 28), 1);
    for (int64_t day = -800; day < 60000; day += 7) {
        hl_civil_from_days(day, &y, &m, &d);
        TH_REQUIRE(hl_days_from_civil(y, m, d) == day, "day %lld", (long long)day);
        TH_REQUIRE(m >= 1 && m <= 12 && d >= 1 && d <= hl_days_in_month(y, m), "day %lld",
                   (long long)day);
    }
    ck_assert_int_eq(hl_days_in_month(2024, 2), 29);
    ck_assert_int_eq(hl_days_in_month(2023, 2), 28);
    ck_assert_int_eq(hl_days_in_month(1900, 2), 28);
    ck_assert_int_eq(hl_days_in_month(2000, 2), 29);
    ck_assert_int_eq(hl_days_in_month(2024, 4), 30);
    ck_assert_int_eq(hl_days_in_month(2024, 12), 31);
}
END_TEST

START_TEST(test_date_parse)
{
    int64_t d = -5;
    ck_assert_int_eq(hl_date_parse("2024-02-29", &d), HL_OK);
    ck_assert_int_eq(d, hl_days_from_civil(2024, 2, 29));
    ck_assert_int_eq(hl_date_parse("2023-02-29", &d), HL_EINVAL);
    ck_assert_int_eq(hl_date_parse("2024-02-29x", &d), HL_EINVAL);
    ck_assert_int_eq(hl_date_parse("2024-2-29", &d), HL_EINVAL);
    ck_assert_int_eq(hl_date_parse("", &d), HL_EINVAL);
}
END_TEST

Suite *suite_time(void)
{
    Suite *s = suite_create("time");
    TCase *tc = tcase_create("rfc3339");
    tcase_add_test(tc, test_parse_offsets);
    tcase_add_test(tc, test_parse_fraction_truncated);
    tcase_add_test(tc, test_parse_leap_day);
    tcase_add_test(tc, test_missing_offset_refused);
    tcase_add_test(tc, test_bad_dates_refused);
    tcase_add_test(tc, test_bad_times_refused);
    tcase_add_test(tc, test_format);
    tcase_add_test(tc, test_format_parse_round_trip);
    suite_add_tcase(s, tc);
    tc = tcase_create("days");
    tcase_add_test(tc, test_local_day);
    tcase_add_test(tc, test_civil_days);
    tcase_add_test(tc, test_date_parse);
    suite_add_tcase(s, tc);
    return s;
}
