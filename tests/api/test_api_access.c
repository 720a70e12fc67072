/* test_api_access.c — who sees what over HTTP: unit isolation, masking of
 * citizens' data and the audited unmask, CSRF, login (throttling, audit,
 * cookie attributes, logout), idempotent intake and optimistic
 * concurrency.  The role × action matrix is test_api_matrix.c.
 *
 * One server per TCase (an unchecked fixture, started before the tests'
 * forks); each test logs in afresh and asserts on counts taken before and
 * after, so the tests of a TCase do not depend on each other. */
#define _GNU_SOURCE /* strcasestr */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api.h"

#define NAME "张三"
#define PHONE "13812341234"
#define REASON "需要联系群众核实"

static ta_server srv;
static ta_client op, disp, cb, sup, h1, a1, t1, h2, mgr, adm;

static void server_up(void)
{
    ta_start(&srv);
}

/* Checked fixture of the TCases other than login's. */
static void login_all(void)
{
    ta_client *const c[] = {&op, &disp, &cb, &sup, &h1, &a1, &t1, &h2, &mgr, &adm};
    static const char *const names[] = {"op", "disp", "cb", "sup", "h1",
                                        "a1", "t1",   "h2", "mgr", "adm"};
    for (size_t i = 0; i < sizeof c / sizeof *c; i++)
        ta_login(&srv, c[i], names[i]);
}

static void server_down(void)
{
    ta_stop(&srv);
}

/* --- helpers ---------------------------------------------------------------- */

static const char *str_at(json_t *j, const char *a, const char *b)
{
    return json_string_value(json_object_get(json_object_get(j, a), b));
}

/* 1 when s is want (NULL is nothing). */
static int is(const char *s, const char *want)
{
    return s && strcmp(s, want) == 0;
}

/* GET a printf-formed path: its status, and into *out (when not NULL)
 * the integer member key of the answer (the GET must succeed then). */
__attribute__((format(printf, 4, 5))) static long get_int(ta_client *c, const char *key,
                                                          long long *out, const char *fmt, ...)
{
    char path[512];
    ta_resp r;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    long st = ta_req(c, "GET", path, NULL, NULL, 0, &r);
    ck_assert_msg(!out || st == 200, "GET %s: %ld %s", path, st, r.body);
    if (out)
        *out = ta_int(&r, key);
    ta_resp_free(&r);
    return st;
}

#define get_status(c, ...) get_int((c), NULL, NULL, __VA_ARGS__)

static void step_ok(ta_client *c, const char *number, const char *step, const char *fields)
{
    ta_resp r;
    ck_assert_msg(ta_step(c, &disp, number, step, fields, &r) == 200, "%s: %ld %s", step,
                  r.status, r.body);
    ta_resp_free(&r);
}

/* A new order of content by the operator, dispatched to unit. */
static char *order_for(const char *content, const char *unit)
{
    char fields[64];
    char *number = ta_new_order(&op, content);
    snprintf(fields, sizeof fields, "\"unit\":\"%s\"", unit);
    step_ok(&disp, number, "dispatch", fields);
    return number;
}

/* The order as the dispatcher sees it (r filled). */
static void order_get(const char *number, ta_resp *r)
{
    ck_assert_msg(ta_get(&disp, r, "/api/v1/orders/%s", number) == 200, "%s", r->body);
}

static long long version_of(const char *number)
{
    long long v;
    get_int(&disp, "version", &v, "/api/v1/orders/%s", number);
    return v;
}

static long long orders_total(void)
{
    long long n;
    get_int(&op, "total", &n, "/api/v1/orders?page_size=1");
    return n;
}

static long long audit_total(const char *action, const char *actor)
{
    long long n;
    get_int(&adm, "total", &n, "/api/v1/audit?action=%s&actor=%s", action, actor);
    return n;
}

/* body with every occurrence of number replaced by "#" (caller frees). */
static char *without(const char *body, const char *number)
{
    size_t n = strlen(number);
    char *out = calloc(1, strlen(body) + 1), *o = out;
    while (*body)
        if (strncmp(body, number, n) == 0) {
            *o++ = '#';
            body += n;
        } else {
            *o++ = *body++;
        }
    return out;
}

