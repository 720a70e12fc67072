/* api.c — the API tests' server and client (api.h). */
#include "api.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../src/core/timeutil.h"
#include "../../src/store/store.h"

static const char *const units_tsv =
    "code\tname\tkind\tparent_code\n"
    "C1\t东城区\tcounty\t\n"
    "C1-1\t东城区甲镇\tcounty\tC1\n"
    "C2\t西城区\tcounty\t\n"
    "A1\t市住建局\tagency\t\n";

static const struct {
    const char *name, *role, *unit;
} users[] = {
    {"op", "operator", NULL},      {"disp", "dispatcher", NULL},  {"cb", "callback", NULL},
    {"sup", "supervisor", NULL},   {"h1", "unit_handler", "C1"},  {"a1", "unit_admin", "C1"},
    {"t1", "unit_handler", "C1-1"}, {"h2", "unit_handler", "C2"}, {"kb", "kb_owner", "C1"},
    {"mgr", "manager", NULL},      {"adm", "admin", NULL},
};

static const char *const fast_config =
    "{\"threads\": 2, \"body_max\": 65536, \"session_idle_min\": 60, \"session_max_hours\": 12,"
    " \"login_max_failures\": 5, \"login_window_s\": 900, \"mailbox_per_hour\": 3,"
    " \"page_size_default\": 20, \"page_size_max\": 100, \"pwhash_ops\": 1,"
    " \"pwhash_mem_kib\": 8, \"idempotency_hours\": 24, \"checkpoint_ms\": 100,"
    " \"checkpoint_restart_frames\": 1000, \"kb_remind_minutes\": 60,"
    " \"fts_merge_pages\": 64, \"write_linger_us\": 1000, \"session_cache_s\": 10, \"report_threads\": 2,"
    " \"static_max_age_s\": 31536000}\n";

/* Deadlines computed today must not depend on whether next year's
 * arrangement is published yet: years without a calendar get a fixture
 * with weekends only. */
static void future_calendars(hl_store *st)
{
    hl_err err;
    hl_calendar *cal = malloc(sizeof *cal);
    ck_assert(cal);
    ck_assert(store_calendar_load(st, cal, &err) == HL_OK);
    int year, m, d;
    hl_civil_from_days((int64_t)time(NULL) / 86400, &year, &m, &d);
    for (int y = year - 1; y <= year + 2; y++) {
        int working;
        if (hl_calendar_is_working(cal, hl_days_from_civil(y, 7, 1), &working, &err) == HL_OK)
            continue;
        char text[128];
        snprintf(text, sizeof text, "# test fixture: weekends only\nyear %d\n", y);
        ck_assert_msg(store_calendar_put(st, y, text, &err) == HL_OK, "%s", err.msg);
    }
    free(cal);
}

static void add_users(const char *db)
{
    hl_store *st;
    hl_err err;
    hl_units units;
    hl_units_init(&units);
    ck_assert(sodium_init() >= 0);
    ck_assert_msg(store_open(db, &st, &err) == HL_OK, "%s", err.msg);
    ck_assert(store_units_load(st, &units, &err) == HL_OK);
    ck_assert(store_begin(st, &err) == HL_OK);
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        store_user u = {0};
        char pw[64];
        snprintf(u.name, sizeof u.name, "%s", users[i].name);
        snprintf(u.role, sizeof u.role, "%s", users[i].role);
        snprintf(pw, sizeof pw, "pw-%s", users[i].name);
        u.unit = users[i].unit ? hl_units_find(&units, users[i].unit) : 0;
        ck_assert(crypto_pwhash_str(u.pwhash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_MIN,
                                    crypto_pwhash_MEMLIMIT_MIN) == 0);
        ck_assert_msg(store_user_add(st, &u, &err) == HL_OK, "%s", err.msg);
    }
    future_calendars(st);
    ck_assert(store_commit(st, &err) == HL_OK);
    store_close(st);
    hl_units_free(&units);
}

static void wait_port(ta_server *s, const char *port_file)
{
    for (int i = 0; i < 1000; i++) {
        char *t = th_read(port_file, NULL);
        if (t && atoi(t) > 0) {
            s->port = atoi(t);
            free(t);
            return;
        }
        free(t);
        int status;
        if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
            char *log = th_read(s->log, NULL);
            ck_abort_msg("server exited at start: %s", log ? log : "");
        }
        usleep(10000);
    }
    ck_abort_msg("server did not start");
}

void ta_start(ta_server *s)
{
    ta_start_config(s, fast_config);
}

void ta_start_with(ta_server *s, const char *settings)
{
    json_error_t je;
    json_t *cfg = json_loads(fast_config, 0, &je), *x = json_loads(settings, 0, &je), *v;
    const char *k;
    ck_assert_msg(cfg && json_is_object(x), "bad settings for the test server: %s", settings);
    json_object_foreach(x, k, v) {
        ck_assert_msg(json_object_get(cfg, k), "no setting %s in server.json", k);
        json_object_set(cfg, k, v);
    }
    char *text = json_dumps(cfg, 0);
    json_decref(cfg);
    json_decref(x);
    ta_start_config(s, text);
    free(text);
}

