/* test_calendar.c — the working-day calendar (data/calendar/cn-*.txt as
 * calendar.md publishes them) and the time-limit rules (data/rules.json). */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/calendar.h"
#include "../../src/core/event.h"
#include "../../src/core/rules.h"
#include "../../src/core/timeutil.h"
#include "../test.h"

static hl_calendar *cal;
static hl_rules rules;

static void setup(void)
{
    cal = th_calendar();
    th_rules(&rules);
}

static void teardown(void)
{
    free(cal);
    cal = NULL;
}

static int64_t day_of(const char *ymd)
{
    int64_t d;
    ck_assert_msg(hl_date_parse(ymd, &d) == HL_OK, "bad date in test: %s", ymd);
    return d;
}

static int working(const char *ymd)
{
    int w = -1;
    hl_err err;
    hl_rc rc = hl_calendar_is_working(cal, day_of(ymd), &w, &err);
    ck_assert_msg(rc == HL_OK, "%s: %s", ymd, err.msg);
    return w;
}

/* The deadline (as local RFC 3339) of an order dispatched at `at`. */
static const char *deadline(int channel, int nature, int urgency, const char *at)
{
    static char out[HL_TIME_STRLEN];
    int64_t d;
    hl_err err;
    hl_rc rc = hl_rules_deadline(&rules, cal, channel, nature, urgency, th_time(at), &d, &err);
    ck_assert_msg(rc == HL_OK, "deadline from %s: %s", at, err.msg);
    hl_time_format(d, 480, out);
    return out;
}

/* ------------------------------------------------------------------------ */
/* calendar.md's two examples, with the real data files */

START_TEST(test_example_may_day)
{
    /* Tue 2024-04-30 10:00, 5 working days: May 1–5 off → May 6..10 */
    ck_assert_str_eq(deadline(CH_HOTLINE, NATURE_COMPLAINT, URGENCY_NORMAL,
                              "2024-04-30T10:00:00+08:00"),
                     "2024-05-10T23:59:59+08:00");
    int64_t out;
    hl_err err;
    ck_assert_int_eq(hl_calendar_add_working(cal, day_of("2024-04-30"), 5, &out, &err), HL_OK);
    ck_assert_int_eq(out, day_of("2024-05-10"));
}
END_TEST

START_TEST(test_example_makeup_saturday)
{
    /* Fri 2024-05-10, 2 working days: Sat May 11 is a make-up day → Mon May 13 */
    ck_assert_str_eq(deadline(CH_HOTLINE, NATURE_CONSULT, URGENCY_NORMAL,
                              "2024-05-10T16:30:00+08:00"),
                     "2024-05-13T23:59:59+08:00");
    int64_t out;
    hl_err err;
    ck_assert_int_eq(hl_calendar_add_working(cal, day_of("2024-05-10"), 1, &out, &err), HL_OK);
    ck_assert_int_eq(out, day_of("2024-05-11"));
}
END_TEST

