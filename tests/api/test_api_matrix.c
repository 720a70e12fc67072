/* test_api_matrix.c — the permission matrix of roles.md over HTTP: every
 * role × every lifecycle action and every guarded route is allowed or
 * refused exactly as the spec says.
 *
 * The expected reach is written out below from /work/shared/spec/roles.md,
 * independently of src/core/role.c: a wrong table in the code fails here.
 * Refused is 403, or 404 for a unit role asking for an order outside its
 * subtree (it must not learn that the order exists).  Allowed is the
 * action's success: each lifecycle case gets a fresh order brought to the
 * state where the action is valid, so an allowed step answers 200. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/buf.h"
#include "api.h"

/* --- roles.md, written out ------------------------------------------------ */

enum { RO_OP, RO_DISP, RO_CB, RO_SUP, RO_UH, RO_UA, RO_KB, RO_MGR, RO_ADM, N_ROLES };

enum {
    R_CREATE,     /* create appeal */
    R_READ,       /* read any order / appeal */
    R_CLEAR,      /* citizen name and phone in clear (caller history) */
    R_UNMASK,     /* "masked, unmask with reason" */
    R_DISPATCH,   /* dispatch, re-dispatch */
    R_DECIDE,     /* decide return / extension request */
    R_REVIEW,     /* review reply */
    R_UNIT_WORK,  /* sign, reply, request extension or return */
    R_SUBDISPATCH,
    R_CALLBACK,   /* record callback */
    R_SUPERVISE,  /* verify, supervise, mark rectified, reopen */
    R_ASSESS,     /* assessment, figures, rankings */
    R_LEDGER,
    R_ADMIN,      /* users, units, rules, calendar */
    R_AUDIT,
    N_RIGHTS
};

/* One character per role: 'A' allowed, 'O' own (the unit's subtree), '-'
 * refused.  Columns: operator dispatcher callback supervisor unit_handler
 * unit_admin kb_owner manager admin. */
static const char *const reach[N_RIGHTS] = {
    /*                op disp cb sup uh ua kb mgr adm */
    [R_CREATE] = "AA-------",
    [R_READ] = "AAAAOO-AA",
    [R_CLEAR] = "AAAA-----",
    [R_UNMASK] = "----OO-AA",
    [R_DISPATCH] = "-A-------",
    [R_DECIDE] = "-A-----A-",
    [R_REVIEW] = "-A-------",
    [R_UNIT_WORK] = "----OO---",
    [R_SUBDISPATCH] = "-----O---",
    [R_CALLBACK] = "--AA-----",
    [R_SUPERVISE] = "---A---A-",
    [R_ASSESS] = "---AOO-AA",
    [R_LEDGER] = "-------A-",
    [R_ADMIN] = "--------A",
    [R_AUDIT] = "-------AA",
};

/* The harness's users; in_c1: the user's subtree holds C1, the unit every
 * order of this file is dispatched to. */
static const struct {
    const char *name;
    int role, in_c1;
} users[] = {
    {"op", RO_OP, 0},  {"disp", RO_DISP, 0}, {"cb", RO_CB, 0},   {"sup", RO_SUP, 0},
    {"h1", RO_UH, 1},  {"a1", RO_UA, 1},     {"t1", RO_UH, 0},   {"h2", RO_UH, 0},
    {"kb", RO_KB, 1},  {"mgr", RO_MGR, 0},   {"adm", RO_ADM, 0},
};
#define N_USERS (sizeof users / sizeof users[0])

/* The status roles.md demands: ok when the role reaches the right (on
 * this order), 404 for a unit role that may read its own orders asking
 * for one outside its subtree, 403 otherwise.  ok 0: any status but 401
 * and 403 (the route's handler decides the rest). */
static long expected(int user, int right, int owned, long ok)
{
    char r = reach[right][users[user].role];
    if (r == 'A' || (r == 'O' && owned))
        return ok;
    if (reach[R_READ][users[user].role] == 'O' && !owned)
        return 404;
    return 403;
}

static int matches(long want, long got)
{
    return want ? got == want : got != 401 && got != 403;
}

/* --- the server, one client per user, a report of mismatches ---------------- */

static ta_server srv;
static ta_client cl[N_USERS];
static hl_buf report;
static int bad;