/* A 404 for number must be the very answer an unknown number gets. */
static void same_404(const ta_resp *r, const char *number, const ta_resp *unknown,
                     const char *unknown_number)
{
    ck_assert_int_eq(r->status, 404);
    ck_assert_int_eq(unknown->status, 404);
    ck_assert_str_eq(ta_str(r, "code"), "not_found");
    char *a = without(r->body, number), *b = without(unknown->body, unknown_number);
    ck_assert_msg(strcmp(a, b) == 0, "404 differs from an unknown one's: %s vs %s", r->body,
                  unknown->body);
    free(a);
    free(b);
}

/* --- unit isolation ----------------------------------------------------------- */

#define UNKNOWN "W20990101-999999"
#define WORD "东城独有词"

/* h2 sends the same request about x1 (an order of C1) and about an unknown
 * id: prefix + id + suffix.  Both must be the same 404. */
static void h2_as_unknown(const char *method, const char *prefix, const char *suffix,
                          const char *x1, const char *unknown, const char *body)
{
    char path[2][200];
    ta_resp r[2];
    snprintf(path[0], sizeof path[0], "%s%s%s", prefix, x1, suffix);
    snprintf(path[1], sizeof path[1], "%s%s%s", prefix, unknown, suffix);
    for (int i = 0; i < 2; i++)
        ta_req(&h2, method, path[i], body, NULL, 0, &r[i]);
    same_404(&r[0], x1, &r[1], unknown);
    ta_resp_free(&r[0]);
    ta_resp_free(&r[1]);
}

/* c's order list and inbox hold exactly the n orders of want. */
static void sees_exactly(ta_client *c, const char *const *want, size_t n)
{
    static const char *const paths[] = {"/api/v1/orders", "/api/v1/queues/inbox"};
    ta_resp r;
    for (size_t p = 0; p < 2; p++) {
        ck_assert_int_eq(ta_get(c, &r, "%s", paths[p]), 200);
        ck_assert_msg(ta_int(&r, "total") == (long long)n, "%s: %s", paths[p], r.body);
        for (size_t i = 0; i < n; i++)
            ck_assert_msg(ta_lists(&r, want[i]), "%s lacks %s: %s", paths[p], want[i], r.body);
        ta_resp_free(&r);
    }
}

/* Searching by a word of x1's content and by its number finds it n times. */
static void search_finds(ta_client *c, const char *x1, long long n)
{
    ta_resp r;
    char q[128];
    ck_assert_int_eq(ta_get(c, &r, "/api/v1/orders?q=%s", ta_urlenc(WORD, q, sizeof q)), 200);
    ck_assert_msg(ta_int(&r, "total") == n && ta_lists(&r, x1) == (n > 0), "q: %s", r.body);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_get(c, &r, "/api/v1/orders?number=%s", x1), 200);
    ck_assert_msg(ta_int(&r, "total") == n && ta_lists(&r, x1) == (n > 0), "number: %s", r.body);
    ta_resp_free(&r);
}

START_TEST(unit_isolation)
{
    ta_resp r;
    char appeal[64], body[64];
    char *x1 = order_for(WORD "：路灯不亮", "C1");
    char *x2 = order_for("甲镇积水无人处理", "C1");
    step_ok(&h1, x2, "sign", "");
    step_ok(&a1, x2, "subdispatch", "\"unit\":\"C1-1\"");
    char *y = order_for("西城垃圾清运不及时", "C2");
    order_get(x1, &r);
    long long v = ta_int(&r, "version");
    snprintf(appeal, sizeof appeal, "%s", str_at(r.json, "appeal", "id"));
    ta_resp_free(&r);

    /* h2 (C2): x1 is as unknown to it as a number that does not exist */
    h2_as_unknown("GET", "/api/v1/orders/", "", x1, UNKNOWN, NULL);
    h2_as_unknown("GET", "/api/v1/appeals/", "", appeal, "A20990101-999999", NULL);
    snprintf(body, sizeof body, "{\"version\":%lld}", v);
    h2_as_unknown("POST", "/api/v1/orders/", "/actions/sign", x1, UNKNOWN, body);
    ck_assert_int_eq(version_of(x1), v);
    sees_exactly(&h2, (const char *const[]){y}, 1);
    search_finds(&h2, x1, 0);
    /* the town sees what was passed down to it, not the rest of C1 */
    ck_assert_int_eq(get_status(&t1, "/api/v1/orders/%s", x2), 200);
    ck_assert_int_eq(get_status(&t1, "/api/v1/orders/%s", x1), 404);
    sees_exactly(&t1, (const char *const[]){x2}, 1);
    search_finds(&t1, x1, 0);
    /* the county sees both of its orders */
    sees_exactly(&h1, (const char *const[]){x1, x2}, 2);
    sees_exactly(&a1, (const char *const[]){x1, x2}, 2);
    search_finds(&h1, x1, 1);
    free(x1);
    free(x2);
    free(y);
}
END_TEST

