/* open311.c — Open311 GeoReport v2 (JSON) under /open311/v2, for
 * third-party apps, without login.
 *
 *   discovery.json             this endpoint
 *   services.json              one service per second-level category of
 *                              data/categories.tsv (categories.c)
 *   services/{code}.json       a service's definition (no attributes)
 *   POST requests.json         a service request (form-encoded per the
 *                              standard, or JSON): a mailbox appeal with
 *                              source "Open311", waiting for dispatch, and
 *                              a letters row of kind open311 (public.c)
 *   GET requests.json          requests, newest first, filtered
 *   GET requests/{id}.json     one request (both in open311_requests.c)
 *
 * service_request_id is the letter's query code.  Requests are public: the
 * answers carry no name, phone or e-mail (the e-mail is not even stored:
 * the appeal has no place for it that masking covers).  Errors are the
 * standard's list [{code, description}]. */
#include <math.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/timeutil.h"
#include "../core/utf8.h"
#include "public.h"
#include "routes.h"

#define SPEC_URL "http://wiki.open311.org/GeoReport_v2"
#define CHANGESET "2024-06-01T00:00:00+08:00"
#define SOURCE "Open311"

/* --- answers --------------------------------------------------------------- */

void http_o311_error(http_req *r, int status, const char *fmt, ...)
{
    char msg[HTTP_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    http_vformat(msg, sizeof msg, fmt, ap);
    va_end(ap);
    http_json(r, status, json_pack("[{s:i, s:s}]", "code", status, "description", msg));
}

void http_o311_fail(http_req *r, const hl_err *err)
{
    int status = http_status_of(err->rc);
    http_o311_error(r, status, "%s", status == 500 && !err->msg[0] ? "服务器内部错误" : err->msg);
}

int http_o311_query_only(http_req *r, const char *const *names, size_t n)
{
    const char *bad = http_query_unknown(r, names, n);
    const char *j = http_query(r, "jurisdiction_id");
    if (bad) {
        http_o311_error(r, 400, "未知的查询参数 %.64s", bad);
        return -1;
    }
    if (j && (strlen(j) > 64 || !hl_text_is_clean(j))) {
        http_o311_error(r, 400, "jurisdiction_id 无效");
        return -1;
    }
    return 0;
}

static const char *const only_jurisdiction[] = {"jurisdiction_id"};

/* --- discovery and services ------------------------------------------------ */

/* This endpoint's URL from the Host header when it is a plain host[:port]. */
static void base_url(http_req *r, char *out, size_t size)
{
    const char *host = http_header(r, "Host");
    const char *proto = http_header(r, "X-Forwarded-Proto");
    const char *ok = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]";
    if (host && *host && strlen(host) <= 255 && strspn(host, ok) == strlen(host))
        snprintf(out, size, "%s://%s/open311/v2",
                 proto && strcmp(proto, "https") == 0 ? "https" : "http", host);
    else
        snprintf(out, size, "/open311/v2");
}

void h_o311_discovery(http_req *r)
{
    char url[320];
    if (http_o311_query_only(r, NULL, 0))
        return;
    base_url(r, url, sizeof url);
    http_json(r, 200,
              json_pack("{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:[s]}]}", "changeset", CHANGESET,
                        "contact", "12345 政务服务便民热线（电话 12345）", "key_service",
                        "无需 api_key；提交按来源地址限流", "endpoints", "specification", SPEC_URL,
                        "url", url, "changeset", CHANGESET, "type", "production", "formats",
                        "application/json"));
}

static json_t *service_json(const http_category *c)
{
    char desc[256], keywords[256];
    snprintf(desc, sizeof desc, "%s" HL_CATEGORY_SEP "%s", c->group, c->name);
    snprintf(keywords, sizeof keywords, "%s, %s", c->name, c->group);
    return json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "service_code", c->code,
                     "service_name", c->name, "description", desc, "metadata", 0, "type",
                     "realtime", "keywords", keywords, "group", c->group);
}

void h_o311_services(http_req *r)
{
    size_t n;
    if (http_o311_query_only(r, only_jurisdiction, 1))
        return;
    const http_category *v = http_categories(r, &n, &r->err);
    if (!v) {
        http_o311_fail(r, &r->err);
        return;
    }
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, service_json(&v[i]));
    http_json(r, 200, a);
}