static ta_client *who(const char *name)
{
    for (size_t i = 0; i < N_USERS; i++)
        if (strcmp(users[i].name, name) == 0)
            return &cl[i];
    ck_abort_msg("no user %s", name);
    return NULL;
}

/* One server for the whole TCase (started in the runner, before the
 * tests' forks); every test logs in afresh. */
static void server_up(void)
{
    ta_start(&srv);
}

static void server_down(void)
{
    ta_stop(&srv);
}

static void setup(void)
{
    for (size_t i = 0; i < N_USERS; i++)
        ta_login(&srv, &cl[i], users[i].name);
    hl_buf_init(&report, (size_t)1 << 20);
    bad = 0;
}

static void teardown(void)
{
    hl_buf_free(&report);
}

static void check(int user, const char *what, long want, const ta_resp *r)
{
    if (matches(want, r->status))
        return;
    bad++;
    if (want)
        hl_buf_printf(&report, "\n  %s (%s): expected %ld, got %ld %.200s", what,
                      users[user].name, want, r->status, r->body);
    else
        hl_buf_printf(&report, "\n  %s (%s): expected allowed (not 401/403), got %ld %.200s",
                      what, users[user].name, r->status, r->body);
}

static void finish(void)
{
    ck_assert_msg(bad == 0, "%d case(s) differ from roles.md:%s", bad, hl_buf_str(&report));
}

/* --- orders in a given state ------------------------------------------------ */

#define INTAKE_BODY                                                                          \
    "{\"channel\":\"hotline\",\"source\":\"电话\",\"nature\":\"complaint\","                 \
    "\"category\":\"城市管理类 › 噪音扰民\",\"content\":\"夜间施工噪音扰民\","               \
    "\"location\":\"东城区人民路\",\"citizen\":{\"name\":\"张三\",\"phone\":\"13812341234\"}," \
    "\"handling\":\"order\"}"

typedef struct {
    const char *who, *op, *fields;
} step_def;

static const step_def s_dispatch = {"disp", "dispatch", "\"unit\":\"C1\""};
static const step_def s_sign = {"h1", "sign", ""};
static const step_def s_reply = {"h1", "reply", "\"text\":\"已责令停工\""};
static const step_def s_accept = {"disp", "review", "\"result\":\"accept\""};
static const step_def s_return_req = {"h1", "return_request", "\"reason\":\"不属本单位职责\""};
static const step_def s_ext_req = {"h1", "extension_request",
                                   "\"until\":\"2099-12-31T18:00:00+08:00\",\"reason\":\"需协调\""};
static const step_def s_dissatisfied = {"cb", "callback", "\"result\":\"dissatisfied\""};
static const step_def s_supervise = {"sup", "supervise", "\"note\":\"督办\""};

/* A lifecycle action under test, its right, its body, and the steps that
 * bring a new order to a state where it is valid. */
static const struct {
    const char *op;
    int right;
    const char *fields;
    const step_def *path[7];
} ops[] = {
    {"dispatch", R_DISPATCH, "\"unit\":\"C1\"", {NULL}},
    {"sign", R_UNIT_WORK, "", {&s_dispatch, NULL}},
    {"subdispatch", R_SUBDISPATCH, "\"unit\":\"C1-1\"", {&s_dispatch, &s_sign, NULL}},
    {"return_request", R_UNIT_WORK, "\"reason\":\"不属本单位职责\"", {&s_dispatch, NULL}},
    {"return_decision", R_DECIDE, "\"approved\":false", {&s_dispatch, &s_return_req, NULL}},
    {"extension_request", R_UNIT_WORK,
     "\"until\":\"2099-12-31T18:00:00+08:00\",\"reason\":\"需协调\"", {&s_dispatch, NULL}},
    {"extension_decision", R_DECIDE, "\"approved\":true", {&s_dispatch, &s_ext_req, NULL}},
    {"reply", R_UNIT_WORK, "\"text\":\"已处理\"", {&s_dispatch, &s_sign, NULL}},
    {"review", R_REVIEW, "\"result\":\"accept\"", {&s_dispatch, &s_sign, &s_reply, NULL}},
    {"callback", R_CALLBACK, "\"result\":\"satisfied\"",
     {&s_dispatch, &s_sign, &s_reply, &s_accept, NULL}},
    {"verify", R_SUPERVISE, "\"result\":\"upheld\"",
     {&s_dispatch, &s_sign, &s_reply, &s_accept, &s_dissatisfied, NULL}},
    {"supervise", R_SUPERVISE, "\"note\":\"督办\"", {&s_dispatch, NULL}},
    {"rectified", R_SUPERVISE, "\"note\":\"已整改\"", {&s_dispatch, &s_supervise, NULL}},
    {"reopen", R_SUPERVISE, "\"reason\":\"群众反映仍未解决\"",
     {&s_dispatch, &s_sign, &s_reply, &s_accept, NULL}},
};
#define N_OPS (sizeof ops / sizeof ops[0])

