/* test_random_histories.c — the monthly assessment of the sanitized CLI (HL_TEST_BIN)
 * against an independent reference written from spec/assessment.md alone
 * (tests/tools/ref_assess.py), on random but valid histories
 * (tests/tools/random_history.py): tests/tools/check_random.sh compares both channels as
 * of a cut-off inside the target month, inside the following month, after every event and
 * without --as-of (also after a split import and after export/import).  The script prints one
 * line per disagreement and "N passed, M failed"; it exits 0 only when everything agrees. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../test.h"

/* Seeds 1..RANDOM_SEEDS: 12 keeps the run (12 x 12 cases) well under a minute with the
 * sanitizers on two cores. */
#ifndef RANDOM_SEEDS
#define RANDOM_SEEDS "12"
#endif

static const char SCRIPT[] = "tests/tools/check_random.sh";

/* dir/.../ the repository root + SCRIPT when that file exists: tried from __FILE__ (absolute
 * or relative to the working directory, the repository root or build/) and from
 * HL_DATA_DIR (<root>/data).  Caller frees; NULL when not found. */
static char *find_script(void)
{
    char here[4096];
    snprintf(here, sizeof here, "%s", __FILE__);
    char *slash = strrchr(here, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(here, sizeof here, ".");
    char data[4096];
    snprintf(data, sizeof data, "%s", HL_DATA_DIR);
    slash = strrchr(data, '/');
    if (slash)
        *slash = '\0';

    char cands[5][8192];
    snprintf(cands[0], sizeof cands[0], "%s/../tools/check_random.sh", here);    /* abs, or cwd = root */
    snprintf(cands[1], sizeof cands[1], "../%s/../tools/check_random.sh", here); /* cwd = build/ */
    snprintf(cands[2], sizeof cands[2], "%s/%s", data, SCRIPT);                  /* HL_DATA_DIR/.. */
    snprintf(cands[3], sizeof cands[3], "%s", SCRIPT);
    snprintf(cands[4], sizeof cands[4], "../%s", SCRIPT);
    for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++) {
        if (access(cands[i], R_OK) == 0) {
            char *p = realpath(cands[i], NULL);
            if (p)
                return p;
        }
    }
    return NULL;
}

/* The start of out (the first disagreements), at most max - 1 bytes. */
static void head_of(const char *out, char *buf, size_t max)
{
    size_t n = strlen(out);
    if (n >= max)
        n = max - 1;
    memcpy(buf, out, n);
    buf[n] = '\0';
}

START_TEST(test_random_histories_agree)
{
    char *script = find_script();
    ck_assert_msg(script != NULL, "cannot find %s from %s or %s", SCRIPT, __FILE__, HL_DATA_DIR);
    ck_assert_msg(access(HL_TEST_BIN, X_OK) == 0, "no executable %s", HL_TEST_BIN);
    /* the test runs in its own forked process: the environment is its own */
    ck_assert_int_eq(setenv("HOTLINE_BIN", HL_TEST_BIN, 1), 0);
    ck_assert_int_eq(setenv("ASAN_OPTIONS", "detect_leaks=1", 0), 0);

    th_proc p;
    const char *argv[] = {"/bin/bash", script, RANDOM_SEEDS, NULL};
    int rc = th_run(&p, argv);
    if (rc != 0) {
        fprintf(stderr, "%s %s:\n%s%s", script, RANDOM_SEEDS, p.out ? p.out : "", p.err ? p.err : "");
    }
    char head[2048];
    head_of(p.out ? p.out : "", head, sizeof head);
    int has_summary = p.out && strstr(p.out, " passed, ") != NULL;
    th_proc_free(&p);
    free(script);
    ck_assert_msg(has_summary, "check_random.sh printed no summary line (exit %d)", rc);
    ck_assert_msg(rc == 0, "the platform and the reference disagree (exit %d):\n%s", rc, head);
}
END_TEST

Suite *suite_random_histories(void)
{
    Suite *s = suite_create("random_histories");
    TCase *tc = tcase_create("assessment");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_random_histories_agree);
    suite_add_tcase(s, tc);
    return s;
}
