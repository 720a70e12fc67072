/* open311_requests.c — Open311 GeoReport v2: reading service requests.
 *
 *   GET /open311/v2/requests.json         requests made through Open311,
 *       newest first: service_request_id (comma list; the other filters are
 *       then ignored, as the standard says), service_code, start_date,
 *       end_date (RFC 3339, end inclusive; neither: the last 90 days),
 *       status (open, closed), page and page_size (≤ page_size_max)
 *   GET /open311/v2/requests/{id}.json    one request, as a list of one
 *
 * A request is open until its order is closed; status_notes is then the
 * published reply.  No name, phone or e-mail ever appears; the description
 * and the reply have the writer's name and phone masked where they quote
 * them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/timeutil.h"
#include "../core/utf8.h"
#include "public.h"
#include "routes.h"

#define DEFAULT_DAYS 90
#define SCAN_CHUNK 200
#define IDS_MAX 100

/* --- one request as JSON ----------------------------------------------------- */

/* The service's name: from the category tree, else from the category the
 * appeal records (a service retired from the tree since). */
static const char *service_name(http_req *r, const http_letter_ref *ref,
                                const http_letter_view *v)
{
    hl_err e;
    const http_category *c = http_category_by_code(r, ref->service_code, &e);
    const char *sep = v->category ? strstr(v->category, HL_CATEGORY_SEP) : NULL;
    return c ? c->name : sep ? sep + strlen(HL_CATEGORY_SEP) : v->category;
}

static json_t *request_json(http_req *r, const http_letter_ref *ref, const http_letter_view *v)
{
    const char *label;
    int closed = v->has_order && v->o.state == ST_CLOSED;
    const hl_unit *u = v->has_order && v->o.unit ? hl_units_get(&r->app->units, v->o.unit) : NULL;
    size_t plen = strlen(LETTER_MEDIA_PREFIX);
    const char *media =
        v->note && strncmp(v->note, LETTER_MEDIA_PREFIX, plen) == 0 ? v->note + plen : NULL;
    http_letter_status(v, &label);
    json_t *j = json_pack(
        "{s:s, s:s, s:s, s:s?, s:s, s:s, s:s?, s:n, s:o, s:o, s:o, s:s?, s:n, s:n, s:s?}",
        "service_request_id", ref->code, "status", closed ? "closed" : "open", "status_notes",
        closed && v->reply ? v->reply : label, "service_name", service_name(r, ref, v),
        "service_code", ref->service_code, "description", v->content, "agency_responsible",
        u ? u->name : NULL, "service_notice", "requested_datetime",
        http_time(r, ref->created_at), "updated_datetime",
        http_time(r, v->has_order ? v->o.last_at : ref->created_at), "expected_datetime",
        v->has_order && !closed ? http_time(r, v->o.deadline) : json_null(), "address",
        ref->address[0] ? ref->address : NULL, "address_id", "zipcode", "media_url", media);
    if (j) {
        json_object_set_new(j, "lat", ref->has_position ? json_real(ref->lat) : json_null());
        json_object_set_new(j, "long", ref->has_position ? json_real(ref->lon) : json_null());
    }
    return j;
}

/* Append the request of ref to out when its status matches (-1: any);
 * *skip counts matches still to pass over (the pages before). */
static hl_rc add_request(http_req *r, const http_letter_ref *ref, int status, int64_t *skip,
                         json_t *out)
{
    http_letter_view v;
    hl_rc rc = http_letter_view_load(r, ref->number, &v, &r->err);
    int closed = v.has_order && v.o.state == ST_CLOSED;
    if (!rc && (status < 0 || status == closed)) {
        if (*skip > 0) {
            (*skip)--;
        } else {
            json_t *j = request_json(r, ref, &v);
            rc = j ? (hl_rc)json_array_append_new(out, j) : HL_ENOMEM;
            if (rc)
                rc = hl_fail(&r->err, HL_ENOMEM, "内存不足");
        }
    }
    http_letter_view_free(&v);
    return rc;
}