/* POST one step at version v; returns the status, r filled. */
static long post_step(ta_client *c, const char *number, const char *op, const char *fields,
                      long long v, ta_resp *r)
{
    char path[256], body[1024];
    snprintf(path, sizeof path, "/api/v1/orders/%s/actions/%s", number, op);
    snprintf(body, sizeof body, "{%s%s\"version\":%lld}", fields, *fields ? "," : "", v);
    return ta_req(c, "POST", path, body, NULL, 0, r);
}

/* A new order (by the operator) taken along path; *v gets its version. */
static char *order_at(const step_def *const *path, long long *v)
{
    ta_resp r;
    ck_assert_msg(ta_req(who("op"), "POST", "/api/v1/appeals", INTAKE_BODY, NULL, 0, &r) == 201,
                  "intake: %s", r.body);
    json_t *o = json_object_get(r.json, "order");
    char *number = strdup(json_string_value(json_object_get(o, "number")));
    *v = json_integer_value(json_object_get(o, "version"));
    ta_resp_free(&r);
    for (; *path; path++) {
        long st = post_step(who((*path)->who), number, (*path)->op, (*path)->fields, *v, &r);
        ck_assert_msg(st == 200, "setting up %s: %s: %ld %s", number, (*path)->op, st, r.body);
        *v = ta_int(&r, "version");
        ta_resp_free(&r);
    }
    return number;
}

static long long version_of(const char *number)
{
    char path[128];
    ta_resp r;
    snprintf(path, sizeof path, "/api/v1/orders/%s", number);
    ck_assert_int_eq(ta_req(who("disp"), "GET", path, NULL, NULL, 0, &r), 200);
    long long v = ta_int(&r, "version");
    ta_resp_free(&r);
    return v;
}

/* Every user tries ops[_i] on a fresh order of its own; a refused step
 * must leave the order as it was. */
START_TEST(lifecycle)
{
    char what[64];
    snprintf(what, sizeof what, "POST /api/v1/orders/{n}/actions/%s", ops[_i].op);
    for (size_t u = 0; u < N_USERS; u++) {
        long long v;
        ta_resp r;
        char *number = order_at(ops[_i].path, &v);
        int owned = ops[_i].path[0] && users[u].in_c1; /* a new order has no unit yet */
        long want = expected((int)u, ops[_i].right, owned, 200);
        post_step(&cl[u], number, ops[_i].op, ops[_i].fields, v, &r);
        check((int)u, what, want, &r);
        if (r.status != 200 && version_of(number) != v) {
            bad++;
            hl_buf_printf(&report, "\n  %s (%s): refused with %ld but the order changed", what,
                          users[u].name, r.status);
        }
        ta_resp_free(&r);
        free(number);
    }
    finish();
}
END_TEST

/* --- routes other than lifecycle steps -------------------------------------- */

/* path: "{n}" stands for the order's number, "{a}" for its appeal's id.
 * on_order: the route reads or changes that (C1) order.  ok: the status of
 * an allowed call, 0 when only "not 401/403" is asserted (the handler may
 * refuse the dummy body, or be unfinished). */
