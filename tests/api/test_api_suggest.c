/* test_api_suggest.c — 智能派单 over HTTP: before any training the
 * suggestions are empty; after `text train` on the server's database an
 * operator gets the right category and unit first, with scores, and the
 * earlier appeals of the same caller or the same place as duplicates;
 * other roles are refused and bad bodies get 400.  The manager's hot spots
 * of a window of appeals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"

#define V1 "/api/v1"

static ta_server srv;
static ta_client op, disp, h1, mgr;

static void setup(void)
{
    ta_start(&srv);
    ta_login(&srv, &op, "op");
    ta_login(&srv, &disp, "disp");
    ta_login(&srv, &h1, "h1");
    ta_login(&srv, &mgr, "mgr");
}

static void teardown(void)
{
    ta_stop(&srv);
}

/* An order taken by op and dispatched by disp to unit. */
static void order(const char *category, const char *content, const char *location,
                  const char *phone, const char *unit)
{
    char body[2048], fields[64];
    ta_resp r;
    snprintf(body, sizeof body,
             "{\"channel\":\"hotline\",\"source\":\"电话\",\"nature\":\"complaint\","
             "\"category\":\"%s\",\"content\":\"%s\",\"location\":\"%s\","
             "\"citizen\":{\"name\":\"张三\",\"phone\":\"%s\"},\"handling\":\"order\"}",
             category, content, location, phone);
    ck_assert_msg(ta_req(&op, "POST", V1 "/appeals", body, NULL, 0, &r) == 201, "intake: %s",
                  r.body);
    char *number =
        strdup(json_string_value(json_object_get(json_object_get(r.json, "order"), "number")));
    ta_resp_free(&r);
    snprintf(fields, sizeof fields, "\"unit\":\"%s\"", unit);
    ck_assert_int_eq(ta_step(&disp, &disp, number, "dispatch", fields, &r), 200);
    ta_resp_free(&r);
    free(number);
}

#define NOISE "城市管理类 › 噪音扰民"
#define WAGES "人力资源和社会保障类 › 工资拖欠"

static long suggest(ta_client *c, const char *body, ta_resp *r)
{
    return ta_req(c, "POST", V1 "/suggestions", body, NULL, 0, r);
}

/* Member `key` of item i of array `arr` of the response. */
static const char *item(const ta_resp *r, const char *arr, size_t i, const char *key)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(r->json, arr), i), key));
}

START_TEST(suggestions_after_training)
{
    ta_resp r;
    const char *ask = "{\"content\":\"楼下工地夜间施工噪音太大，影响休息\",\"location\":\"东城区人民路\","
                      "\"phone\":\"13900000001\"}";
    ck_assert_int_eq(suggest(&op, ask, &r), 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "categories")), 0);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "units")), 0);
    ta_resp_free(&r);

    order(NOISE, "工地夜间施工噪音扰民，无法入睡", "东城区人民路", "13900000001", "C1");
    order(NOISE, "广场舞音响噪音太大", "东城区文化广场", "13900000002", "C1");
    order(NOISE, "酒吧夜间噪音扰民", "东城区步行街", "13900000003", "C1");
    order(WAGES, "公司拖欠工资三个月未发", "西城区工业园", "13900000004", "C2");
    order(WAGES, "包工头拖欠农民工工资", "西城区建设路", "13900000005", "C2");
    order(WAGES, "工厂拖欠工资不给加班费", "西城区工业园", "13900000006", "C2");

    th_proc p;
    ck_assert_int_eq(TH_CLI(&p, srv.db, "text", "train", "--holdout", "0.5"), 0);
    ck_assert_msg(th_has(p.out, "诉求类型模型：6 条、2 类") && th_has(p.out, "承办单位模型：6 条、2 个单位"),
                  "%s", p.out);
    th_proc_free(&p);

    ck_assert_int_eq(suggest(&op, ask, &r), 200);
    ck_assert_str_eq(item(&r, "categories", 0, "name"), NOISE);
    ck_assert_str_eq(item(&r, "categories", 0, "code"), "1001");
    ck_assert_str_eq(item(&r, "units", 0, "code"), "C1");
    ck_assert_str_eq(item(&r, "units", 0, "name"), "东城区");
    double s0 = json_real_value(json_object_get(
               json_array_get(json_object_get(r.json, "categories"), 0), "score")),
           s1 = json_real_value(json_object_get(
               json_array_get(json_object_get(r.json, "categories"), 1), "score"));
    ck_assert(s0 > s1 && s0 < 1 && s1 > 0);
    /* the same caller, and the same place with a similar content */
    json_t *d = json_object_get(r.json, "duplicates");
    ck_assert_uint_eq(json_array_size(d), 1);
    ck_assert_str_eq(item(&r, "duplicates", 0, "reason"), "同一来电人");
    ck_assert(strlen(item(&r, "duplicates", 0, "number")) > 0);
    ta_resp_free(&r);

    ck_assert_int_eq(suggest(&disp, "{\"content\":\"工厂拖欠工资不给加班费，请求帮助\","
                                    "\"location\":\"西城区工业园\"}", &r), 200);
    ck_assert_str_eq(item(&r, "categories", 0, "name"), WAGES);
    ck_assert_str_eq(item(&r, "units", 0, "code"), "C2");
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "duplicates")), 1);
    ck_assert_str_eq(item(&r, "duplicates", 0, "reason"), "同一地点的相似诉求");
    ta_resp_free(&r);
}
END_TEST