/* --- masking and the audited unmask ------------------------------------------ */

/* The citizen of appeal a is name/phone; a masked answer holds no clear data. */
static void citizen_is(json_t *a, const ta_resp *r, const char *name, const char *phone)
{
    int masked = strcmp(name, NAME) != 0;
    ck_assert_msg(is(str_at(a, "citizen", "name"), name) &&
                      is(str_at(a, "citizen", "phone"), phone) &&
                      (!masked || (!strstr(r->body, NAME) && !strstr(r->body, PHONE))),
                  "citizen should be %s %s: %s", name, phone, r->body);
}

/* c sees name/phone in the order (its appeal and the history's appeal
 * event), in the appeal, and in the order list. */
static void sees_citizen(ta_client *c, const char *number, const char *name, const char *phone)
{
    ta_resp r;
    char appeal[64];
    ck_assert_int_eq(ta_get(c, &r, "/api/v1/orders/%s", number), 200);
    json_t *first = json_array_get(json_object_get(r.json, "history"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(first, "op")), "appeal");
    citizen_is(json_object_get(r.json, "appeal"), &r, name, phone);
    citizen_is(first, &r, name, phone);
    ck_assert_int_eq(json_is_true(json_object_get(r.json, "masked")), strcmp(name, NAME) != 0);
    snprintf(appeal, sizeof appeal, "%s", str_at(r.json, "appeal", "id"));
    ta_resp_free(&r);
    ck_assert_int_eq(ta_get(c, &r, "/api/v1/appeals/%s", appeal), 200);
    citizen_is(r.json, &r, name, phone);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_get(c, &r, "/api/v1/orders?number=%s", number), 200);
    citizen_is(json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "appeal"), &r,
               name, phone);
    ta_resp_free(&r);
}

START_TEST(masking_by_role)
{
    ta_client *const clear[] = {&op, &disp, &cb, &sup}, *const masked[] = {&h1, &a1, &mgr, &adm};
    char *number = order_for("小区门口占道经营", "C1");
    for (size_t i = 0; i < 4; i++) {
        sees_citizen(clear[i], number, NAME, PHONE);
        sees_citizen(masked[i], number, "张*", "138****1234");
    }
    free(number);
}
END_TEST

/* A masked role must not find an order by the citizen's clear phone or
 * name through the free-text search either (?phone= is refused to it). */
START_TEST(masked_search_no_oracle)
{
    ta_resp r;
    char q[128], found[128] = "";
    char *number = order_for("楼道堆放杂物", "C1");
    ck_assert_int_eq(get_status(&h1, "/api/v1/orders?phone=%s", PHONE), 403);
    static const char *const probes[] = {PHONE, NAME};
    for (size_t i = 0; i < 2; i++) {
        long st = ta_get(&h1, &r, "/api/v1/orders?q=%s", ta_urlenc(probes[i], q, sizeof q));
        if (st != 403 && !(st == 200 && !ta_lists(&r, number)))
            snprintf(found + strlen(found), sizeof found - strlen(found), " q=%s→%ld total %lld;",
                     probes[i], st, ta_int(&r, "total"));
        ta_resp_free(&r);
    }
    ck_assert_msg(!*found, "GET /api/v1/orders?q=<clear phone/name> as h1 (masked) finds %s:%s",
                  number, found);
    free(number);
}
END_TEST

