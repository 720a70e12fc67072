/* test_api_server.c — how the server itself behaves: sessions kept in
 * memory end with logout or a user's change at once, and within
 * session_cache_s when changed behind the server's back; a report runs on
 * the report pool, not on the thread of the connections it shares. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api.h"

static ta_server srv;

static void server_down(void)
{
    ta_stop(&srv);
}

static const char *session_role(ta_client *c)
{
    static char role[32];
    ta_resp r;
    role[0] = '\0';
    if (ta_get(c, &r, "/api/v1/session") == 200)
        snprintf(role, sizeof role, "%s",
                 json_string_value(json_object_get(json_object_get(r.json, "user"), "role")));
    ta_resp_free(&r);
    return role;
}

static long patch_user(ta_client *adm, const char *name, const char *body)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/users/%s", name);
    return ta_status(adm, "PATCH", path, body);
}

/* Each request below is answered from the kept session (the first one
 * filled it): a change made through the server is seen by the next one. */
START_TEST(user_changes_seen_at_once)
{
    ta_client adm, sup;
    ta_start_with(&srv, "{\"session_cache_s\": 3600}");
    ta_login(&srv, &adm, "adm");
    ta_login(&srv, &sup, "sup");
    ck_assert_str_eq(session_role(&sup), "supervisor");
    ck_assert_int_eq(patch_user(&adm, "sup", "{\"role\":\"manager\"}"), 200);
    ck_assert_str_eq(session_role(&sup), "manager");
    ck_assert_int_eq(patch_user(&adm, "sup", "{\"disabled\":true}"), 200);
    ck_assert_str_eq(session_role(&sup), "");
    ck_assert_int_eq(patch_user(&adm, "sup", "{\"disabled\":false}"), 200);
    ta_login(&srv, &sup, "sup");
    ck_assert_str_eq(session_role(&sup), "manager");
    ck_assert_int_eq(patch_user(&adm, "sup", "{\"password\":\"pw-sup-2\"}"), 200);
    ck_assert_str_eq(session_role(&sup), "");
}
END_TEST

static void delete_sessions(const char *db)
{
    sqlite3 *h;
    ck_assert(sqlite3_open(db, &h) == SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    ck_assert(sqlite3_exec(h, "DELETE FROM sessions", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(h);
}

/* A session ended behind the server's back (another process, the same
 * database) is still honoured while kept, and no longer after
 * session_cache_s. */
START_TEST(session_kept_for_its_time)
{
    enum { KEEP_S = 2 };
    ta_client op;
    ta_start_with(&srv, "{\"session_cache_s\": 2}");
    ta_login(&srv, &op, "op");
    time_t t0 = time(NULL);
    ck_assert_str_eq(session_role(&op), "operator"); /* kept at a time in [t0, t1] */
    time_t t1 = time(NULL);
    delete_sessions(srv.db);
    char role[32];
    snprintf(role, sizeof role, "%s", session_role(&op));
    if (time(NULL) < t0 + KEEP_S) /* surely still kept: the store is not read */
        ck_assert_str_eq(role, "operator");
    while (time(NULL) <= t1 + KEEP_S)
        usleep(50000);
    ck_assert_str_eq(session_role(&op), "");
}
END_TEST

typedef struct {
    ta_client *c;
    long status;
    struct timespec done;
} report_call;

static void *fetch_pdf(void *arg)
{
    report_call *x = arg;
    ta_resp r;
    x->status = ta_get(x->c, &r, "/api/v1/bulletins/2024-05/files/bulletin.pdf");
    clock_gettime(CLOCK_MONOTONIC, &x->done);
    ta_resp_free(&r);
    return NULL;
}

static double ms_between(struct timespec a, struct timespec b)
{
    return (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
}

/* One daemon thread holds every connection: the bulletin's PDF (hundreds
 * of ms of rendering) runs on the report pool, and a request on another
 * connection is answered meanwhile. */
START_TEST(report_beside_other_requests)
{
    ta_client mgr, op;
    ta_start_with(&srv, "{\"threads\": 1, \"report_threads\": 1}");
    ta_login(&srv, &mgr, "mgr");
    ta_login(&srv, &op, "op");
    report_call pdf = {&mgr, 0, {0, 0}};
    struct timespec start, health;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pthread_t t;
    ck_assert(pthread_create(&t, NULL, fetch_pdf, &pdf) == 0);
    usleep(30000); /* the report has begun */
    ck_assert_str_eq(session_role(&op), "operator");
    clock_gettime(CLOCK_MONOTONIC, &health);
    pthread_join(t, NULL);
    ck_assert_int_eq(pdf.status, 200);
    double report_ms = ms_between(start, pdf.done), other_ms = ms_between(start, health);
    ck_assert_msg(report_ms > 100, "the PDF took %.0f ms: too fast to tell", report_ms);
    ck_assert_msg(other_ms < report_ms, "another request waited for the report: %.0f ms, report %.0f ms",
                  other_ms, report_ms);
}
END_TEST

Suite *suite_api_server(void)
{
    Suite *s = suite_create("api_server");
    TCase *tc = tcase_create("server");
    tcase_add_checked_fixture(tc, NULL, server_down);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, user_changes_seen_at_once);
    tcase_add_test(tc, session_kept_for_its_time);
    tcase_add_test(tc, report_beside_other_requests);
    suite_add_tcase(s, tc);
    return s;
}
