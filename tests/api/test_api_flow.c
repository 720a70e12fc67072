/* test_api_flow.c — one order through its whole life over HTTP, each step
 * by the role that does it, each with its own login. */
#include <stdlib.h>
#include <string.h>

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

Suite *suite_api_flow(void)
{
    Suite *s = suite_create("api_flow");
    TCase *tc = tcase_create("flow");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, whole_life);
    tcase_add_test(tc, cli_user_add_then_login);
    suite_add_tcase(s, tc);
    return s;
}