/* A service code's characters (what is safe to echo in a message). */
static int code_shaped(const char *s)
{
    size_t n = strlen(s);
    return n >= 1 && n <= 16 &&
           strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

void h_o311_service(http_req *r)
{
    if (http_o311_query_only(r, only_jurisdiction, 1))
        return;
    const http_category *c = http_category_by_code(r, r->params[0], &r->err);
    if (r->err.rc)
        http_o311_fail(r, &r->err);
    else if (!c && code_shaped(r->params[0]))
        http_o311_error(r, 404, "服务 %s 不存在", r->params[0]);
    else if (!c)
        http_o311_error(r, 404, "服务不存在");
    else
        http_json(r, 200, json_pack("{s:s, s:[]}", "service_code", c->code, "attributes"));
}

/* --- POST requests.json: the input ----------------------------------------- */

static const struct {
    const char *name;
    size_t max;      /* characters */
    int multiline;
} req_fields[] = {
    {"api_key", 128, 0},    {"jurisdiction_id", 64, 0}, {"service_code", 16, 0},
    {"lat", 32, 0},         {"long", 32, 0},            {"address_string", 500, 0},
    {"address_id", 64, 0},  {"email", 254, 0},          {"device_id", 128, 0},
    {"account_id", 128, 0}, {"first_name", 32, 0},      {"last_name", 32, 0},
    {"phone", 20, 0},       {"description", 4000, 1},   {"media_url", 500, 0},
};
#define N_REQ (sizeof req_fields / sizeof req_fields[0])

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Decode one form component s[0..n) ('+' and %XX) into out; -1 when
 * malformed, not UTF-8 or holding NUL. */
static int form_decode(const char *s, size_t n, hl_buf *out)
{
    hl_buf_reset(out);
    if (hl_buf_adds(out, ""))
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
            int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return -1;
            c = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+') {
            c = ' ';
        }
        if (!c || hl_buf_addc(out, c))
            return -1;
    }
    return hl_utf8_valid(out->data, out->len) ? 0 : -1;
}

static int form_pair(http_req *r, json_t *in, const char *p, const char *amp, hl_buf *key,
                     hl_buf *val)
{
    const char *eq = memchr(p, '=', (size_t)(amp - p));
    const char *kend = eq ? eq : amp;
    if (form_decode(p, (size_t)(kend - p), key) ||
        form_decode(eq ? eq + 1 : amp, eq ? (size_t)(amp - eq - 1) : 0, val)) {
        http_o311_error(r, 400, "请求体不是有效的表单编码（application/x-www-form-urlencoded，UTF-8）");
        return -1;
    }
    if (json_object_get(in, hl_buf_str(key))) {
        http_o311_error(r, 400, "参数 %.64s 重复", hl_buf_str(key));
        return -1;
    }
    if (json_object_size(in) >= 2 * N_REQ) {
        http_o311_error(r, 400, "参数过多");
        return -1;
    }
    json_object_set_new(in, hl_buf_str(key), json_string(hl_buf_str(val)));
    return 0;
}

/* A form-encoded body into in (name → string). */
static int form_parse(http_req *r, json_t *in)
{
    const char *p = r->body.data, *end = p + r->body.len;
    hl_buf key, val;
    int rc = 0;
    hl_buf_init(&key, 4096);
    hl_buf_init(&val, (size_t)r->app->cfg.body_max + 1);
    while (!rc && p && p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        if (!amp)
            amp = end;
        if (amp > p)
            rc = form_pair(r, in, p, amp, &key, &val);
        p = amp + 1;
    }
    hl_buf_free(&key);
    hl_buf_free(&val);
    return rc;
}

