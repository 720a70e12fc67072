/* test_api_merge.c — 并单 over HTTP: an operator intakes a duplicate appeal
 * with handling "merge" into an existing open order (201, the order's
 * version advances, its detail lists both appeals, no new order); a merge
 * into an unknown or a closed order, or an order number without a merge,
 * is refused with {code, message} and nothing is written; a repeated
 * Idempotency-Key merges once. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

#define V1 "/api/v1"

static ta_server srv;
static ta_client op, disp;

static void setup(void)
{
    ta_start(&srv);
    ta_login(&srv, &op, "op");
    ta_login(&srv, &disp, "disp");
}

static void teardown(void)
{
    ta_stop(&srv);
}

/* One integer from the server's database. */
static long long db_count(const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long n = -1;
    ck_assert(sqlite3_open_v2(srv.db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    ck_assert(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* POST /appeals with handling "merge" into `number`. */
static long merge(const char *number, const char *const *headers, ta_resp *r)
{
    char body[1024];
    snprintf(body, sizeof body,
             "{\"channel\":\"hotline\",\"source\":\"电话\",\"nature\":\"complaint\","
             "\"content\":\"楼下烧烤店油烟又来了\",\"location\":\"东城区幸福路8号\","
             "\"citizen\":{\"name\":\"李四\",\"phone\":\"13900000002\"},"
             "\"handling\":\"merge\",\"order\":\"%s\"}",
             number);
    return ta_req(&op, "POST", V1 "/appeals", body, headers, 0, r);
}

static long long version_of(const char *number)
{
    ta_resp r;
    ck_assert_int_eq(ta_get(&op, &r, V1 "/orders/%s", number), 200);
    long long v = ta_int(&r, "version");
    ta_resp_free(&r);
    return v;
}

START_TEST(merge_into_open_order)
{
    char *number = ta_new_order(&op, "楼下烧烤店油烟扰民");
    long long before = version_of(number);
    ta_resp r;
    ck_assert_msg(merge(number, NULL, &r) == 201, "%s", r.body);
    json_t *o = json_object_get(r.json, "order");
    ck_assert_str_eq(json_string_value(json_object_get(o, "number")), number);
    ck_assert_int_gt(json_integer_value(json_object_get(o, "version")), before);
    char *merged = strdup(ta_str(&r, "appeal_id"));
    ta_resp_free(&r);

    /* one order, two appeals, the second one merged into it */
    ck_assert_int_eq(db_count("SELECT count(*) FROM orders"), 1);
    ck_assert_int_eq(db_count("SELECT count(DISTINCT order_id) FROM appeals"), 1);
    ck_assert_int_eq(db_count("SELECT count(*) FROM appeals WHERE handling = 2"), 1);
    ck_assert_int_eq(ta_get(&op, &r, V1 "/orders"), 200);
    ck_assert_int_eq(ta_int(&r, "total"), 1);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    ta_resp_free(&r);

    /* the detail's history: both appeals, the merged one with who and when */
    ck_assert_int_eq(ta_get(&op, &r, V1 "/orders/%s", number), 200);
    ck_assert_int_gt(ta_int(&r, "version"), before);
    json_t *h = json_object_get(r.json, "history"), *ev;
    size_t i, appeals = 0, merges = 0;
    json_array_foreach(h, i, ev) {
        if (strcmp(json_string_value(json_object_get(ev, "op")), "appeal"))
            continue;
        appeals++;
        if (strcmp(json_string_value(json_object_get(ev, "handling")), "merge") == 0) {
            merges++;
            ck_assert_str_eq(json_string_value(json_object_get(ev, "id")), merged);
            ck_assert_str_eq(json_string_value(json_object_get(ev, "actor")), "op");
            ck_assert_str_eq(json_string_value(json_object_get(ev, "op_label")), "并单");
            ck_assert_ptr_nonnull(json_string_value(json_object_get(ev, "at")));
        }
    }
    ck_assert_int_eq(appeals, 2);
    ck_assert_int_eq(merges, 1);
    /* the order's own appeal stays the first one */
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r.json, "appeal"),
                                                       "handling")),
                     "order");
    ta_resp_free(&r);

    /* the merged appeal names its order */
    ck_assert_int_eq(ta_get(&op, &r, V1 "/appeals/%s", merged), 200);
    ck_assert_str_eq(ta_str(&r, "order"), number);
    ta_resp_free(&r);
    free(merged);
    free(number);
}
END_TEST

