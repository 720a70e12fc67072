/* test_api_public.c — what citizens and third-party apps reach without
 * login: the mayor's mailbox (a letter, its query code, the published reply,
 * the rating) and Open311 GeoReport v2 (discovery, services, requests).
 * Each test has its own server: the letters limit (3 an hour in the test
 * configuration) is per address, and every request comes from 127.0.0.1. */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/buf.h"
#include "api.h"

#define NAME "李四"
#define PHONE "13900001111"
#define O311 "/open311/v2"
#define LETTERS "/api/v1/public/letters"

static ta_server srv;

static void setup(void)
{
    ta_start(&srv);
}

static void teardown(void)
{
    ta_stop(&srv);
}

/* --- helpers ------------------------------------------------------------------ */

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    hl_buf *b = arg;
    return hl_buf_add(b, data, size * n) ? 0 : size * n;
}

/* POST a form-encoded body (ta_req always sends JSON). */
static long form_post(const char *path, const char *body, ta_resp *r)
{
    char url[512];
    hl_buf out;
    hl_buf_init(&out, (size_t)1 << 20);
    memset(r, 0, sizeof *r);
    CURL *curl = curl_easy_init();
    ck_assert(curl);
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", srv.port, path);
    struct curl_slist *h =
        curl_slist_append(NULL, "Content-Type: application/x-www-form-urlencoded");
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    CURLcode cc = curl_easy_perform(curl);
    ck_assert_msg(cc == CURLE_OK, "POST %s: %s", path, curl_easy_strerror(cc));
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(curl);
    r->body = hl_buf_detach(&out);
    r->json = json_loads(r->body, 0, NULL);
    return r->status;
}

/* The answer carries none of the citizen's personal data. */
static void no_pii(const ta_resp *r, const char *name, const char *phone)
{
    ck_assert_msg(!strstr(r->body, name), "name in a public answer: %s", r->body);
    ck_assert_msg(!strstr(r->body, phone), "phone in a public answer: %s", r->body);
}

/* A mailbox error: status and {code, message}. */
static void mailbox_error(ta_client *c, const char *method, const char *path, const char *body,
                          long status, const char *code)
{
    ta_resp r;
    ck_assert_msg(ta_req(c, method, path, body, NULL, 0, &r) == status, "%s %s %s: %ld %s", method,
                  path, body ? body : "", r.status, r.body);
    ck_assert_msg(json_is_object(r.json) && ta_str(&r, "message"), "%s", r.body);
    if (code)
        ck_assert_str_eq(ta_str(&r, "code"), code);
    ta_resp_free(&r);
}

/* An Open311 error: status and [{code: status, description}]. */
static void o311_error_shape(const ta_resp *r, long status)
{
    ck_assert_msg(r->status == status, "expected %ld: %ld %s", status, r->status, r->body);
    ck_assert_msg(json_is_array(r->json) && json_array_size(r->json) == 1, "%s", r->body);
    json_t *e = json_array_get(r->json, 0);
    ck_assert_int_eq(json_integer_value(json_object_get(e, "code")), status);
    const char *d = json_string_value(json_object_get(e, "description"));
    ck_assert_msg(d && *d, "%s", r->body);
}

static void o311_get_error(ta_client *c, const char *path, long status)
{
    ta_resp r;
    ta_req(c, "GET", path, NULL, NULL, 0, &r);
    o311_error_shape(&r, status);
    ta_resp_free(&r);
}

static void o311_form_error(const char *body, long status)
{
    ta_resp r;
    form_post(O311 "/requests.json", body, &r);
    o311_error_shape(&r, status);
    ta_resp_free(&r);
}

/* The number of the order in the dispatch queue whose appeal's content
 * contains text (caller frees); also checks the appeal's source. */
