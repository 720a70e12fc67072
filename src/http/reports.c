/* reports.c — the monthly assessment, the headline figures and the
 * bonus/deduction ledger (加扣分), as the CLI's assess, figures and ledger
 * commands give them.
 *
 * Reports run in one read snapshot.  Unit roles see only their own
 * first-level unit: its row of the assessment, and as figures its rows of
 * both channels (roles.md: "own unit"; the center-wide figures are not
 * theirs to see).  Every ledger change is one audited write; points travel
 * as numbers (-0.5) and are stored in tenths. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/ledger.h"
#include "../core/utf8.h"
#include "../report/assessment_out.h"
#include "../report/figures.h"
#include "../report/ledger.h"
#include "routes.h"

#define POINTS_MAX 1000.0
#define AUDIT_LINE_MAX 1024      /* bytes of an added entry's audit detail */

/* --- parameters --------------------------------------------------------------- */

static int month_value(http_req *r, const char *name, const char *s, int *month)
{
    if (s && !hl_month_parse(s, month))
        return 0;
    http_error(r, 400, "invalid_input", "%s 应为月份，形如 2024-05", name);
    return -1;
}

/* The required month and optional as_of of a report's query; -1 with 400. */
static int month_asof_query(http_req *r, int *month, int64_t *asof)
{
    const char *s = http_query(r, "as_of");
    *asof = 0;
    if (month_value(r, "查询参数 month", http_query(r, "month"), month))
        return -1;
    return s ? http_parse_time(r, "查询参数 as_of", s, asof) : 0;
}

static int channel_query(http_req *r, int *channel)
{
    const char *s = http_query(r, "channel");
    if (s && (*channel = hl_enum_parse(&hl_channel_enum, s)) >= 0)
        return 0;
    http_error(r, 400, "invalid_input", "查询参数 channel 应为 hotline 或 mailbox");
    return -1;
}

/* --- assessment and figures --------------------------------------------------- */

/* Keep only the rows of the user's own first-level unit. */
static void own_rows_only(http_req *r, json_t *j)
{
    const hl_unit *own = hl_units_get(&r->app->units, hl_units_root(&r->app->units, r->user.unit));
    json_t *rows = json_object_get(j, "rows"), *kept = json_array(), *row;
    size_t i;
    json_array_foreach(rows, i, row) {
        const char *code = json_string_value(json_object_get(row, "code"));
        if (own && code && strcmp(code, own->code) == 0)
            json_array_append(kept, row);
    }
    json_object_set_new(j, "rows", kept);
}

static int assess_params(http_req *r, int *channel, int *month, int64_t *asof)
{
    static const char *const params[] = {"channel", "month", "as_of"};
    return http_query_only(r, params, 3) || channel_query(r, channel) ||
                   month_asof_query(r, month, asof)
               ? -1
               : 0;
}

/* Parse the assessment's query and run it in one read snapshot: 0 with *a
 * filled (caller frees), -1 with the error answered. */
static int assess_query(http_req *r, hl_assessment *a)
{
    int channel, month;
    int64_t asof;
    if (assess_params(r, &channel, &month, &asof))
        return -1;
    if (store_begin_read(r->store, &r->err)) {
        http_fail(r, &r->err);
        return -1;
    }
    hl_rc rc = assessment_run(r->store, &r->app->ctx, channel, month, asof, a, &r->err);
    store_rollback(r->store);
    if (rc) {
        http_fail(r, &r->err);
        return -1;
    }
    return 0;
}

/* The whole assessment answered into r->out, inside a read snapshot.  As of
 * a past cut-off it folds the channel's history (seconds for a province's
 * month) and changes only if history at or before the cut-off is recorded
 * later (an import): that answer is kept until then, checked against the
 * facts recorded since it was last known good. */