START_TEST(test_deadline_counts_local_day)
{
    /* 2024-05-09T16:30Z is already Friday May 10 in Shanghai: counting
     * must start from the local day, not the UTC one. */
    ck_assert_str_eq(deadline(CH_HOTLINE, NATURE_CONSULT, URGENCY_NORMAL,
                              "2024-05-09T16:30:00Z"),
                     "2024-05-13T23:59:59+08:00");
    /* … and 15:59Z is still Thursday May 9: Fri 10, Sat 11 (make-up) */
    ck_assert_str_eq(deadline(CH_HOTLINE, NATURE_CONSULT, URGENCY_NORMAL,
                              "2024-05-09T15:59:00Z"),
                     "2024-05-11T23:59:59+08:00");
    /* the dispatch day itself never counts, even dispatched at 00:00 */
    ck_assert_str_eq(deadline(CH_HOTLINE, NATURE_CONSULT, URGENCY_NORMAL,
                              "2024-05-06T00:00:00+08:00"),
                     "2024-05-08T23:59:59+08:00");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* every day of 2024–2026 against calendar.md's table, typed in here
 * independently of the data files */

static const char *const holidays[] = {
    "2024-01-01", "2024-02-10..2024-02-17", "2024-04-04..2024-04-06",
    "2024-05-01..2024-05-05", "2024-06-08..2024-06-10", "2024-09-15..2024-09-17",
    "2024-10-01..2024-10-07",
    "2025-01-01", "2025-01-28..2025-02-04", "2025-04-04..2025-04-06",
    "2025-05-01..2025-05-05", "2025-05-31..2025-06-02", "2025-10-01..2025-10-08",
    "2026-01-01..2026-01-03", "2026-02-15..2026-02-23", "2026-04-04..2026-04-06",
    "2026-05-01..2026-05-05", "2026-06-19..2026-06-21", "2026-09-25..2026-09-27",
    "2026-10-01..2026-10-07"};
static const char *const makeup[] = {
    "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
    "2024-09-29", "2024-10-12",
    "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"};

static int in_list(const char *const *list, size_t n, int64_t day)
{
    for (size_t i = 0; i < n; i++) {
        char from[11], to[11];
        memcpy(from, list[i], 10);
        from[10] = '\0';
        memcpy(to, strlen(list[i]) > 10 ? list[i] + 12 : list[i], 10);
        to[10] = '\0';
        if (day >= day_of(from) && day <= day_of(to))
            return 1;
    }
    return 0;
}

START_TEST(test_every_day_matches_spec)
{
    int64_t first = day_of("2024-01-01"), last = day_of("2026-12-31");
    int counted[3] = {0, 0, 0};
    for (int64_t d = first; d <= last; d++) {
        int wd = (int)(((d % 7) + 7 + 3) % 7); /* 0 = Monday */
        int want = in_list(makeup, sizeof makeup / sizeof makeup[0], d) ||
                   (wd < 5 && !in_list(holidays, sizeof holidays / sizeof holidays[0], d));
        int w = -1, y, m, dd;
        hl_err err;
        hl_civil_from_days(d, &y, &m, &dd);
        TH_REQUIRE(hl_calendar_is_working(cal, d, &w, &err) == HL_OK, "%s", err.msg);
        TH_REQUIRE(w == want, "%04d-%02d-%02d: working=%d, calendar.md says %d", y, m, dd, w,
                      want);
        counted[y - 2024] += w;
    }
    /* working days per year */
    ck_assert_int_eq(counted[0], 251);
    ck_assert_int_eq(counted[1], 248);
    ck_assert_int_eq(counted[2], 248);
}
END_TEST

START_TEST(test_spot_checks_2025)
{
    ck_assert_int_eq(working("2025-01-01"), 0);
    ck_assert_int_eq(working("2025-01-26"), 1); /* Sunday, make-up */
    ck_assert_int_eq(working("2025-01-28"), 0);
    ck_assert_int_eq(working("2025-02-04"), 0); /* Tuesday, Spring Festival */
    ck_assert_int_eq(working("2025-02-05"), 1);
    ck_assert_int_eq(working("2025-02-08"), 1); /* Saturday, make-up */
    ck_assert_int_eq(working("2025-04-27"), 1);
    ck_assert_int_eq(working("2025-06-02"), 0); /* Monday, Dragon Boat */
    ck_assert_int_eq(working("2025-09-28"), 1);
    ck_assert_int_eq(working("2025-10-08"), 0); /* Wednesday, National Day */
    ck_assert_int_eq(working("2025-10-09"), 1);
    ck_assert_int_eq(working("2025-10-11"), 1);
    ck_assert_int_eq(working("2025-10-12"), 0);
    /* across Spring Festival 2025: Fri Jan 24 + 2 → Sun 26 (make-up), Mon 27 */
    ck_assert_str_eq(deadline(CH_HOTLINE, NATURE_CONSULT, URGENCY_NORMAL,
                              "2025-01-24T09:00:00+08:00"),
                     "2025-01-27T23:59:59+08:00");
    ck_assert_str_eq(deadline(CH_HOTLINE, NATURE_HELP, URGENCY_NORMAL,
                              "2025-09-30T09:00:00+08:00"),
                     "2025-10-14T23:59:59+08:00");
}
END_TEST

START_TEST(test_spot_checks_2026)
{
    ck_assert_int_eq(working("2026-01-02"), 0); /* Friday */
    ck_assert_int_eq(working("2026-01-03"), 0);
    ck_assert_int_eq(working("2026-01-04"), 1); /* Sunday, make-up */
    ck_assert_int_eq(working("2026-02-14"), 1);
    ck_assert_int_eq(working("2026-02-23"), 0); /* Monday */
    ck_assert_int_eq(working("2026-02-28"), 1);
    ck_assert_int_eq(working("2026-05-09"), 1);
    ck_assert_int_eq(working("2026-06-19"), 0); /* Friday */
    ck_assert_int_eq(working("2026-09-20"), 1);
    ck_assert_int_eq(working("2026-09-25"), 0); /* Friday */
    ck_assert_int_eq(working("2026-10-07"), 0);
    ck_assert_int_eq(working("2026-10-08"), 1);
    ck_assert_int_eq(working("2026-10-10"), 1);
    /* a deadline crossing New Year 2026: Dec 31, Jan 4 (Sunday make-up), 5, 6, 7 */
    ck_assert_str_eq(deadline(CH_HOTLINE, NATURE_COMPLAINT, URGENCY_NORMAL,
                              "2025-12-30T15:00:00+08:00"),
                     "2026-01-07T23:59:59+08:00");
    ck_assert_str_eq(deadline(CH_HOTLINE, NATURE_REPORT, URGENCY_NORMAL,
                              "2026-02-13T15:00:00+08:00"),
                     "2026-02-27T23:59:59+08:00"); /* Sat 14, then Feb 24–27 */
}
END_TEST

START_TEST(test_deadline_into_unknown_year)
{
    int64_t d = 42;
    hl_err err = {0};
    /* Mon 2026-12-28 + 5 working days: Dec 29, 30, 31, then 2027 */
    hl_rc rc = hl_rules_deadline(&rules, cal, CH_HOTLINE, NATURE_COMPLAINT, URGENCY_NORMAL,
                                 th_time("2026-12-28T10:00:00+08:00"), &d, &err);
    ck_assert_int_eq(rc, HL_ENOCALENDAR);
    ck_assert_int_eq(err.rc, HL_ENOCALENDAR);
    ck_assert_msg(th_has(err.msg, "2027"), "message should name 2027: %s", err.msg);
    ck_assert_int_eq(d, 42);
    /* 3 working days still fit in 2026 */
    ck_assert_int_eq(hl_calendar_add_working(cal, day_of("2026-12-28"), 3, &d, &err), HL_OK);
    ck_assert_int_eq(d, day_of("2026-12-31"));
    ck_assert_int_eq(hl_calendar_add_working(cal, day_of("2026-12-28"), 4, &d, &err),
                     HL_ENOCALENDAR);
    /* a calendar-hours limit needs no calendar */
    ck_assert_int_eq(hl_rules_deadline(&rules, cal, CH_HOTLINE, NATURE_COMPLAINT, URGENCY_URGENT,
                                       th_time("2026-12-31T10:00:00+08:00"), &d, &err),
                     HL_OK);
}
END_TEST

START_TEST(test_unknown_year_named)
{
    int w;
    hl_err err = {0};
    ck_assert_int_eq(hl_calendar_is_working(cal, day_of("2023-12-29"), &w, &err), HL_ENOCALENDAR);
    ck_assert_msg(th_has(err.msg, "2023"), "%s", err.msg);
    ck_assert_int_eq(hl_calendar_is_working(cal, day_of("1999-06-01"), &w, &err), HL_ENOCALENDAR);
    ck_assert_msg(th_has(err.msg, "1999"), "%s", err.msg);
    ck_assert_int_eq(hl_calendar_is_working(cal, day_of("2150-06-01"), &w, &err), HL_ENOCALENDAR);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* loading calendar text */

static void load_refused(const char *text)
{
    hl_calendar *c = th_calendar();
    hl_calendar *before = malloc(sizeof *before);
    hl_err err = {0};
    int year = -7;
    ck_assert_ptr_nonnull(before);
    memcpy(before, c, sizeof *c);
    hl_rc rc = hl_calendar_load(c, text, &year, &err);
    ck_assert_msg(rc == HL_ECONFIG, "accepted (%s): \"%s\"", hl_rc_name(rc), text);
    ck_assert_msg(err.msg[0] != '\0', "no message for \"%s\"", text);
    ck_assert_msg(memcmp(before, c, sizeof *c) == 0, "calendar changed by refused \"%s\"", text);
    ck_assert_int_eq(year, -7);
    free(before);
    free(c);
}

START_TEST(test_malformed_calendar_refused)
{
    load_refused("");
    load_refused("# only a comment\n\n");
    load_refused("holiday 2024-01-01\n");                        /* no year line */
    load_refused("year\n");
    load_refused("year abc\n");
    load_refused("year 1999\n");                                 /* outside the table */
    load_refused("year 2100\n");
    load_refused("year 2024\nholiday 2024-02-30\n");             /* no such date */
    load_refused("year 2024\nholiday 2024-2-3\n");
    load_refused("year 2024\nholiday 2025-01-01\n");             /* another year */
    load_refused("year 2024\nholiday 2024-12-30..2025-01-02\n"); /* runs out of the year */
    load_refused("year 2024\nholiday 2024-02-17..2024-02-10\n"); /* reversed */
    load_refused("year 2024\nholiday 2024-02-10..\n");
    load_refused("year 2024\nvacation 2024-01-01\n");
    load_refused("year 2024\nholiday\n");
    load_refused("year 2024\nholiday 2024-01-01 2024-01-02\n");
    load_refused("year 2024\nyear 2025\n");
    load_refused("year 2024\nworkday 2024-05-11\nHOLIDAY 2024-05-01\n");
}
END_TEST

START_TEST(test_calendar_text_forms)
{
    hl_calendar *c = malloc(sizeof *c);
    hl_err err;
    int year = 0, w;
    ck_assert_ptr_nonnull(c);
    hl_calendar_init(c);
    /* comments, blank lines, indentation, CRLF */
    const char *text = "# test\r\n\r\nyear 2024   # the year\r\n"
                       "holiday 2024-05-01..2024-05-03\r\n"
                       "\tworkday 2024-05-11 # Saturday\r\n";
    ck_assert_msg(hl_calendar_load(c, text, &year, &err) == HL_OK, "%s", err.msg);
    ck_assert_int_eq(year, 2024);
    ck_assert_int_eq(hl_calendar_is_working(c, day_of("2024-05-03"), &w, &err), HL_OK);
    ck_assert_int_eq(w, 0);
    ck_assert_int_eq(hl_calendar_is_working(c, day_of("2024-05-11"), &w, &err), HL_OK);
    ck_assert_int_eq(w, 1);
    ck_assert_int_eq(hl_calendar_is_working(c, day_of("2024-05-12"), &w, &err), HL_OK);
    ck_assert_int_eq(w, 0);
    ck_assert_int_eq(hl_calendar_is_working(c, day_of("2024-12-31"), &w, &err), HL_OK);
    ck_assert_int_eq(w, 1); /* leap year: day 366 is a Tuesday */
    /* loading a year again replaces it */
    ck_assert_int_eq(hl_calendar_load(c, "year 2024\nholiday 2024-12-31\n", NULL, &err), HL_OK);
    ck_assert_int_eq(hl_calendar_is_working(c, day_of("2024-05-03"), &w, &err), HL_OK);
    ck_assert_int_eq(w, 1);
    ck_assert_int_eq(hl_calendar_is_working(c, day_of("2024-12-31"), &w, &err), HL_OK);
    ck_assert_int_eq(w, 0);
    /* other years stay unknown */
    ck_assert_int_eq(hl_calendar_is_working(c, day_of("2025-01-02"), &w, &err), HL_ENOCALENDAR);
    free(c);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* rules */

START_TEST(test_default_rules_loaded)
{
    ck_assert_int_eq(rules.offset_min, 480);
    ck_assert_uint_eq(rules.n_limits, 5);
    ck_assert_int_eq(rules.limits[0].urgency, URGENCY_URGENT);
    ck_assert_int_eq(rules.limits[0].hours, 24);
    ck_assert_int_eq(rules.limits[1].channel, CH_MAILBOX);
    ck_assert_int_eq(rules.limits[1].working_days, 15);
    ck_assert_int_eq(rules.limits[4].channel, HL_ENUM_NONE);
    ck_assert_int_eq(rules.limits[4].nature, HL_ENUM_NONE);
    ck_assert_int_eq(rules.limits[4].urgency, HL_ENUM_NONE);
    ck_assert_int_eq(rules.limits[4].working_days, 5);
}
END_TEST

START_TEST(test_rule_urgent_24_hours)
{
    /* calendar hours, holidays included; urgency beats channel and nature */
    ck_assert_str_eq(deadline(CH_HOTLINE, NATURE_COMPLAINT, URGENCY_URGENT,
                              "2024-05-01T10:20:30+08:00"),
                     "2024-05-02T10:20:30+08:00");
    ck_assert_str_eq(deadline(CH_MAILBOX, NATURE_CONSULT, URGENCY_URGENT,
                              "2024-05-06T23:30:00+08:00"),
                     "2024-05-07T23:30:00+08:00");
}
END_TEST

START_TEST(test_rule_mailbox_15_days)
{
    /* any nature, consult included: the mailbox row comes first */
    ck_assert_str_eq(deadline(CH_MAILBOX, NATURE_CONSULT, URGENCY_NORMAL,
                              "2024-05-06T09:00:00+08:00"),
                     "2024-05-24T23:59:59+08:00");
    ck_assert_str_eq(deadline(CH_MAILBOX, NATURE_COMPLAINT, URGENCY_NORMAL,
                              "2024-05-06T09:00:00+08:00"),
                     "2024-05-24T23:59:59+08:00");
    /* over National Day 2024 (Sep 29 and Oct 12 are make-up Sundays/Saturdays) */
    ck_assert_str_eq(deadline(CH_MAILBOX, NATURE_HELP, URGENCY_NORMAL,
                              "2024-09-27T09:00:00+08:00"),
                     "2024-10-23T23:59:59+08:00");
}
END_TEST

START_TEST(test_rule_consult_2_days)
{
    ck_assert_str_eq(deadline(CH_HOTLINE, NATURE_CONSULT, URGENCY_NORMAL,
                              "2024-05-06T09:00:00+08:00"),
                     "2024-05-08T23:59:59+08:00");
}
END_TEST

START_TEST(test_rule_suggestion_15_days)
{
    ck_assert_str_eq(deadline(CH_HOTLINE, NATURE_SUGGESTION, URGENCY_NORMAL,
                              "2024-05-06T09:00:00+08:00"),
                     "2024-05-24T23:59:59+08:00");
}
END_TEST

START_TEST(test_rule_others_5_days)
{
    static const int natures[] = {NATURE_HELP, NATURE_COMPLAINT, NATURE_REPORT, NATURE_PRAISE};
    for (size_t i = 0; i < sizeof natures / sizeof natures[0]; i++)
        /* May 7, 8, 9, 10 and Saturday May 11 (make-up) */
        ck_assert_str_eq(deadline(CH_HOTLINE, natures[i], URGENCY_NORMAL,
                                  "2024-05-06T09:00:00+08:00"),
                         "2024-05-11T23:59:59+08:00");
}
END_TEST

/* The default rules with some top-level members replaced (value NULL:
 * removed).  Pairs of key and JSON text, ending with NULL.  Caller frees. */
static char *rules_with(const char *key, ...)
{
    json_error_t jerr;
    json_t *root = json_load_file(HL_DATA_DIR "/rules.json", 0, &jerr);
    ck_assert_msg(root != NULL, "rules.json: %s", jerr.text);
    va_list ap;
    va_start(ap, key);
    for (const char *k = key; k; k = va_arg(ap, const char *)) {
        const char *v = va_arg(ap, const char *);
        if (!v) {
            json_object_del(root, k);
            continue;
        }
        json_t *x = json_loads(v, JSON_DECODE_ANY, &jerr);
        ck_assert_msg(x != NULL, "bad JSON in test: %s", v);
        json_object_set_new(root, k, x);
    }
    va_end(ap);
    char *text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    return text;
}

START_TEST(test_rules_first_match_decides)
{
    hl_rules r;
    hl_err err;
    char *json = rules_with("utc_offset", "\"-05:30\"", "time_limits",
                            "[{\"when\":{\"nature\":\"consult\",\"channel\":\"hotline\"},"
                            "\"working_days\":1},"
                            "{\"when\":{\"nature\":\"consult\"},\"hours\":48},"
                            "{\"when\":{},\"working_days\":3}]",
                            NULL);
    ck_assert_msg(hl_rules_parse(&r, json, &err) == HL_OK, "%s", err.msg);
    free(json);
    ck_assert_int_eq(r.offset_min, -330);
    ck_assert_uint_eq(r.n_limits, 3);
    int64_t at = th_time("2024-05-06T09:00:00-05:30"), d;
    ck_assert_int_eq(hl_rules_deadline(&r, cal, CH_HOTLINE, NATURE_CONSULT, URGENCY_NORMAL, at,
                                       &d, &err),
                     HL_OK);
    ck_assert_int_eq(d, th_time("2024-05-07T23:59:59-05:30"));
    ck_assert_int_eq(hl_rules_deadline(&r, cal, CH_MAILBOX, NATURE_CONSULT, URGENCY_NORMAL, at,
                                       &d, &err),
                     HL_OK);
    ck_assert_int_eq(d, at + 48 * 3600);
    ck_assert_int_eq(hl_rules_deadline(&r, cal, CH_MAILBOX, NATURE_HELP, URGENCY_URGENT, at, &d,
                                       &err),
                     HL_OK);
    ck_assert_int_eq(d, th_time("2024-05-09T23:59:59-05:30"));
}
END_TEST

static void rules_refused(const char *json)
{
    hl_rules r;
    hl_err err = {0};
    hl_rc rc = hl_rules_parse(&r, json, &err);
    ck_assert_msg(rc == HL_ECONFIG, "accepted (%s): %s", hl_rc_name(rc), json);
    ck_assert_msg(err.rc == HL_ECONFIG && err.msg[0], "no message for %s", json);
}

/* The default rules with one member replaced must be refused, and the
 * message must be about that member (not some other part of the file). */
static void member_refused(const char *key, const char *value, const char *topic)
{
    char *json = rules_with(key, value, NULL);
    hl_rules r;
    hl_err err = {0};
    hl_rc rc = hl_rules_parse(&r, json, &err);
    ck_assert_msg(rc == HL_ECONFIG, "accepted (%s): %s = %s", hl_rc_name(rc), key,
                  value ? value : "(removed)");
    ck_assert_msg(th_has(err.msg, topic), "%s = %s: message should be about %s: %s", key,
                  value ? value : "(removed)", topic, err.msg);
    free(json);
}

#define LIMIT_OK "{\"when\":{},\"working_days\":5}"

START_TEST(test_invalid_rules_refused)
{
    /* the default file itself is fine, through the same path */
    char *json = rules_with(NULL);
    hl_rules r;
    hl_err err;
    ck_assert_msg(hl_rules_parse(&r, json, &err) == HL_OK, "%s", err.msg);
    free(json);
    /* not JSON, or not an object */
    rules_refused("");
    rules_refused("{");
    rules_refused("[]");
    rules_refused("\"rules\"");
    rules_refused("{\"utc_offset\":\"+08:00\",\"utc_offset\":\"+08:00\"}");
    /* utc_offset */
    member_refused("utc_offset", NULL, "utc_offset");
    member_refused("utc_offset", "480", "utc_offset");
    member_refused("utc_offset", "\"08:00\"", "utc_offset");
    member_refused("utc_offset", "\"+0800\"", "utc_offset");
    member_refused("utc_offset", "\"+15:00\"", "utc_offset");
    member_refused("utc_offset", "\"+08:60\"", "utc_offset");
    member_refused("utc_offset", "\"+08:00x\"", "utc_offset");
    /* time_limits */
    member_refused("time_limits", NULL, "time_limits");
    member_refused("time_limits", "[]", "time_limits");
    member_refused("time_limits", "{}", "time_limits");
    member_refused("time_limits", "[5]", "time_limits");
    member_refused("time_limits", "[{\"working_days\":5}]", "time_limits");
    member_refused("time_limits", "[{\"when\":[],\"working_days\":5}]", "time_limits");
    member_refused("time_limits", "[{\"when\":{}}]", "time_limits");
    member_refused("time_limits", "[{\"when\":{},\"working_days\":5,\"hours\":24}]", "time_limits");
    member_refused("time_limits", "[{\"when\":{},\"hours\":0}]", "time_limits");
    member_refused("time_limits", "[{\"when\":{},\"working_days\":-1}]", "time_limits");
    member_refused("time_limits", "[{\"when\":{},\"working_days\":\"5\"}]", "time_limits");
    member_refused("time_limits", "[{\"when\":{},\"working_days\":2.5}]", "time_limits");
    member_refused("time_limits", "[{\"when\":{},\"working_days\":251}]", "time_limits");
    member_refused("time_limits", "[{\"when\":{},\"hours\":8785}]", "time_limits");
    member_refused("time_limits", "[{\"when\":{\"nature\":\"gossip\"},\"hours\":1}," LIMIT_OK "]",
                   "time_limits");
    member_refused("time_limits", "[{\"when\":{\"colour\":\"red\"},\"hours\":1}," LIMIT_OK "]",
                   "time_limits");
    member_refused("time_limits", "[{\"when\":{\"channel\":1},\"hours\":1}," LIMIT_OK "]",
                   "time_limits");
    /* no unconditional last row: some order would have no limit */
    member_refused("time_limits", "[{\"when\":{\"nature\":\"consult\"},\"working_days\":2}]",
                   "time_limits");
}
END_TEST

START_TEST(test_too_many_limits_refused)
{
    char limits[8192] = "[";
    for (int i = 0; i < HL_RULES_MAX_LIMITS + 1; i++)
        strcat(limits, i ? "," LIMIT_OK : LIMIT_OK);
    strcat(limits, "]");
    member_refused("time_limits", limits, "time_limits");
    /* exactly the maximum is fine */
    limits[strlen(limits) - 1 - strlen("," LIMIT_OK)] = '\0';
    strcat(limits, "]");
    char *json = rules_with("time_limits", limits, NULL);
    hl_rules r;
    hl_err err;
    ck_assert_msg(hl_rules_parse(&r, json, &err) == HL_OK, "%s", err.msg);
    ck_assert_uint_eq(r.n_limits, HL_RULES_MAX_LIMITS);
    free(json);
}
END_TEST

START_TEST(test_rules_out_of_range_integer_refused)
{
    /* 2^32 + 5 must not wrap around to 5 working days, nor 2^32 + 24 to 24 hours */
    member_refused("time_limits", "[{\"when\":{},\"working_days\":4294967301}]", "time_limits");
    member_refused("time_limits", "[{\"when\":{},\"hours\":4294967320}]", "time_limits");
}
END_TEST

Suite *suite_calendar(void)
{
    Suite *s = suite_create("calendar");
    TCase *tc = tcase_create("calendar");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_example_may_day);
    tcase_add_test(tc, test_example_makeup_saturday);
    tcase_add_test(tc, test_deadline_counts_local_day);
    tcase_add_test(tc, test_every_day_matches_spec);
    tcase_add_test(tc, test_spot_checks_2025);
    tcase_add_test(tc, test_spot_checks_2026);
    tcase_add_test(tc, test_deadline_into_unknown_year);
    tcase_add_test(tc, test_unknown_year_named);
    tcase_add_test(tc, test_malformed_calendar_refused);
    tcase_add_test(tc, test_calendar_text_forms);
    suite_add_tcase(s, tc);
    tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_default_rules_loaded);
    tcase_add_test(tc, test_rule_urgent_24_hours);
    tcase_add_test(tc, test_rule_mailbox_15_days);
    tcase_add_test(tc, test_rule_consult_2_days);
    tcase_add_test(tc, test_rule_suggestion_15_days);
    tcase_add_test(tc, test_rule_others_5_days);
    tcase_add_test(tc, test_rules_first_match_decides);
    tcase_add_test(tc, test_invalid_rules_refused);
    tcase_add_test(tc, test_too_many_limits_refused);
    tcase_add_test(tc, test_rules_out_of_range_integer_refused);
    suite_add_tcase(s, tc);
    return s;
}