static char *order_of(ta_client *disp, const char *text, const char *source)
{
    ta_resp r;
    char *number = NULL;
    ck_assert_int_eq(ta_req(disp, "GET", "/api/v1/orders?page_size=100", NULL, NULL, 0, &r), 200);
    json_t *items = json_object_get(r.json, "items"), *it;
    size_t i;
    json_array_foreach(items, i, it) {
        json_t *a = json_object_get(it, "appeal");
        const char *content = json_string_value(json_object_get(a, "content"));
        if (content && strstr(content, text)) {
            ck_assert_str_eq(json_string_value(json_object_get(a, "source")), source);
            ck_assert_str_eq(json_string_value(json_object_get(it, "channel")), "mailbox");
            number = strdup(json_string_value(json_object_get(it, "number")));
        }
    }
    ck_assert_msg(number, "no order with %s: %s", text, r.body);
    ta_resp_free(&r);
    return number;
}

#define STEP(who, number, op, fields)                                                        \
    do {                                                                                     \
        ta_resp r_;                                                                          \
        long st_ = ta_step((who), disp, (number), (op), (fields), &r_);                      \
        ck_assert_msg(st_ == 200, "%s: %ld %s", (op), st_, r_.body);                         \
        ta_resp_free(&r_);                                                                   \
    } while (0)

/* Dispatch to C1, sign and reply as h1, accept as disp. */
static void close_order(ta_client *disp, const char *number, const char *reply)
{
    ta_client h1;
    char fields[512];
    ta_login(&srv, &h1, "h1");
    snprintf(fields, sizeof fields, "\"text\":\"%s\"", reply);
    STEP(disp, number, "dispatch", "\"unit\":\"C1\"");
    STEP(&h1, number, "sign", "");
    STEP(&h1, number, "reply", fields);
    STEP(disp, number, "review", "\"result\":\"accept\"");
}

/* Total of the dispatch queue as disp sees it. */
static long long queued(ta_client *disp)
{
    ta_resp r;
    ck_assert_int_eq(ta_req(disp, "GET", "/api/v1/queues/dispatch", NULL, NULL, 0, &r), 200);
    long long n = ta_int(&r, "total");
    ta_resp_free(&r);
    return n;
}

/* --- Open311 ------------------------------------------------------------------ */

/* The service_code of the service named name (caller frees); checks the list. */
static char *service_code_of(ta_client *c, const char *name)
{
    ta_resp r;
    char *code = NULL;
    json_t *s;
    size_t i;
    ck_assert_int_eq(ta_req(c, "GET", O311 "/services.json", NULL, NULL, 0, &r), 200);
    ck_assert(json_array_size(r.json) >= 28);
    json_t *groups = json_object();
    json_array_foreach(r.json, i, s) {
        const char *g = json_string_value(json_object_get(s, "group"));
        ck_assert(g && strlen(g) > 3 && strcmp(g + strlen(g) - 3, "类") == 0);
        ck_assert(json_is_false(json_object_get(s, "metadata")));
        ck_assert_str_eq(json_string_value(json_object_get(s, "type")), "realtime");
        json_object_set_new(groups, g, json_true());
        if (strcmp(json_string_value(json_object_get(s, "service_name")), name) == 0)
            code = strdup(json_string_value(json_object_get(s, "service_code")));
    }
    ck_assert_int_eq(json_object_size(groups), 14); /* the bulletins' top levels */
    json_decref(groups);
    ta_resp_free(&r);
    ck_assert_msg(code, "no service %s", name);
    return code;
}

static void check_discovery(ta_client *c)
{
    ta_resp r;
    ck_assert_int_eq(ta_req(c, "GET", O311 "/discovery.json", NULL, NULL, 0, &r), 200);
    json_t *ep = json_array_get(json_object_get(r.json, "endpoints"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(ep, "specification")),
                     "http://wiki.open311.org/GeoReport_v2");
    ck_assert_str_eq(json_string_value(json_object_get(ep, "type")), "production");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(ep, "formats"), 0)),
                     "application/json");
    ck_assert(strstr(json_string_value(json_object_get(ep, "url")), "/open311/v2"));
    ck_assert(ta_str(&r, "changeset") && ta_str(&r, "contact"));
    ta_resp_free(&r);
}

