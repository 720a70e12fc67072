/* bulletin.c — the monthly bulletin (工作通报) in the web app: the preview
 * (the document as JSON, with the manager's sections and their versions),
 * the three files for download, saving a section as a new version, a
 * section's versions, and the system's drafts of section 五.  Role manager
 * (ACT_BULLETIN).  Reads run in one snapshot; a save is one audited write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/timeutil.h"
#include "../core/utf8.h"
#include "../report/bulletin.h"
#include "routes.h"

#define SECTION_CHARS_MAX 20000

static const char *const files[][2] = {
    {"bulletin.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"bulletin.pdf", "application/pdf"},
    {"annexes.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
};

/* The {month} of the path; -1 with 400. */
static int month_param(http_req *r, int *month)
{
    if (r->n_params >= 1 && !hl_month_parse(r->params[0], month))
        return 0;
    http_error(r, 400, "invalid_input", "路径中的月份应形如 2024-05");
    return -1;
}

/* The {section} of the path (1, 2, 4 or 5) as a BL_SEC_ index; -1 with 404. */
static int section_param(http_req *r, int *sec)
{
    for (int i = 0; i < BL_SEC__COUNT && r->n_params >= 2; i++) {
        char n[4];
        snprintf(n, sizeof n, "%d", bl_section_numbers[i]);
        if (strcmp(r->params[1], n) == 0) {
            *sec = i;
            return 0;
        }
    }
    http_error(r, 404, "not_found", "通报没有第 %s 部分可编辑（可编辑 1、2、4、5）",
               r->n_params >= 2 ? r->params[1] : "");
    return -1;
}

static int config(http_req *r, bl_config *c)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/bulletin.json", r->app->data_dir ? r->app->data_dir : HL_DATA_DIR);
    if (!bulletin_config_load(path, c, &r->err))
        return 0;
    http_fail(r, &r->err);
    return -1;
}

static json_t *section_json(http_req *r, const store_section *s)
{
    json_t *j = json_pack("{s:i, s:I, s:s, s:s}", "section", s->section, "version",
                          (json_int_t)s->version, "text", s->text ? s->text : "", "author",
                          s->author ? s->author : "");
    json_object_set_new(j, "at", http_time(r, s->at));
    return j;
}

static json_t *sections_json(http_req *r, int month, const bl_sections *x)
{
    json_t *a = json_array();
    for (int i = 0; i < BL_SEC__COUNT; i++)
        if (x->text[i]) {
            store_section s = {month, bl_section_numbers[i], x->version[i], x->text[i],
                               x->author[i], x->at[i]};
            json_array_append_new(a, section_json(r, &s));
        }
    return a;
}

/* The month's document as of the query's as_of, in a read snapshot; -1
 * with the error response set. */
static int make(http_req *r, int month, bl_config *cfg, bl_sections *x, bl_doc *d)
{
    static const char *const params[] = {"as_of", "issue"};
    const char *s = http_query(r, "as_of");
    int64_t asof = 0, issue = 0;
    memset(d, 0, sizeof *d);
    if (http_query_only(r, params, 2) || (s && http_parse_time(r, "查询参数 as_of", s, &asof)) ||
        http_query_int(r, "issue", 1, 9999, 0, &issue) || config(r, cfg))
        return -1;
    bl_input in = {(int)issue, asof ? asof : r->now, {NULL}, cfg};
    if (store_begin_read(r->store, &r->err)) {
        http_fail(r, &r->err);
        return -1;
    }
    hl_rc rc = bulletin_sections_load(r->store, month, x, &r->err);
    for (int i = 0; i < BL_SEC__COUNT; i++)
        in.section[i] = x->text[i];
    if (!rc)
        rc = bulletin_make(r->store, &r->app->ctx, month, asof, r->now, &in, d, &r->err);
    store_rollback(r->store);
    if (rc) {
        bulletin_free(d);
        http_fail(r, &r->err);
        return -1;
    }
    return 0;
}

void h_bulletin_get(http_req *r)
{
    int month;
    bl_config cfg;
    bl_sections x;
    bl_doc d;
    memset(&x, 0, sizeof x);
    if (!month_param(r, &month) && !make(r, month, &cfg, &x, &d)) {
        json_t *j = bulletin_json(&d);
        json_object_set_new(j, "sections", sections_json(r, month, &x));
        bulletin_free(&d);
        http_json(r, 200, j);
    }
    bulletin_sections_free(&x);
}

/* Write one file of the document into a fresh temp dir and read it back
 * into the response. */
