/* helpers.c — temp dirs, files, running the CLI, dumping a database. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../src/core/buf.h"
#include "../src/core/timeutil.h"
#include "test.h"

/* --- files ----------------------------------------------------------------- */

/* Every temp dir of a run lives under one root that the runner removes at
 * the end: a failed check ends its test's process with _exit(), skipping
 * the teardown, and this still leaves nothing behind. */
static char run_root[64];

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(const char *dir)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void th_begin_run(void)
{
    snprintf(run_root, sizeof run_root, "%s", "/tmp/hl-test-XXXXXX");
    if (!mkdtemp(run_root)) {
        perror("mkdtemp");
        run_root[0] = '\0';
    }
}

void th_end_run(void)
{
    if (run_root[0])
        remove_tree(run_root);
    run_root[0] = '\0';
}

char *th_tmpdir(void)
{
    char tmpl[128];
    snprintf(tmpl, sizeof tmpl, "%s/t-XXXXXX", run_root[0] ? run_root : "/tmp/hl-test");
    if (!mkdtemp(tmpl))
        ck_abort_msg("mkdtemp %s: %s", tmpl, strerror(errno));
    char *dir = strdup(tmpl);
    ck_assert_ptr_nonnull(dir);
    return dir;
}

void th_rmtree(char *dir)
{
    if (!dir)
        return;
    remove_tree(dir);
    free(dir);
}

char *th_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

void th_write_bytes(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        ck_abort_msg("cannot write %s: %s", path, strerror(errno));
    if (n && fwrite(data, 1, n, f) != n)
        ck_abort_msg("short write to %s", path);
    if (fclose(f) != 0)
        ck_abort_msg("cannot close %s", path);
}

void th_write(const char *path, const char *text)
{
    th_write_bytes(path, text, strlen(text));
}

char *th_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, got;
    char *p = malloc(cap);
    ck_assert_ptr_nonnull(p);
    while ((got = fread(p + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            p = realloc(p, cap);
            ck_assert_ptr_nonnull(p);
        }
    }
    fclose(f);
    p[n] = '\0';
    if (len)
        *len = n;
    return p;
}

int th_has(const char *haystack, const char *needle)
{
    return haystack && needle && strstr(haystack, needle) != NULL;
}

/* --- processes ------------------------------------------------------------- */

/* An unlinked temp file to collect a child's output. */
static int capture_fd(void)
{
    char tmpl[] = "/tmp/hl-test-out-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0)
        ck_abort_msg("mkstemp: %s", strerror(errno));
    unlink(tmpl);
    return fd;
}

static char *slurp_fd(int fd)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        ck_abort_msg("fstat: %s", strerror(errno));
    char *p = malloc((size_t)st.st_size + 1);
    ck_assert_ptr_nonnull(p);
    size_t n = 0;
    while (n < (size_t)st.st_size) {
        ssize_t r = pread(fd, p + n, (size_t)st.st_size - n, (off_t)n);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    p[n] = '\0';
    close(fd);
    return p;
}