/* GET path: a list of exactly n requests; the first into *first (a copy). */
static void o311_list(ta_client *c, const char *path, size_t n, json_t **first)
{
    ta_resp r;
    ck_assert_msg(ta_req(c, "GET", path, NULL, NULL, 0, &r) == 200, "%s: %s", path, r.body);
    ck_assert_msg(json_is_array(r.json) && json_array_size(r.json) == n, "%s: %s", path, r.body);
    no_pii(&r, "张三", "13812341234");
    ck_assert_msg(!strstr(r.body, "zhang@example.com"), "%s", r.body);
    if (first)
        *first = json_deep_copy(json_array_get(r.json, 0));
    ta_resp_free(&r);
}

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

START_TEST(open311_walk)
{
    ta_client anon, disp;
    ta_resp r;
    char path[256], body[1024];
    json_t *req;
    ta_anon(&srv, &anon);
    ta_login(&srv, &disp, "disp");
    check_discovery(&anon);
    char *code = service_code_of(&anon, "噪音扰民");
    snprintf(path, sizeof path, O311 "/services/%s.json", code);
    ck_assert_int_eq(ta_req(&anon, "GET", path, NULL, NULL, 0, &r), 200);
    ck_assert_str_eq(ta_str(&r, "service_code"), code);
    ck_assert(json_is_array(json_object_get(r.json, "attributes")));
    ta_resp_free(&r);

    /* a form-encoded request, as the standard has it */
    /* 人民路1号 · 工地夜间施工 张三 · 三 · 张 */
    snprintf(body, sizeof body,
             "service_code=%s&lat=29.3571&long=113.1289&address_string=%%E4%%BA%%BA"
             "%%E6%%B0%%91%%E8%%B7%%AF1%%E5%%8F%%B7&description=%%E5%%B7%%A5%%E5%%9C%%B0"
             "%%E5%%A4%%9C%%E9%%97%%B4%%E6%%96%%BD%%E5%%B7%%A5+%%E5%%BC%%A0%%E4%%B8%%89"
             "&first_name=%%E4%%B8%%89&last_name=%%E5%%BC%%A0&phone=13812341234"
             "&email=zhang%%40example.com",
             code);
    ck_assert_msg(form_post(O311 "/requests.json", body, &r) == 201, "%ld %s", r.status, r.body);
    const char *id0 = jstr(json_array_get(r.json, 0), "service_request_id");
    ck_assert(id0 && strlen(id0) == 12);
    char *id = strdup(id0);
    ta_resp_free(&r);

    /* one request: open, its service, its place, no personal data */
    snprintf(path, sizeof path, O311 "/requests/%s.json", id);
    o311_list(&anon, path, 1, &req);
    ck_assert_str_eq(jstr(req, "service_request_id"), id);
    ck_assert_str_eq(jstr(req, "status"), "open");
    ck_assert_str_eq(jstr(req, "service_code"), code);
    ck_assert_str_eq(jstr(req, "service_name"), "噪音扰民");
    ck_assert_str_eq(jstr(req, "address"), "人民路1号");
    ck_assert_str_eq(jstr(req, "description"), "工地夜间施工 张*"); /* the name masked */
    ck_assert(json_real_value(json_object_get(req, "lat")) > 29.35);
    ck_assert(json_is_null(json_object_get(req, "agency_responsible")));
    json_decref(req);

    /* a JSON request too */
    snprintf(body, sizeof body,
             "{\"service_code\":\"%s\",\"lat\":29.1,\"long\":113.2,\"description\":\"广场舞噪音\"}",
             code);
    ck_assert_int_eq(ta_req(&anon, "POST", O311 "/requests.json", body, NULL, 0, &r), 201);
    ta_resp_free(&r);

    /* the list and its filters */
    snprintf(path, sizeof path, O311 "/requests.json?service_request_id=%s", id);
    o311_list(&anon, path, 1, NULL);
    o311_list(&anon, O311 "/requests.json", 2, NULL);
    o311_list(&anon, O311 "/requests.json?status=open", 2, NULL);
    o311_list(&anon, O311 "/requests.json?status=closed", 0, NULL);
    o311_list(&anon, O311 "/requests.json?status=open&page=2&page_size=1", 1, NULL);
    snprintf(path, sizeof path,
             O311 "/requests.json?service_code=%s&start_date=2000-01-01T00:00:00Z", code);
    o311_list(&anon, path, 2, NULL);
    o311_list(&anon, O311 "/requests.json?end_date=2000-01-01T00:00:00Z", 0, NULL);

    /* staff see an appeal from Open311 in the dispatch queue; they close it */
    ck_assert_int_eq(queued(&disp), 2);
    char *number = order_of(&disp, "工地夜间施工", "Open311");
    close_order(&disp, number, "已责令工地停止夜间施工");
    snprintf(path, sizeof path, O311 "/requests/%s.json", id);
    o311_list(&anon, path, 1, &req);
    ck_assert_str_eq(jstr(req, "status"), "closed");
    ck_assert_str_eq(jstr(req, "status_notes"), "已责令工地停止夜间施工");
    ck_assert_str_eq(jstr(req, "agency_responsible"), "东城区");
    json_decref(req);
    o311_list(&anon, O311 "/requests.json?status=closed", 1, NULL);
    o311_list(&anon, O311 "/requests.json?status=open", 1, NULL);

    /* a public request id is no mailbox query code: it cannot be rated */
    snprintf(path, sizeof path, LETTERS "/%s", id);
    mailbox_error(&anon, "GET", path, NULL, 404, "not_found");
    snprintf(path, sizeof path, LETTERS "/%s/rating", id);
    mailbox_error(&anon, "POST", path, "{\"result\":\"dissatisfied\"}", 404, "not_found");
    free(number);
    free(id);
    free(code);
}
END_TEST

