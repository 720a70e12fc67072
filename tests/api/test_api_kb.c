/* test_api_kb.c — the knowledge base over HTTP: a kb_owner writes an
 * article and publishes it, operators find it (and only what is published
 * and valid), editors stay inside their unit, versions guard every change,
 * bad input writes nothing, and review reminders are answered once, by
 * their own unit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/core/timeutil.h"
#include "../../src/store/store.h"
#include "api.h"

#define V1 "/api/v1"
#define KB V1 "/kb"
#define TEXT                                                                                 \
    "\"title\":\"夜间施工噪音投诉\",\"body\":\"市民反映夜间施工噪音扰民的，告知其由城管部门"   \
    "依法查处；夜间施工须取得许可。\\n许可证可在住建局网站查询。\""

static ta_server srv;
static ta_client kb, op, mgr; /* the kb_owner of C1, an operator, the manager */

static void setup(void)
{
    ta_start(&srv);
    ta_login(&srv, &kb, "kb");
    ta_login(&srv, &op, "op");
    ta_login(&srv, &mgr, "mgr");
}

static void teardown(void)
{
    ta_stop(&srv);
}

/* POST an article {"id": id, TEXT, extra}; returns the status. */
static long create(ta_client *c, const char *id, const char *extra, ta_resp *r)
{
    char body[2048];
    snprintf(body, sizeof body, "{\"id\":\"%s\",%s%s%s}", id, TEXT, *extra ? "," : "", extra);
    return ta_req(c, "POST", KB "/articles", body, NULL, 0, r);
}

/* The same, which must succeed; returns the new article's version. */
static long long created(ta_client *c, const char *id, const char *extra)
{
    ta_resp r;
    long st = create(c, id, extra, &r);
    ck_assert_msg(st == 201, "create %s: %ld %s", id, st, r.body);
    long long v = ta_int(&r, "version");
    ta_resp_free(&r);
    return v;
}

/* PUT the article with body {TEXT, extra} and, when if_match is not NULL,
 * that If-Match header. */
static long change(ta_client *c, const char *id, const char *extra, const char *if_match,
                   ta_resp *r)
{
    char body[2048], path[256], header[128];
    const char *headers[] = {header, NULL};
    snprintf(body, sizeof body, "{%s%s%s}", TEXT, *extra ? "," : "", extra);
    snprintf(path, sizeof path, KB "/articles/%s", id);
    snprintf(header, sizeof header, "If-Match: %s", if_match ? if_match : "");
    return ta_req(c, "PUT", path, body, if_match ? headers : NULL, 0, r);
}

/* GET a search as c; 1 when the hits hold id (r kept for the caller). */
static int finds(ta_client *c, const char *q, const char *extra, const char *id, ta_resp *r)
{
    char enc[256];
    size_t i;
    json_t *h;
    ck_assert_int_eq(ta_get(c, r, KB "/search?q=%s%s", ta_urlenc(q, enc, sizeof enc), extra), 200);
    json_array_foreach(json_object_get(r->json, "hits"), i, h)
        if (strcmp(json_string_value(json_object_get(h, "id")), id) == 0)
            return 1;
    return 0;
}

/* The status a call answered must be want, and its code code (unless
 * NULL); its answer r is freed. */
static void expect(long got, long want, const char *code, ta_resp *r)
{
    ck_assert_msg(got == want && (!code || th_has(r->body, code)), "%ld, not %ld %s: %s", got,
                  want, code ? code : "", r->body);
    ta_resp_free(r);
}

static long get_article(ta_client *c, const char *id, ta_resp *r)
{
    return ta_get(c, r, KB "/articles/%s", id);
}

/* How many articles there are (as the manager sees them). */
static long long n_articles(void)
{
    ta_resp r;
    ck_assert_int_eq(ta_get(&mgr, &r, KB "/articles"), 200);
    long long n = ta_int(&r, "total");
    ta_resp_free(&r);
    return n;
}

