/* test_api_input.c — hostile input over HTTP.  Every malformed body, wrong
 * type, unknown field, oversized request, bad query parameter and odd path
 * must answer a 4xx {code, message} (the message non-empty, valid UTF-8,
 * in Chinese) and write nothing; afterwards the server still works, and
 * ta_stop finds a clean exit and no sanitizer report.
 *
 * The cases are tables.  A case's path, body and header are templates:
 * {N} is the target order's number, {V} its current version and {R:c:n}
 * the character c (ASCII or one UTF-8 character) n times.  A table runs to
 * its end, then the test fails listing every case that went wrong; when
 * the server dies on a case, its sanitizer report is kept and a new server
 * takes the remaining cases. */
#include <curl/curl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "../../src/core/buf.h"
#include "../../src/core/utf8.h"
#include "api.h"

#define LEN(a) (sizeof(a) / sizeof *(a))

/* --- the world: a server, one client per role used, two orders ---------------- */

enum { ANON, OP, DISP, H1, MGR, N_WHO };
static const char *const who_names[N_WHO] = {"anon", "op", "disp", "h1", "mgr"};
enum { T_NONE, T_NEW, T_DISPATCHED, N_TARGET }; /* the order {N} and {V} name */

static ta_server srv;
static ta_client cl[N_WHO];
static char *orders[N_TARGET]; /* T_NEW: state new; T_DISPATCHED: dispatched to C1 */

static void setup(void)
{
    ta_resp r;
    ta_start(&srv);
    ta_anon(&srv, &cl[ANON]);
    for (int i = OP; i < N_WHO; i++)
        ta_login(&srv, &cl[i], who_names[i]);
    orders[T_NEW] = ta_new_order(&cl[OP], "夜间施工噪音扰民");
    orders[T_DISPATCHED] = ta_new_order(&cl[OP], "路灯不亮");
    ck_assert_int_eq(ta_step(&cl[DISP], &cl[DISP], orders[T_DISPATCHED], "dispatch",
                             "\"unit\":\"C1\"", &r), 200);
    ta_resp_free(&r);
}

static void free_orders(void)
{
    for (int i = 0; i < N_TARGET; i++) {
        free(orders[i]);
        orders[i] = NULL;
    }
}

static void teardown(void)
{
    free_orders();
    ta_stop(&srv);
}

/* The server stopped answering: reap it, append the first line of its
 * sanitizer report (or its exit status) to log, and start a new world. */
static void revive(hl_buf *log)
{
    int status = 0;
    kill(srv.pid, SIGKILL); /* when it merely hangs */
    waitpid(srv.pid, &status, 0);
    char *text = th_read(srv.log, NULL);
    char *p = text ? strstr(text, "runtime error") : NULL;
    if (!p && text)
        p = strstr(text, "Sanitizer");
    while (p && p > text && p[-1] != '\n')
        p--;
    hl_buf_printf(log, "      the server died (wait status %d): %.*s\n", status,
                  p ? (int)strcspn(p, "\n") : 0, p ? p : "");
    free(text);
    free(srv.db);
    free(srv.config);
    free(srv.log);
    th_rmtree(srv.dir);
    free_orders();
    setup();
}

/* --- the database, read-only (WAL: a reader sees what was committed) ---------- */

/* The first column of the first row of sql (one text parameter) as text;
 * caller frees. */
static char *db_text(const char *sql, const char *arg)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    ck_assert(sqlite3_open_v2(srv.db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(db));
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "no row: %s", sql);
    char *s = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return s;
}

/* What a bad request must leave as it was: the rows of every table it could
 * write and each order's version. */
static char *db_state(void)
{
    return db_text("SELECT (SELECT count(*) FROM events) || ' events, ' ||"
                   " (SELECT count(*) FROM appeals) || ' appeals, ' ||"
                   " (SELECT count(*) FROM audit) || ' audit, ' ||"
                   " (SELECT count(*) FROM sessions) || ' sessions, ' ||"
                   " (SELECT count(*) FROM idempotency) || ' idempotency, ' ||"
                   " (SELECT count(*) FROM letters) || ' letters, orders ' ||"
                   " (SELECT group_concat(number || '@' || version, ' ') FROM orders)",
                   NULL);
}

/* --- templates and messages --------------------------------------------------- */