START_TEST(open311_bad_input)
{
    ta_client anon, disp;
    ta_resp r;
    ta_anon(&srv, &anon);
    ta_login(&srv, &disp, "disp");
    o311_get_error(&anon, O311 "/services/nope.json", 404);
    o311_get_error(&anon, O311 "/requests/ABCDEFGHJKMN.json", 404);
    o311_get_error(&anon, O311 "/requests/x.json", 404);
    o311_get_error(&anon, O311 "/requests.json?status=pending", 400);
    o311_get_error(&anon, O311 "/requests.json?start_date=yesterday", 400);
    o311_get_error(&anon,
                   O311 "/requests.json?start_date=2024-05-02T00:00:00Z"
                        "&end_date=2024-05-01T00:00:00Z",
                   400);
    o311_get_error(&anon, O311 "/requests.json?page_size=0", 400);
    o311_get_error(&anon, O311 "/requests.json?page_size=101", 400);
    o311_get_error(&anon, O311 "/requests.json?color=red", 400);
    o311_get_error(&anon, O311 "/services.json?jurisdiction_id=%01", 400);

    o311_form_error("lat=29&long=113&description=x", 400);                  /* no service */
    o311_form_error("service_code=9999&lat=29&long=113&description=x", 400); /* unknown */
    o311_form_error("service_code=1001&lat=29&long=113", 400);              /* no description */
    o311_form_error("service_code=1001&lat=29&long=113&description=+++", 400);
    o311_form_error("service_code=1001&description=x", 400);                /* no location */
    o311_form_error("service_code=1001&lat=29&description=x", 400);         /* lat alone */
    o311_form_error("service_code=1001&lat=91&long=113&description=x", 400);
    o311_form_error("service_code=1001&lat=29&long=-181&description=x", 400);
    o311_form_error("service_code=1001&lat=nan&long=113&description=x", 400);
    o311_form_error("service_code=1001&lat=0x1p3&long=113&description=x", 400);
    o311_form_error("service_code=1001&lat=29&long=113&description=x&color=red", 400);
    o311_form_error("service_code=1001&lat=29&long=113&description=%zz", 400);
    o311_form_error("service_code=1001&lat=29&long=113&description=%ff%fe", 400); /* not UTF-8 */
    o311_form_error("service_code=1001&lat=29&long=113&description=a%00b", 400);
    o311_form_error("service_code=1001&lat=29&long=113&description=a%01b", 400);
    o311_form_error("service_code=1001&service_code=1002&lat=29&long=113&description=x", 400);
    o311_form_error("service_code=1001&lat=29&long=113&description=x&phone=call-me", 400);
    o311_form_error("service_code=1001&lat=29&long=113&description=x&media_url=file:///etc", 400);
    o311_form_error("service_code=1001&lat=29&long=113&description=x&email=nobody", 400);
    o311_form_error("", 400);

    /* JSON bodies */
    ta_req(&anon, "POST", O311 "/requests.json", "[1,2]", NULL, 0, &r);
    o311_error_shape(&r, 400);
    ta_resp_free(&r);
    ta_req(&anon, "POST", O311 "/requests.json",
           "{\"service_code\":\"1001\",\"lat\":true,\"long\":113,\"description\":\"x\"}",
           NULL, 0, &r);
    o311_error_shape(&r, 400);
    ta_resp_free(&r);
    ta_req(&anon, "POST", O311 "/requests.json",
           "{\"service_code\":\"1001\",\"lat\":29,\"long\":113,"
           "\"description\":\"a\\u0000b\"}",
           NULL, 0, &r);
    o311_error_shape(&r, 400);
    ta_resp_free(&r);

    ck_assert_int_eq(queued(&disp), 0); /* nothing written */
}
END_TEST

