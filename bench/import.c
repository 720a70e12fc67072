#define _GNU_SOURCE
/* bench/import — import throughput against a raw SQLite bulk insert.
 *
 * Generates a realistic history of N events (default 1,000,000: appeals,
 * direct answers, dispatch, sign, reply, review with some rework, callbacks,
 * extensions, returns), imports it with the real import path (parse, lifecycle
 * checks, canonical form, store), then measures in the same run a raw SQLite
 * bulk insert of exactly the rows the import wrote (same schema, indexes,
 * pragmas, one transaction, prepared statements, no parsing or checks).
 * Prints events/s for both and the ratio. */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../src/cli/cli.h"
#include "bench.h"

static const char *const cats[] = {"人力资源和社会保障类", "住房与城乡建设类", "社会治安与综合治理类",
                                   "市场管理类", "交通运输与交通秩序类", "公共服务类", "城市管理类",
                                   "环境保护类"};
static const char *const places[] = {"岳阳楼区", "岳阳县", "华容县", "平江县", "汨罗市", "临湘市"};
static const char *const texts[] = {"小区门口道路积水严重，影响出行，希望尽快处理",
                                    "公司拖欠工资三个月，多次讨要无果",
                                    "楼下餐馆油烟噪音扰民，夜间持续到凌晨",
                                    "咨询灵活就业人员养老保险缴费标准"};

typedef struct {
    time_t t;
    long seq;
    char *line;
} gen_line;

static gen_line *lines;
static long n_lines, cap_lines;