/* Expand {N}, {V} and {R:c:n} in t for the target order (caller frees). */
static char *expand(const char *t, int target)
{
    hl_buf b;
    size_t c;
    hl_buf_init(&b, (size_t)8 << 20);
    while (*t) {
        if (strncmp(t, "{N}", 3) == 0 && orders[target]) {
            hl_buf_adds(&b, orders[target]);
            t += 3;
        } else if (strncmp(t, "{V}", 3) == 0 && orders[target]) {
            char *v = db_text("SELECT version FROM orders WHERE number = ?1", orders[target]);
            hl_buf_adds(&b, v);
            free(v);
            t += 3;
        } else if (strncmp(t, "{R:", 3) == 0 && (c = hl_utf8_next(t + 3, strlen(t + 3))) &&
                   t[3 + c] == ':') {
            char *end;
            long n = strtol(t + 4 + c, &end, 10);
            for (long i = 0; i < n; i++)
                hl_buf_add(&b, t + 3, c);
            t = *end == '}' ? end + 1 : end;
        } else {
            hl_buf_addc(&b, *t++);
        }
    }
    char *s = hl_buf_detach(&b);
    ck_assert(s);
    return s;
}

/* s shortened to about n bytes, control bytes as \xNN, for messages. */
static const char *show(const char *s, char *out, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    for (const unsigned char *p = (const unsigned char *)(s ? s : "(none)"); *p && o + 8 < n; p++)
        o += (size_t)snprintf(out + o, n - o, *p < 0x20 || *p == 0x7F ? "\\x%02x" : "%c", *p);
    if (s && strlen(s) > o)
        snprintf(out + o, n - o, "…(%zu bytes)", strlen(s));
    return out;
}

/* 1 when s holds a CJK ideograph (U+4E00–U+9FFF): the wording is Chinese. */
static int has_cjk(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p[0]; p++)
        if (p[0] >= 0xE4 && p[0] <= 0xE9 && p[1] >= 0x80 && p[2] >= 0x80 &&
            (p[0] > 0xE4 || p[1] >= 0xB8))
            return 1;
    return 0;
}

/* --- one request that may find the server dead -------------------------------- */

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    return hl_buf_add(arg, data, size * n) ? 0 : size * n;
}

/* ta_req with at most one extra header, except that a server that does not
 * answer gives status -1 instead of aborting the test. */