/* --- the mailbox -------------------------------------------------------------- */

/* Submit a letter as c; its query code (caller frees). */
static char *submit(ta_client *c, const char *body)
{
    ta_resp r;
    ck_assert_msg(ta_req(c, "POST", LETTERS, body, NULL, 0, &r) == 201, "%ld %s", r.status, r.body);
    ck_assert_str_eq(ta_str(&r, "status"), "pending");
    ck_assert(ta_str(&r, "code") && strlen(ta_str(&r, "code")) == 12);
    ck_assert(!json_object_get(r.json, "appeal_id") && !json_object_get(r.json, "order"));
    no_pii(&r, NAME, PHONE);
    char *code = strdup(ta_str(&r, "code"));
    ta_resp_free(&r);
    return code;
}

/* GET the letter; status must be `status`; r kept for more checks. */
static void follow(ta_client *c, const char *code, const char *status, ta_resp *r)
{
    char path[128];
    snprintf(path, sizeof path, LETTERS "/%s", code);
    ck_assert_msg(ta_req(c, "GET", path, NULL, NULL, 0, r) == 200, "%ld %s", r->status, r->body);
    ck_assert_msg(strcmp(ta_str(r, "status"), status) == 0, "%s", r->body);
    no_pii(r, NAME, PHONE);
}

static long rate(ta_client *c, const char *code, const char *body, ta_resp *r)
{
    char path[128];
    snprintf(path, sizeof path, LETTERS "/%s/rating", code);
    return ta_req(c, "POST", path, body, NULL, 0, r);
}

