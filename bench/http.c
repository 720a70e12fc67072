/* bench/http — the HTTP server under load.
 *
 * A `demo --scale 30` month (made once and kept in /tmp/hotline-bench-http.db,
 * or $BENCH_DB) is served by `hotline serve` in a child process; wrk drives
 * 64 connections from 2 threads for 5 s per case:
 *   static     GET /api/v1/health, the baseline (no session, one pragma)
 *   get_order  GET /api/v1/orders/{number} as an operator (order + history)
 *   inbox      GET /api/v1/queues/inbox?page_size=20 as a unit handler of the
 *              first-level county with the most orders
 *   intake     POST /api/v1/appeals as an operator (a new order per request)
 * and prints req/s, p99 latency, the ratio to the baseline and the server's
 * peak RSS.  Targets (the issue): reads >= 20,000 req/s, intake >= 2,000
 * req/s, p99 < 20 ms, RSS < 100 MB; a missed target is printed, not fatal.
 * Users get a cheap password hash (a config copy with pwhash_ops 1).
 * BENCH_CASES="intake" runs only the named cases besides the baseline;
 * BENCH_CONFIG='{"threads":8}' overrides server.json settings;
 * BENCH_VERBOSE=1 shows wrk's own output (its latency distribution). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../src/core/buf.h"

#define PASSWORD "bench-http-pw-1"
#define OPERATOR "bench_operator"
#define HANDLER "bench_handler"
#define DURATION "5s"
#define INTAKE_BODY                                                                        \
    "{\"channel\":\"hotline\",\"nature\":\"consult\",\"content\":\"咨询社保卡补办需要哪些材料，" \
    "在哪里办理（压测）\",\"handling\":\"order\"}"

typedef struct {
    char dir[64];        /* the run's temp dir */
    char bin[4096];      /* build/rel/hotline */
    const char *db;
    char config[128], port_file[128], log[128];
    pid_t pid;
    int port;
} bench;

typedef struct {
    char cookie[160];    /* "hl_session=…" */
    char csrf[80];
} session;

typedef struct {
    double rps, p99_ms;
    double cpu_us, write_kb; /* the server's, per request */
    long requests, non2xx, sock_errors, timeouts;
    int ok;              /* wrk ran and printed its summary */
} result;