START_TEST(draft_published_and_found)
{
    ta_resp r;
    created(&kb, "PUB", "\"status\":\"published\"");
    ck_assert_int_eq(create(&kb, "KB-1", "\"category\":\"城市管理\"", &r), 201);
    ck_assert_str_eq(ta_str(&r, "status"), "draft");
    ck_assert_str_eq(ta_str(&r, "unit"), "C1"); /* a kb_owner's own unit by default */
    ck_assert_int_eq(ta_int(&r, "version"), 1);
    ck_assert_str_eq(r.etag, "\"1\"");
    ck_assert(th_has(r.location, "/api/v1/kb/articles/KB-1"));
    ta_resp_free(&r);

    /* a draft: invisible to the operator, visible to its owner with all=1 */
    ck_assert(!finds(&op, "噪音", "", "KB-1", &r));
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "hits")), 1); /* PUB */
    ta_resp_free(&r);
    expect(get_article(&op, "KB-1", &r), 404, NULL, &r);
    ck_assert(finds(&kb, "噪音", "&all=1", "KB-1", &r));
    ta_resp_free(&r);
    expect(ta_get(&op, &r, KB "/search?q=x&all=1"), 403, NULL, &r);

    ck_assert_int_eq(change(&kb, "KB-1", "\"status\":\"published\",\"version\":1", NULL, &r), 200);
    ck_assert_int_eq(ta_int(&r, "version"), 2);
    ta_resp_free(&r);
    /* a two-character word, highlighted in the snippet */
    ck_assert(finds(&op, "噪音", "", "KB-1", &r));
    json_t *hit = json_array_get(json_object_get(r.json, "hits"), 0);
    ck_assert(th_has(json_string_value(json_object_get(hit, "snippet")), "【噪音】"));
    ck_assert_str_eq(json_string_value(json_object_get(hit, "unit")), "C1");
    ck_assert(json_is_true(json_object_get(r.json, "exact")));
    ta_resp_free(&r);
    ck_assert_int_eq(get_article(&op, "KB-1", &r), 200);
    ck_assert(th_has(ta_str(&r, "body"), "\n许可证"));
    ta_resp_free(&r);
    ck_assert_int_eq(ta_audit_count(&srv, "kb_create", "KB-1"), 1);
    ck_assert_int_eq(ta_audit_count(&srv, "kb_update", "KB-1"), 1);
}
END_TEST

/* Expired, not yet valid and no longer valid articles: not for operators. */
START_TEST(operators_see_only_valid)
{
    ta_resp r;
    created(&kb, "OLD", "\"status\":\"expired\"");
    created(&kb, "PAST", "\"status\":\"published\",\"valid_to\":\"2020-01-01\"");
    created(&kb, "SOON", "\"status\":\"published\",\"valid_from\":\"2099-01-01\"");
    created(&kb, "NOW", "\"status\":\"published\",\"valid_from\":\"2020-01-01\"");
    ck_assert(finds(&op, "施工", "", "NOW", &r));
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "hits")), 1);
    ta_resp_free(&r);
    ck_assert(finds(&kb, "施工", "&all=1&limit=10", "OLD", &r));
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "hits")), 4);
    ta_resp_free(&r);
    expect(get_article(&op, "OLD", &r), 404, NULL, &r);
    ck_assert_int_eq(get_article(&kb, "PAST", &r), 200);
    ck_assert_str_eq(ta_str(&r, "valid_to"), "2020-01-01"); /* a day in, the same day out */
    ta_resp_free(&r);
    /* lists: operators get the published ones only, and may not ask for more */
    ck_assert_int_eq(ta_get(&op, &r, KB "/articles"), 200);
    ck_assert_int_eq(ta_int(&r, "total"), 3);
    ck_assert(!json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "body"));
    ta_resp_free(&r);
    expect(ta_get(&op, &r, KB "/articles?status=expired"), 403, NULL, &r);
    ck_assert_int_eq(ta_get(&kb, &r, KB "/articles?status=expired&unit=C1"), 200);
    ck_assert_int_eq(ta_int(&r, "total"), 1);
    ta_resp_free(&r);
}
END_TEST

/* A kb_owner edits its unit's subtree only; others' articles are not found. */
START_TEST(owner_stays_in_unit)
{
    ta_resp r;
    created(&mgr, "C2-1", "\"unit\":\"C2\"");
    expect(change(&kb, "C2-1", "\"version\":1", NULL, &r), 404, "\"not_found\"", &r);
    expect(change(&kb, "NOPE", "\"version\":1", NULL, &r), 404, NULL, &r);
    expect(create(&kb, "C2-2", "\"unit\":\"C2\"", &r), 403, NULL, &r);
    expect(get_article(&mgr, "C2-2", &r), 404, NULL, &r);
    /* nor move its own article out of its subtree */
    created(&kb, "T-1", "\"unit\":\"C1-1\"");
    expect(change(&kb, "T-1", "\"unit\":\"C2\",\"version\":1", NULL, &r), 403, NULL, &r);
    ck_assert_int_eq(change(&kb, "T-1", "\"note\":\"补充许可证查询\",\"version\":1", NULL, &r), 200);
    ck_assert_str_eq(ta_str(&r, "unit"), "C1-1"); /* an absent unit stays */
    ta_resp_free(&r);
    /* the manager edits any unit's; the operator none */
    expect(change(&mgr, "C2-1", "\"status\":\"published\",\"version\":1", NULL, &r), 200, NULL, &r);
    expect(create(&op, "OP-1", "", &r), 403, NULL, &r);
    ck_assert_int_eq(n_articles(), 2);
}
END_TEST

