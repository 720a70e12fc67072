/* test_api_bulletin.c — the monthly bulletin over HTTP: the manager's
 * preview, sections saved as versions (a stale version is refused), the
 * three files, the drafts of 五, and what others and bad input get. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

#define B "/api/v1/bulletins/2024-05"

static ta_server srv;
static ta_client mgr, op;

static void setup(void)
{
    ta_start(&srv);
    ta_login(&srv, &mgr, "mgr");
    ta_login(&srv, &op, "op");
}

static void teardown(void)
{
    ta_stop(&srv);
}

/* How many blocks of the preview have this kind and, when text is not
 * NULL, this text. */
static int blocks(const ta_resp *r, const char *kind, const char *text)
{
    json_t *b;
    size_t i;
    int n = 0;
    json_array_foreach(json_object_get(r->json, "blocks"), i, b) {
        const char *k = json_string_value(json_object_get(b, "kind"));
        const char *t = json_string_value(json_object_get(b, "text"));
        n += k && strcmp(k, kind) == 0 && (!text || (t && strcmp(t, text) == 0));
    }
    return n;
}

START_TEST(sections_are_versioned)
{
    ta_resp r;
    ck_assert_int_eq(ta_req(&mgr, "PUT", B "/sections/1",
                            "{\"text\":\"（一）领导接听日活动持续推进。\\n（二）开通旅游服务专线。\",\"version\":0}",
                            NULL, 0, &r), 200);
    ck_assert_int_eq(ta_int(&r, "version"), 1);
    ta_resp_free(&r);
    /* edited from version 0 again: someone saved since */
    ck_assert_int_eq(ta_req(&mgr, "PUT", B "/sections/1", "{\"text\":\"x\",\"version\":0}", NULL, 0, &r),
                     409);
    ck_assert_str_eq(ta_str(&r, "code"), "version_conflict");
    ta_resp_free(&r);
    ck_assert_int_eq(ta_req(&mgr, "PUT", B "/sections/1",
                            "{\"text\":\"（一）领导接听日活动持续推进。\",\"version\":1}", NULL, 0, &r),
                     200);
    ck_assert_int_eq(ta_int(&r, "version"), 2);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_get(&mgr, &r, B "/sections/1"), 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "versions")), 2);
    ta_resp_free(&r);
    /* the preview has the latest version as a paragraph under 一 */
    ck_assert_int_eq(ta_get(&mgr, &r, B), 200);
    ck_assert_int_eq(blocks(&r, "paragraph", "（一）领导接听日活动持续推进。"), 1);
    ck_assert_int_eq(blocks(&r, "paragraph", "（二）开通旅游服务专线。"), 0);
    ck_assert_int_eq(blocks(&r, "heading", "一、工作动态"), 1);
    ck_assert_int_eq(blocks(&r, "table", NULL), 4);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "sections")), 1);
    ta_resp_free(&r);
    /* the hot spots: one a line, joined as the seed writes them */
    ck_assert_int_eq(ta_status(&mgr, "PUT", B "/sections/2",
                               "{\"text\":\"多地积水严重。\\n\\n整个市场停电；\",\"version\":0}"),
                     200);
    ck_assert_int_eq(ta_get(&mgr, &r, B), 200);
    ck_assert_int_eq(blocks(&r, "paragraph", "（二）热点焦点。多地积水严重；整个市场停电。"), 1);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_audit_count(&srv, "bulletin_section", "第 1 部分"), 2);
}
END_TEST

START_TEST(files_download)
{
    static const char *const files[][2] = {
        {"bulletin.pdf", "%PDF"}, {"bulletin.docx", "PK"}, {"annexes.xlsx", "PK"}};
    ta_resp r;
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(ta_get(&mgr, &r, B "/files/%s?issue=7", files[i][0]), 200);
        ck_assert_msg(strncmp(r.body, files[i][1], strlen(files[i][1])) == 0, "%s", files[i][0]);
        ta_resp_free(&r);
    }
    ck_assert_int_eq(ta_get(&mgr, &r, B "/files/bulletin.doc"), 404);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_get(&mgr, &r, B "/drafts"), 200);
    ck_assert_int_eq(ta_int(&r, "section"), 5);
    ck_assert_ptr_nonnull(ta_str(&r, "text"));
    ta_resp_free(&r);
}
END_TEST

START_TEST(others_and_bad_input_refused)
{
    ta_resp r;
    ck_assert_int_eq(ta_get(&op, &r, B), 403);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_status(&op, "PUT", B "/sections/1", "{\"text\":\"x\",\"version\":0}"), 403);
    ck_assert_int_eq(ta_get(&mgr, &r, "/api/v1/bulletins/2024-13"), 400);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_get(&mgr, &r, B "?as_of=yesterday"), 400);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_get(&mgr, &r, B "?issue=0"), 400);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_get(&mgr, &r, B "?colour=red"), 400);
    ta_resp_free(&r);
    ck_assert_int_eq(ta_status(&mgr, "PUT", B "/sections/3", "{\"text\":\"x\",\"version\":0}"), 404);
    ck_assert_int_eq(ta_status(&mgr, "PUT", B "/sections/4", "{\"text\":\"x\"}"), 400);
    ck_assert_int_eq(ta_status(&mgr, "PUT", B "/sections/4", "{\"text\":\"x\",\"version\":-1}"), 400);
    ck_assert_int_eq(ta_status(&mgr, "PUT", B "/sections/4", "{\"text\":1,\"version\":0}"), 400);
    ck_assert_int_eq(ta_status(&mgr, "PUT", B "/sections/4", "{\"text\":\"x\",\"version\":0,\"y\":1}"),
                     400);
    ck_assert_int_eq(ta_get(&mgr, &r, B "/sections/4"), 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "versions")), 0);
    ta_resp_free(&r);
}
END_TEST

Suite *suite_api_bulletin(void)
{
    Suite *s = suite_create("api_bulletin");
    TCase *tc = tcase_create("bulletin");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, sections_are_versioned);
    tcase_add_test(tc, files_download);
    tcase_add_test(tc, others_and_bad_input_refused);
    suite_add_tcase(s, tc);
    return s;
}