static void emit(time_t t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(time_t t, const char *fmt, ...)
{
    va_list ap;
    if (n_lines == cap_lines) {
        cap_lines = cap_lines ? cap_lines * 2 : 65536;
        lines = realloc(lines, (size_t)cap_lines * sizeof *lines);
    }
    va_start(ap, fmt);
    if (vasprintf(&lines[n_lines].line, fmt, ap) < 0)
        abort();
    va_end(ap);
    lines[n_lines].t = t;
    lines[n_lines].seq = n_lines;
    n_lines++;
}

static int by_time(const void *a, const void *b)
{
    const gen_line *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void fmt_time(time_t t, char *out)
{
    struct tm tm;
    t += 8 * 3600;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
}

/* One order's history; returns the number of events written. */
static long write_order(long k, time_t t, int units)
{
    char at[32];
    long n = 0;
    const char *cat = cats[bench_rnd(8)];
    fmt_time(t, at);
    emit(t, "{\"op\":\"appeal\",\"id\":\"A%07ld\",\"channel\":\"%s\",\"source\":\"phone\","
               "\"line\":\"general\",\"category\":\"%s\",\"nature\":\"complaint\",\"urgency\":\"normal\","
               "\"content\":\"%s（%s）\",\"location\":\"%s\",\"citizen\":{\"name\":\"张三\",\"phone\":"
               "\"1380000%04ld\"},\"handling\":\"order\",\"order\":\"R%07ld\",\"at\":\"%s\"}\n",
            k, bench_rnd(20) ? "hotline" : "mailbox", cat, texts[bench_rnd(4)], cat, places[bench_rnd(6)], k % 10000, k, at);
    n++;
#define EV(dt, FMT, ...)                                                                        \
    do {                                                                                     \
        t += (dt);                                                                           \
        fmt_time(t, at);                                                                     \
        emit(t, "{\"op\":" FMT ",\"order\":\"R%07ld\",\"at\":\"%s\"}\n", __VA_ARGS__, k, at); \
        n++;                                                                                 \
    } while (0)
    EV(300, "\"dispatch\",\"unit\":\"U%03d\"", 1 + (int)bench_rnd((unsigned)units));
    EV(3600, "\"sign\"%s", "");
    if (bench_rnd(20) == 0) {
        EV(600, "\"extension_request\",\"until\":\"2024-07-31T23:59:59+08:00\",\"reason\":\"%s\"", "需现场核查");
        EV(600, "\"extension_decision\",\"approved\":true%s", "");
    }
    EV(36000, "\"reply\",\"text\":\"%s\"", "经核查，已安排工作人员现场处理，问题已解决。");
    if (bench_rnd(12) == 0) {
        EV(1800, "\"review\",\"result\":\"return\",\"reason\":\"%s\"", "答复不完整");
        EV(7200, "\"reply\",\"text\":\"%s\"", "补充答复：已整改到位。");
    }
    EV(3600, "\"review\",\"result\":\"%s\"", "accept");
    EV(86400, "\"callback\",\"result\":\"%s\"", bench_rnd(10) ? "satisfied" : "dissatisfied");
    return n;
}

static void generate(const char *dir, long target, int units)
{
    char path[512];
    snprintf(path, sizeof path, "%s/units.tsv", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "code\tname\tkind\tparent_code\n");
    for (int u = 1; u <= units; u++)
        fprintf(f, "U%03d\t单位%03d\t%s\t\n", u, u, u <= 13 ? "county" : u <= 68 ? "agency" : "enterprise");
    fclose(f);
    snprintf(path, sizeof path, "%s/events.jsonl", dir);
    f = fopen(path, "w");
    time_t base = 1714521600; /* 2024-05-01T08:00+08:00 */
    long n = 0, k = 0;
    while (n < target) {
        time_t t = base + (time_t)(k * 2);
        if (bench_rnd(4) == 0) { /* a direct answer */
            char at[32];
            fmt_time(t, at);
            emit(t, "{\"op\":\"appeal\",\"id\":\"D%07ld\",\"channel\":\"hotline\",\"source\":\"phone\","
                       "\"category\":\"%s\",\"nature\":\"consult\",\"content\":\"%s\",\"handling\":\"direct\","
                       "\"kb\":[\"KB%03u\"],\"at\":\"%s\"}\n", k, cats[bench_rnd(8)], texts[3], bench_rnd(500), at);
            n++;
        } else {
            n += write_order(k, t, units);
        }
        k++;
    }
    qsort(lines, (size_t)n_lines, sizeof *lines, by_time);
    for (long i = 0; i < n_lines; i++) {
        fputs(lines[i].line, f);
        free(lines[i].line);
    }
    free(lines);
    fclose(f);
}

/* Every row of `table` in db, as value copies (caller frees with free_rows). */
typedef struct {
    sqlite3_value **v;
    long rows;
    int cols;
} table_rows;

static void load_rows(sqlite3 *db, const char *table, table_rows *out)
{
    char sql[128];
    sqlite3_stmt *st;
    long cap = 1024;
    snprintf(sql, sizeof sql, "SELECT * FROM %s", table);
    sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    out->cols = sqlite3_column_count(st);
    out->rows = 0;
    out->v = malloc((size_t)cap * (size_t)out->cols * sizeof *out->v);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (out->rows == cap) {
            cap *= 2;
            out->v = realloc(out->v, (size_t)cap * (size_t)out->cols * sizeof *out->v);
        }
        for (int c = 0; c < out->cols; c++)
            out->v[out->rows * out->cols + c] = sqlite3_value_dup(sqlite3_column_value(st, c));
        out->rows++;
    }
    sqlite3_finalize(st);
}

static void insert_rows(sqlite3 *db, const char *table, const table_rows *t)
{
    char sql[512];
    int n = snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (?", table);
    sqlite3_stmt *st;
    for (int c = 1; c < t->cols; c++)
        n += snprintf(sql + n, sizeof sql - (size_t)n, ",?");
    snprintf(sql + n, sizeof sql - (size_t)n, ")");
    sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    for (long r = 0; r < t->rows; r++) {
        for (int c = 0; c < t->cols; c++)
            sqlite3_bind_value(st, c + 1, t->v[r * t->cols + c]);
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "baseline insert into %s: %s\n", table, sqlite3_errmsg(db));
            exit(1);
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
}

static void free_rows(table_rows *t)
{
    for (long i = 0; i < t->rows * t->cols; i++)
        sqlite3_value_free(t->v[i]);
    free(t->v);
}

/* The same rows, written the plainest way SQLite allows. */
static double baseline(const char *dir)
{
    static const char *const tables[] = {"orders", "events", "facts", "appeals", "unit_month", "spans"};
    char a[512], b[512];
#define N_TABLES (sizeof tables / sizeof tables[0])
    table_rows rows[N_TABLES];
    sqlite3 *src, *dst;
    hl_store *s;
    hl_err err;
    snprintf(a, sizeof a, "%s/a.db", dir);
    snprintf(b, sizeof b, "%s/b.db", dir);
    sqlite3_open(a, &src);
    for (size_t i = 0; i < N_TABLES; i++)
        load_rows(src, tables[i], &rows[i]);
    sqlite3_close(src);
    if (store_open(b, &s, &err)) { /* same schema, same pragmas */
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    store_close(s);
    sqlite3_open_v2(b, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    sqlite3_exec(dst, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                      "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;", NULL, NULL, NULL);
    double t0 = bench_now();
    sqlite3_exec(dst, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    for (size_t i = 0; i < N_TABLES; i++)
        insert_rows(dst, tables[i], &rows[i]);
    sqlite3_exec(dst, "COMMIT", NULL, NULL, NULL);
    double t = bench_now() - t0;
    sqlite3_close(dst);
    for (size_t i = 0; i < N_TABLES; i++)
        free_rows(&rows[i]);
    return t;
}

int main(int argc, char **argv)
{
    long target = argc > 1 ? atol(argv[1]) : 1000000;
    char dir[] = "/tmp/hlbench.XXXXXX", units[600], events[600], db[600], cmd[700];
    cli_env env = {0};
    cli_import_stats st;
    hl_err err;
    if (!mkdtemp(dir))
        return 1;
    generate(dir, target, 80);
    snprintf(units, sizeof units, "%s/units.tsv", dir);
    snprintf(events, sizeof events, "%s/events.jsonl", dir);
    snprintf(db, sizeof db, "%s/a.db", dir);
    env.db_path = db;
    env.data_dir = HL_DATA_DIR;
    hl_units_init(&env.units);
    double t0 = bench_now();
    if (cli_import(&env, units, events, &st, &err)) {
        fprintf(stderr, "import failed: %s\n", err.msg);
        return 1;
    }
    double t_import = bench_now() - t0;
    cli_env_free(&env);
    double t_raw = baseline(dir);
    double rate = (double)st.applied / t_import, raw = (double)st.applied / t_raw;
    printf("bench/import: %lld events imported in %.2f s = %.0f events/s (target >= 200000: %s)\n",
           (long long)st.applied, t_import, rate, rate >= 200000 ? "met" : "MISSED");
    printf("baseline: raw SQLite bulk insert of the same rows in %.2f s = %.0f events/s\n", t_raw, raw);
    printf("ratio import/raw: %.2f (target >= 0.30: %s)\n", rate / raw, rate / raw >= 0.3 ? "met" : "MISSED");
    if (getenv("BENCH_KEEP")) { printf("kept %s\n", dir); return 0; }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