START_TEST(who_and_what)
{
    ta_resp r;
    ta_client anon;
    ta_anon(&srv, &anon);
    ck_assert_int_eq(suggest(&anon, "{\"content\":\"停水\"}", &r), 401);
    ta_resp_free(&r);
    ck_assert_int_eq(suggest(&h1, "{\"content\":\"停水\"}", &r), 403);
    ta_resp_free(&r);
    static const char *const bad[] = {
        "", "[]", "{}", "{\"content\":\"\"}", "{\"content\":5}", "{\"content\":\"停水\",\"x\":1}",
        "{\"content\":\"停水\",\"phone\":\"abc\"}", "{\"content\":\"停\\u0001水\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_msg(suggest(&op, bad[i], &r) == 400, "%s: %ld %s", bad[i], r.status, r.body);
        ck_assert_ptr_nonnull(ta_str(&r, "code"));
        ta_resp_free(&r);
    }
}
END_TEST

START_TEST(hotspots_of_a_window)
{
    static const char *const noise[] = {"工地夜间施工噪音扰民", "夜里施工声音太大", "凌晨还在施工打桩",
                                        "施工噪音影响孩子休息", "工地噪音连续一周"};
    for (int i = 0; i < 5; i++)
        order(NOISE, noise[i], "东城区人民路", "13900000010", "C1");
    order(WAGES, "公司拖欠工资", "西城区工业园", "13900000004", "C2");
    ta_resp r;
    ck_assert_int_eq(ta_get(&mgr, &r, V1 "/hotspots?top=3"), 200);
    ck_assert_int_eq(ta_int(&r, "appeals"), 6);
    json_t *h = json_object_get(r.json, "hotspots");
    ck_assert_uint_eq(json_array_size(h), 1);
    ck_assert_str_eq(item(&r, "hotspots", 0, "place"), "东城区人民路");
    ck_assert_str_eq(item(&r, "hotspots", 0, "kind"), "place");
    json_t *s0 = json_array_get(h, 0);
    ck_assert_int_eq(json_integer_value(json_object_get(s0, "count")), 5);
    ck_assert_uint_eq(json_array_size(json_object_get(s0, "appeals")), 5);
    json_t *u = json_array_get(json_object_get(s0, "units"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(u, "code")), "C1");
    ck_assert_int_eq(json_integer_value(json_object_get(u, "count")), 5);
    ck_assert(json_real_value(json_object_get(s0, "heat")) >= 5);
    char *to = strdup(ta_str(&r, "to"));
    ta_resp_free(&r);
    /* the live answer is kept for refresh_minutes (data/text.json); a window
     * asked for is found again */
    order(NOISE, "人民路工地又在夜间施工", "东城区人民路", "13900000011", "C1");
    ck_assert_int_eq(ta_get(&mgr, &r, V1 "/hotspots?top=3"), 200);
    ck_assert_int_eq(ta_int(&r, "appeals"), 6);
    ck_assert_str_eq(ta_str(&r, "to"), to);
    ta_resp_free(&r);
    /* up to a minute from now: the 7th appeal is inside whatever second it
     * was received in (the kept answer's `to` is the second after its own
     * request, which the 7th appeal reaches only when no second passed) */
    char path[256], enc[128], later[32];
    time_t t = time(NULL) + 60;
    strftime(later, sizeof later, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    snprintf(path, sizeof path, V1 "/hotspots?top=3&to=%s", ta_urlenc(later, enc, sizeof enc));
    ck_assert_msg(ta_get(&mgr, &r, "%s", path) == 200, "%s: %s", path, r.body);
    ck_assert_int_eq(ta_int(&r, "appeals"), 7);
    ta_resp_free(&r);
    free(to);
    /* a window before them holds nothing */
    ck_assert_int_eq(ta_get(&mgr, &r, V1 "/hotspots?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z"), 200);
    ck_assert_int_eq(ta_int(&r, "appeals"), 0);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "hotspots")), 0);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_get(&op, &r, V1 "/hotspots"), 403);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_get(&mgr, &r, V1 "/hotspots?top=0"), 400);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_get(&mgr, &r, V1 "/hotspots?from=2020-02-01T00:00:00Z&to=2020-01-01T00:00:00Z"), 400);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_get(&mgr, &r, V1 "/hotspots?x=1"), 400);
    ta_resp_free(&r);
}
END_TEST

Suite *suite_api_suggest(void)
{
    Suite *s = suite_create("api_suggest");
    TCase *tc = tcase_create("suggest");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, suggestions_after_training);
    tcase_add_test(tc, who_and_what);
    tcase_add_test(tc, hotspots_of_a_window);
    suite_add_tcase(s, tc);
    return s;
}
