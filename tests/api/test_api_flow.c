/* test_api_flow.c — one order through its whole life over HTTP, each step
 * by the role that does it, each with its own login. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "api.h"

static ta_server srv;

static void setup(void)
{
    ta_start(&srv);
}

static void teardown(void)
{
    ta_stop(&srv);
}

#define STEP(who, op, fields)                                                                \
    do {                                                                                     \
        ta_resp r_;                                                                          \
        long st_ = ta_step(&(who), &disp, number, (op), (fields), &r_);                      \
        ck_assert_msg(st_ == 200, "%s: %ld %s", (op), st_, r_.body);                         \
        ta_resp_free(&r_);                                                                   \
    } while (0)

static const char *state_of(ta_client *c, const char *number, ta_resp *r)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v1/orders/%s", number);
    ck_assert_int_eq(ta_req(c, "GET", path, NULL, NULL, 0, r), 200);
    return ta_str(r, "state");
}

START_TEST(whole_life)
{
    ta_client op, disp, h1, cb, sup, mgr;
    ta_resp r;
    ta_login(&srv, &op, "op");
    ta_login(&srv, &disp, "disp");
    ta_login(&srv, &h1, "h1");
    ta_login(&srv, &cb, "cb");
    ta_login(&srv, &sup, "sup");
    ta_login(&srv, &mgr, "mgr");
    char *number = ta_new_order(&op, "夜间施工噪音扰民");
    ck_assert_str_eq(state_of(&disp, number, &r), "new");
    ta_resp_free(&r);
    /* lists are kept between identical requests (cache.c): a step must show
     * at once, well inside the kept answer's lifetime */
    ck_assert_int_eq(ta_req(&disp, "GET", "/api/v1/queues/dispatch", NULL, NULL, 0, &r), 200);
    ck_assert_int_eq(ta_int(&r, "total"), 1);
    ta_resp_free(&r);

    STEP(disp, "dispatch", "\"unit\":\"C1\"");
    ck_assert_int_eq(ta_req(&disp, "GET", "/api/v1/queues/dispatch", NULL, NULL, 0, &r), 200);
    ck_assert_int_eq(ta_int(&r, "total"), 0);
    ta_resp_free(&r);
    STEP(h1, "sign", "");
    STEP(h1, "extension_request", "\"until\":\"2099-12-31T18:00:00+08:00\",\"reason\":\"需协调\"");
    STEP(mgr, "extension_decision", "\"approved\":false");
    STEP(h1, "reply", "\"text\":\"已责令施工单位夜间停工\"");
    STEP(disp, "review", "\"result\":\"return\",\"reason\":\"未说明处理结果\"");
    STEP(h1, "reply", "\"text\":\"施工单位已停工并致歉\"");
    STEP(disp, "review", "\"result\":\"accept\"");
    STEP(cb, "callback", "\"result\":\"dissatisfied\",\"note\":\"仍有噪音\"");
    STEP(sup, "verify", "\"result\":\"upheld\"");
    STEP(sup, "supervise", "\"note\":\"督办东城区\"");
    ck_assert_str_eq(state_of(&h1, number, &r), "closed");
    ck_assert_int_eq(ta_int(&r, "supervisions_open"), 1);
    ck_assert_int_eq(ta_int(&r, "reworks"), 1);
    ta_resp_free(&r);
    STEP(sup, "rectified", "\"note\":\"已整改\"");
    STEP(cb, "callback", "\"result\":\"satisfied\"");

    ck_assert_str_eq(state_of(&mgr, number, &r), "closed");
    json_t *hist = json_object_get(r.json, "history");
    ck_assert_int_eq(json_array_size(hist), 14);
    /* who did each step is in the history */
    json_t *last = json_array_get(hist, 13);
    ck_assert_str_eq(json_string_value(json_object_get(last, "actor")), "cb");
    ck_assert_str_eq(json_string_value(json_object_get(last, "op")), "callback");
    ta_resp_free(&r);
    free(number);
}
END_TEST