START_TEST(versions_guard_changes)
{
    ta_resp r;
    created(&kb, "V", "\"note\":\"初稿\"");
    expect(change(&kb, "V", "", NULL, &r), 428, "\"version_required\"", &r);
    /* If-Match, quoted as an ETag */
    expect(change(&kb, "V", "\"category\":\"城建\",\"note\":\"第二版\"", "\"1\"", &r), 200,
           NULL, &r);
    /* the manager saw version 1: stale */
    expect(change(&mgr, "V", "\"status\":\"published\",\"version\":1", NULL, &r), 409,
           "\"version_conflict\"", &r);
    expect(change(&mgr, "V", "\"status\":\"published\"", "garbage", &r), 409, NULL, &r);
    expect(change(&mgr, "V", "\"status\":\"published\",\"note\":\"发布\"", "2", &r), 200, NULL, &r);
    /* the same content again: no new version */
    ck_assert_int_eq(change(&mgr, "V", "\"status\":\"published\",\"note\":\"发布\"", "3", &r), 200);
    ck_assert_int_eq(ta_int(&r, "version"), 3);
    ta_resp_free(&r);

    ck_assert_int_eq(get_article(&kb, "V", &r), 200);
    ck_assert_str_eq(r.etag, "\"3\"");
    json_t *vs = json_object_get(r.json, "versions");
    ck_assert_int_eq(json_array_size(vs), 3);
    static const char *const notes[] = {"发布", "第二版", "初稿"};
    static const char *const actors[] = {"mgr", "kb", "kb"};
    for (size_t i = 0; i < 3; i++) {
        json_t *v = json_array_get(vs, i);
        ck_assert_int_eq(json_integer_value(json_object_get(v, "version")), 3 - (int)i);
        ck_assert_str_eq(json_string_value(json_object_get(v, "note")), notes[i]);
        ck_assert_str_eq(json_string_value(json_object_get(v, "actor")), actors[i]);
    }
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(vs, 0), "status")),
                     "published");
    ta_resp_free(&r);
    expect(create(&kb, "V", "", &r), 409, "\"already_exists\"", &r);
}
END_TEST

