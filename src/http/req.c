/* req.c — what every handler uses: JSON responses and errors, request
 * bodies checked against a schema, query parameters, pagination, times,
 * the write transaction and the audit log. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "../core/timeutil.h"
#include "../core/utf8.h"
#include "http.h"

void http_text(http_req *r, int status, hl_rc written)
{
    if (written) {
        hl_buf_reset(&r->out);
        http_error(r, 500, "internal_error", "响应生成失败");
        return;
    }
    r->status = status;
}

void http_json(http_req *r, int status, json_t *j)
{
    hl_buf_reset(&r->out);
    char *text = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(j);
    if (!text || hl_buf_adds(&r->out, text)) {
        free(text);
        hl_buf_reset(&r->out);
        hl_buf_adds(&r->out, "{\"code\":\"internal_error\",\"message\":\"响应生成失败\"}");
        r->status = 500;
        return;
    }
    free(text);
    r->status = status;
}

void http_vformat(char *out, size_t size, const char *fmt, va_list ap)
{
    vsnprintf(out, size, fmt, ap);
    /* a message cut inside a character must not become invalid UTF-8 */
    out[hl_utf8_valid_prefix(out, strlen(out))] = '\0';
}

void http_error(http_req *r, int status, const char *code, const char *fmt, ...)
{
    char msg[HTTP_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    http_vformat(msg, sizeof msg, fmt, ap);
    va_end(ap);
    http_json(r, status, json_pack("{s:s, s:s}", "code", code, "message", msg));
}

void http_unavailable(http_req *r)
{
    http_error(r, 503, "unavailable", "服务正在停止，请稍后重试");
}

int http_status_of(hl_rc rc)
{
    switch (rc) {
    case HL_OK:
        return 200;
    case HL_EINVAL:
    case HL_ETIME_ORDER:
        return 400;
    case HL_EAUTH:
        return 401;
    case HL_EDENIED:
        return 403;
    case HL_ENOTFOUND:
    case HL_EORDER_UNKNOWN:
        return 404;
    case HL_EEXISTS:
    case HL_EORDER_EXISTS:
    case HL_EAPPEAL_EXISTS:
    case HL_ECONFLICT:
        return 409;
    case HL_ETOOBIG:
        return 413;
    case HL_ELIMIT:
        return 429;
    case HL_ENOMEM:
    case HL_EIO:
    case HL_ESTORE:
    case HL_ECONFIG:
        return 500;
    default:
        return 422; /* a refusal of the lifecycle or the registry */
    }
}

void http_fail(http_req *r, const hl_err *err)
{
    int status = http_status_of(err->rc);
    http_error(r, status, hl_rc_name(err->rc), "%s",
               status == 500 && !err->msg[0] ? "服务器内部错误" : err->msg);
}

const char *http_query(http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

typedef struct {
    const char *const *names;
    size_t n;
    const char *bad;
} query_scan;

static enum MHD_Result scan_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind, (void)value;
    query_scan *q = cls;
    for (size_t i = 0; i < q->n; i++)
        if (strcmp(key, q->names[i]) == 0)
            return MHD_YES;
    q->bad = key;
    return MHD_NO;
}

const char *http_query_unknown(http_req *r, const char *const *names, size_t n)
{
    query_scan q = {names, n, NULL};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, scan_arg, &q);
    return q.bad;
}

int http_query_only(http_req *r, const char *const *names, size_t n)
{
    const char *bad = http_query_unknown(r, names, n);
    if (!bad)
        return 0;
    http_error(r, 400, "invalid_input", "未知的查询参数 %.64s", bad);
    return -1;
}

int http_query_int(http_req *r, const char *name, int64_t min, int64_t max, int64_t def,
                   int64_t *out)
{
    const char *s = http_query(r, name);
    *out = def;
    if (!s)
        return 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    /* digits only: strtoll would also take spaces, a sign and leading zeros */
    if ((*s < '0' || *s > '9') || *end || v < min || v > max || (s[0] == '0' && s[1])) {
        http_error(r, 400, "invalid_input", "查询参数 %s 应为 %lld 到 %lld 之间的整数", name,
                   (long long)min, (long long)max);
        return -1;
    }
    *out = v;
    return 0;
}

int http_page(http_req *r, int64_t *page, int64_t *size)
{
    const http_config *c = &r->app->cfg;
    if (http_query_int(r, "page", 1, 1000000, 1, page) ||
        http_query_int(r, "page_size", 1, c->page_size_max, c->page_size_default, size))
        return -1;
    return 0;
}

json_t *http_page_slice(json_t *all, int64_t page, int64_t size)
{
    json_t *items = json_array();
    size_t total = json_array_size(all), from = (size_t)((page - 1) * size);
    for (size_t i = from; items && i < total && i < from + (size_t)size; i++)
        json_array_append(items, json_array_get(all, i));
    json_decref(all);
    return items ? http_page_json(items, (int64_t)total, page, size) : NULL;
}

json_t *http_page_json(json_t *items, int64_t total, int64_t page, int64_t size)
{
    return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total, "page",
                     (json_int_t)page, "page_size", (json_int_t)size);
}

json_t *http_time(http_req *r, int64_t t)
{
    if (!t)
        return json_null();
    char s[HL_TIME_STRLEN];
    hl_time_format(t, r->app->rules.offset_min, s);
    return json_string(s);
}