static long unmask(ta_client *c, const char *number, const char *body, ta_resp *r)
{
    char path[160];
    snprintf(path, sizeof path, "/api/v1/orders/%s/unmask", number);
    return ta_req(c, "POST", path, body, NULL, 0, r);
}

START_TEST(unmask_audited)
{
    ta_resp r;
    char *number = order_for("噪音扰民需回电", "C1");
    const char *body = "{\"reason\":\"" REASON "\"}";
    ta_client *const ok[] = {&h1, &mgr};
    for (int i = 0; i < 2; i++) {
        ck_assert_msg(unmask(ok[i], number, body, &r) == 200, "%s", r.body);
        ck_assert_msg(is(str_at(r.json, "citizen", "name"), NAME) &&
                          is(str_at(r.json, "citizen", "phone"), PHONE),
                      "%s", r.body);
        ta_resp_free(&r);
        ck_assert_int_eq(ta_audit_count(&srv, "unmask", number), i + 1);
        ck_assert_int_eq(ta_audit_count(&srv, "unmask", REASON), i + 1);
    }
    ck_assert_int_eq(audit_total("unmask", "h1"), 1); /* who asked is recorded */
    const struct {
        ta_client *c;
        const char *body;
        long status;
    } refused[] = {
        {&h1, "{}", 400},
        {&h1, "{\"reason\":\"\"}", 400},
        {&mgr, "{\"note\":\"" REASON "\"}", 400},
        {&h2, "{\"reason\":\"" REASON "\"}", 404},
        {&op, "{\"reason\":\"" REASON "\"}", 403},
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        long st = unmask(refused[i].c, number, refused[i].body, &r);
        ck_assert_msg(st == refused[i].status && !strstr(r.body, PHONE), "case %zu (%s): %ld %s",
                      i, refused[i].body, st, r.body);
        ta_resp_free(&r);
    }
    ck_assert_int_eq(ta_audit_count(&srv, "unmask", number), 2);
    free(number);
}
END_TEST

/* --- CSRF --------------------------------------------------------------------- */

/* A POST or DELETE without the right token: 403 csrf_failed. */
static void csrf_refused(ta_client *c, const char *method, const char *path, const char *body,
                         const char *const *headers)
{
    ta_resp r;
    ck_assert_msg(ta_req(c, method, path, body, headers, 1, &r) == 403, "%s %s: %ld %s", method,
                  path, r.status, r.body);
    ck_assert_str_eq(ta_str(&r, "code"), "csrf_failed");
    ta_resp_free(&r);
}

START_TEST(csrf_required)
{
    ta_client anon;
    ta_resp r;
    char sign[160], unmask_path[160], body[64], other[200], bad[100];
    char *number = order_for("井盖缺失", "C1");
    long long v = version_of(number), total = orders_total();
    snprintf(sign, sizeof sign, "/api/v1/orders/%s/actions/sign", number);
    snprintf(unmask_path, sizeof unmask_path, "/api/v1/orders/%s/unmask", number);
    snprintf(body, sizeof body, "{\"version\":%lld}", v);
    snprintf(other, sizeof other, "X-CSRF-Token: %s", disp.csrf); /* another session's */
    snprintf(bad, sizeof bad, "X-CSRF-Token: %064d", 0); /* as long as a real one */
    const char *const wrong[] = {bad, NULL};
    const char *const foreign[] = {other, NULL};
    const char *const *headers[] = {NULL, wrong, foreign};
    for (size_t i = 0; i < 3; i++) {
        csrf_refused(&h1, "POST", sign, body, headers[i]);
        ck_assert_int_eq(version_of(number), v);
    }
    /* intake, unmask and logout need it too, and write nothing */
    csrf_refused(&op, "POST", "/api/v1/appeals",
                 "{\"channel\":\"hotline\",\"nature\":\"consult\",\"content\":\"问路\","
                 "\"handling\":\"order\"}",
                 NULL);
    ck_assert_int_eq(orders_total(), total);
    csrf_refused(&mgr, "POST", unmask_path, "{\"reason\":\"" REASON "\"}", NULL);
    ck_assert_int_eq(ta_audit_count(&srv, "unmask", number), 0);
    csrf_refused(&mgr, "DELETE", "/api/v1/session", NULL, NULL);
    ck_assert_int_eq(get_status(&mgr, "/api/v1/session"), 200);
    /* a GET needs no token (ta_req never sends one with GET); with the
     * token the step goes through */
    ck_assert_int_eq(get_status(&h1, "/api/v1/orders/%s", number), 200);
    ck_assert_int_eq(ta_req(&h1, "POST", sign, body, NULL, 0, &r), 200);
    ta_resp_free(&r);
    /* no cookie, or a made-up one: 401 */
    ta_anon(&srv, &anon);
    ck_assert_int_eq(ta_req(&anon, "POST", sign, body, NULL, 0, &r), 401);
    ck_assert_str_eq(ta_str(&r, "code"), "unauthenticated");
    ta_resp_free(&r);
    ck_assert_int_eq(get_status(&anon, "/api/v1/orders"), 401);
    snprintf(anon.cookie, sizeof anon.cookie, "hl_session=%064d", 7);
    ck_assert_int_eq(get_status(&anon, "/api/v1/orders"), 401);
    free(number);
}
END_TEST