int th_run(th_proc *p, const char *const *argv)
{
    int out = capture_fd(), err = capture_fd();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        ck_abort_msg("fork: %s", strerror(errno));
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        if (in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
            _exit(126);
        unsetenv("HOTLINE_DB");
        unsetenv("HOTLINE_DATA");
        execv(argv[0], (char *const *)argv);
        dprintf(2, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            ck_abort_msg("waitpid: %s", strerror(errno));
    p->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    p->out = slurp_fd(out);
    p->err = slurp_fd(err);
    return p->status;
}

void th_proc_free(th_proc *p)
{
    free(p->out);
    free(p->err);
    p->out = p->err = NULL;
}

int th_cli_v(th_proc *p, const char *db, const char *const *args)
{
    const char *argv[64];
    size_t n = 0;
    argv[n++] = HL_TEST_BIN;
    if (db) {
        argv[n++] = "--db";
        argv[n++] = db;
    }
    for (size_t i = 0; args[i]; i++) {
        ck_assert_uint_lt(n, sizeof argv / sizeof argv[0] - 1);
        argv[n++] = args[i];
    }
    argv[n] = NULL;
    return th_run(p, argv);
}

/* --- database dump --------------------------------------------------------- */

static void dump_query(sqlite3 *db, const char *sql, hl_buf *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        ck_abort_msg("dump: %s: %s", sql, sqlite3_errmsg(db));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        hl_rc r = HL_OK;
        for (int c = 0; c < sqlite3_column_count(st) && !r; c++) {
            const unsigned char *v = sqlite3_column_text(st, c);
            r = hl_buf_adds(out, c ? "\t" : "");
            if (!r)
                r = hl_buf_adds(out, v ? (const char *)v : "\\N");
        }
        if (!r)
            r = hl_buf_addc(out, '\n');
        TH_REQUIRE(r == HL_OK, "dump: %s", hl_rc_name(r));
    }
    if (rc != SQLITE_DONE)
        ck_abort_msg("dump: %s: %s", sql, sqlite3_errmsg(db));
    sqlite3_finalize(st);
}

char *th_db_dump(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    hl_buf out;
    hl_buf_init(&out, (size_t)1 << 30);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        ck_abort_msg("dump: cannot open %s", path);
    dump_query(db, "PRAGMA user_version", &out);
    if (sqlite3_prepare_v2(db,
                           /* a full-text index is derived from its content
                            * table, and reading it needs the tokenizer */
                           "SELECT name FROM sqlite_master WHERE type = 'table' "
                           "AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' "
                           "AND name NOT IN (SELECT v.name || s.suffix FROM sqlite_master v, "
                           "(SELECT '_data' AS suffix UNION ALL SELECT '_idx' UNION ALL "
                           "SELECT '_docsize' UNION ALL SELECT '_config' UNION ALL "
                           "SELECT '_content') s WHERE v.sql LIKE 'CREATE VIRTUAL%') "
                           "ORDER BY name",
                           -1, &st, NULL) != SQLITE_OK)
        ck_abort_msg("dump: %s", sqlite3_errmsg(db));
    while (sqlite3_step(st) == SQLITE_ROW) {
        char sql[256];
        const char *name = (const char *)sqlite3_column_text(st, 0);
        ck_assert_int_eq(hl_buf_printf(&out, "== %s\n", name), HL_OK);
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY 1", name);
        dump_query(db, sql, &out);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    char *s = strdup(hl_buf_str(&out));
    ck_assert_ptr_nonnull(s);
    hl_buf_free(&out);
    return s;
}

/* --- core fixtures --------------------------------------------------------- */

hl_calendar *th_calendar(void)
{
    hl_calendar *cal = malloc(sizeof *cal);
    ck_assert_ptr_nonnull(cal);
    hl_calendar_init(cal);
    for (int year = 2024; year <= 2026; year++) {
        char path[512];
        hl_err err;
        int got = 0;
        snprintf(path, sizeof path, "%s/calendar/cn-%d.txt", HL_DATA_DIR, year);
        char *text = th_read(path, NULL);
        ck_assert_msg(text != NULL, "cannot read %s", path);
        hl_rc rc = hl_calendar_load(cal, text, &got, &err);
        ck_assert_msg(rc == HL_OK, "%s: %s", path, err.msg);
        ck_assert_int_eq(got, year);
        free(text);
    }
    return cal;
}

void th_rules(hl_rules *r)
{
    hl_err err;
    char *text = th_read(HL_DATA_DIR "/rules.json", NULL);
    ck_assert_msg(text != NULL, "cannot read %s/rules.json", HL_DATA_DIR);
    hl_rc rc = hl_rules_parse(r, text, &err);
    ck_assert_msg(rc == HL_OK, "rules.json: %s", err.msg);
    free(text);
}

int64_t th_time(const char *s)
{
    int64_t t;
    hl_err err;
    if (hl_time_parse(s, &t, &err) != HL_OK)
        ck_abort_msg("bad time in test: %s (%s)", s, err.msg);
    return t;
}