static void die(const char *what)
{
    fprintf(stderr, "bench/http: %s\n", what);
    exit(1);
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* --- the database, the config, the users ------------------------------------ */

static void ensure_db(const bench *b)
{
    char cmd[8400];
    if (access(b->db, R_OK) == 0)
        return;
    fprintf(stderr, "bench/http: generating a --scale 30 month into %s …\n", b->db);
    snprintf(cmd, sizeof cmd, "'%s' --db '%s' init >&2 && '%s' --db '%s' demo --month 2024-05 --scale 30 >&2",
             b->bin, b->db, b->bin, b->db);
    if (system(cmd) != 0)
        die("could not create the database");
}

/* data/server.json with a cheap password hash (the logins of the bench
 * must not cost 20 MB and 50 ms each). */
static void write_config(const bench *b)
{
    json_error_t je;
    json_t *cfg = json_load_file(HL_DATA_DIR "/server.json", 0, &je);
    if (!cfg)
        die("cannot read " HL_DATA_DIR "/server.json");
    json_object_set_new(cfg, "pwhash_ops", json_integer(1));
    json_object_set_new(cfg, "pwhash_mem_kib", json_integer(8));
    const char *extra = getenv("BENCH_CONFIG"); /* settings to try, as a JSON object */
    json_t *x = extra ? json_loads(extra, 0, &je) : NULL;
    if (extra && (!json_is_object(x) || json_object_update_existing(cfg, x)))
        die("BENCH_CONFIG is not a JSON object of server.json settings");
    json_decref(x);
    if (json_dump_file(cfg, b->config, JSON_INDENT(2)) != 0)
        die("cannot write the server config");
    json_decref(cfg);
}

/* One text column of the first row of sql (a ? bound to arg when given). */
static int query_text(const char *db, const char *sql, const char *arg, char *out, size_t size)
{
    sqlite3 *h;
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die("cannot open the database");
    sqlite3_busy_timeout(h, 5000);
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        die(sqlite3_errmsg(h));
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(out, size, "%s", t ? (const char *)t : "");
        found = 1;
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return found;
}

static void busiest_county(const bench *b, char *code, size_t size)
{
    if (!query_text(b->db,
                    "SELECT u.code FROM orders o JOIN units u ON u.id = o.unit_id "
                    "WHERE u.kind = 'county' AND u.parent_id IS NULL "
                    "GROUP BY u.id ORDER BY count(*) DESC LIMIT 1",
                    NULL, code, size))
        die("the database has no county unit with orders");
}

static void add_user(const bench *b, const char *name, const char *role, const char *unit)
{
    char cmd[8800], found[8];
    if (query_text(b->db, "SELECT 1 FROM users WHERE name = ?", name, found, sizeof found))
        return;
    snprintf(cmd, sizeof cmd, "'%s' --db '%s' user add %s --role %s%s%s --config '%s' >&2", b->bin,
             b->db, name, role, unit ? " --unit " : "", unit ? unit : "", b->config);
    FILE *p = popen(cmd, "w");
    if (!p)
        die("cannot run hotline user add");
    fputs(PASSWORD "\n", p);
    if (pclose(p) != 0)
        die("hotline user add failed");
}

/* --- the server ----------------------------------------------------------------- */

static void start_server(bench *b)
{
    unlink(b->port_file);
    b->pid = fork();
    if (b->pid < 0)
        die("fork failed");
    if (b->pid == 0) {
        int out = open("/dev/null", O_WRONLY);
        int log = open(b->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out >= 0)
            dup2(out, STDOUT_FILENO);
        if (log >= 0)
            dup2(log, STDERR_FILENO);
        execl(b->bin, b->bin, "--db", b->db, "serve", "--listen", "127.0.0.1:0", "--port-file",
              b->port_file, "--config", b->config, "--access-log", "none", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 600; i++) {   /* up to 60 s */
        FILE *f = fopen(b->port_file, "r");
        int status;
        if (f) {
            int ok = fscanf(f, "%d", &b->port) == 1;
            fclose(f);
            if (ok && b->port > 0)
                return;
        }
        if (waitpid(b->pid, &status, WNOHANG) == b->pid) {
            fprintf(stderr, "bench/http: the server exited early; its log is %s\n", b->log);
            exit(1);
        }
        sleep_ms(100);
    }
    die("the server did not write its port within 60 s");
}

/* The server's peak resident set (VmHWM), in kB; -1 when unknown. */
static long vm_hwm_kb(pid_t pid)
{
    char path[64], line[256];
    long kb = -1;
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb;
}

/* SIGTERM, then wait up to 20 s (the graceful stop) before SIGKILL. */
static int stop_server(bench *b)
{
    int status = 0;
    kill(b->pid, SIGTERM);
    for (int i = 0; i < 200; i++) {
        if (waitpid(b->pid, &status, WNOHANG) == b->pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        sleep_ms(100);
    }
    fprintf(stderr, "bench/http: the server did not stop within 20 s of SIGTERM; killing it\n");
    kill(b->pid, SIGKILL);
    waitpid(b->pid, &status, 0);
    return -1;
}

/* --- one request over a raw socket ---------------------------------------------- */

typedef struct {
    int status;
    char cookie[160];    /* the hl_session pair of Set-Cookie, if any */
    hl_buf text;         /* the whole response */
    const char *body;
} response;

static void send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            die("cannot send a request to the server");
        p += w;
        n -= (size_t)w;
    }
}

static void parse_response(response *r)
{
    const char *t = hl_buf_str(&r->text);
    const char *end = strstr(t, "\r\n\r\n");
    r->body = end ? end + 4 : "";
    if (sscanf(t, "HTTP/1.%*d %d", &r->status) != 1)
        r->status = 0;
    for (const char *l = t; end && l < end; l = strstr(l, "\r\n") + 2) {
        if (strncasecmp(l, "Set-Cookie: hl_session=", 23) == 0) {
            size_t n = strcspn(l + 12, ";\r");
            snprintf(r->cookie, sizeof r->cookie, "%.*s", (int)n, l + 12);
        }
    }
}

/* method path with the session's headers (s may be NULL) and a JSON body
 * (may be NULL); the caller frees r->text. */
static void request(const bench *b, const session *s, const char *method, const char *path,
                    const char *body, response *r)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)b->port)};
    hl_buf q;
    char chunk[16384];
    memset(r, 0, sizeof *r);
    hl_buf_init(&r->text, (size_t)64 << 20);
    hl_buf_init(&q, (size_t)1 << 20);
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
        die("cannot connect to the server");
    hl_buf_printf(&q, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n", method,
                  path, b->port);
    if (s)
        hl_buf_printf(&q, "Cookie: %s\r\nX-CSRF-Token: %s\r\n", s->cookie, s->csrf);
    if (body)
        hl_buf_printf(&q, "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                      strlen(body), body);
    else
        hl_buf_adds(&q, "\r\n");
    send_all(fd, q.data, q.len);
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0)
        hl_buf_add(&r->text, chunk, (size_t)n);
    close(fd);
    hl_buf_free(&q);
    parse_response(r);
}