int http_parse_time(http_req *r, const char *name, const char *s, int64_t *out)
{
    hl_err e;
    if (hl_time_parse(s, out, &e) == HL_OK)
        return 0;
    http_error(r, 400, "invalid_input", "%s 不是有效的时间（应为 RFC 3339，如 2024-05-06T09:30:00+08:00）",
               name);
    return -1;
}

static const char *type_label(http_jtype t)
{
    static const char *const labels[] = {"字符串", "整数", "布尔值", "数值", "对象", "数组"};
    return labels[t];
}

static int type_ok(json_t *v, http_jtype t)
{
    switch (t) {
    case JF_STR:
        return json_is_string(v);
    case JF_INT:
        return json_is_integer(v);
    case JF_BOOL:
        return json_is_boolean(v);
    case JF_NUM:
        return json_is_number(v);
    case JF_OBJ:
        return json_is_object(v);
    case JF_ARR:
        return json_is_array(v);
    }
    return 0;
}

static int size_ok(json_t *v, const http_field *f)
{
    if (!f->max)
        return 1;
    if (f->type == JF_STR)
        return hl_utf8_count(json_string_value(v), json_string_length(v)) <= (size_t)f->max;
    if (f->type == JF_INT)
        return json_integer_value(v) <= f->max;
    if (f->type == JF_ARR)
        return json_array_size(v) <= (size_t)f->max;
    return 1;
}

int http_check_object(http_req *r, json_t *obj, const http_field *fields, size_t n,
                      const char *what)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        size_t i = 0;
        while (i < n && strcmp(fields[i].name, key) != 0)
            i++;
        if (i == n) {
            http_error(r, 400, "invalid_input", "%s中有未知字段 %.64s", what, key);
            return -1;
        }
        if (!type_ok(v, fields[i].type) && !(json_is_null(v) && !fields[i].required)) {
            http_error(r, 400, "invalid_input", "%s的字段 %s 应为%s", what, key,
                       type_label(fields[i].type));
            return -1;
        }
        if (!json_is_null(v) && !size_ok(v, &fields[i])) {
            http_error(r, 400, "invalid_input", "%s的字段 %s 超出上限（%ld）", what, key,
                       fields[i].max);
            return -1;
        }
        if (fields[i].type == JF_STR && json_is_string(v) && memchr(json_string_value(v), 0, json_string_length(v))) {
            http_error(r, 400, "invalid_input", "%s的字段 %s 含有空字符", what, key);
            return -1;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (fields[i].required && !json_object_get(obj, fields[i].name)) {
            http_error(r, 400, "invalid_input", "%s缺少字段 %s", what, fields[i].name);
            return -1;
        }
    return 0;
}

int http_body(http_req *r, const http_field *fields, size_t n)
{
    json_error_t je;
    if (!r->body.len) {
        http_error(r, 400, "invalid_input", "请求体为空（应为 JSON 对象）");
        return -1;
    }
    if (!hl_utf8_valid(r->body.data, r->body.len)) {
        http_error(r, 400, "invalid_input", "请求体不是有效的 UTF-8");
        return -1;
    }
    r->json = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je);
    if (!r->json) {
        http_error(r, 400, "invalid_json", "请求体不是有效的 JSON（第 %d 行第 %d 列）", je.line,
                   je.column);
        return -1;
    }
    if (!json_is_object(r->json)) {
        http_error(r, 400, "invalid_input", "请求体应为 JSON 对象");
        return -1;
    }
    return http_check_object(r, r->json, fields, n, "请求");
}

int http_write_begin(http_req *r)
{
    pthread_mutex_lock(&r->app->write_lock);
    r->now = (int64_t)time(NULL); /* see run_batch */
    if (store_begin(r->store, &r->err)) {
        pthread_mutex_unlock(&r->app->write_lock);
        http_fail(r, &r->err);
        return -1;
    }
    return 0;
}

hl_rc http_write_end(http_req *r, hl_rc rc)
{
    if (!rc)
        rc = store_commit(r->store, &r->err);
    if (rc)
        store_rollback(r->store);
    pthread_mutex_unlock(&r->app->write_lock);
    return rc;
}

void http_deadline(struct timespec *at, long ns)
{
    clock_gettime(CLOCK_REALTIME, at);
    at->tv_nsec += ns % 1000000000L;
    at->tv_sec += ns / 1000000000L + at->tv_nsec / 1000000000L;
    at->tv_nsec %= 1000000000L;
}

hl_rc http_audit(http_req *r, const char *action, const char *detail, hl_err *err)
{
    /* a detail cut to its buffer by a caller may end inside a character */
    char *clean = strndup(detail, hl_utf8_valid_prefix(detail, strlen(detail)));
    if (!clean)
        return hl_fail(err, HL_ENOMEM, "内存不足");
    store_audit_row a = {.at = r->now,
                         .actor = r->logged_in ? r->user.name : "",
                         .action = action,
                         .detail = clean,
                         .ip = r->ip};
    hl_rc rc = store_audit(r->store, &a, err);
    free(clean);
    return rc;
}

int64_t http_client_version(http_req *r)
{
    const char *m = http_header(r, "If-Match");
    json_t *v = json_object_get(r->json, "version");
    if (v && !json_is_null(v)) /* null: absent, as for every optional member */
        return json_is_integer(v) && json_integer_value(v) >= 0 ? json_integer_value(v) : -2;
    if (!m)
        return -1;
    m += *m == '"';
    char *end;
    long long x = strtoll(m, &end, 10);
    return end != m && (!*end || (*end == '"' && !end[1])) && x >= 0 ? x : -2;
}