static hl_rc assessment_answer(http_req *r, int channel, int month, int64_t asof)
{
    char key[96];
    int64_t last, kept;
    int lasting = asof && asof < r->now, changed = 0;
    unsigned gen = r->app->reload_gen;
    snprintf(key, sizeof key, "assessment\x1f%d\x1f%d\x1f%lld", channel, month, (long long)asof);
    hl_rc rc = store_last_seq(r->store, &last, &r->err);
    if (!rc && lasting && http_cache_get_lasting(r->app->lists, key, gen, &kept, &r->out)) {
        if (kept != last)
            rc = store_facts_since(r->store, channel, kept, asof, &changed, &r->err);
        if (!rc && !changed) {
            if (kept != last) /* good at last too: later checks scan from there */
                http_cache_put_lasting(r->app->lists, key, last, gen, &r->out);
            r->status = 200;
            return HL_OK;
        }
    }
    hl_assessment a;
    if (!rc)
        rc = assessment_run(r->store, &r->app->ctx, channel, month, asof, &a, &r->err);
    if (rc)
        return rc;
    json_t *j = assessment_json(&a, &r->app->ctx);
    assessment_free(&a);
    http_json(r, 200, j);
    if (lasting && r->status == 200)
        http_cache_put_lasting(r->app->lists, key, last, gen, &r->out);
    return HL_OK;
}

void h_assessment(http_req *r)
{
    int channel, month;
    int64_t asof;
    if (assess_params(r, &channel, &month, &asof))
        return;
    if (store_begin_read(r->store, &r->err)) {
        http_fail(r, &r->err);
        return;
    }
    hl_rc rc = assessment_answer(r, channel, month, asof);
    store_rollback(r->store);
    if (rc) {
        http_fail(r, &r->err);
        return;
    }
    if (r->status == 200 && http_reach(r, ACT_ASSESS) == REACH_OWN) {
        json_t *j = json_loadb(r->out.data, r->out.len, 0, NULL);
        if (j)
            own_rows_only(r, j);
        http_json(r, j ? 200 : 500, j);
    }
}