/* A JSON object body into in: strings, and numbers for lat and long. */
static int json_parse_in(http_req *r, json_t *in)
{
    json_error_t je;
    const char *key;
    json_t *v;
    json_t *j = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(j)) {
        json_decref(j);
        http_o311_error(r, 400, "请求体应为 JSON 对象（UTF-8）");
        return -1;
    }
    json_object_foreach(j, key, v) {
        char num[40];
        int coord = strcmp(key, "lat") == 0 || strcmp(key, "long") == 0;
        if (json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v)) {
            json_object_set(in, key, v);
        } else if (json_is_number(v) && coord) {
            snprintf(num, sizeof num, "%.17g", json_number_value(v));
            json_object_set_new(in, key, json_string(num));
        } else if (!json_is_null(v)) {
            http_o311_error(r, 400, "参数 %.64s 应为字符串%s", key, coord ? "或数值" : "");
            json_decref(j);
            return -1;
        }
    }
    json_decref(j);
    return 0;
}

static int multiline_ok(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') || *p == 0x7F)
            return 0;
    return 1;
}

/* Every member known, within its size, without control characters. */
static int in_check(http_req *r, json_t *in)
{
    const char *key;
    json_t *v;
    json_object_foreach(in, key, v) {
        size_t i = 0;
        while (i < N_REQ && strcmp(req_fields[i].name, key) != 0)
            i++;
        const char *s = json_string_value(v);
        if (i == N_REQ) {
            http_o311_error(r, 400, "未知参数 %.64s", key);
            return -1;
        }
        if (hl_utf8_count(s, strlen(s)) > req_fields[i].max) {
            http_o311_error(r, 400, "参数 %s 超过 %zu 个字符", key, req_fields[i].max);
            return -1;
        }
        if (req_fields[i].multiline ? !multiline_ok(s) : !hl_text_is_clean(s)) {
            http_o311_error(r, 400, "参数 %s 含有控制字符", key);
            return -1;
        }
    }
    return 0;
}

/* --- POST requests.json: the request --------------------------------------- */

typedef struct {
    const http_category *cat;
    const char *desc, *address, *phone, *media;
    char name[32 * 4 * 2 + 2]; /* first and last name, 32 characters each */
    double lat, lon;
    int has_pos;
} o311_req;

static const char *in_str(json_t *in, const char *key)
{
    const char *s = json_string_value(json_object_get(in, key));
    return s && *s ? s : NULL;
}

/* A coordinate in [lo, hi]: plain decimal notation only. */
static int coord_parse(const char *s, double lo, double hi, double *out)
{
    char *end;
    if (!s || strspn(s, "0123456789+-.eE") != strlen(s))
        return -1;
    double d = strtod(s, &end);
    if (end == s || *end || !isfinite(d) || d < lo || d > hi)
        return -1;
    *out = d;
    return 0;
}

static int blank(const char *s)
{
    return strspn(s, " \t\r\n") == strlen(s);
}

static int has_non_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 1;
    return 0;
}

/* The name as Chinese writes it (family name first, no space) or as
 * Western names go (given name first). */
static void req_name(o311_req *q, const char *first, const char *last)
{
    if (first && last && (has_non_ascii(first) || has_non_ascii(last)))
        snprintf(q->name, sizeof q->name, "%s%s", last, first);
    else if (first && last)
        snprintf(q->name, sizeof q->name, "%s %s", first, last);
    else
        snprintf(q->name, sizeof q->name, "%s", first ? first : last ? last : "");
}

static int req_location(http_req *r, json_t *in, o311_req *q)
{
    const char *lat = in_str(in, "lat"), *lon = in_str(in, "long");
    q->address = in_str(in, "address_string");
    if (!lat != !lon) {
        http_o311_error(r, 400, "lat 和 long 须同时给出");
        return -1;
    }
    if (lat && coord_parse(lat, -90, 90, &q->lat)) {
        http_o311_error(r, 400, "lat 应为 -90 到 90 之间的十进制数");
        return -1;
    }
    if (lon && coord_parse(lon, -180, 180, &q->lon)) {
        http_o311_error(r, 400, "long 应为 -180 到 180 之间的十进制数");
        return -1;
    }
    q->has_pos = lat != NULL;
    if (!q->has_pos && (!q->address || blank(q->address))) {
        http_o311_error(r, 400, "需要位置：lat 和 long，或 address_string");
        return -1;
    }
    return 0;
}