/* --- idempotent intake -------------------------------------------------------- */

#define APPEAL                                                                              \
    "{\"channel\":\"hotline\",\"nature\":\"help\",\"content\":\"老人走失求助\","          \
    "\"citizen\":{\"name\":\"" NAME "\",\"phone\":\"" PHONE "\"},\"handling\":\"order\"}"

START_TEST(idempotent_intake)
{
    ta_resp a, b, c;
    char key[64], key2[64];
    snprintf(key, sizeof key, "Idempotency-Key: k-%ld-1", (long)getpid());
    snprintf(key2, sizeof key2, "Idempotency-Key: k-%ld-2", (long)getpid());
    const char *const first[] = {key, NULL}, *const second[] = {key2, NULL};
    long long before = orders_total();
    ck_assert_int_eq(ta_req(&op, "POST", "/api/v1/appeals", APPEAL, first, 0, &a), 201);
    ck_assert_int_eq(ta_req(&op, "POST", "/api/v1/appeals", APPEAL, first, 0, &b), 201);
    ck_assert_str_eq(a.body, b.body);
    ck_assert_int_eq(orders_total(), before + 1);
    ck_assert_int_eq(ta_req(&op, "POST", "/api/v1/appeals", APPEAL, second, 0, &c), 201);
    ck_assert_str_ne(str_at(a.json, "order", "number"), str_at(c.json, "order", "number"));
    ck_assert_int_eq(orders_total(), before + 2);
    ta_resp_free(&a);
    ta_resp_free(&b);
    ta_resp_free(&c);
}
END_TEST

/* --- optimistic concurrency --------------------------------------------------- */

/* c supervises the order naming version v in the body (v < 0: none) and
 * if_match in If-Match (NULL: none). */
static long supervise(ta_client *c, const char *number, long long v, const char *if_match,
                      ta_resp *r)
{
    char path[160], body[96], h[64];
    const char *const headers[] = {h, NULL};
    snprintf(path, sizeof path, "/api/v1/orders/%s/actions/supervise", number);
    if (v >= 0)
        snprintf(body, sizeof body, "{\"note\":\"督办\",\"version\":%lld}", v);
    else
        snprintf(body, sizeof body, "{\"note\":\"督办\"}");
    snprintf(h, sizeof h, "If-Match: %s", if_match ? if_match : "");
    return ta_req(c, "POST", path, body, if_match ? headers : NULL, 0, r);
}

/* The order's version, open supervisions and history length. */
static void snapshot(const char *number, long long out[3])
{
    ta_resp r;
    order_get(number, &r);
    out[0] = ta_int(&r, "version");
    out[1] = ta_int(&r, "supervisions_open");
    out[2] = (long long)json_array_size(json_object_get(r.json, "history"));
    ta_resp_free(&r);
}