static hl_rc file_out(http_req *r, const bl_doc *d, int k)
{
    char dir[] = "/tmp/hotline-bulletin-XXXXXX", path[64];
    static hl_rc (*const writers[])(const bl_doc *, const char *, hl_err *) = {
        bulletin_write_docx, bulletin_write_pdf, bulletin_write_xlsx};
    if (!mkdtemp(dir))
        return hl_fail(&r->err, HL_EIO, "无法创建临时目录");
    snprintf(path, sizeof path, "%s/%s", dir, files[k][0]);
    hl_rc rc = writers[k](d, path, &r->err);
    FILE *f = rc ? NULL : fopen(path, "rb");
    char chunk[65536];
    size_t n;
    if (!rc && !f)
        rc = hl_fail(&r->err, HL_EIO, "无法读取 %s", files[k][0]);
    while (f && !rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (hl_buf_add(&r->out, chunk, n))
            rc = hl_fail(&r->err, HL_ETOOBIG, "通报文件过大");
    if (f)
        fclose(f);
    unlink(path);
    rmdir(dir);
    return rc;
}

void h_bulletin_file(http_req *r)
{
    int month, k = 0;
    bl_config cfg;
    bl_sections x;
    bl_doc d;
    memset(&x, 0, sizeof x);
    while (k < 3 && r->n_params >= 2 && strcmp(r->params[1], files[k][0]) != 0)
        k++;
    if (k == 3) {
        http_error(r, 404, "not_found", "可下载 bulletin.docx、bulletin.pdf 或 annexes.xlsx");
    } else if (!month_param(r, &month) && !make(r, month, &cfg, &x, &d)) {
        hl_buf_reset(&r->out);
        hl_rc rc = file_out(r, &d, k);
        bulletin_free(&d);
        if (rc) {
            hl_buf_reset(&r->out);
            http_fail(r, &r->err);
        } else {
            r->status = 200;
            r->content_type = files[k][1];
        }
    }
    bulletin_sections_free(&x);
}

static const http_field section_fields[] = {
    {"text", JF_STR, 1, SECTION_CHARS_MAX},
    {"version", JF_INT, 1, 1000000},
};

void h_bulletin_section_put(http_req *r)
{
    int month, sec;
    int64_t version = 0;
    char detail[96];
    if (month_param(r, &month) || section_param(r, &sec) || http_body(r, section_fields, 2))
        return;
    const char *text = json_string_value(json_object_get(r->json, "text"));
    int64_t base = json_integer_value(json_object_get(r->json, "version"));
    if (base < 0) {
        http_error(r, 400, "invalid_input", "字段 version 应为当前版本号（尚无版本时为 0）");
        return;
    }
    if (http_write_begin(r))
        return;
    hl_rc rc = store_section_put(r->store, month, bl_section_numbers[sec], base, text, r->user.name,
                                 r->now, &version, &r->err);
    snprintf(detail, sizeof detail, "%04d-%02d 第 %d 部分第 %lld 版", month / 100, month % 100,
             bl_section_numbers[sec], (long long)version);
    if (!rc)
        rc = http_audit(r, "bulletin_section", detail, &r->err);
    if (http_write_end(r, rc)) {
        http_fail(r, &r->err);
        return;
    }
    store_section s = {month, bl_section_numbers[sec], version, text, r->user.name, r->now};
    http_json(r, 200, section_json(r, &s));
}

typedef struct {
    http_req *r;
    json_t *versions;
} history;

static hl_rc history_row(const store_section *s, void *arg)
{
    history *x = arg;
    return json_array_append_new(x->versions, section_json(x->r, s)) ? HL_ENOMEM : HL_OK;
}

void h_bulletin_section_get(http_req *r)
{
    int month, sec;
    if (http_query_only(r, NULL, 0) || month_param(r, &month) || section_param(r, &sec))
        return;
    history x = {r, json_array()};
    hl_rc rc = store_begin_read(r->store, &r->err);
    if (!rc)
        rc = store_section_history(r->store, month, bl_section_numbers[sec], history_row, &x,
                                   &r->err);
    store_rollback(r->store);
    if (rc == HL_ENOMEM)
        hl_fail(&r->err, rc, "内存不足");
    if (rc)
        http_fail(r, &r->err);
    else
        http_json(r, 200, json_pack("{s:O}", "versions", x.versions));
    json_decref(x.versions);
}

void h_bulletin_drafts(http_req *r)
{
    static const char *const params[] = {"as_of"};
    const char *s = http_query(r, "as_of");
    int month;
    int64_t asof = 0;
    bl_config cfg;
    hl_figures f;
    char *text = NULL;
    if (month_param(r, &month) || http_query_only(r, params, 1) ||
        (s && http_parse_time(r, "查询参数 as_of", s, &asof)) || config(r, &cfg))
        return;
    if (store_begin_read(r->store, &r->err)) {
        http_fail(r, &r->err);
        return;
    }
    hl_rc rc = figures_run(r->store, &r->app->ctx, month, asof, r->now, &f, &r->err);
    if (!rc) {
        rc = bulletin_drafts(r->store, &r->app->ctx, &f, &cfg, &text, &r->err);
        figures_free(&f);
    }
    store_rollback(r->store);
    if (rc)
        http_fail(r, &r->err);
    else
        http_json(r, 200, json_pack("{s:i, s:s}", "section", 5, "text", text));
    free(text);
}