/* The first admin comes from the command line, the password from stdin. */
START_TEST(cli_user_add_then_login)
{
    th_proc p = {0};
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "printf 'first-admin-pw\\n' | %s --db %s user add boss --role admin --config %s",
             HL_TEST_BIN, srv.db, srv.config);
    const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    ck_assert_msg(th_run(&p, argv) == 0, "%s", p.err);
    th_proc_free(&p);
    /* a unit role without its unit is refused, and nothing is added */
    snprintf(cmd, sizeof cmd, "printf 'some-password\\n' | %s --db %s user add x --role unit_handler",
             HL_TEST_BIN, srv.db);
    ck_assert_int_eq(th_run(&p, argv), 1);
    ck_assert(th_has(p.err, "须绑定一个单位"));
    th_proc_free(&p);

    ta_client c;
    ta_resp r;
    ta_anon(&srv, &c);
    ck_assert_int_eq(ta_req(&c, "POST", "/api/v1/session",
                            "{\"name\":\"boss\",\"password\":\"first-admin-pw\"}", NULL, 1, &r),
                     200);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r.json, "user"), "role")),
                     "admin");
    ta_resp_free(&r);
    ck_assert_int_eq(ta_audit_count(&srv, "user_add", "boss"), 1);
}
END_TEST

/* A raw request line (no client normalises the target): the status, and
 * the start of the answer in resp. */
static int raw_get(const char *target, char *resp, size_t size)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert(fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0);
    char req[512];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                     target);
    ck_assert(write(fd, req, (size_t)n) == n);
    size_t got = 0;
    ssize_t k;
    while (got + 1 < size && (k = read(fd, resp + got, size - 1 - got)) > 0)
        got += (size_t)k;
    resp[got] = '\0';
    close(fd);
    int status = 0;
    if (got > 12)
        sscanf(resp, "HTTP/1.1 %d", &status);
    return status;
}

/* Requests one after another until the server is gone (at most 10 s). */
static void hammer(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    static const char req[] = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    for (time_t end = time(NULL) + 10; time(NULL) < end;) {
        char buf[512];
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
            if (fd >= 0)
                close(fd);
            break;
        }
        if (write(fd, req, sizeof req - 1) > 0)
            while (read(fd, buf, sizeof buf) > 0)
                ;
        close(fd);
    }
    _exit(0);
}

/* SIGTERM while requests keep coming: those arriving during the graceful
 * stop get 503, and the server exits cleanly (ta_stop checks; such a 503,
 * answered before routing, once crashed it). */
START_TEST(stop_while_busy)
{
    ta_server busy;
    ta_start(&busy);
    fflush(NULL);
    pid_t child = fork();
    ck_assert(child >= 0);
    if (child == 0)
        hammer(busy.port);
    usleep(300000);
    ta_stop(&busy);
    int status;
    ck_assert(waitpid(child, &status, 0) == child);
}
END_TEST

/* The web app's files, and nothing outside its directory. */
START_TEST(static_files_stay_inside)
{
    ta_client c;
    ta_resp r;
    ta_anon(&srv, &c);
    ck_assert_int_eq(ta_req(&c, "GET", "/", NULL, NULL, 0, &r), 200);
    ck_assert(th_has(r.body, "<title>hotline</title>"));
    ta_resp_free(&r);
    /* a route of the single-page app gets its index.html */
    ck_assert_int_eq(ta_req(&c, "GET", "/orders/R1", NULL, NULL, 0, &r), 200);
    ck_assert(th_has(r.body, "<title>hotline</title>"));
    ta_resp_free(&r);
    static const char *const outside[] = {"../api.db", "/../api.db", "/..%2fapi.db",
                                          "-secret/key.txt", "/%2e%2e/api.db",
                                          "/../web-secret/key.txt", "..%2fweb-secret%2fkey.txt"};
    char resp[8192];
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        int st = raw_get(outside[i], resp, sizeof resp);
        ck_assert_msg(st == 404 || st == 400, "%s: %d", outside[i], st);
        ck_assert_msg(!th_has(resp, "SQLite format") && !th_has(resp, "\r\n\r\nsecret"),
                      "%s served a file outside the web directory", outside[i]);
    }
    /* a built file (named by its hash) is kept by browsers; index.html, also
     * when it answers for a missing file, is revalidated */
    char *assets = th_path(srv.web, "assets"), *js = th_path(assets, "app-1a2b3c.js");
    ck_assert(mkdir(assets, 0700) == 0);
    th_write(js, "console.log(1)");
    ck_assert_int_eq(raw_get("/assets/app-1a2b3c.js", resp, sizeof resp), 200);
    ck_assert_msg(th_has(resp, "Cache-Control: public, max-age=31536000, immutable"), "%s", resp);
    ck_assert_int_eq(raw_get("/", resp, sizeof resp), 200);
    ck_assert_msg(th_has(resp, "Cache-Control: no-cache"), "%s", resp);
    ck_assert_int_eq(raw_get("/assets/missing-1a2b.js", resp, sizeof resp), 200);
    ck_assert_msg(th_has(resp, "Cache-Control: no-cache") && th_has(resp, "<title>hotline</title>"),
                  "%s", resp);
    free(js);
    free(assets);
}
END_TEST