static const struct {
    const char *method, *path, *body;
    int right, on_order;
    long ok;
} routes[] = {
    {"POST", "/api/v1/appeals", INTAKE_BODY, R_CREATE, 0, 201},
    {"GET", "/api/v1/orders", NULL, R_READ, 0, 200},
    {"GET", "/api/v1/orders/{n}", NULL, R_READ, 1, 200},
    {"GET", "/api/v1/appeals/{a}", NULL, R_READ, 1, 200},
    {"GET", "/api/v1/queues/dispatch", NULL, R_READ, 0, 200},
    {"POST", "/api/v1/orders/{n}/unmask", "{\"reason\":\"需要联系群众核实\"}", R_UNMASK, 1, 200},
    {"GET", "/api/v1/callers/13812341234/appeals", NULL, R_CLEAR, 0, 200},
    {"GET", "/api/v1/assessment", NULL, R_ASSESS, 0, 0},
    {"GET", "/api/v1/figures", NULL, R_ASSESS, 0, 0},
    {"GET", "/api/v1/ledger", NULL, R_LEDGER, 0, 0},
    {"POST", "/api/v1/ledger", "{}", R_LEDGER, 0, 0},
    {"POST", "/api/v1/ledger/proposals", "{}", R_LEDGER, 0, 0},
    {"POST", "/api/v1/ledger/1/decision", "{}", R_LEDGER, 0, 0},
    {"GET", "/api/v1/audit", NULL, R_AUDIT, 0, 200},
    {"GET", "/api/v1/users", NULL, R_ADMIN, 0, 200},
    {"POST", "/api/v1/users", "{}", R_ADMIN, 0, 0},
    {"PATCH", "/api/v1/users/op", "{}", R_ADMIN, 0, 0},
    {"GET", "/api/v1/rules", NULL, R_ADMIN, 0, 200},
    {"PUT", "/api/v1/rules", "[]", R_ADMIN, 0, 0},
    {"POST", "/api/v1/units", "{}", R_ADMIN, 0, 0},
    {"PATCH", "/api/v1/units/C1", "{}", R_ADMIN, 0, 0},
    {"GET", "/api/v1/calendar/2025", NULL, R_ADMIN, 0, 0},
    {"PUT", "/api/v1/calendar/2025", "{}", R_ADMIN, 0, 0},
};
#define N_ROUTES (sizeof routes / sizeof routes[0])

/* pattern with "{n}" and "{a}" replaced, into out. */
static void fill_path(const char *pattern, const char *number, const char *appeal, char *out,
                      size_t size)
{
    size_t n = 0;
    while (*pattern && n + 1 < size) {
        const char *v = strncmp(pattern, "{n}", 3) == 0   ? number
                        : strncmp(pattern, "{a}", 3) == 0 ? appeal
                                                          : NULL;
        if (v) {
            n += (size_t)snprintf(out + n, size - n, "%s", v);
            pattern += 3;
        } else {
            out[n++] = *pattern++;
        }
    }
    out[n < size ? n : size - 1] = '\0';
}

START_TEST(routes_by_role)
{
    long long v;
    ta_resp r;
    char *number = order_at((const step_def *const[]){&s_dispatch, NULL}, &v);
    char path[256], appeal[64], what[320];
    snprintf(path, sizeof path, "/api/v1/orders/%s", number);
    ck_assert_int_eq(ta_req(who("disp"), "GET", path, NULL, NULL, 0, &r), 200);
    json_t *a = json_object_get(r.json, "appeal");
    ck_assert_msg(json_string_value(json_object_get(a, "id")), "no appeal id: %s", r.body);
    snprintf(appeal, sizeof appeal, "%s", json_string_value(json_object_get(a, "id")));
    ta_resp_free(&r);
    for (size_t i = 0; i < N_ROUTES; i++)
        for (size_t u = 0; u < N_USERS; u++) {
            fill_path(routes[i].path, number, appeal, path, sizeof path);
            snprintf(what, sizeof what, "%s %s", routes[i].method, routes[i].path);
            int owned = !routes[i].on_order || users[u].in_c1;
            ta_req(&cl[u], routes[i].method, path, routes[i].body, NULL, 0, &r);
            check((int)u, what, expected((int)u, routes[i].right, owned, routes[i].ok), &r);
            ta_resp_free(&r);
        }
    free(number);
    finish();
}
END_TEST

Suite *suite_api_matrix(void)
{
    Suite *s = suite_create("api_matrix");
    TCase *tc = tcase_create("matrix");
    tcase_add_unchecked_fixture(tc, server_up, server_down);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, lifecycle, 0, (int)N_OPS);
    tcase_add_test(tc, routes_by_role);
    suite_add_tcase(s, tc);
    return s;
}