static void login(const bench *b, const char *name, session *s)
{
    response r;
    char body[256];
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"password\":\"%s\"}", name, PASSWORD);
    request(b, NULL, "POST", "/api/v1/session", body, &r);
    json_t *j = json_loads(r.body, 0, NULL);
    const char *csrf = json_string_value(json_object_get(j, "csrf"));
    if (r.status != 200 || !csrf || !r.cookie[0]) {
        fprintf(stderr, "bench/http: login of %s: HTTP %d %s\n", name, r.status, r.body);
        exit(1);
    }
    snprintf(s->cookie, sizeof s->cookie, "%s", r.cookie);
    snprintf(s->csrf, sizeof s->csrf, "%s", csrf);
    json_decref(j);
    hl_buf_free(&r.text);
}

/* A closed order of the demo month: a full history (appeal to callback),
 * what a real order page shows. */
#define ORDER_QUERY "/api/v1/orders?state=closed&page_size=1"

static void first_order(const bench *b, const session *s, char *number, size_t size)
{
    response r;
    request(b, s, "GET", ORDER_QUERY, NULL, &r);
    json_t *j = json_loads(r.body, 0, NULL);
    const char *n = json_string_value(
        json_object_get(json_array_get(json_object_get(j, "items"), 0), "number"));
    if (r.status != 200 || !n) {
        fprintf(stderr, "bench/http: GET " ORDER_QUERY ": HTTP %d %.300s\n", r.status, r.body);
        exit(1);
    }
    snprintf(number, size, "%s", n);
    json_decref(j);
    hl_buf_free(&r.text);
}

/* One request of a case before the load: say what is wrong, if anything. */
static void probe(const bench *b, const session *s, const char *method, const char *path,
                  const char *body, const char *name)
{
    response r;
    request(b, s, method, path, body, &r);
    if (r.status < 200 || r.status > 299)
        printf("  warning: %s answers HTTP %d before the load: %.300s\n", name, r.status, r.body);
    hl_buf_free(&r.text);
}

/* --- wrk ---------------------------------------------------------------------- */