/* An unmask with the longest reason allowed (200 Chinese characters) is in
 * the audit log as it is read back: a detail cut inside a character used to
 * vanish from the list. */
START_TEST(long_unmask_reason_audited)
{
    ta_client op, mgr;
    ta_resp r;
    char body[1024] = "{\"reason\":\"", path[128];
    ta_login(&srv, &op, "op");
    ta_login(&srv, &mgr, "mgr");
    char *number = ta_new_order(&op, "路灯不亮");
    for (int i = 0; i < 200; i++)
        strcat(body, "因");
    strcat(body, "\"}");
    snprintf(path, sizeof path, "/api/v1/orders/%s/unmask", number);
    ck_assert_int_eq(ta_req(&mgr, "POST", path, body, NULL, 0, &r), 200);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_req(&mgr, "GET", "/api/v1/audit?action=unmask", NULL, NULL, 0, &r), 200);
    ck_assert_int_eq(ta_int(&r, "total"), 1);
    json_t *items = json_object_get(r.json, "items");
    ck_assert_int_eq(json_array_size(items), 1);
    const char *detail = json_string_value(json_object_get(json_array_get(items, 0), "detail"));
    ck_assert(detail && th_has(detail, number) && th_has(detail, "因因因"));
    ta_resp_free(&r);
    free(number);
}
END_TEST

/* What the web application reads besides the lifecycle: the category tree
 * without login, the assessment workbook (manager yes, a unit role no), an
 * open order's working days left. */
START_TEST(web_app_reads)
{
    ta_client anon, op, disp, h1, mgr;
    ta_resp r;
    ta_anon(&srv, &anon);
    ck_assert_int_eq(ta_get(&anon, &r, "/api/v1/categories"), 200);
    json_t *g = json_array_get(json_object_get(r.json, "items"), 0);
    ck_assert_msg(json_string_value(json_object_get(g, "name")) &&
                      json_string_value(json_object_get(json_array_get(json_object_get(g, "children"), 0), "code")),
                  "categories: %s", r.body);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_get(&anon, &r, "/api/v1/categories?x=1"), 400);
    ta_resp_free(&r);

    ta_login(&srv, &mgr, "mgr");
    ck_assert_int_eq(ta_get(&mgr, &r, "/api/v1/assessment.xlsx?channel=hotline&month=2024-05"), 200);
    ck_assert_msg(r.body[0] == 'P' && r.body[1] == 'K', "not a workbook: %.40s", r.body);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_get(&mgr, &r, "/api/v1/assessment.xlsx?channel=hotline&month=2024-13"), 400);
    ta_resp_free(&r);
    ta_login(&srv, &h1, "h1");
    ck_assert_int_eq(ta_get(&h1, &r, "/api/v1/assessment.xlsx?channel=hotline&month=2024-05"), 403);
    ta_resp_free(&r);

    ta_login(&srv, &op, "op");
    ta_login(&srv, &disp, "disp");
    char *number = ta_new_order(&op, "幸福路路灯不亮");
    ck_assert_int_eq(ta_get(&disp, &r, "/api/v1/orders/%s", number), 200);
    ck_assert(json_is_null(json_object_get(r.json, "working_days_left")));
    ta_resp_free(&r);
    STEP(disp, "dispatch", "\"unit\":\"C1\"");
    ck_assert_int_eq(ta_get(&h1, &r, "/api/v1/orders/%s", number), 200);
    json_t *left = json_object_get(r.json, "working_days_left");
    ck_assert_msg(json_is_integer(left) && json_integer_value(left) >= 1, "working_days_left: %s", r.body);
    ta_resp_free(&r);
    free(number);
}
END_TEST