void ta_start_config(ta_server *s, const char *config)
{
    th_proc p = {0};
    memset(s, 0, sizeof *s);
    s->dir = th_tmpdir();
    s->db = th_path(s->dir, "api.db");
    s->config = th_path(s->dir, "server.json");
    s->log = th_path(s->dir, "server.log");
    char *units = th_path(s->dir, "units.tsv"), *events = th_path(s->dir, "events.jsonl");
    char *port_file = th_path(s->dir, "port");
    th_write(units, units_tsv);
    th_write(events, "");
    th_write(s->config, config);
    /* the web app's directory, and a sibling whose name starts like it:
     * neither it nor the database beside it may be served */
    s->web = th_path(s->dir, "web");
    char *secret_dir = th_path(s->dir, "web-secret"), *index = th_path(s->web, "index.html");
    char *secret = th_path(secret_dir, "key.txt");
    ck_assert(mkdir(s->web, 0700) == 0 && mkdir(secret_dir, 0700) == 0);
    th_write(index, "<!doctype html><title>hotline</title>");
    th_write(secret, "secret");
    free(secret_dir);
    free(index);
    free(secret);
    ck_assert_msg(TH_CLI(&p, s->db, "import", units, events) == 0, "%s", p.err);
    th_proc_free(&p);
    add_users(s->db);
    fflush(NULL);
    s->pid = fork();
    ck_assert(s->pid >= 0);
    if (s->pid == 0) {
        int log = open(s->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int in = open("/dev/null", O_RDONLY);
        if (log < 0 || in < 0 || dup2(in, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0)
            _exit(126);
        execl(HL_TEST_BIN, HL_TEST_BIN, "--db", s->db, "serve", "--listen", "127.0.0.1:0",
              "--port-file", port_file, "--config", s->config, "--access-log", "-", "--web",
              s->web, (char *)NULL);
        _exit(127);
    }
    wait_port(s, port_file);
    free(units);
    free(events);
    free(port_file);
}

void ta_stop(ta_server *s)
{
    int status = -1;
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    char *log = th_read(s->log, NULL);
    /* the log's end: Check cannot carry a message of a busy server's log */
    const char *end = log && strlen(log) > 3000 ? log + strlen(log) - 3000 : log ? log : "";
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "server did not stop cleanly (status %d): …%s", status, end);
    ck_assert_msg(!th_has(log, "AddressSanitizer") && !th_has(log, "runtime error") &&
                      !th_has(log, "LeakSanitizer"),
                  "sanitizer report in the server log: …%s", end);
    free(log);
    free(s->db);
    free(s->web);
    free(s->config);
    free(s->log);
    th_rmtree(s->dir);
    memset(s, 0, sizeof *s);
}

typedef struct {
    ta_client *c;
    ta_resp *r;
} hdr_ctx;

static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
    hdr_ctx *h = arg;
    size_t len = size * n;
    char buf[1024];
    snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf - 1 ? len : sizeof buf - 1), line);
    buf[strcspn(buf, "\r\n")] = '\0';
    if (strncasecmp(buf, "Set-Cookie: ", 12) == 0)
        snprintf(h->r->set_cookie, sizeof h->r->set_cookie, "%.500s", buf + 12);
    if (strncasecmp(buf, "Set-Cookie: hl_session=", 23) == 0) {
        char *end = strchr(buf + 23, ';');
        if (end)
            *end = '\0';
        snprintf(h->c->cookie, sizeof h->c->cookie, "hl_session=%.200s", buf + 23);
    } else if (strncasecmp(buf, "ETag: ", 6) == 0) {
        snprintf(h->r->etag, sizeof h->r->etag, "%.60s", buf + 6);
    } else if (strncasecmp(buf, "Location: ", 10) == 0) {
        snprintf(h->r->location, sizeof h->r->location, "%.250s", buf + 10);
    }
    return len;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    hl_buf *b = arg;
    return hl_buf_add(b, data, size * n) ? 0 : size * n;
}