/* Read the file at path into out; 0 or -1 (errno set). */
static int slurp(const char *path, hl_buf *out)
{
    FILE *f = fopen(path, "rb");
    char chunk[16384];
    size_t n;
    int rc = f ? 0 : -1;
    while (f && !rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = hl_buf_add(out, chunk, n) ? -1 : 0;
    if (f && ferror(f))
        rc = -1;
    if (f)
        fclose(f);
    return rc;
}

/* The assessment as the annexes' workbook (what `assess --format xlsx`
 * writes), built in a private temporary file and sent from memory.  Only
 * for roles that see every unit: a unit role's table is its one row. */
void h_assessment_xlsx(http_req *r)
{
    hl_assessment a;
    if (http_reach(r, ACT_ASSESS) != REACH_ALL) {
        http_error(r, 403, "forbidden", "您的角色只能查看本单位的考核结果，不能导出全表");
        return;
    }
    if (assess_query(r, &a))
        return;
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/hotline-assess-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    hl_rc rc = fd < 0 ? hl_fail(&r->err, HL_EIO, "无法创建临时文件") : HL_OK;
    if (fd >= 0)
        close(fd);
    if (!rc)
        rc = assessment_write_xlsx(&a, &r->app->ctx, path, &r->err);
    assessment_free(&a);
    if (!rc && slurp(path, &r->out))
        rc = hl_fail(&r->err, HL_EIO, "无法读取导出的表格");
    if (fd >= 0)
        unlink(path);
    if (rc) {
        hl_buf_reset(&r->out);
        http_fail(r, &r->err);
        return;
    }
    r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r->status = 200;
}

/* A unit role's figures: its own unit's assessment row of each channel
 * (null when it had nothing due), inside the caller's read snapshot. */
static json_t *own_figures(http_req *r, int month, int64_t asof)
{
    const hl_ctx *ctx = &r->app->ctx;
    int64_t root = hl_units_root(ctx->units, r->user.unit);
    const hl_unit *u = hl_units_get(ctx->units, root);
    json_t *chs = json_object();
    for (int ch = 0; ch < CH__COUNT; ch++) {
        hl_assessment a;
        if (assessment_run(r->store, ctx, ch, month, asof, &a, &r->err)) {
            json_decref(chs);
            return NULL;
        }
        json_t *j = assessment_json(&a, ctx);
        assessment_free(&a);
        own_rows_only(r, j);
        json_t *row = json_array_get(json_object_get(j, "rows"), 0);
        json_object_set(chs, hl_enum_name(&hl_channel_enum, ch), row ? row : json_null());
        json_decref(j);
    }
    char m[16];
    snprintf(m, sizeof m, "%04d-%02d", month / 100, month % 100);
    return json_pack("{s:s, s:o, s:o}", "month", m, "unit",
                     u ? json_pack("{s:s, s:s}", "code", u->code, "name", u->name) : json_null(),
                     "channels", chs);
}

void h_figures(http_req *r)
{
    static const char *const params[] = {"month", "as_of"};
    int month;
    int64_t asof;
    hl_figures f;
    if (http_query_only(r, params, 2) || month_asof_query(r, &month, &asof))
        return;
    if (store_begin_read(r->store, &r->err)) {
        http_fail(r, &r->err);
        return;
    }
    if (http_reach(r, ACT_ASSESS) == REACH_OWN) {
        json_t *own = own_figures(r, month, asof);
        store_rollback(r->store);
        if (own)
            http_json(r, 200, own);
        else
            http_fail(r, &r->err);
        return;
    }
    hl_rc rc = figures_run(r->store, &r->app->ctx, month, asof, r->now, &f, &r->err);
    store_rollback(r->store);
    if (rc) {
        http_fail(r, &r->err);
        return;
    }
    json_t *j = figures_json(&f, &r->app->ctx);
    figures_free(&f);
    http_json(r, 200, j);
}

/* --- the ledger --------------------------------------------------------------- */

static json_t *unit_json(http_req *r, int64_t id)
{
    const hl_unit *u = hl_units_get(&r->app->units, id);
    return u ? json_pack("{s:s, s:s}", "code", u->code, "name", u->name) : json_null();
}

static json_t *text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *entry_json(http_req *r, const store_ledger_row *e)
{
    char pts[16], month[24];
    hl_points_format(e->points, pts, sizeof pts);
    snprintf(month, sizeof month, "%04d-%02d", e->month / 100, e->month % 100);
    json_t *j = json_pack("{s:I, s:s, s:o, s:o, s:s, s:s, s:s, s:s, s:s}", "id",
                          (json_int_t)e->id, "month", month, "unit", unit_json(r, e->unit),
                          "points", json_real((double)e->points / 10), "points_text", pts,
                          "indicator", e->indicator ? e->indicator : "", "detail",
                          e->detail ? e->detail : "", "refs", e->refs ? e->refs : "", "status",
                          e->status ? e->status : "");
    json_object_set_new(j, "rule", text_or_null(e->rule));
    json_object_set_new(j, "created_by", text_or_null(e->created_by));
    json_object_set_new(j, "created_at", http_time(r, e->created_at));
    json_object_set_new(j, "decided_by", text_or_null(e->decided_by));
    json_object_set_new(j, "decided_at", http_time(r, e->decided_at));
    return j;
}

typedef struct {
    http_req *r;
    json_t *items;
    const char *status;   /* only entries with this status; NULL: all */
} entries_ctx;

static hl_rc entry_row(const store_ledger_row *e, void *arg)
{
    entries_ctx *c = arg;
    if (!c->status || (e->status && strcmp(e->status, c->status) == 0))
        json_array_append_new(c->items, entry_json(c->r, e));
    return HL_OK;
}

/* The month's entries (of one status when status is not NULL) as
 * {month, items} into *out. */
static hl_rc month_entries(http_req *r, int month, const char *status, json_t **out,
                           hl_err *err)
{
    char m[24];
    entries_ctx c = {r, json_array(), status};
    hl_rc rc = store_ledger_each(r->store, month, entry_row, &c, err);
    if (rc) {
        json_decref(c.items);
        return rc;
    }
    snprintf(m, sizeof m, "%04d-%02d", month / 100, month % 100);
    *out = json_pack("{s:s, s:o}", "month", m, "items", c.items);
    return HL_OK;
}

static int is_status(const char *s)
{
    return strcmp(s, "proposed") == 0 || strcmp(s, "confirmed") == 0 || strcmp(s, "dropped") == 0;
}

void h_ledger_list(http_req *r)
{
    static const char *const params[] = {"month", "status"};
    int month;
    json_t *j = NULL;
    const char *status = http_query(r, "status");
    if (http_query_only(r, params, 2) ||
        month_value(r, "查询参数 month", http_query(r, "month"), &month))
        return;
    if (status && !is_status(status)) {
        http_error(r, 400, "invalid_input", "查询参数 status 应为 proposed、confirmed 或 dropped");
        return;
    }
    if (month_entries(r, month, status, &j, &r->err)) {
        http_fail(r, &r->err);
        return;
    }
    http_json(r, 200, j);
}

/* A points number (e.g. -0.5, 1) into tenths: a multiple of 0.5, not 0,
 * at most 1000 either way (core's rule); -1 with 400 set. */
static int points_value(http_req *r, json_t *v, int64_t *tenths)
{
    double x = json_number_value(v) * 10;
    char text[32];
    if (fabs(x) <= POINTS_MAX * 10 && fabs(x - round(x)) < 1e-6) {
        hl_points_format((int64_t)round(x), text, sizeof text);
        if (!hl_points_parse(text, tenths))
            return 0;
    }
    http_error(r, 400, "invalid_input", "points 应为 0.5 的非零倍数（如 -0.5、+1），绝对值不超过 1000");
    return -1;
}

/* A required text member: non-empty, without control characters. */
static int clean_text(http_req *r, const char *name, const char **out)
{
    *out = json_string_value(json_object_get(r->json, name));
    if (!*out || (**out && hl_text_is_clean(*out)))
        return 0;
    http_error(r, 400, "invalid_input", "字段 %s 不能为空，也不能含控制字符", name);
    return -1;
}

static const http_field ledger_add_fields[] = {
    {"month", JF_STR, 1, 7},         {"unit", JF_STR, 1, HL_UNIT_NAME_MAX},
    {"points", JF_NUM, 1, 0},        {"indicator", JF_STR, 1, 128},
    {"detail", JF_STR, 1, 2000},     {"refs", JF_STR, 0, 2000},
};

/* The entry a manager adds: confirmed at once, by them (as the CLI). */
static int ledger_entry_parse(http_req *r, store_ledger_row *e)
{
    const char *unit = json_string_value(json_object_get(r->json, "unit"));
    const char *refs = NULL;
    memset(e, 0, sizeof *e);
    if (month_value(r, "字段 month", json_string_value(json_object_get(r->json, "month")),
                    &e->month) ||
        points_value(r, json_object_get(r->json, "points"), &e->points) ||
        clean_text(r, "indicator", &e->indicator) || clean_text(r, "detail", &e->detail))
        return -1;
    if (json_is_string(json_object_get(r->json, "refs")) && clean_text(r, "refs", &refs))
        return -1;
    if (!(e->unit = hl_units_find(&r->app->units, unit))) {
        http_error(r, 422, "unit_unknown", "单位 %.64s 不存在", unit);
        return -1;
    }
    e->refs = refs ? refs : "";
    e->status = "confirmed";
    e->created_by = e->decided_by = r->user.name;
    e->created_at = e->decided_at = r->now;
    return 0;
}

void h_ledger_add(http_req *r)
{
    store_ledger_row e;
    char detail[AUDIT_LINE_MAX], pts[16];
    if (http_body(r, ledger_add_fields, sizeof ledger_add_fields / sizeof *ledger_add_fields) ||
        ledger_entry_parse(r, &e) || http_write_begin(r))
        return;
    hl_rc rc = store_ledger_add(r->store, &e, &e.id, &r->err);
    hl_points_format(e.points, pts, sizeof pts);
    snprintf(detail, sizeof detail, "#%lld %s %s %s：%s", (long long)e.id,
             hl_units_get(&r->app->units, e.unit)->code, pts, e.indicator, e.detail);
    detail[hl_utf8_valid_prefix(detail, strlen(detail))] = '\0'; /* cut at a character */
    if (!rc)
        rc = http_audit(r, "ledger_add", detail, &r->err);
    if (http_write_end(r, rc)) {
        http_fail(r, &r->err);
        return;
    }
    http_json(r, 201, entry_json(r, &e));
}

static const http_field propose_fields[] = {
    {"month", JF_STR, 1, 7},
    {"as_of", JF_STR, 0, 40},
};

void h_ledger_propose(http_req *r)
{
    int month;
    int64_t asof = 0;
    size_t n = 0;
    json_t *j = NULL;
    char detail[64];
    if (http_body(r, propose_fields, 2) ||
        month_value(r, "字段 month", json_string_value(json_object_get(r->json, "month")), &month))
        return;
    const char *s = json_string_value(json_object_get(r->json, "as_of"));
    if ((s && http_parse_time(r, "字段 as_of", s, &asof)) || http_write_begin(r))
        return;
    hl_rc rc = ledger_propose(r->store, &r->app->ctx, month, asof, r->now, r->user.name, &n,
                              &r->err);
    snprintf(detail, sizeof detail, "%04d-%02d：%zu 条待确认", month / 100, month % 100, n);
    if (!rc)
        rc = http_audit(r, "ledger_propose", detail, &r->err);
    if (!rc)
        rc = month_entries(r, month, NULL, &j, &r->err);
    if (http_write_end(r, rc)) {
        json_decref(j);
        http_fail(r, &r->err);
        return;
    }
    json_object_set_new(j, "proposed", json_integer((json_int_t)n));
    http_json(r, 200, j);
}

static hl_rc decided_row(const store_ledger_row *e, void *arg)
{
    entries_ctx *c = arg;
    c->items = entry_json(c->r, e);
    return HL_OK;
}

static const http_field decision_fields[] = {{"status", JF_STR, 1, 16}};

void h_ledger_decide(http_req *r)
{
    const char *p = r->params[0];
    char detail[64];
    entries_ctx c = {r, NULL, NULL};
    if (!*p || strlen(p) > 15 || strspn(p, "0123456789") != strlen(p) || p[0] == '0') {
        http_error(r, 400, "invalid_input", "条目编号应为正整数");
        return;
    }
    long long id = strtoll(p, NULL, 10);
    if (http_body(r, decision_fields, 1))
        return;
    const char *status = json_string_value(json_object_get(r->json, "status"));
    int confirm = strcmp(status, "confirmed") == 0;
    if (!confirm && strcmp(status, "dropped") != 0) {
        http_error(r, 400, "invalid_input", "status 应为 confirmed（确认）或 dropped（作废）");
        return;
    }
    snprintf(detail, sizeof detail, "#%lld %s", id, status);
    if (http_write_begin(r))
        return;
    hl_rc rc = store_ledger_decide(r->store, id, status, r->user.name, r->now, &r->err);
    if (!rc)
        rc = http_audit(r, confirm ? "ledger_confirm" : "ledger_drop", detail, &r->err);
    if (!rc)
        rc = store_ledger_get(r->store, id, decided_row, &c, &r->err);
    if (http_write_end(r, rc)) {
        json_decref(c.items);
        http_fail(r, &r->err);
        return;
    }
    http_json(r, 200, c.items);
}