/* --- the query ---------------------------------------------------------------- */

typedef struct {
    store_letter_filter f;
    char ids[IDS_MAX][LETTER_CODE_LEN + 1];
    const char *idp[IDS_MAX];
    int ids_given;           /* service_request_id present (maybe none valid) */
    int status;              /* -1 any, 0 open, 1 closed */
    int64_t page, size;
} list_query;

static const char *const list_params[] = {"jurisdiction_id", "service_request_id",
                                          "service_code",    "start_date",
                                          "end_date",        "status",
                                          "page",            "page_size"};

/* service_request_id: up to IDS_MAX codes; an id that is no code cannot
 * match and is left out. */
static int parse_ids(http_req *r, const char *s, list_query *q)
{
    size_t n = 0;
    q->ids_given = 1;
    for (const char *p = s; *p;) {
        size_t len = strcspn(p, ",");
        char tok[LETTER_CODE_LEN + 1];
        if (n == IDS_MAX) {
            http_o311_error(r, 400, "service_request_id 至多 %d 个", IDS_MAX);
            return -1;
        }
        snprintf(tok, sizeof tok, "%.*s", (int)(len < sizeof tok ? len : sizeof tok - 1), p);
        if (len == LETTER_CODE_LEN && http_letter_code_ok(tok)) {
            for (size_t i = 0; i <= LETTER_CODE_LEN; i++)
                q->ids[n][i] = tok[i] >= 'a' && tok[i] <= 'z' ? (char)(tok[i] - 32) : tok[i];
            q->idp[n] = q->ids[n];
            n++;
        }
        p += len + (p[len] == ',');
    }
    q->f.codes = q->idp;
    q->f.n_codes = n;
    return 0;
}

