/* test.h — the suites of the test runner (one per file) and the helpers
 * they share (helpers.c).
 *
 * The runner is built with Check and runs every test in its own forked
 * process, so a test may keep state in file-scope variables and may abort
 * at the first failed check; helpers call ck_abort_msg() when the test
 * environment itself fails (no temp dir, cannot fork …). */
#ifndef HL_TEST_H
#define HL_TEST_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "../src/core/calendar.h"
#include "../src/core/err.h"
#include "../src/core/rules.h"

#ifndef HL_SHARED_DIR
#error "HL_SHARED_DIR must be defined by the build"
#endif
#ifndef HL_TEST_BIN
#error "HL_TEST_BIN must be defined by the build"
#endif
#ifndef HL_DATA_DIR
#error "HL_DATA_DIR must be defined by the build"
#endif

/* One suite per test file. */
Suite *suite_time(void);
Suite *suite_calendar(void);
Suite *suite_json(void);
Suite *suite_event(void);
Suite *suite_order(void);
Suite *suite_unit(void);
Suite *suite_text(void);
Suite *suite_kb(void);
Suite *suite_buf(void);
Suite *suite_store(void);
Suite *suite_import(void);
Suite *suite_assessment(void);
Suite *suite_bulletin(void);
Suite *suite_random_histories(void);
Suite *suite_openapi(void);
Suite *suite_api_flow(void);
Suite *suite_api_access(void);
Suite *suite_api_server(void);
Suite *suite_api_matrix(void);
Suite *suite_api_input(void);
Suite *suite_api_public(void);
Suite *suite_api_kb(void);
Suite *suite_classify(void);
Suite *suite_hotspot(void);
Suite *suite_api_suggest(void);
Suite *suite_api_merge(void);
Suite *suite_merge(void);
Suite *suite_api_bulletin(void);

/* A check for hot loops: Check records every passing ck_assert (a message
 * to the runner per call), which costs seconds over 100 000 iterations. */
#define TH_REQUIRE(cond, ...)                                                             \
    do {                                                                                  \
        if (!(cond))                                                                      \
            ck_abort_msg(__VA_ARGS__);                                                    \
    } while (0)

/* --- files and directories ------------------------------------------------ */

/* The run's root temp dir, made by the runner before the suites run and
 * removed with everything under it afterwards. */
void th_begin_run(void);
void th_end_run(void);
/* A fresh directory under the run's root (caller frees, th_rmtree removes). */
char *th_tmpdir(void);
/* Remove dir and everything under it, then free(dir).  NULL is a no-op. */
void th_rmtree(char *dir);
/* "dir/name" (caller frees). */
char *th_path(const char *dir, const char *name);
/* Write text (strlen bytes) to path, replacing it. */
void th_write(const char *path, const char *text);
/* Write n bytes. */
void th_write_bytes(const char *path, const char *data, size_t n);
/* The whole file, NUL-terminated (caller frees); NULL when it cannot be read. */
char *th_read(const char *path, size_t *len);

/* --- processes ------------------------------------------------------------ */

typedef struct {
    int status;   /* exit code; 128 + signal when killed */
    char *out;    /* everything written to stdout (NUL-terminated) */
    char *err;    /* everything written to stderr */
} th_proc;

/* Run argv[0] (a path) with argv (NULL-terminated), stdin from /dev/null,
 * capturing stdout and stderr.  Returns p->status. */
int th_run(th_proc *p, const char *const *argv);
void th_proc_free(th_proc *p);

/* The sanitized CLI: `hotline --db DB ARGS…`; db may be NULL (no --db). */
int th_cli_v(th_proc *p, const char *db, const char *const *args);
#define TH_CLI(p, db, ...) th_cli_v((p), (db), (const char *const[]){__VA_ARGS__, NULL})

/* A text dump of every table of the SQLite database at path (schema
 * version, then each table's rows in key order): equal dumps mean equal
 * content.  Caller frees. */
char *th_db_dump(const char *path);

/* --- core fixtures -------------------------------------------------------- */

/* A calendar with every data/calendar/cn-*.txt loaded (caller frees). */
hl_calendar *th_calendar(void);
/* The default rules of data/rules.json. */
void th_rules(hl_rules *r);
/* RFC 3339 text → instant; aborts the test when it does not parse. */
int64_t th_time(const char *rfc3339);
/* 1 when needle occurs in haystack (NULL-safe). */
int th_has(const char *haystack, const char *needle);

#endif