START_TEST(mailbox_walk)
{
    ta_client anon, disp;
    ta_resp r;
    ta_anon(&srv, &anon);
    ta_login(&srv, &disp, "disp");
    char *code = submit(&anon, "{\"title\":\"路灯不亮\",\"content\":\"我是" NAME "，电话" PHONE
                               "，小区门口路灯坏了一周\",\"category\":\"城市管理类 › 路灯照明\","
                               "\"nature\":\"complaint\",\"location\":\"东城区人民路\","
                               "\"name\":\"" NAME "\",\"phone\":\"" PHONE "\"}");
    follow(&anon, code, "pending", &r);
    ck_assert_str_eq(ta_str(&r, "status_label"), "待派单");
    ck_assert(strstr(ta_str(&r, "content"), "路灯坏了一周"));
    ck_assert(json_is_null(json_object_get(r.json, "reply")));
    ta_resp_free(&r);

    /* staff: a mailbox appeal from the portal, by the citizen, in clear for disp */
    char *number = order_of(&disp, "路灯坏了一周", "市政府门户网站");
    char path[128];
    snprintf(path, sizeof path, "/api/v1/orders/%s", number);
    ck_assert_int_eq(ta_req(&disp, "GET", path, NULL, NULL, 0, &r), 200);
    json_t *appeal = json_object_get(r.json, "appeal");
    ck_assert_str_eq(jstr(appeal, "actor"), "citizen");
    ck_assert_str_eq(jstr(appeal, "nature"), "complaint");
    ck_assert_str_eq(jstr(json_object_get(appeal, "citizen"), "phone"), PHONE);
    ta_resp_free(&r);

    /* no rating before the order is closed */
    ck_assert_int_eq(rate(&anon, code, "{\"result\":\"satisfied\"}", &r), 422);
    ck_assert_str_eq(ta_str(&r, "code"), "not_closed");
    ta_resp_free(&r);

    close_order(&disp, number, "路灯已修复。" NAME "反映的问题已处理，回电 " PHONE);
    follow(&anon, code, "closed", &r);
    ck_assert_str_eq(ta_str(&r, "status_label"), "已办结");
    ck_assert_str_eq(ta_str(&r, "reply"), "路灯已修复。李*反映的问题已处理，回电 139****1111");
    ck_assert(json_is_true(json_object_get(r.json, "can_rate")));
    ta_resp_free(&r);

    /* the rating: once; a callback by the citizen in the order's history */
    ck_assert_int_eq(rate(&anon, code, "{\"result\":\"satisfied\",\"note\":\"修得很快\"}", &r), 200);
    ck_assert_str_eq(ta_str(&r, "rating"), "satisfied");
    no_pii(&r, NAME, PHONE);
    ta_resp_free(&r);
    ck_assert_int_eq(rate(&anon, code, "{\"result\":\"dissatisfied\"}", &r), 409);
    ck_assert_str_eq(ta_str(&r, "code"), "already_rated");
    ta_resp_free(&r);
    ck_assert_int_eq(ta_req(&disp, "GET", path, NULL, NULL, 0, &r), 200);
    ck_assert_int_eq(ta_int(&r, "callbacks"), 1);
    json_t *hist = json_object_get(r.json, "history");
    json_t *last = json_array_get(hist, json_array_size(hist) - 1);
    ck_assert_str_eq(jstr(last, "op"), "callback");
    ck_assert_str_eq(jstr(last, "actor"), "citizen");
    ck_assert_str_eq(jstr(last, "result"), "satisfied");
    ck_assert_str_eq(jstr(last, "note"), "修得很快");
    ta_resp_free(&r);

    /* the code in lower case is the same letter */
    for (char *p = code; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    follow(&anon, code, "closed", &r);
    ck_assert_str_eq(ta_str(&r, "rating"), "satisfied");
    ck_assert(json_is_false(json_object_get(r.json, "can_rate")));
    ta_resp_free(&r);
    free(number);
    free(code);
}
END_TEST

START_TEST(mailbox_bad_input)
{
    ta_client anon, disp;
    char big[5100 * 3 + 64], path[128];
    ta_anon(&srv, &anon);
    ta_login(&srv, &disp, "disp");
    mailbox_error(&anon, "GET", LETTERS "/ABCDEFGHJKMN", NULL, 404, "not_found");
    mailbox_error(&anon, "GET", LETTERS "/nope", NULL, 404, "not_found");
    mailbox_error(&anon, "POST", LETTERS "/ABCDEFGHJKMN/rating", "{\"result\":\"satisfied\"}", 404,
                  "not_found");

    mailbox_error(&anon, "POST", LETTERS, "{}", 400, "invalid_input");
    mailbox_error(&anon, "POST", LETTERS, "{\"content\":\"  \\n \"}", 400, "invalid_input");
    mailbox_error(&anon, "POST", LETTERS, "{\"content\":\"x\",\"is_vip\":true}", 400, NULL);
    mailbox_error(&anon, "POST", LETTERS, "{\"content\":\"x\",\"nature\":\"angry\"}", 400, NULL);
    mailbox_error(&anon, "POST", LETTERS, "{\"content\":\"x\",\"phone\":\"call me\"}", 400, NULL);
    mailbox_error(&anon, "POST", LETTERS, "{\"content\":\"x\",\"category\":\"不存在类\"}", 400,
                  NULL);
    mailbox_error(&anon, "POST", LETTERS, "{\"content\":\"x\",\"name\":\"a\\u0001\"}", 400, NULL);
    mailbox_error(&anon, "POST", LETTERS, "{\"content\":7}", 400, NULL);
    mailbox_error(&anon, "POST", LETTERS, "{\"content\":", 400, "invalid_json");
    mailbox_error(&anon, "POST", LETTERS, "{\"content\":\"\xff\"}", 400, NULL);
    char *p = big + sprintf(big, "{\"content\":\"");
    for (int i = 0; i < 5001; i++)
        p += sprintf(p, "字"); /* one character over the limit */
    strcpy(p, "\"}");
    mailbox_error(&anon, "POST", LETTERS, big, 400, "invalid_input");
    ck_assert_int_eq(queued(&disp), 0); /* nothing written */

    char *code = submit(&anon, "{\"content\":\"咨询居住证办理材料\",\"category\":\"其他咨询类\"}");
    snprintf(path, sizeof path, LETTERS "/%s/rating", code);
    mailbox_error(&anon, "POST", path, "{\"result\":\"unreachable\"}", 400, "invalid_input");
    mailbox_error(&anon, "POST", path, "{\"result\":\"satisfied\",\"x\":1}", 400, NULL);
    mailbox_error(&anon, "POST", path, "{}", 400, NULL);
    ck_assert_int_eq(queued(&disp), 1);
    free(code);
}
END_TEST

START_TEST(rate_limited)
{
    ta_client anon, disp;
    ta_resp r;
    ta_anon(&srv, &anon);
    ta_login(&srv, &disp, "disp");
    for (int i = 0; i < 3; i++)
        free(submit(&anon, "{\"content\":\"反映小区垃圾清运不及时\"}"));
    ck_assert_int_eq(ta_req(&anon, "POST", LETTERS, "{\"content\":\"第四封\"}", NULL, 0, &r), 429);
    ck_assert_str_eq(ta_str(&r, "code"), "rate_limited");
    ck_assert(ta_str(&r, "message"));
    ta_resp_free(&r);
    /* Open311 requests share the address's budget */
    form_post(O311 "/requests.json", "service_code=1003&lat=29&long=113&description=x", &r);
    o311_error_shape(&r, 429);
    ta_resp_free(&r);
    ck_assert_int_eq(queued(&disp), 3);
}
END_TEST

Suite *suite_api_public(void)
{
    Suite *s = suite_create("api_public");
    TCase *tc = tcase_create("public");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, open311_walk);
    tcase_add_test(tc, open311_bad_input);
    tcase_add_test(tc, mailbox_walk);
    tcase_add_test(tc, mailbox_bad_input);
    tcase_add_test(tc, rate_limited);
    suite_add_tcase(s, tc);
    return s;
}