static int parse_int(http_req *r, const char *name, int64_t max, int64_t def, int64_t *out)
{
    const char *s = http_query(r, name);
    char *end;
    *out = def;
    if (!s)
        return 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < 1 || v > max || s[0] == '0' || s[0] == '+' || s[0] == ' ') {
        http_o311_error(r, 400, "%s 应为 1 到 %lld 之间的整数", name, (long long)max);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_time(http_req *r, const char *name, int64_t *out)
{
    const char *s = http_query(r, name);
    hl_err e;
    *out = 0;
    if (!s)
        return 0;
    if (strlen(s) > 40 || hl_time_parse(s, out, &e)) {
        http_o311_error(r, 400, "%s 不是有效的时间（RFC 3339，如 2024-05-06T09:30:00+08:00）",
                        name);
        return -1;
    }
    return 0;
}

static int parse_status(http_req *r, list_query *q)
{
    const char *s = http_query(r, "status");
    q->status = -1;
    if (!s || strcmp(s, "open,closed") == 0 || strcmp(s, "closed,open") == 0)
        return 0;
    if (strcmp(s, "open") == 0 || strcmp(s, "closed") == 0) {
        q->status = strcmp(s, "closed") == 0;
        return 0;
    }
    http_o311_error(r, 400, "status 应为 open 或 closed");
    return -1;
}

/* The filters other than service_request_id. */
static int parse_filters(http_req *r, list_query *q)
{
    int64_t start, end;
    const char *code = http_query(r, "service_code");
    if (code && (!*code || strlen(code) > 16 ||
                 strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") !=
                     strlen(code))) {
        http_o311_error(r, 400, "service_code 无效");
        return -1;
    }
    if (parse_time(r, "start_date", &start) || parse_time(r, "end_date", &end) ||
        parse_status(r, q))
        return -1;
    if (start && end && end < start) {
        http_o311_error(r, 400, "end_date 早于 start_date");
        return -1;
    }
    q->f.service_code = code;
    q->f.from = start;
    q->f.to = end ? end + 1 : 0;
    if (!start && !end)
        q->f.from = r->now - (int64_t)DEFAULT_DAYS * 86400;
    return 0;
}

static int parse_query(http_req *r, list_query *q)
{
    const char *ids = http_query(r, "service_request_id");
    memset(q, 0, sizeof *q);
    q->f.kind = "open311";
    q->status = -1;
    if (http_o311_query_only(r, list_params, sizeof list_params / sizeof *list_params) ||
        parse_int(r, "page", 1000000, 1, &q->page) ||
        parse_int(r, "page_size", r->app->cfg.page_size_max, r->app->cfg.page_size_default,
                  &q->size))
        return -1;
    return ids ? parse_ids(r, ids, q) : parse_filters(r, q);
}

/* --- GET requests.json ------------------------------------------------------- */

/* Walk the letters of q->f page by page (a status filter needs each
 * order's state: the store has no such filter) into out. */
/* Letters a status filter may walk: beyond, a page is refused (a public
 * request must not make the server read every letter). */
#define SCAN_MAX 20000

static hl_rc scan(http_req *r, list_query *q, json_t *out)
{
    int64_t skip = (q->page - 1) * q->size;
    if (q->status >= 0 && skip + q->size > SCAN_MAX)
        return hl_fail(&r->err, HL_EINVAL, "按状态筛选时最多查看前 %d 条（请缩小日期范围）",
                       SCAN_MAX);
    int64_t chunk = q->status < 0 ? q->size : SCAN_CHUNK;
    hl_rc rc = HL_OK;
    q->f.offset = q->status < 0 ? skip : 0;
    q->f.limit = chunk;
    if (q->status < 0)
        skip = 0;
    for (int more = 1; more && !rc;) {
        http_letter_list list = {0};
        rc = store_letters_page(r->store, &q->f, http_letter_collect, &list, &r->err);
        if (rc == HL_ENOMEM)
            hl_fail(&r->err, HL_ENOMEM, "内存不足");
        for (size_t i = 0; !rc && i < list.n && (int64_t)json_array_size(out) < q->size; i++)
            rc = add_request(r, &list.v[i], q->status, &skip, out);
        more = q->status >= 0 && (int64_t)list.n == chunk &&
               (int64_t)json_array_size(out) < q->size;
        q->f.offset += chunk;
        free(list.v);
    }
    return rc;
}

void h_o311_requests(http_req *r)
{
    list_query q;
    if (parse_query(r, &q))
        return;
    json_t *out = json_array();
    if (q.ids_given && !q.f.n_codes) {
        http_json(r, 200, out); /* no id that could exist */
        return;
    }
    hl_rc rc = store_begin_read(r->store, &r->err);
    if (!rc)
        rc = scan(r, &q, out);
    store_commit(r->store, NULL);
    if (rc) {
        json_decref(out);
        http_o311_fail(r, &r->err);
        return;
    }
    http_json(r, 200, out);
}

/* --- GET requests/{id}.json -------------------------------------------------- */

void h_o311_request_get(http_req *r)
{
    static const char *const params[] = {"jurisdiction_id"};
    http_letter_ref ref;
    int64_t skip = 0;
    if (http_o311_query_only(r, params, 1))
        return;
    json_t *out = json_array();
    hl_rc rc = store_begin_read(r->store, &r->err);
    if (!rc)
        rc = http_letter_find(r, r->params[0], "open311", &ref, &r->err);
    if (!rc)
        rc = add_request(r, &ref, -1, &skip, out);
    store_commit(r->store, NULL);
    if (rc == HL_ENOTFOUND) {
        json_decref(out);
        if (http_letter_code_ok(r->params[0]))
            http_o311_error(r, 404, "服务请求 %s 不存在", r->params[0]);
        else
            http_o311_error(r, 404, "服务请求不存在");
    } else if (rc) {
        json_decref(out);
        http_o311_fail(r, &r->err);
    } else {
        http_json(r, 200, out);
    }
}