static long try_req(ta_client *c, const char *method, const char *path, const char *body,
                    const char *header, ta_resp *r)
{
    size_t n = strlen(path) + 64;
    char *url = malloc(n), h[512];
    hl_buf out;
    CURL *curl = curl_easy_init();
    struct curl_slist *list = curl_slist_append(NULL, "Content-Type: application/json");
    ck_assert(url && curl && list);
    memset(r, 0, sizeof *r);
    hl_buf_init(&out, (size_t)64 << 20);
    snprintf(url, n, "http://127.0.0.1:%d%s", c->srv->port, path);
    if (c->cookie[0] && snprintf(h, sizeof h, "Cookie: %s", c->cookie) > 0)
        list = curl_slist_append(list, h);
    if (strcmp(method, "GET") != 0 && c->csrf[0] &&
        snprintf(h, sizeof h, "X-CSRF-Token: %s", c->csrf) > 0)
        list = curl_slist_append(list, h);
    if (header)
        list = curl_slist_append(list, header);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    if (body) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    r->status = -1;
    if (curl_easy_perform(curl) == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    free(url);
    r->body = hl_buf_detach(&out);
    r->json = r->body ? json_loads(r->body, 0, NULL) : NULL;
    return r->status;
}

/* --- one case ----------------------------------------------------------------- */

typedef struct {
    const char *name;
    int who, target;
    const char *method, *path, *body; /* body NULL: none */
    long status;
    const char *code;   /* NULL: "invalid_…" when 400, any otherwise */
    const char *header; /* one more request header, or NULL */
} bad_case;

typedef struct {
    int run, failed;
    hl_buf log;
} tally;

/* What is wrong with the answer r to case k, into why; 0 when nothing. */
static int judge(const bad_case *k, const ta_resp *r, char *why, size_t n)
{
    const char *code = ta_str(r, "code"), *msg = ta_str(r, "message");
    if (r->status != k->status)
        return snprintf(why, n, "status %ld, expected %ld", r->status, k->status), 1;
    if (!json_is_object(r->json))
        return snprintf(why, n, "the body is not a JSON object"), 1;
    if (!code || !msg)
        return snprintf(why, n, "no string members code and message"), 1;
    if (!*msg || !hl_utf8_valid(msg, strlen(msg)) || !has_cjk(msg))
        return snprintf(why, n, "the message is empty, not UTF-8 or not Chinese"), 1;
    if (k->code ? strcmp(code, k->code) != 0
                : k->status == 400 && strncmp(code, "invalid_", 8) != 0)
        return snprintf(why, n, "code %s, expected %s", code, k->code ? k->code : "invalid_…"), 1;
    return 0;
}

static void run_case(tally *t, const bad_case *k)
{
    char *path = expand(k->path, k->target);
    char *body = k->body ? expand(k->body, k->target) : NULL;
    char *header = k->header ? expand(k->header, k->target) : NULL;
    char why[256], s1[160], s2[160], s3[240];
    ta_resp r;
    char *before = db_state();
    try_req(&cl[k->who], k->method, path, body, header, &r);
    char *after = r.status < 0 ? strdup(before) : db_state();
    int bad = r.status < 0 ? snprintf(why, sizeof why, "no answer") > 0
                           : judge(k, &r, why, sizeof why);
    if (!bad && strcmp(before, after) != 0)
        bad = snprintf(why, sizeof why, "it wrote: %s → %s", before, after) > 0;
    t->run++;
    if (bad) {
        t->failed++;
        hl_buf_printf(&t->log, "  [%s] %s %s %s body %s%s → %ld %s: %s\n", k->name,
                      who_names[k->who], k->method, show(path, s1, 100), show(body, s2, 100),
                      header ? " (+header)" : "", r.status, show(r.body, s3, 200), why);
        fprintf(stderr, "api_input: [%s] %s\n", k->name, why);
    }
    if (r.status < 0)
        revive(&t->log);
    ta_resp_free(&r);
    free(before);
    free(after);
    free(path);
    free(body);
    free(header);
}

/* After the bad input: reads, intake, a step and a login still work. */
static void still_alive(void)
{
    ta_client c;
    ta_resp r;
    ck_assert_int_eq(ta_status(&cl[DISP], "GET", "/api/v1/health", NULL), 200);
    ck_assert_int_eq(ta_status(&cl[DISP], "GET", "/api/v1/orders?page=1&page_size=100", NULL), 200);
    free(ta_new_order(&cl[OP], "仍可受理"));
    ck_assert_int_eq(ta_step(&cl[DISP], &cl[DISP], orders[T_NEW], "dispatch", "\"unit\":\"C2\"",
                             &r), 200);
    ta_resp_free(&r);
    ta_login(&srv, &c, "sup");
}

static void tally_init(tally *t)
{
    memset(t, 0, sizeof *t);
    hl_buf_init(&t->log, (size_t)1 << 20);
}

/* Fail with every case that went wrong, else check the server still works. */
static void tally_end(tally *t)
{
    ck_assert_msg(t->run > 0, "no case ran");
    ck_assert_msg(t->failed == 0, "%d of %d cases failed:\n%s", t->failed, t->run,
                  hl_buf_str(&t->log));
    hl_buf_free(&t->log);
    still_alive();
}

static void run_table(const bad_case *cases, size_t n)
{
    tally t;
    tally_init(&t);
    for (size_t i = 0; i < n; i++)
        run_case(&t, &cases[i]);
    tally_end(&t);
}

/* --- bodies that are not a JSON object in UTF-8 -------------------------------- */

static const struct {
    const char *name, *body;
} bad_bodies[] = {
    {"empty body", ""},                                 {"only whitespace", " \r\n\t "},
    {"truncated", "{"},                                 {"truncated member", "{\"note\":\"abc"},
    {"truncated after a comma", "{\"note\":\"a\","},    {"trailing garbage", "{\"note\":\"a\"} x"},
    {"two objects", "{}{}"},                            {"bare string", "\"hello\""},
    {"array", "[]"},                                    {"array of an object", "[{\"note\":\"a\"}]"},
    {"null", "null"},                                   {"number", "42"},
    {"true", "true"},                                   {"single quotes", "{'note':'a'}"},
    {"duplicate keys", "{\"note\":\"a\",\"note\":\"b\"}"}, {"unquoted key", "{note:\"a\"}"},
    {"trailing comma", "{\"note\":\"a\",}"},            {"comment", "{/* c */\"note\":\"a\"}"},
    {"bad escape", "{\"note\":\"\\x41\"}"},             {"leading zero", "{\"version\":01}"},
    {"NaN", "{\"version\":NaN}"},                       {"real overflow", "{\"version\":1e999}"},
    {"integer overflow", "{\"version\":99999999999999999999}"},
    {"raw control char in a string", "{\"note\":\"a\x01" "b\"}"},
    {"byte FF alone", "\xff"},                          {"byte FF in a string", "{\"note\":\"\xff\"}"},
    {"overlong slash C0 AF", "{\"note\":\"\xc0\xaf\"}"},
    {"overlong NUL C0 80", "{\"note\":\"a\xc0\x80" "b\"}"},
    {"UTF-8 surrogate ED A0 80", "{\"note\":\"\xed\xa0\x80\"}"},
    {"truncated sequence E4 B8", "{\"note\":\"\xe4\xb8\"}"},
    {"beyond U+10FFFF F4 90", "{\"note\":\"\xf4\x90\x80\x80\"}"},
    {"invalid byte in a key", "{\"\xfe\":1}"},          {"lone surrogate", "{\"note\":\"\\ud800\"}"},
    {"lone low surrogate", "{\"note\":\"\\udc00x\"}"},  {"NUL escape", "{\"note\":\"a\\u0000b\"}"},
    {"NUL escape in a key", "{\"no\\u0000te\":\"a\"}"},
    {"deep nesting", "{\"note\":{R:[:5000}{R:]:5000}}"},
};

/* Where bodies go, and the answer to an empty body (a step may have none:
 * then it lacks the version). */
static const struct {
    const char *name;
    int who, target;
    const char *path;
    long empty_status;
    const char *empty_code;
} body_routes[] = {
    {"intake", OP, T_NONE, "/api/v1/appeals", 400, NULL},
    {"dispatch", DISP, T_NEW, "/api/v1/orders/{N}/actions/dispatch", 428, "version_required"},
    {"sign", H1, T_DISPATCHED, "/api/v1/orders/{N}/actions/sign", 428, "version_required"},
    {"login", ANON, T_NONE, "/api/v1/session", 400, NULL},
    {"unmask", MGR, T_NEW, "/api/v1/orders/{N}/unmask", 400, NULL},
};

START_TEST(malformed_bodies)
{
    tally t;
    char name[128];
    tally_init(&t);
    for (size_t e = 0; e < LEN(body_routes); e++)
        for (size_t b = 0; b < LEN(bad_bodies); b++) {
            snprintf(name, sizeof name, "%s: %s", body_routes[e].name, bad_bodies[b].name);
            bad_case k = {name, body_routes[e].who, body_routes[e].target, "POST",
                          body_routes[e].path, bad_bodies[b].body, 400, NULL, NULL};
            if (!*bad_bodies[b].body) {
                k.status = body_routes[e].empty_status;
                k.code = body_routes[e].empty_code;
            }
            run_case(&t, &k);
        }
    tally_end(&t);
}
END_TEST

/* --- intake: types, unknown and missing fields, sizes, values ----------------- */

#define CH "\"channel\":\"hotline\","
#define NA "\"nature\":\"complaint\","
#define CO "\"content\":\"噪音扰民\","
#define HA "\"handling\":\"order\""
#define OK_APPEAL CH NA CO HA
#define AP "/api/v1/appeals"
#define IN(name, body) {name, OP, T_NONE, "POST", AP, body, 400, NULL, NULL}
#define IN_X(name, extra) IN(name, "{" OK_APPEAL "," extra "}")
#define IN_H(name, header) {name, OP, T_NONE, "POST", AP, "{" OK_APPEAL "}", 400, NULL, header}
#define TEN "0,0,0,0,0,0,0,0,0,0,"

static const bad_case intake_cases[] = {
    IN("channel given a number", "{\"channel\":1," NA CO HA "}"),
    IN("channel given null", "{\"channel\":null," NA CO HA "}"),
    IN("channel fax", "{\"channel\":\"fax\"," NA CO HA "}"),
    IN("channel with a NUL", "{\"channel\":\"hot\\u0000line\"," NA CO HA "}"),
    IN("nature angry", "{" CH "\"nature\":\"angry\"," CO HA "}"),
    IN("nature given a bool", "{" CH "\"nature\":true," CO HA "}"),
    IN("handling later", "{" CH NA CO "\"handling\":\"later\"}"),
    IN("content given a number", "{" CH NA "\"content\":42," HA "}"),
    IN("content given an array", "{" CH NA "\"content\":[\"a\"]," HA "}"),
    IN("content over 10000 chars", "{" CH NA "\"content\":\"{R:x:10001}\"," HA "}"),
    IN("content over 10000 CJK chars", "{" CH NA "\"content\":\"{R:字:10001}\"," HA "}"),
    IN("content with a NUL", "{" CH NA "\"content\":\"a\\u0000b\"," HA "}"),
    IN_X("urgency panic", "\"urgency\":\"panic\""),
    IN_X("line unknown", "\"line\":\"99999\""),
    IN_X("source with a control char", "\"source\":\"电\\u0007话\""),
    IN_X("source over 64 chars", "\"source\":\"{R:x:65}\""),
    IN_X("category over 128 chars", "\"category\":\"{R:x:129}\""),
    IN_X("location over 500 chars", "\"location\":\"{R:x:501}\""),
    IN_X("location given an array", "\"location\":[]"),
    IN_X("note given a bool", "\"note\":true"),
    IN_X("note over 2000 chars", "\"note\":\"{R:x:2001}\""),
    IN_X("citizen given an array", "\"citizen\":[]"),
    IN_X("citizen given a string", "\"citizen\":\"张三\""),
    IN_X("citizen name given a number", "\"citizen\":{\"name\":1}"),
    IN_X("citizen phone given a bool", "\"citizen\":{\"phone\":true}"),
    IN_X("citizen name over 64 chars", "\"citizen\":{\"name\":\"{R:x:65}\"}"),
    IN_X("citizen phone over 32 chars", "\"citizen\":{\"phone\":\"{R:1:33}\"}"),
    IN_X("citizen name with a NUL", "\"citizen\":{\"name\":\"张\\u0000三\"}"),
    IN_X("unknown field in citizen", "\"citizen\":{\"name\":\"张三\",\"age\":30}"),
    IN_X("citizen name an object", "\"citizen\":{\"name\":{\"x\":1}}"),
    IN_X("kb given an object", "\"kb\":{}"),
    IN_X("kb given a string", "\"kb\":\"K1\""),
    IN_X("kb item a bool", "\"kb\":[true]"),
    IN_X("kb item negative", "\"kb\":[-1]"),
    IN_X("kb of 33 items", "\"kb\":[" TEN TEN TEN "0,0,0]"),
    IN_X("unknown field", "\"foo\":1"),
    IN_X("unknown field null", "\"foo\":null"),
    IN_X("client sets the id", "\"id\":\"A20240101-1\""),
    IN_X("client sets the order", "\"order\":\"W1\""),
    IN_X("client sets the actor", "\"actor\":\"adm\""),
    IN_X("client sets the time", "\"at\":\"2024-01-01T00:00:00+08:00\""),
    IN("missing channel", "{" NA CO HA "}"),
    IN("missing nature", "{" CH CO HA "}"),
    IN("missing content", "{" CH NA HA "}"),
    IN("missing handling", "{" CH NA "\"content\":\"x\"}"),
    IN("empty object", "{}"),
    IN_H("Idempotency-Key with a space", "Idempotency-Key: has space"),
    IN_H("Idempotency-Key over 128 bytes", "Idempotency-Key: {R:k:129}"),
    IN_H("Idempotency-Key non-ASCII", "Idempotency-Key: \xe9\x94\xae"),
};

START_TEST(intake_schema)
{
    run_table(intake_cases, LEN(intake_cases));
}
END_TEST

/* --- lifecycle steps, unmask and login ---------------------------------------- */

#define ST(name, who, target, op, body, status, code) \
    {name, who, target, "POST", "/api/v1/orders/{N}/actions/" op, body, status, code, NULL}
#define DSP(name, body) ST(name, DISP, T_NEW, "dispatch", body, 400, NULL)
#define DC(name, op, body) ST(name, DISP, T_NEW, op, body, 400, NULL)
#define H1S(name, op, body) ST(name, H1, T_DISPATCHED, op, body, 400, NULL)
#define UM(name, body) {name, MGR, T_NEW, "POST", "/api/v1/orders/{N}/unmask", body, 400, NULL, NULL}
#define LI(name, body) {name, ANON, T_NONE, "POST", "/api/v1/session", body, 400, NULL, NULL}
#define V ",\"version\":{V}}"
#define C1 "{\"unit\":\"C1\","
#define WHY ",\"reason\":\"需协调\"" V

static const bad_case step_cases[] = {
    DSP("unit given a number", "{\"unit\":1" V),
    DSP("unit given an array", "{\"unit\":[\"C1\"]" V),
    DSP("unit over 128 chars", "{\"unit\":\"{R:x:129}\"" V),
    DSP("unit with a NUL", "{\"unit\":\"C\\u00001\"" V),
    DSP("missing unit", "{\"note\":\"x\"" V),
    DSP("deadline tomorrow", C1 "\"deadline\":\"tomorrow\"" V),
    DSP("deadline month 13", C1 "\"deadline\":\"2024-13-40T00:00:00+08:00\"" V),
    DSP("deadline given a number", C1 "\"deadline\":1700000000" V),
    DSP("deadline over 40 chars", C1 "\"deadline\":\"{R:9:41}\"" V),
    DSP("version given a string", C1 "\"version\":\"{V}\"}"),
    DSP("version given a real", C1 "\"version\":1.5}"),
    DSP("version given a bool", C1 "\"version\":true}"),
    DSP("unknown field", C1 "\"foo\":1" V),
    DSP("a field of another op", C1 "\"text\":\"x\"" V),
    DSP("client sets the actor", C1 "\"actor\":\"adm\"" V),
    DSP("note given a number", C1 "\"note\":5" V),
    DSP("note over 2000 chars", C1 "\"note\":\"{R:x:2001}\"" V),
    DSP("note with a NUL", C1 "\"note\":\"a\\u0000\"" V),
    ST("missing version", DISP, T_NEW, "dispatch", "{\"unit\":\"C1\"}", 428, "version_required"),
    ST("stale version", DISP, T_NEW, "dispatch", C1 "\"version\":999999}", 409, "version_conflict"),
    ST("negative version", DISP, T_NEW, "dispatch", C1 "\"version\":-5}", 409, "version_conflict"),
    ST("unknown unit", DISP, T_NEW, "dispatch", "{\"unit\":\"NOPE\"" V, 422, "unit_unknown"),
    DC("review result maybe", "review", "{\"result\":\"maybe\"" V),
    DC("review result a number", "review", "{\"result\":1" V),
    DC("review reason over 2000", "review", "{\"result\":\"accept\",\"reason\":\"{R:x:2001}\"" V),
    DC("approved given a string", "extension_decision", "{\"approved\":\"yes\"" V),
    DC("approved given a number", "extension_decision", "{\"approved\":1" V),
    H1S("sign with a reason", "sign", "{\"reason\":\"x\"" V),
    H1S("until tomorrow", "extension_request", "{\"until\":\"tomorrow\"" WHY),
    H1S("until month 13", "extension_request", "{\"until\":\"2024-13-40T00:00:00+08:00\"" WHY),
    H1S("until given a number", "extension_request", "{\"until\":20240101" WHY),
    H1S("until missing", "extension_request", "{\"note\":\"x\"" WHY),
    H1S("reply text over 10000", "reply", "{\"text\":\"{R:x:10001}\"" V),
    H1S("reply text given an array", "reply", "{\"text\":[\"a\"]" V),
    {"If-Match not a number", H1, T_DISPATCHED, "POST", "/api/v1/orders/{N}/actions/sign", "",
     409, "version_conflict", "If-Match: \"abc\""},
    UM("unmask: no reason", "{}"),
    UM("unmask: reason given a number", "{\"reason\":1}"),
    UM("unmask: reason given null", "{\"reason\":null}"),
    UM("unmask: reason of one char", "{\"reason\":\"x\"}"),
    UM("unmask: reason over 200 chars", "{\"reason\":\"{R:x:201}\"}"),
    UM("unmask: reason with a NUL", "{\"reason\":\"核实\\u0000身份\"}"),
    UM("unmask: unknown field", "{\"reason\":\"核实身份\",\"foo\":1}"),
    {"unmask: unknown order", MGR, T_NONE, "POST", "/api/v1/orders/W19990101-999/unmask",
     "{\"reason\":\"核实身份\"}", 404, "not_found", NULL},
    LI("login: empty object", "{}"),
    LI("login: missing password", "{\"name\":\"op\"}"),
    LI("login: name given a number", "{\"name\":1,\"password\":\"pw-op\"}"),
    LI("login: name given null", "{\"name\":null,\"password\":\"pw-op\"}"),
    LI("login: password given an array", "{\"name\":\"op\",\"password\":[\"pw-op\"]}"),
    LI("login: unknown field", "{\"name\":\"op\",\"password\":\"pw-op\",\"remember\":true}"),
    LI("login: name over 64 chars", "{\"name\":\"{R:x:65}\",\"password\":\"pw-op\"}"),
    LI("login: password over 1024", "{\"name\":\"op\",\"password\":\"{R:x:1025}\"}"),
    LI("login: name with a NUL", "{\"name\":\"op\\u0000x\",\"password\":\"pw-op\"}"),
};

START_TEST(step_unmask_login_schema)
{
    run_table(step_cases, LEN(step_cases));
}
END_TEST

/* --- null members: null stands for an absent optional member (req.c, the event
 * codec); each body is still wrong for a reason checked after the null. */

static const bad_case null_cases[] = {
    DC("null approved (required by the op)", "extension_decision", "{\"approved\":null" V),
    DC("null result (required by the op)", "review", "{\"result\":null" V),
    DSP("null unit (required by the op)", "{\"unit\":null" V),
    DSP("null note and an unknown field", C1 "\"note\":null,\"foo\":1" V),
    H1S("null until (required by the op)", "extension_request", "{\"until\":null" WHY),
    H1S("null text (required by the op)", "reply", "{\"text\":null" V),
    IN("intake: null note, no content", "{\"note\":null," CH NA HA "}"),
    IN("intake: null citizen, no content", "{\"citizen\":null," CH NA HA "}"),
    IN_X("intake: null citizen name, unknown member", "\"citizen\":{\"name\":null,\"age\":1}"),
};

START_TEST(null_members)
{
    run_table(null_cases, LEN(null_cases));
}
END_TEST

/* --- oversized bodies (body_max 65536), plain and chunked --------------------- */

#define BIG(name, who, target, path, body, status, code)           \
    {name, who, target, "POST", path, body, status, code, NULL},   \
    {name " (chunked)", who, target, "POST", path, body, status, code, "Transfer-Encoding: chunked"}
#define TOO_BIG "{\"content\":\"{R:x:70000}\"}"
#define TL "too_large"

static const bad_case big_cases[] = {
    BIG("intake: 70000 bytes of x", OP, T_NONE, AP, "{R:x:70000}", 413, TL),
    BIG("intake: 70000-byte JSON", OP, T_NONE, AP, TOO_BIG, 413, TL),
    BIG("intake: 1 MiB", OP, T_NONE, AP, "{\"content\":\"{R:x:1048576}\"}", 413, TL),
    /* `{"content":"` and `"}` are 14 bytes: exactly body_max is read, one more is not */
    BIG("intake: exactly 65536 bytes", OP, T_NONE, AP, "{\"content\":\"{R:x:65522}\"}", 400, NULL),
    BIG("intake: 65537 bytes", OP, T_NONE, AP, "{\"content\":\"{R:x:65523}\"}", 413, TL),
    BIG("dispatch", DISP, T_NEW, "/api/v1/orders/{N}/actions/dispatch", TOO_BIG, 413, TL),
    BIG("reply", H1, T_DISPATCHED, "/api/v1/orders/{N}/actions/reply",
        "{\"text\":\"{R:x:70000}\",\"version\":{V}}", 413, TL),
    BIG("login", ANON, T_NONE, "/api/v1/session", TOO_BIG, 413, TL),
    BIG("unmask", MGR, T_NEW, "/api/v1/orders/{N}/unmask", TOO_BIG, 413, TL),
    BIG("unknown route", OP, T_NONE, "/api/v1/nope", TOO_BIG, 404, "not_found"),
    BIG("truncated JSON", OP, T_NONE, AP, "{\"content\":", 400, NULL),
};

START_TEST(oversized_bodies)
{
    static const char *const chunked[] = {"Transfer-Encoding: chunked", NULL};
    ta_resp r;
    /* a chunked body within the limit is read whole */
    ck_assert_msg(ta_req(&cl[OP], "POST", AP, "{" OK_APPEAL "}", chunked, 0, &r) == 201,
                  "chunked intake: %ld %s", r.status, r.body);
    ta_resp_free(&r);
    run_table(big_cases, LEN(big_cases));
}
END_TEST

/* --- query strings of the order list and the queues --------------------------- */

static const struct {
    const char *name, *query;
} bad_queries[] = {
    {"unknown parameter", "foo=1"},     {"unknown parameter among good ones", "state=new&bogus="},
    {"page=0", "page=0"},               {"page=-1", "page=-1"},
    {"page=abc", "page=abc"},           {"page=1.5", "page=1.5"},
    {"page=01", "page=01"},             {"page=+1", "page=%2B1"},
    {"page=' 1'", "page=%201"},         {"page='1 '", "page=1%20"},
    {"page empty", "page="},            {"page huge", "page=99999999999999999999"},
    {"page_size=101", "page_size=101"}, {"page_size=0", "page_size=0"},
    {"page_size=-5", "page_size=-5"},   {"state=flying", "state=flying"},
    {"channel=fax", "channel=fax"},     {"from=notatime", "from=notatime"},
    {"overdue=maybe", "overdue=maybe"}, {"to month 13", "to=2024-13-40T00:00:00%2B08:00"},
    {"unit unknown", "unit=NOPE"},      {"q over 256 bytes", "q={R:x:257}"},
    {"q %FF", "q=%FF"},                 {"q overlong %C0%AF", "q=%C0%AF"},
    {"q control char", "q=a%01b"},      {"q surrogate %ED%A0%80", "q=%ED%A0%80"},
    {"category over 256 bytes", "category={R:x:257}"},
    {"number over 64 bytes", "number={R:9:65}"},
    {"phone over 32 bytes", "phone={R:1:33}"},
};

static const char *const query_bases[] = {"/api/v1/orders", "/api/v1/queues/dispatch"};

START_TEST(bad_query_strings)
{
    tally t;
    char name[128], path[512];
    tally_init(&t);
    for (size_t b = 0; b < LEN(query_bases); b++)
        for (size_t q = 0; q < LEN(bad_queries); q++) {
            snprintf(name, sizeof name, "%s ? %s", query_bases[b], bad_queries[q].name);
            snprintf(path, sizeof path, "%s?%s", query_bases[b], bad_queries[q].query);
            bad_case k = {name, DISP, T_NONE, "GET", path, NULL, 400, NULL, NULL};
            run_case(&t, &k);
        }
    tally_end(&t);
}
END_TEST

/* --- routes, methods and path parameters -------------------------------------- */

#define RT(name, who, method, path, status, code) \
    {name, who, T_NEW, method, path, NULL, status, code, NULL}
#define RB(name, who, path, body) {name, who, T_NEW, "POST", path, body, 404, "not_found", NULL}
#define NF(name, path) RT(name, DISP, "GET", path, 404, "not_found")
#define NA405(name, who, method, path) RT(name, who, method, path, 405, "method_not_allowed")
#define OV "{\"version\":{V}}"
#define RS "{\"reason\":\"核实身份\"}"

static const bad_case route_cases[] = {
    NF("unknown API path", "/api/v1/nope"),
    NF("bare /api", "/api"),
    RT("unknown path, anonymous", ANON, "GET", "/api/v1/nope", 404, "not_found"),
    /* (a GET there is the web app's index.html: api_flow tests it) */
    RT("non-API path, POST", DISP, "POST", "/nope", 404, "not_found"),
    NF("double slash", "/api/v1//orders"),
    NF("trailing slash", "/api/v1/orders/"),
    NA405("POST on the list", DISP, "POST", "/api/v1/orders"),
    NA405("DELETE on intake", OP, "DELETE", AP),
    NA405("PUT on the session", DISP, "PUT", "/api/v1/session"),
    NA405("PATCH on an order", DISP, "PATCH", "/api/v1/orders/{N}"),
    NA405("GET on an action", DISP, "GET", "/api/v1/orders/{N}/actions/dispatch"),
    NA405("GET on unmask", MGR, "GET", "/api/v1/orders/{N}/unmask"),
    NA405("unknown method BREW", DISP, "BREW", "/api/v1/orders"),
    NA405("OPTIONS", DISP, "OPTIONS", "/api/v1/orders"),
    RB("unknown action", DISP, "/api/v1/orders/{N}/actions/fly", OV),
    RB("action appeal", DISP, "/api/v1/orders/{N}/actions/appeal", OV),
    RB("action of 400 chars", DISP, "/api/v1/orders/{N}/actions/{R:x:400}", OV),
    RB("action %00", DISP, "/api/v1/orders/{N}/actions/%00", OV),
    RB("action %FF", DISP, "/api/v1/orders/{N}/actions/%FF", OV),
    NF("unknown queue", "/api/v1/queues/nope"),
    NF("queue of 400 chars", "/api/v1/queues/{R:q:400}"),
    NF("queue %00", "/api/v1/queues/%00"),
    NF("queue %FF%FE", "/api/v1/queues/%FF%FE"),
    RT("queue inbox without unit", DISP, "GET", "/api/v1/queues/inbox", 400, NULL),
    NF("order of 400 chars", "/api/v1/orders/{R:9:400}"),
    NF("order of 2000 chars", "/api/v1/orders/{R:9:2000}"),
    NF("order %00", "/api/v1/orders/%00"),
    NF("order W%00x", "/api/v1/orders/W%00x"),
    NF("order ..%2F..", "/api/v1/orders/..%2F.."),
    NF("order ..%2F..%2Fhealth", "/api/v1/orders/..%2F..%2Fhealth"),
    NF("order %FF%FE", "/api/v1/orders/%FF%FE"),
    NF("order with a quote", "/api/v1/orders/W1'%20OR%20'1'='1"),
    NF("appeal %FF", "/api/v1/appeals/%FF"),
    RB("step on an order of 400 chars", H1, "/api/v1/orders/{R:9:400}/actions/sign", OV),
    RB("step on order %FF", H1, "/api/v1/orders/%FF/actions/sign", OV),
    RB("unmask order of 400 chars", MGR, "/api/v1/orders/{R:9:400}/unmask", RS),
    RB("unmask order ..%2F..", MGR, "/api/v1/orders/..%2F../unmask", RS),
    RT("caller with letters", DISP, "GET", "/api/v1/callers/abc/appeals", 400, NULL),
};

START_TEST(bad_routes)
{
    run_table(route_cases, LEN(route_cases));
}
END_TEST

Suite *suite_api_input(void)
{
    Suite *s = suite_create("api_input");
    TCase *tc = tcase_create("input");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, malformed_bodies);
    tcase_add_test(tc, intake_schema);
    tcase_add_test(tc, step_unmask_login_schema);
    tcase_add_test(tc, null_members);
    tcase_add_test(tc, oversized_bodies);
    tcase_add_test(tc, bad_query_strings);
    tcase_add_test(tc, bad_routes);
    suite_add_tcase(s, tc);
    return s;
}