static int req_check(http_req *r, json_t *in, o311_req *q)
{
    const char *code = in_str(in, "service_code"), *email = in_str(in, "email");
    memset(q, 0, sizeof *q);
    if (!code) {
        http_o311_error(r, 400, "缺少参数 service_code");
        return -1;
    }
    if (!(q->cat = http_category_by_code(r, code, &r->err))) {
        if (r->err.rc)
            http_o311_fail(r, &r->err);
        else
            http_o311_error(r, 400, "service_code %.32s 不存在", code);
        return -1;
    }
    if (!(q->desc = in_str(in, "description")) || blank(q->desc)) {
        http_o311_error(r, 400, "缺少参数 description（诉求内容）");
        return -1;
    }
    if (req_location(r, in, q))
        return -1;
    if ((q->phone = in_str(in, "phone")) && !http_phone_ok(q->phone)) {
        http_o311_error(r, 400, "phone 应为 3–20 位数字（可含 +、- 和空格）");
        return -1;
    }
    if (email && (!strchr(email, '@') || strchr(email, ' '))) {
        http_o311_error(r, 400, "email 无效");
        return -1;
    }
    q->media = in_str(in, "media_url");
    if (q->media && strncmp(q->media, "https://", 8) != 0 && strncmp(q->media, "http://", 7) != 0) {
        http_o311_error(r, 400, "media_url 应以 http:// 或 https:// 开头");
        return -1;
    }
    req_name(q, in_str(in, "first_name"), in_str(in, "last_name"));
    return 0;
}

/* The appeal's members of a checked request (caller decrefs). */
static json_t *req_appeal(const o311_req *q)
{
    char cat[256], where[96], note[500 * 4 + 32]; /* media_url: 500 characters */
    snprintf(cat, sizeof cat, "%s" HL_CATEGORY_SEP "%s", q->cat->group, q->cat->name);
    snprintf(where, sizeof where, "经纬度 %.6f, %.6f", q->lat, q->lon);
    json_t *a = json_pack("{s:s, s:s, s:s, s:s, s:s}", "source", SOURCE, "category", cat,
                          "nature", "help", "content", q->desc, "location",
                          q->address ? q->address : where);
    if (a && (*q->name || q->phone))
        json_object_set_new(a, "citizen", json_pack("{s:s?, s:s?}", "name",
                                                    *q->name ? q->name : NULL, "phone", q->phone));
    if (a && q->media) {
        snprintf(note, sizeof note, "%s%s", LETTER_MEDIA_PREFIX, q->media);
        json_object_set_new(a, "note", json_string(note));
    }
    return a;
}

static int req_input(http_req *r, json_t *in)
{
    const char *ct = http_header(r, "Content-Type");
    if (!r->body.len) {
        http_o311_error(r, 400, "请求体为空");
        return -1;
    }
    if (ct && strncasecmp(ct, "application/json", 16) == 0)
        return json_parse_in(r, in);
    if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
        return form_parse(r, in);
    http_o311_error(r, 400, "不支持的 Content-Type（应为 %s 或 application/json）",
                    "application/x-www-form-urlencoded");
    return -1;
}

static const char *const post_query[] = {"api_key", "jurisdiction_id"};

void h_o311_request_post(http_req *r)
{
    char code[LETTER_CODE_LEN + 1];
    o311_req q;
    json_t *in = json_object();
    if (http_o311_query_only(r, post_query, 2) || req_input(r, in) || in_check(r, in) ||
        req_check(r, in, &q)) {
        json_decref(in);
        return;
    }
    json_t *appeal = req_appeal(&q);
    store_letter l = {.kind = "open311",
                      .service_code = q.cat->code,
                      .address = q.address,
                      .lat = q.lat,
                      .lon = q.lon,
                      .has_position = q.has_pos};
    hl_rc rc = appeal ? http_letter_create(r, appeal, &l, code)
                      : hl_fail(&r->err, HL_ENOMEM, "内存不足");
    json_decref(appeal);
    json_decref(in);
    if (rc) {
        http_o311_fail(r, &r->err);
        return;
    }
    http_json(r, 201, json_pack("[{s:s, s:s, s:n}]", "service_request_id", code, "service_notice",
                                "已受理，可凭 service_request_id 查询办理进度", "account_id"));
}
