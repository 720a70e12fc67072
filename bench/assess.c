/* bench/assess — the monthly assessment at province scale.
 *
 * A `demo --scale 30` month (~530,000 hotline orders, 5.7 M events; made
 * once and kept in /tmp/hotline-bench-assess.db, or $BENCH_DB) is assessed
 * as of now (the per unit and month counts) and as of a past cut-off (the
 * history folded), and, measured in the same run, by the plain SQL a
 * developer would write: GROUP BY over the events with correlated
 * subqueries.  Prints the times and the ratio.  Targets (issue 3): as of now
 * < 100 ms and ≥ 10× the plain SQL; as of a past cut-off < 2 s. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../src/cli/cli.h"
#include "bench.h"
#include "../src/core/timeutil.h"
#include "../src/report/assessment.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median of n runs of one assessment, in seconds. */
static double time_assess(cli_env *env, int64_t asof, int n, size_t *graded)
{
    double t[32];
    hl_err err;
    for (int i = 0; i < n; i++) {
        hl_assessment a;
        double t0 = bench_now();
        if (assessment_run(env->store, &env->ctx, CH_HOTLINE, 202405, asof, &a, &err)) {
            fprintf(stderr, "assess: %s\n", err.msg);
            exit(1);
        }
        t[i] = bench_now() - t0;
        *graded = a.n;
        assessment_free(&a);
    }
    qsort(t, (size_t)n, sizeof t[0], cmp_double);
    return t[n / 2];
}

/* The straightforward SQL: each dispatch of the month, and whether a later
 * acceptance or return exists; callbacks grouped by the order's unit. */
static double time_plain_sql(const char *path, int64_t from, int64_t to)
{
    static const char *const sql[] = {
        "SELECT d.unit_id, count(*), "
        " sum(EXISTS (SELECT 1 FROM events r WHERE r.order_id = d.order_id AND r.op = 9 "
        "   AND r.result = 0 AND r.seq > d.seq)), "
        " sum(EXISTS (SELECT 1 FROM events r WHERE r.order_id = d.order_id AND r.op = 9 "
        "   AND r.result = 0 AND r.seq > d.seq AND (SELECT max(p.at) FROM events p WHERE "
        "   p.order_id = d.order_id AND p.op = 8 AND p.seq < r.seq) <= d.t2)), "
        " sum(EXISTS (SELECT 1 FROM events r WHERE r.order_id = d.order_id AND r.seq > d.seq "
        "   AND ((r.op = 9 AND r.result = 1) OR r.op = 14))) "
        "FROM events d WHERE d.op = 1 AND d.channel = 0 AND d.at >= ?1 AND d.at < ?2 "
        "GROUP BY d.unit_id",
        "SELECT o.unit_id, count(*), sum(c.result = 2) FROM events c JOIN orders o "
        "ON o.id = c.order_id WHERE c.op = 10 AND c.channel = 0 AND c.result <> 3 "
        "AND c.at >= ?1 AND c.at < ?2 GROUP BY o.unit_id"};
    sqlite3 *db;
    double t0 = bench_now();
    sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    for (int q = 0; q < 2; q++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, sql[q], -1, &st, NULL) != SQLITE_OK) {
            fprintf(stderr, "plain SQL: %s\n", sqlite3_errmsg(db));
            exit(1);
        }
        sqlite3_bind_int64(st, 1, from);
        sqlite3_bind_int64(st, 2, to);
        while (sqlite3_step(st) == SQLITE_ROW)
            ;
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return bench_now() - t0;
}

int main(int argc, char **argv)
{
    const char *db = getenv("BENCH_DB") ? getenv("BENCH_DB") : "/tmp/hotline-bench-assess.db";
    char cmd[8192], bin[4096];
    cli_env env = {0};
    hl_err err;
    size_t graded = 0;
    int64_t from, to, cut;
    (void)argc;
    snprintf(bin, sizeof bin, "%s", argv[0]);
    char *slash = strrchr(bin, '/');
    snprintf(slash ? slash + 1 : bin, sizeof bin - (size_t)(slash ? slash + 1 - bin : 0), "hotline");
    if (access(db, R_OK) != 0) {
        fprintf(stderr, "bench/assess: generating a --scale 30 month into %s …\n", db);
        snprintf(cmd, sizeof cmd, "'%s' --db '%s' demo --month 2024-05 --scale 30 >&2", bin, db);
        if (system(cmd) != 0)
            return 1;
    }
    env.db_path = db;
    env.data_dir = HL_DATA_DIR;
    hl_units_init(&env.units);
    if (cli_load(&env, &err) || store_begin_read(env.store, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    hl_time_parse("2024-06-24T00:00:00+08:00", &cut, NULL);
    hl_month_range(202405, env.rules.offset_min, &from, &to);
    double t_now = time_assess(&env, 0, 21, &graded);
    double t_past = time_assess(&env, cut, 3, &graded);
    store_rollback(env.store);
    if (!graded) {
        fprintf(stderr, "bench/assess: %s holds no assessed month (remove it to regenerate)\n", db);
        return 1;
    }
    double t_sql = time_plain_sql(db, from, to);
    printf("bench/assess: hotline 2024-05, %zu units graded, --scale 30\n", graded);
    printf("  as of now:         %8.2f ms (target < 100 ms: %s)\n", t_now * 1e3,
           t_now < 0.1 ? "met" : "MISSED");
    printf("  as of 2024-06-24:  %8.2f ms (target < 2000 ms: %s)\n", t_past * 1e3,
           t_past < 2 ? "met" : "MISSED");
    printf("  baseline: plain SQL GROUP BY over the events %.2f ms\n", t_sql * 1e3);
    printf("  ratio plain SQL / as of now: %.0fx (target >= 10x: %s); / as of a past cut-off: %.1fx\n",
           t_sql / t_now, t_sql / t_now >= 10 ? "met" : "MISSED", t_sql / t_past);
    cli_env_free(&env);
    return 0;
}