/* Every bad input is a 4xx {code, message} and writes nothing. */
START_TEST(bad_input_writes_nothing)
{
    /* members added to a good article, then whole bodies: all 400 */
    static const char *const extras[] = {
        "\"colour\":\"red\"", "\"valid_from\":\"2024-02-30\"", "\"valid_to\":\"2024/06/01\"",
        "\"valid_from\":\"2024-06-01\",\"valid_to\":\"2024-06-01\"", "\"review_days\":0",
        "\"review_days\":3651", "\"review_days\":\"30\"", "\"status\":\"archived\"",
        "\"version\":1", "\"id\":\"C\"",
    };
    static const char *const bodies[] = {
        "{\"id\":\"a/b\"," TEXT "}", "{\"id\":\"\"," TEXT "}", "{\"id\":\"B\",\"title\":\"t\"}",
        "{\"id\":\"B\",\"title\":\"\",\"body\":\"x\"}", "{\"id\":\"B\",\"title\":null,\"body\":\"x\"}",
        "{\"id\":\"B\",\"title\":\"t\\u0007\",\"body\":\"x\"}", "[1]",
    };
    ta_resp r;
    char body[1024];
    for (size_t i = 0; i < sizeof extras / sizeof extras[0]; i++)
        expect(create(&kb, "B", extras[i], &r), 400, "\"message\":\"", &r);
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
        expect(ta_req(&kb, "POST", KB "/articles", bodies[i], NULL, 0, &r), 400, "\"message\":\"",
               &r);
    expect(create(&kb, "B", "\"unit\":\"Z9\"", &r), 422, "\"unit_unknown\"", &r);
    /* a title of 201 characters */
    strcpy(body, "{\"id\":\"B\",\"body\":\"x\",\"title\":\"");
    for (int i = 0; i < 201; i++)
        strcat(body, "长");
    strcat(body, "\"}");
    expect(ta_req(&kb, "POST", KB "/articles", body, NULL, 0, &r), 400, NULL, &r);
    ck_assert_int_eq(n_articles(), 0);
    ck_assert_int_eq(ta_audit_count(&srv, "kb_create", ""), 0);

    /* a change's bad input leaves the article as it was */
    created(&kb, "B", "");
    expect(change(&kb, "B", "\"review_days\":0,\"version\":1", NULL, &r), 400, NULL, &r);
    expect(change(&kb, "B", "\"id\":\"B\",\"version\":1", NULL, &r), 400, NULL, &r);
    ck_assert_int_eq(get_article(&kb, "B", &r), 200);
    ck_assert_int_eq(ta_int(&r, "version"), 1);
    ta_resp_free(&r);

    /* queries */
    static const char *const queries[] = {
        KB "/search", KB "/search?q=", KB "/search?q=x&limit=0", KB "/search?q=x&limit=101",
        KB "/search?q=x&all=2", KB "/search?q=x&unit=Z9", KB "/search?q=x&sort=new",
        KB "/articles?status=old", KB "/articles?page=0", KB "/articles/B?x=1",
        KB "/reminders?open=yes",
    };
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        ck_assert_msg(ta_get(&kb, &r, "%s", queries[i]) == 400, "%s: %s", queries[i], r.body);
        ta_resp_free(&r);
    }
    char q[512] = KB "/search?q=";
    for (int i = 0; i < 201; i++)
        strcat(q, "a");
    expect(ta_get(&kb, &r, "%s", q), 400, NULL, &r);
}
END_TEST

/* Reminders sent as if at `at` (the test's own connection, as `kb remind`
 * does), due answer_days later; returns how many were sent. */
static long long remind(int64_t at, int answer_days)
{
    hl_store *st;
    hl_err err;
    int64_t made = 0;
    ck_assert_msg(store_open(srv.db, &st, &err) == HL_OK, "%s", err.msg);
    ck_assert(store_begin(st, &err) == HL_OK);
    ck_assert_msg(store_kb_remind(st, at, answer_days, &made, &err) == HL_OK, "%s", err.msg);
    ck_assert(store_commit(st, &err) == HL_OK);
    store_close(st);
    return made;
}

/* The id of the only reminder of a list answer; -1 unless exactly one. */
static long long only_reminder(const ta_resp *r, const char *article)
{
    json_t *items = json_object_get(r->json, "items"), *x = json_array_get(items, 0);
    if (json_array_size(items) != 1 ||
        strcmp(json_string_value(json_object_get(x, "article")), article) != 0)
        return -1;
    return json_integer_value(json_object_get(x, "id"));
}

static long answer(ta_client *c, long long id, const char *what, ta_resp *r)
{
    char path[128], body[64];
    snprintf(path, sizeof path, KB "/reminders/%lld/answer", id);
    snprintf(body, sizeof body, "{\"answer\":\"%s\"}", what);
    return ta_req(c, "POST", path, body, NULL, 0, r);
}