/* C1's due orders in an assessment answer (-1 when it has no row). */
static long long c1_due(const ta_resp *r)
{
    json_t *row;
    size_t i;
    json_array_foreach(json_object_get(r->json, "rows"), i, row) {
        if (strcmp(json_string_value(json_object_get(row, "code")), "C1") == 0)
            return json_integer_value(json_object_get(row, "due"));
    }
    return -1;
}

static void import_lines(const char *lines)
{
    th_proc p;
    char *units = th_path(srv.dir, "units.tsv"), *events = th_path(srv.dir, "late.jsonl");
    th_write(events, lines);
    TH_CLI(&p, srv.db, "import", units, events);
    ck_assert_msg(p.status == 0, "%s", p.err);
    th_proc_free(&p);
    free(units);
    free(events);
}

/* An assessment as of a past cut-off is kept (it folds the history) until
 * history at or before the cut-off is recorded later: an import of a May
 * order changes the answer at once, a callback after the cut-off does not. */
START_TEST(assessment_as_of_kept)
{
#define ASOF_Q "/api/v1/assessment?channel=hotline&month=2024-05&as_of=2024-06-24T00:00:00%2B08:00"
    ta_client mgr, h1;
    ta_resp r;
    ta_login(&srv, &mgr, "mgr");
    ta_login(&srv, &h1, "h1");
    ck_assert_int_eq(ta_get(&mgr, &r, "%s", ASOF_Q), 200);
    ck_assert_int_le(c1_due(&r), 0);
    ta_resp_free(&r);
    import_lines(
        "{\"op\": \"appeal\", \"id\": \"AK1\", \"channel\": \"hotline\", \"nature\": \"complaint\", "
        "\"content\": \"路灯不亮\", \"handling\": \"order\", \"order\": \"K1\", "
        "\"at\": \"2024-05-06T09:00:00+08:00\"}\n"
        "{\"op\": \"dispatch\", \"order\": \"K1\", \"unit\": \"C1\", \"at\": \"2024-05-06T10:00:00+08:00\"}\n"
        "{\"op\": \"sign\", \"order\": \"K1\", \"at\": \"2024-05-06T11:00:00+08:00\"}\n"
        "{\"op\": \"reply\", \"order\": \"K1\", \"text\": \"已修复\", \"at\": \"2024-05-07T10:00:00+08:00\"}\n"
        "{\"op\": \"review\", \"order\": \"K1\", \"result\": \"accept\", \"at\": \"2024-05-07T11:00:00+08:00\"}\n");
    ck_assert_int_eq(ta_get(&mgr, &r, "%s", ASOF_Q), 200);
    ck_assert_msg(c1_due(&r) == 1, "%s", r.body);
    char *kept = strdup(r.body);
    ta_resp_free(&r);
    import_lines("{\"op\": \"callback\", \"order\": \"K1\", \"result\": \"dissatisfied\", "
                 "\"at\": \"2024-06-25T10:00:00+08:00\"}\n");
    ck_assert_int_eq(ta_get(&mgr, &r, "%s", ASOF_Q), 200);
    ck_assert_str_eq(r.body, kept);
    ta_resp_free(&r);
    /* a unit role reads its own row of the kept answer */
    ck_assert_int_eq(ta_get(&h1, &r, "%s", ASOF_Q), 200);
    ck_assert_msg(json_array_size(json_object_get(r.json, "rows")) == 1 && c1_due(&r) == 1, "%s",
                  r.body);
    ta_resp_free(&r);
    free(kept);
#undef ASOF_Q
}
END_TEST

Suite *suite_api_flow(void)
{
    Suite *s = suite_create("api_flow");
    TCase *tc = tcase_create("flow");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, whole_life);
    tcase_add_test(tc, cli_user_add_then_login);
    tcase_add_test(tc, static_files_stay_inside);
    tcase_add_test(tc, long_unmask_reason_audited);
    tcase_add_test(tc, web_app_reads);
    tcase_add_test(tc, assessment_as_of_kept);
    tcase_add_test(tc, stop_while_busy);
    suite_add_tcase(s, tc);
    return s;
}