/* c's supervise is refused with status/code and changes nothing. */
static void refused_unchanged(ta_client *c, const char *number, long long v, const char *if_match,
                              long status, const char *code)
{
    ta_resp r;
    long long was[3], now[3];
    snapshot(number, was);
    ck_assert_msg(supervise(c, number, v, if_match, &r) == status, "%ld %s", r.status, r.body);
    ck_assert_str_eq(ta_str(&r, "code"), code);
    ta_resp_free(&r);
    snapshot(number, now);
    ck_assert_msg(memcmp(was, now, sizeof was) == 0, "order changed: version %lld→%lld", was[0],
                  now[0]);
}

START_TEST(optimistic_concurrency)
{
    ta_resp r;
    long long s[3];
    char etag[64];
    char *number = order_for("违建举报", "C1");
    /* both read the same version; the ETag names it */
    ck_assert_int_eq(ta_get(&mgr, &r, "/api/v1/orders/%s", number), 200);
    long long v = ta_int(&r, "version");
    snprintf(etag, sizeof etag, "\"%lld\"", v);
    ck_assert_str_eq(r.etag, etag);
    ta_resp_free(&r);
    get_int(&sup, "version", &s[0], "/api/v1/orders/%s", number);
    ck_assert_int_eq(s[0], v);
    ck_assert_int_eq(supervise(&sup, number, v, NULL, &r), 200);
    ta_resp_free(&r);
    snapshot(number, s);
    ck_assert(s[0] > v && s[1] == 1);
    refused_unchanged(&mgr, number, v, NULL, 409, "version_conflict");
    refused_unchanged(&mgr, number, -1, NULL, 428, "version_required");
    /* If-Match: a stale one is a conflict, the current one goes through */
    refused_unchanged(&mgr, number, -1, etag, 409, "version_conflict");
    snprintf(etag, sizeof etag, "\"%lld\"", s[0]);
    ck_assert_msg(supervise(&mgr, number, -1, etag, &r) == 200, "%s", r.body);
    snprintf(etag, sizeof etag, "\"%lld\"", ta_int(&r, "version"));
    ck_assert_str_eq(r.etag, etag);
    ta_resp_free(&r);
    snapshot(number, s);
    ck_assert_int_eq(s[1], 2);
    free(number);
}
END_TEST

/* --- login -------------------------------------------------------------------- */

/* The harness's settings with a 2-second login window, so that the test
 * can wait for a lock to pass. */
#define WINDOW_S 2
static const char *const login_config =
    "{\"threads\": 2, \"body_max\": 65536, \"session_idle_min\": 60, \"session_max_hours\": 12,"
    " \"login_max_failures\": 5, \"login_window_s\": 2, \"mailbox_per_hour\": 3,"
    " \"page_size_default\": 20, \"page_size_max\": 100, \"pwhash_ops\": 1,"
    " \"pwhash_mem_kib\": 8, \"idempotency_hours\": 24, \"checkpoint_ms\": 100,"
    " \"checkpoint_restart_frames\": 1000, \"kb_remind_minutes\": 60,"
    " \"fts_merge_pages\": 64, \"write_linger_us\": 1000, \"session_cache_s\": 10, \"report_threads\": 2,"
    " \"static_max_age_s\": 31536000}\n";

static void login_server_up(void)
{
    ta_start_config(&srv, login_config);
}

static long try_login(ta_client *c, const char *name, const char *pw, ta_resp *r)
{
    char body[160];
    ta_anon(&srv, c);
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"password\":\"%s\"}", name, pw);
    return ta_req(c, "POST", "/api/v1/session", body, NULL, 1, r);
}

static long login_status(const char *name, const char *pw)
{
    ta_client c;
    ta_resp r;
    long st = try_login(&c, name, pw, &r);
    ck_assert_msg(st == 200 || !c.cookie[0], "a refused login set a session: %s", r.set_cookie);
    ck_assert_msg(st != 401 || is(ta_str(&r, "code"), "unauthenticated"), "%s", r.body);
    ck_assert_msg(st != 429 || is(ta_str(&r, "code"), "rate_limited"), "%s", r.body);
    ta_resp_free(&r);
    return st;
}