/* A wrk script: method, headers, body, and a summary line from done(). */
static void write_script(const char *path, const char *method, const session *s,
                         const char *body)
{
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write a wrk script");
    fprintf(f, "wrk.method = \"%s\"\n", method);
    if (s)
        fprintf(f, "wrk.headers[\"Cookie\"] = \"%s\"\nwrk.headers[\"X-CSRF-Token\"] = \"%s\"\n",
                s->cookie, s->csrf);
    if (body)
        fprintf(f, "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                   "wrk.body = [==[%s]==]\n", body);
    fputs("function done(summary, latency, requests)\n"
          "  local e = summary.errors\n"
          "  io.write(string.format(\"BENCH %d %d %.3f %d %d %d\\n\", summary.requests,\n"
          "    summary.duration, latency:percentile(99), e.status,\n"
          "    e.connect + e.read + e.write, e.timeout))\n"
          "end\n",
          f);
    fclose(f);
}

static void run_wrk(const bench *b, const char *script, const char *path, const char *duration,
                    result *res)
{
    char cmd[1024], line[512];
    long long requests = 0, duration_us = 0;
    double p99_us = 0;
    memset(res, 0, sizeof *res);
    snprintf(cmd, sizeof cmd,
             "wrk -t2 -c64 -d%s --timeout 10s --latency -s '%s' 'http://127.0.0.1:%d%s' 2>&1",
             duration, script, b->port, path);
    FILE *p = popen(cmd, "r");
    if (!p)
        die("cannot run wrk (Debian package wrk)");
    while (fgets(line, sizeof line, p)) {
        if (getenv("BENCH_VERBOSE"))
            fputs(line, stderr);
        if (sscanf(line, "BENCH %lld %lld %lf %ld %ld %ld", &requests, &duration_us, &p99_us,
                   &res->non2xx, &res->sock_errors, &res->timeouts) == 6)
            res->ok = 1;
    }
    if (pclose(p) != 0 || !res->ok || duration_us <= 0) {
        res->ok = 0;
        return;
    }
    res->requests = (long)requests;
    res->rps = (double)requests / ((double)duration_us / 1e6);
    res->p99_ms = p99_us / 1e3;
}

/* Warm up for 1 s, then measure. */
/* The server's CPU time (µs, user + system) and bytes written to storage
 * so far: per request, they show what a change costs even when the shared
 * machine's clock times drift. */
static void server_usage(pid_t pid, double *cpu_us, double *written)
{
    char path[64], line[1024];
    unsigned long ut = 0, st = 0;
    *cpu_us = *written = 0;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (f && fgets(line, sizeof line, f)) {
        const char *p = strrchr(line, ')'); /* the name may hold spaces */
        if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
            *cpu_us = (double)(ut + st) * 1e6 / (double)sysconf(_SC_CLK_TCK);
    }
    if (f)
        fclose(f);
    snprintf(path, sizeof path, "/proc/%d/io", (int)pid);
    if ((f = fopen(path, "r"))) {
        while (fgets(line, sizeof line, f))
            if (strncmp(line, "write_bytes:", 12) == 0)
                *written = strtod(line + 12, NULL);
        fclose(f);
    }
}

/* BENCH_CASES="intake inbox" runs only those cases (and the baseline). */
static int wanted(const char *name)
{
    const char *only = getenv("BENCH_CASES");
    if (!only || strcmp(name, "static") == 0)
        return 1;
    size_t n = strlen(name);
    for (const char *p = strstr(only, name); p; p = strstr(p + 1, name))
        if ((p == only || p[-1] == ' ' || p[-1] == ',') && (!p[n] || p[n] == ' ' || p[n] == ','))
            return 1;
    return 0;
}

static void run_case(const bench *b, const char *name, const char *method, const char *path,
                     const session *s, const char *body, result *res)
{
    char script[160];
    memset(res, 0, sizeof *res);
    if (!wanted(name))
        return;
    snprintf(script, sizeof script, "%s/%s.lua", b->dir, name);
    write_script(script, method, s, body);
    probe(b, s, method, path, body, name);
    run_wrk(b, script, path, "1s", res);
    double cpu0, w0, cpu1, w1;
    server_usage(b->pid, &cpu0, &w0);
    run_wrk(b, script, path, DURATION, res);
    server_usage(b->pid, &cpu1, &w1);
    if (res->requests > 0) {
        res->cpu_us = (cpu1 - cpu0) / (double)res->requests;
        res->write_kb = (w1 - w0) / 1024.0 / (double)res->requests;
    }
    unlink(script);
}

static void print_case(const char *name, const result *r, const result *base)
{
    if (!wanted(name)) {
        printf("http %-9s skipped (BENCH_CASES)\n", name);
        return;
    }
    if (!r->ok) {
        printf("http %-9s wrk failed (run with BENCH_VERBOSE=1 to see its output)\n", name);
        return;
    }
    printf("http %-9s req/s %6.0f  p99 %6.1f ms", name, r->rps, r->p99_ms);
    if (base && base->ok && base->rps > 0)
        printf("  ratio %.2f", r->rps / base->rps);
    printf("  server %.0f µs CPU, %.1f KB written per request", r->cpu_us, r->write_kb);
    printf("  (%ld requests", r->requests);
    if (r->non2xx || r->sock_errors || r->timeouts)
        printf("; ERRORS: %ld non-2xx, %ld socket errors, %ld timeouts", r->non2xx,
               r->sock_errors, r->timeouts);
    printf(")\n");
}

static const char *verdict(int met)
{
    return met ? "met" : "MISSED";
}

static void print_targets(const result *r, int n, long hwm_kb)
{
    /* r: static, get_order, inbox, intake */
    double worst_p99 = 0;
    for (int i = 0; i < n; i++)
        worst_p99 = r[i].p99_ms > worst_p99 ? r[i].p99_ms : worst_p99;
    int reads = r[1].ok && r[2].ok && r[1].rps >= 20000 && r[2].rps >= 20000;
    int errors = 0;
    for (int i = 0; i < n; i++)
        errors |= !r[i].ok || r[i].non2xx || r[i].sock_errors || r[i].timeouts;
    printf("targets: reads >= 20000 req/s: %s; intake >= 2000 req/s: %s; p99 < 20 ms (worst %.1f ms): %s; "
           "RSS < 100 MB: %s; no errors: %s\n",
           verdict(reads), verdict(r[3].ok && r[3].rps >= 2000), worst_p99,
           verdict(worst_p99 < 20), verdict(hwm_kb >= 0 && hwm_kb < 100 * 1024), verdict(!errors));
}

/* --- main --------------------------------------------------------------------- */

static void setup(bench *b, const char *argv0)
{
    snprintf(b->bin, sizeof b->bin, "%s", argv0);
    char *slash = strrchr(b->bin, '/');
    snprintf(slash ? slash + 1 : b->bin, sizeof b->bin - (size_t)(slash ? slash + 1 - b->bin : 0),
             "hotline");
    if (access(b->bin, X_OK) != 0)
        die("build/rel/hotline is missing (make build/rel/hotline)");
    b->db = getenv("BENCH_DB") ? getenv("BENCH_DB") : "/tmp/hotline-bench-http.db";
    snprintf(b->dir, sizeof b->dir, "/tmp/hotline-bench-http-XXXXXX");
    if (!mkdtemp(b->dir))
        die("cannot make a temp dir");
    snprintf(b->config, sizeof b->config, "%s/server.json", b->dir);
    snprintf(b->port_file, sizeof b->port_file, "%s/port", b->dir);
    snprintf(b->log, sizeof b->log, "%s/server.log", b->dir);
}

static void cleanup(const bench *b, int keep_log)
{
    unlink(b->config);
    unlink(b->port_file);
    if (keep_log) {
        printf("server log kept: %s\n", b->log);
        return;
    }
    unlink(b->log);
    rmdir(b->dir);
}

int main(int argc, char **argv)
{
    bench b = {0};
    session op, uh;
    char unit[64], number[96], order_path[160];
    result r[4];
    (void)argc;
    signal(SIGPIPE, SIG_IGN);
    setup(&b, argv[0]);
    ensure_db(&b);
    write_config(&b);
    busiest_county(&b, unit, sizeof unit);
    add_user(&b, OPERATOR, "operator", NULL);
    add_user(&b, HANDLER, "unit_handler", unit);
    start_server(&b);
    login(&b, OPERATOR, &op);
    login(&b, HANDLER, &uh);
    first_order(&b, &op, number, sizeof number);
    snprintf(order_path, sizeof order_path, "/api/v1/orders/%s", number);
    double load[1] = {-1};
    getloadavg(load, 1);
    printf("bench/http: %s, port %d, order %s, unit handler of %s; wrk -t2 -c64 -d%s; "
           "%ld CPUs (shared by wrk and the server), load average %.2f\n",
           b.db, b.port, number, unit, DURATION, sysconf(_SC_NPROCESSORS_ONLN), load[0]);
    run_case(&b, "static", "GET", "/api/v1/health", NULL, NULL, &r[0]);
    print_case("static", &r[0], NULL);
    run_case(&b, "get_order", "GET", order_path, &op, NULL, &r[1]);
    print_case("get_order", &r[1], &r[0]);
    run_case(&b, "inbox", "GET", "/api/v1/queues/inbox?page_size=20", &uh, NULL, &r[2]);
    print_case("inbox", &r[2], &r[0]);
    run_case(&b, "intake", "POST", "/api/v1/appeals", &op, INTAKE_BODY, &r[3]);
    print_case("intake", &r[3], &r[0]);
    long hwm = vm_hwm_kb(b.pid);
    int stopped = stop_server(&b);
    printf("server VmHWM %ld MB\n", hwm < 0 ? -1 : (hwm + 512) / 1024);
    if (stopped != 0)
        printf("warning: the server's exit status after SIGTERM was %d\n", stopped);
    print_targets(r, 4, hwm);
    cleanup(&b, stopped != 0 || getenv("BENCH_KEEP") != NULL);
    return 0;
}