START_TEST(reminders_answered_once)
{
    ta_client kb2, adm, h2;
    ta_resp r;
    ta_login(&srv, &adm, "adm");
    ta_login(&srv, &h2, "h2");
    /* the kb_owner of C2 */
    ck_assert_int_eq(ta_status(&adm, "POST", V1 "/users",
                               "{\"name\":\"kbowner2\",\"role\":\"kb_owner\",\"unit\":\"C2\","
                               "\"password\":\"pw-kbowner2\"}"),
                     201);
    /* the users, paged and filtered by the server: by name, by unit name */
    ck_assert_int_eq(ta_get(&adm, &r, V1 "/users?q=kbowner2"), 200);
    ck_assert_int_eq(ta_int(&r, "total"), 1);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_get(&adm, &r, V1 "/users?page_size=1&page=2"), 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    ck_assert_int_gt(ta_int(&r, "total"), 2);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_get(&adm, &r, V1 "/users?q=%s", "nobody-such"), 200);
    ck_assert_int_eq(ta_int(&r, "total"), 0);
    ta_resp_free(&r);
    ta_login(&srv, &kb2, "kbowner2");
    created(&kb, "R1", "\"status\":\"published\",\"review_days\":1");
    created(&kb2, "R2", "\"status\":\"published\",\"review_days\":1");
    created(&kb, "R3", "\"review_days\":1"); /* a draft is never reminded */
    /* reviews fall due tomorrow: sent then, due (for the test) already yesterday */
    int64_t now = (int64_t)time(NULL);
    ck_assert_int_eq(remind(now, 10), 0);
    ck_assert_int_eq(remind(now + 86400 + 3600, -2), 2);

    ck_assert_int_eq(ta_get(&kb, &r, KB "/reminders?open=1"), 200);
    long long id = only_reminder(&r, "R1");
    ck_assert_msg(id > 0, "%s", r.body);
    json_t *x = json_array_get(json_object_get(r.json, "items"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(x, "unit")), "C1");
    ck_assert(json_is_true(json_object_get(x, "overdue")));
    ck_assert(json_is_null(json_object_get(x, "answered_at")));
    ck_assert(th_has(json_string_value(json_object_get(x, "due_at")), "+08:00"));
    ta_resp_free(&r);
    ck_assert_int_eq(ta_get(&mgr, &r, KB "/reminders?overdue=1"), 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 2);
    ta_resp_free(&r);
    /* paged by the server: the second page of one holds the other */
    ck_assert_int_eq(ta_get(&mgr, &r, KB "/reminders?overdue=1&page=2&page_size=1"), 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    ck_assert_int_eq(ta_int(&r, "total"), 2);
    ck_assert_int_eq(ta_int(&r, "page"), 2);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_get(&mgr, &r, KB "/reminders?overdue=1&page=3&page_size=1"), 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 0);
    ta_resp_free(&r);
    expect(ta_get(&mgr, &r, KB "/reminders?page=0"), 400, NULL, &r);
    ck_assert_int_eq(ta_get(&kb2, &r, KB "/reminders"), 200);
    long long id2 = only_reminder(&r, "R2");
    ta_resp_free(&r);
    expect(ta_get(&op, &r, KB "/reminders"), 403, NULL, &r);

    /* another unit's reminder is not found; roles without kb_edit are refused */
    expect(answer(&kb2, id, "confirmed", &r), 404, "\"not_found\"", &r);
    expect(answer(&kb, id2, "confirmed", &r), 404, NULL, &r);
    expect(answer(&h2, id, "confirmed", &r), 403, NULL, &r);
    expect(answer(&adm, id, "confirmed", &r), 403, NULL, &r);
    expect(answer(&kb, id, "maybe", &r), 400, NULL, &r);
    expect(answer(&kb, 999999, "confirmed", &r), 404, NULL, &r);

    ck_assert_int_eq(answer(&kb, id, "confirmed", &r), 200);
    ck_assert_str_eq(ta_str(&r, "answer"), "confirmed");
    ck_assert_str_eq(ta_str(&r, "answered_by"), "kb");
    ck_assert(json_is_false(json_object_get(r.json, "overdue")));
    ta_resp_free(&r);
    expect(answer(&kb, id, "updated", &r), 409, "\"already_exists\"", &r);
    ck_assert_int_eq(ta_get(&kb, &r, KB "/reminders?open=1"), 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 0);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_get(&adm, &r, KB "/reminders?overdue=1"), 200);
    ck_assert_int_eq(only_reminder(&r, "R2"), id2);
    ta_resp_free(&r);
    expect(answer(&mgr, id2, "updated", &r), 200, NULL, &r); /* the manager answers any */
    ck_assert_int_eq(ta_audit_count(&srv, "kb_answer", "R1"), 1);
    /* the next review moved to a day after the answer */
    ck_assert_int_eq(get_article(&kb, "R1", &r), 200);
    int64_t next = th_time(ta_str(&r, "next_review"));
    ck_assert(next >= now + 86400 && next <= now + 86400 + 60);
    ta_resp_free(&r);
}
END_TEST

Suite *suite_api_kb(void)
{
    Suite *s = suite_create("api_kb");
    TCase *tc = tcase_create("kb");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, draft_published_and_found);
    tcase_add_test(tc, operators_see_only_valid);
    tcase_add_test(tc, owner_stays_in_unit);
    tcase_add_test(tc, versions_guard_changes);
    tcase_add_test(tc, bad_input_writes_nothing);
    tcase_add_test(tc, reminders_answered_once);
    suite_add_tcase(s, tc);
    return s;
}