/* A refused intake: status, a {code, message} body, and nothing written. */
static void refused(long status, const ta_resp *r, long expect, const char *code)
{
    ck_assert_msg(status == expect, "%ld: %s", status, r->body);
    ck_assert_str_eq(ta_str(r, "code"), code);
    ck_assert_ptr_nonnull(ta_str(r, "message"));
}

START_TEST(merge_refused)
{
    char *number = ta_new_order(&op, "小区门口道路破损");
    long long version = version_of(number);
    ta_resp r;
    refused(merge("W-NO-SUCH", NULL, &r), &r, 404, "order_unknown");
    ta_resp_free(&r);
    /* an order number without a merge */
    const char *body = "{\"channel\":\"hotline\",\"nature\":\"consult\",\"content\":\"问一下\","
                       "\"handling\":\"direct\",\"order\":\"W1\"}";
    refused(ta_req(&op, "POST", V1 "/appeals", body, NULL, 0, &r), &r, 400, "invalid_input");
    ta_resp_free(&r);
    /* a merge without an order */
    body = "{\"channel\":\"hotline\",\"nature\":\"consult\",\"content\":\"问一下\","
           "\"handling\":\"merge\"}";
    refused(ta_req(&op, "POST", V1 "/appeals", body, NULL, 0, &r), &r, 400, "invalid_input");
    ta_resp_free(&r);
    ck_assert_int_eq(db_count("SELECT count(*) FROM appeals"), 1);
    ck_assert_int_eq(db_count("SELECT count(*) FROM events"), 1);
    ck_assert_int_eq(version_of(number), version);
    free(number);
}
END_TEST

START_TEST(merge_into_closed_order)
{
    char *number = ta_new_order(&op, "路灯不亮");
    ta_resp r;
    /* dispatched, signed, replied, accepted: closed */
    ck_assert_int_eq(ta_step(&disp, &disp, number, "dispatch", "\"unit\":\"C1\"", &r), 200);
    ta_resp_free(&r);
    ta_client h1;
    ta_login(&srv, &h1, "h1");
    ck_assert_int_eq(ta_step(&h1, &h1, number, "sign", "", &r), 200);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_step(&h1, &h1, number, "reply", "\"text\":\"已修复\"", &r), 200);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_step(&disp, &disp, number, "review", "\"result\":\"accept\"", &r), 200);
    ta_resp_free(&r);
    long long events = db_count("SELECT count(*) FROM events");
    refused(merge(number, NULL, &r), &r, 422, "order_closed");
    ta_resp_free(&r);
    ck_assert_int_eq(db_count("SELECT count(*) FROM events"), events);
    ck_assert_int_eq(db_count("SELECT count(*) FROM appeals"), 1);
    free(number);
}
END_TEST

START_TEST(merge_idempotent)
{
    char *number = ta_new_order(&op, "施工噪音");
    const char *const key[] = {"Idempotency-Key: merge-1", NULL};
    ta_resp a, b;
    ck_assert_int_eq(merge(number, key, &a), 201);
    ck_assert_int_eq(merge(number, key, &b), 201);
    ck_assert_str_eq(ta_str(&a, "appeal_id"), ta_str(&b, "appeal_id"));
    ta_resp_free(&a);
    ta_resp_free(&b);
    ck_assert_int_eq(db_count("SELECT count(*) FROM appeals WHERE handling = 2"), 1);
    free(number);
}
END_TEST

Suite *suite_api_merge(void)
{
    Suite *s = suite_create("api_merge");
    TCase *tc = tcase_create("merge");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, merge_into_open_order);
    tcase_add_test(tc, merge_refused);
    tcase_add_test(tc, merge_into_closed_order);
    tcase_add_test(tc, merge_idempotent);
    suite_add_tcase(s, tc);
    return s;
}