START_TEST(login_audited)
{
    ta_login(&srv, &adm, "adm");
    ck_assert_int_eq(login_status("op", "wrong-password"), 401);
    ck_assert_int_eq(login_status("nobody", "pw-nobody"), 401);
    ck_assert_int_eq(ta_audit_count(&srv, "login_failed", "用户名 op"), 1);
    ck_assert_int_eq(ta_audit_count(&srv, "login_failed", "用户名 nobody"), 1);
    long long before = audit_total("login", "op");
    ck_assert_int_eq(login_status("op", "pw-op"), 200);
    ck_assert_int_eq(audit_total("login", "op"), before + 1);
}
END_TEST

START_TEST(login_throttled)
{
    time_t first = 0;
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(login_status("cb", "wrong-password"), 401);
        if (!i)
            first = time(NULL);
    }
    ck_assert_int_eq(login_status("cb", "pw-cb"), 429);
    ck_assert_int_eq(ta_audit_count(&srv, "login_failed", "用户名 cb"), 5);
    ck_assert_int_ge(ta_audit_count(&srv, "login_throttled", "用户名 cb"), 1);
    /* the lock is the name's: another user logs in */
    ck_assert_int_eq(login_status("sup", "pw-sup"), 200);
    /* and it ends with the window */
    while (time(NULL) < first + WINDOW_S)
        usleep(50000);
    ck_assert_int_eq(login_status("cb", "pw-cb"), 200);
}
END_TEST

START_TEST(cookie_and_logout)
{
    ta_client c;
    ta_resp r;
    char cookie[256];
    ck_assert_int_eq(try_login(&c, "disp", "pw-disp", &r), 200);
    ck_assert_msg(strncmp(r.set_cookie, "hl_session=", 11) == 0 &&
                      strcasestr(r.set_cookie, "; HttpOnly") &&
                      strcasestr(r.set_cookie, "; SameSite=Strict"),
                  "Set-Cookie: %s", r.set_cookie);
    snprintf(c.csrf, sizeof c.csrf, "%s", ta_str(&r, "csrf"));
    ta_resp_free(&r);
    ck_assert_int_eq(get_status(&c, "/api/v1/session"), 200);
    snprintf(cookie, sizeof cookie, "%s", c.cookie);
    ck_assert_int_eq(ta_req(&c, "DELETE", "/api/v1/session", NULL, NULL, 0, &r), 200);
    ck_assert_msg(strcasestr(r.set_cookie, "Max-Age=0"), "Set-Cookie: %s", r.set_cookie);
    ta_resp_free(&r);
    ck_assert_int_ge(ta_audit_count(&srv, "logout", ""), 1);
    /* the old cookie no longer opens anything */
    snprintf(c.cookie, sizeof c.cookie, "%s", cookie);
    ck_assert_int_eq(get_status(&c, "/api/v1/session"), 401);
    ck_assert_int_eq(get_status(&c, "/api/v1/orders"), 401);
}
END_TEST

static TCase *tcase(Suite *s, const char *name, void (*up)(void), int logged_in)
{
    TCase *tc = tcase_create(name);
    tcase_add_unchecked_fixture(tc, up, server_down);
    if (logged_in)
        tcase_add_checked_fixture(tc, login_all, NULL);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return tc;
}

Suite *suite_api_access(void)
{
    Suite *s = suite_create("api_access");
    TCase *tc = tcase(s, "isolation", server_up, 1);
    tcase_add_test(tc, unit_isolation);
    tc = tcase(s, "masking", server_up, 1);
    tcase_add_test(tc, masking_by_role);
    tcase_add_test(tc, masked_search_no_oracle);
    tcase_add_test(tc, unmask_audited);
    tc = tcase(s, "writes", server_up, 1);
    tcase_add_test(tc, csrf_required);
    tcase_add_test(tc, idempotent_intake);
    tcase_add_test(tc, optimistic_concurrency);
    tc = tcase(s, "login", login_server_up, 0);
    tcase_add_test(tc, login_audited);
    tcase_add_test(tc, login_throttled);
    tcase_add_test(tc, cookie_and_logout);
    return s;
}