long ta_req(ta_client *c, const char *method, const char *path, const char *body,
            const char *const *headers, int no_csrf, ta_resp *r)
{
    char url[2048], h[512];
    hl_buf out;
    hl_buf_init(&out, (size_t)64 << 20);
    memset(r, 0, sizeof *r);
    CURL *curl = curl_easy_init();
    ck_assert(curl);
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", c->srv->port, path);
    struct curl_slist *list = NULL;
    list = curl_slist_append(list, "Content-Type: application/json");
    if (c->cookie[0]) {
        snprintf(h, sizeof h, "Cookie: %s", c->cookie);
        list = curl_slist_append(list, h);
    }
    if (strcmp(method, "GET") != 0 && c->csrf[0] && !no_csrf) {
        snprintf(h, sizeof h, "X-CSRF-Token: %s", c->csrf);
        list = curl_slist_append(list, h);
    }
    for (size_t i = 0; headers && headers[i]; i++)
        list = curl_slist_append(list, headers[i]);
    hdr_ctx hc = {c, r};
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &hc);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    if (body) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    CURLcode cc = curl_easy_perform(curl);
    ck_assert_msg(cc == CURLE_OK, "%s %s: %s", method, path, curl_easy_strerror(cc));
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    r->body = hl_buf_detach(&out);
    r->json = json_loads(r->body, 0, NULL);
    return r->status;
}

void ta_resp_free(ta_resp *r)
{
    free(r->body);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

long ta_get(ta_client *c, ta_resp *r, const char *fmt, ...)
{
    char path[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    return ta_req(c, "GET", path, NULL, NULL, 0, r);
}

const char *ta_urlenc(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (; *s && n + 4 < size; s++)
        n += (size_t)snprintf(out + n, size - n, "%%%02X", (unsigned char)*s);
    out[n] = '\0';
    return out;
}

int ta_lists(const ta_resp *r, const char *number)
{
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r->json, "items"), i, it) {
        const char *n = json_string_value(json_object_get(it, "number"));
        if (n && strcmp(n, number) == 0)
            return 1;
    }
    return 0;
}

long ta_status(ta_client *c, const char *method, const char *path, const char *body)
{
    ta_resp r;
    long st = ta_req(c, method, path, body, NULL, 0, &r);
    ta_resp_free(&r);
    return st;
}

const char *ta_str(const ta_resp *r, const char *key)
{
    return json_string_value(json_object_get(r->json, key));
}

long long ta_int(const ta_resp *r, const char *key)
{
    json_t *v = json_object_get(r->json, key);
    return json_is_integer(v) ? json_integer_value(v) : -1;
}

void ta_anon(ta_server *s, ta_client *c)
{
    memset(c, 0, sizeof *c);
    c->srv = s;
}

void ta_login(ta_server *s, ta_client *c, const char *user)
{
    char body[256];
    ta_resp r;
    ta_anon(s, c);
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"password\":\"pw-%s\"}", user, user);
    ck_assert_msg(ta_req(c, "POST", "/api/v1/session", body, NULL, 1, &r) == 200,
                  "login %s: %ld %s", user, r.status, r.body);
    ck_assert(ta_str(&r, "csrf"));
    snprintf(c->csrf, sizeof c->csrf, "%s", ta_str(&r, "csrf"));
    ck_assert_msg(c->cookie[0], "no session cookie");
    ta_resp_free(&r);
}

char *ta_new_order(ta_client *c, const char *content)
{
    char body[2048];
    ta_resp r;
    snprintf(body, sizeof body,
             "{\"channel\":\"hotline\",\"source\":\"电话\",\"nature\":\"complaint\","
             "\"category\":\"城市管理类 › 噪音扰民\",\"content\":\"%s\",\"location\":\"东城区人民路\","
             "\"citizen\":{\"name\":\"张三\",\"phone\":\"13812341234\"},\"handling\":\"order\"}",
             content);
    ck_assert_msg(ta_req(c, "POST", "/api/v1/appeals", body, NULL, 0, &r) == 201, "intake: %ld %s",
                  r.status, r.body);
    const char *n = json_string_value(json_object_get(json_object_get(r.json, "order"), "number"));
    ck_assert(n);
    char *number = strdup(n);
    ta_resp_free(&r);
    return number;
}

long ta_step(ta_client *c, ta_client *reader, const char *number, const char *op,
             const char *fields, ta_resp *r)
{
    char path[256], body[4096];
    ta_resp g;
    snprintf(path, sizeof path, "/api/v1/orders/%s", number);
    ck_assert_msg(ta_req(reader, "GET", path, NULL, NULL, 0, &g) == 200, "GET %s: %s", number,
                  g.body);
    long long v = ta_int(&g, "version");
    ta_resp_free(&g);
    snprintf(path, sizeof path, "/api/v1/orders/%s/actions/%s", number, op);
    snprintf(body, sizeof body, "{%s%s\"version\":%lld}", fields, *fields ? "," : "", v);
    return ta_req(c, "POST", path, body, NULL, 0, r);
}

int ta_audit_count(ta_server *s, const char *action, const char *needle)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int n = -1;
    ck_assert(sqlite3_open_v2(s->db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    ck_assert(sqlite3_prepare_v2(db,
                                 "SELECT count(*) FROM audit WHERE action = ?1 AND "
                                 "instr(detail, ?2) > 0",
                                 -1, &st, NULL) == SQLITE_OK);
    sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, needle, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}
