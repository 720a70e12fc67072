/* bulletin_build.c — the bulletin's content: the title block, sections 二 and
 * 三 in the words of figures_write_text, the manager's sections, charts, and
 * annexes 1–4 from the assessment and the confirmed ledger entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/ledger.h"
#include "../core/timeutil.h"
#include "assessment_out.h"
#include "bulletin_int.h"

typedef struct {
    bl_doc *d;
    const hl_ctx *ctx;
    const hl_figures *f;
    const bl_input *in;
    hl_err *err;
} builder;

const char *const bl_numerals[10] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};

static hl_rc nomem(builder *b)
{
    return hl_fail(b->err, HL_ENOMEM, "内存不足");
}

static hl_rc add(builder *b, bl_kind kind, const char *text)
{
    return bl_add(b->d, kind, text) ? HL_OK : nomem(b);
}

/* One paragraph per non-empty line of a manager's text. */
static hl_rc lines(builder *b, const char *text)
{
    hl_rc rc = HL_OK;
    for (const char *p = text ? text : ""; *p && !rc;) {
        size_t n = strcspn(p, "\n");
        char *line = strndup(p, n);
        if (!line)
            return nomem(b);
        if (line[strspn(line, " \t\r")])
            rc = add(b, BL_PARA, line);
        free(line);
        p += n + (p[n] == '\n');
    }
    return rc;
}

static hl_rc manager_section(builder *b, int sec, const char *heading)
{
    char h[128];
    snprintf(h, sizeof h, "%s、%s", bl_numerals[bl_section_numbers[sec] - 1], heading);
    hl_rc rc = add(b, BL_HEADING, h);
    return rc ? rc : lines(b, b->in->section[sec]);
}

static hl_rc chart(builder *b, const char *caption, const char *const *labels,
                   const double *values, size_t n)
{
    bl_block *c = bl_add(b->d, BL_CHART, caption);
    for (size_t i = 0; c && i < n; i++)
        if (bl_point(&c->chart, labels[i], values[i]))
            return nomem(b);
    return c ? HL_OK : nomem(b);
}

static hl_rc categories_chart(builder *b)
{
    const fig_groups *g = &b->f->ch[CH_HOTLINE].categories;
    const char *labels[64];
    double values[64];
    size_t n = 0;
    for (size_t i = 0; i < g->n && n < 64 && (int)n < b->in->config->chart_categories; i++)
        if (*g->v[i].key) {
            labels[n] = g->v[i].key;
            values[n++] = (double)g->v[i].total;
        }
    return n ? chart(b, "热线诉求类型（件）", labels, values, n) : HL_OK;
}

static hl_rc grades_chart(builder *b, int channel, const char *caption)
{
    const hl_assessment *a = &b->f->ch[channel].assessment;
    const hl_channel_rules *c = &b->ctx->rules->channel[channel];
    const char *labels[HL_RULES_MAX_GRADES + 2];
    char names[HL_RULES_MAX_GRADES + 1][HL_GRADE_NAME_MAX + 8];
    double values[HL_RULES_MAX_GRADES + 2];
    size_t n = 0;
    for (size_t g = 0; g <= c->n_grades; g++) {
        snprintf(names[g], sizeof names[g], "%s 类", c->grade[g]);
        labels[n] = names[g];
        values[n++] = (double)a->per_grade[g];
    }
    labels[n] = channel == CH_HOTLINE ? "工单量为 0" : "信件量为 0";
    values[n++] = (double)a->zero_due;
    return chart(b, caption, labels, values, n);
}

/* The length of a line without the full stops, semicolons and spaces it
 * ends with. */
static size_t trimmed(const char *line, size_t n)
{
    static const char *const stops[] = {"。", "；", ";"};
    for (int again = 1; again;) {
        again = 0;
        for (size_t k = 0; k < 3; k++) {
            size_t m = strlen(stops[k]);
            if (n >= m && memcmp(line + n - m, stops[k], m) == 0) {
                n -= m;
                again = 1;
            }
        }
        while (n && (line[n - 1] == ' ' || line[n - 1] == '\r')) {
            n--;
            again = 1;
        }
    }
    return n;
}

/* 二（二）: the hot spots, one a line, as the seed writes them: "；" between,
 * "。" at the end.  Nothing when there are none. */
static hl_rc hot_spots(builder *b)
{
    const char *spots = b->in->section[BL_SEC_HOTSPOTS];
    hl_buf h;
    size_t shown = 0;
    hl_buf_init(&h, 1u << 20);
    hl_rc rc = hl_buf_adds(&h, "（二）热点焦点。");
    for (const char *q = spots ? spots : ""; !rc && *q;) {
        size_t n = strcspn(q, "\n"), len = trimmed(q, n);
        if (len && shown++)
            rc = hl_buf_adds(&h, "；");
        if (!rc && len)
            rc = hl_buf_add(&h, q, len);
        q += n + (q[n] == '\n');
    }
    if (!rc && shown)
        rc = hl_buf_adds(&h, "。");
    rc = rc ? nomem(b) : shown ? add(b, BL_PARA, hl_buf_str(&h)) : HL_OK;
    hl_buf_free(&h);
    return rc;
}

/* Sections 二 and 三: figures_write_text's paragraphs, with the hot spots
 * after 二（一） and the charts after the paragraphs they illustrate. */
static hl_rc figures_sections(builder *b)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        return nomem(b);
    hl_rc rc = figures_write_text(b->f, b->ctx, m);
    if (fclose(m) || rc) {
        free(text);
        return hl_fail(b->err, rc ? rc : HL_ENOMEM, "通报正文生成失败");
    }
    for (char *save = NULL, *p = strtok_r(text, "\n", &save); p && !rc;
         p = strtok_r(NULL, "\n", &save)) {
        int heading = strncmp(p, "二、", strlen("二、")) == 0 || strncmp(p, "三、", strlen("三、")) == 0;
        rc = add(b, heading ? BL_HEADING : BL_PARA, p);
        if (!rc && strncmp(p, "（一）", strlen("（一）")) == 0) {
            rc = categories_chart(b);
            if (!rc)
                rc = hot_spots(b);
        }
        if (!rc && strncmp(p, "（三）", strlen("（三）")) == 0)
            rc = grades_chart(b, CH_HOTLINE, "热线承办单位综合考评等级（个）");
    }
    free(text);
    return rc;
}

static const char *month_text(int month, char *out, size_t size)
{
    snprintf(out, size, "%d 年 %d 月", month / 100, month % 100);
    return out;
}

static hl_rc title_block(builder *b)
{
    char t[256], m[32];
    int y, mo, dd;
    hl_civil_from_days(hl_local_day(b->in->date, b->ctx->rules->offset_min), &y, &mo, &dd);
    hl_rc rc = add(b, BL_TITLE, b->in->config->title);
    snprintf(t, sizeof t, "%d 年第 %d 期", b->d->month / 100,
             b->in->issue ? b->in->issue : b->d->month % 100);
    if (!rc)
        rc = add(b, BL_SUBTITLE, t);
    if (!rc)
        rc = add(b, BL_SUBTITLE, b->in->config->center);
    snprintf(t, sizeof t, "%d 年 %d 月 %d 日", y, mo, dd);
    if (!rc)
        rc = add(b, BL_SUBTITLE, t);
    snprintf(t, sizeof t, "%s 12345 热线和市长信箱运行办理情况通报", month_text(b->d->month, m, sizeof m));
    return rc ? rc : add(b, BL_SUBTITLE, t);
}

static const char *const annex_titles[] = {"12345 政务服务热线综合评价表", "市长信箱办理综合评价表",
                                           "12345 热线和市长信箱工作考核扣分表",
                                           "12345 热线和市长信箱工作考核加分表"};
static const char *const annex_sheets[] = {"附件1 热线综合评价", "附件2 信箱综合评价",
                                           "附件3 考核扣分", "附件4 考核加分"};
static const int assess_widths[ASSESS_COLS] = {38, 9, 9, 11, 9, 11, 9, 11, 9, 11, 10, 7};
static const int ledger_widths[4] = {26, 10, 22, 62};

static bl_block *annex(builder *b, int k, size_t ncols, const int *widths)
{
    char t[256], m[32];
    snprintf(t, sizeof t, "附件 %d:", k + 1);
    if (add(b, BL_BREAK, "") || add(b, BL_HEADING, t))
        return NULL;
    snprintf(t, sizeof t, "%s%s", month_text(b->d->month, m, sizeof m), annex_titles[k]);
    bl_block *x = bl_add(b->d, BL_TABLE, t);
    if (x) {
        x->name = strdup(annex_sheets[k]);
        x->table.ncols = ncols;
        x->table.widths = widths;
    }
    return x && x->name ? x : NULL;
}

/* Annexes 1 and 2: one group per unit kind, each with its header row. */
static hl_rc assessment_annex(builder *b, int channel)
{
    const hl_assessment *a = &b->f->ch[channel].assessment;
    bl_block *x = annex(b, channel, ASSESS_COLS, assess_widths);
    if (!x)
        return nomem(b);
    const char *head[ASSESS_COLS], *row[ASSESS_COLS];
    char cells[ASSESS_COLS][ASSESS_CELL];
    for (int c = 0; c < ASSESS_COLS; c++)
        head[c] = assessment_head(a, b->ctx, c);
    for (int kind = 0; kind < UNIT_KIND__COUNT; kind++) {
        const char *group[ASSESS_COLS] = {assessment_kind_titles[kind]};
        if (bl_row(&x->table, BL_ROW_GROUP, group) || bl_row(&x->table, BL_ROW_HEAD, head))
            return nomem(b);
        for (size_t i = 0; i < a->n; i++) {
            if (hl_units_get(b->ctx->units, a->scores[i].unit)->kind != (hl_unit_kind)kind)
                continue;
            assessment_cells(a, b->ctx, &a->scores[i], cells);
            for (int c = 0; c < ASSESS_COLS; c++)
                row[c] = cells[c];
            if (bl_row(&x->table, BL_ROW_DATA, row))
                return nomem(b);
        }
    }
    return HL_OK;
}

typedef struct {
    builder *b;
    bl_table *t;
    int sign;
} ledger_rows;

static hl_rc ledger_row(const store_ledger_row *r, void *arg)
{
    ledger_rows *x = arg;
    char pts[16];
    if (strcmp(r->status, "confirmed") != 0 || (r->points < 0 ? -1 : 1) != x->sign || !r->points)
        return HL_OK;
    const hl_unit *u = hl_units_get(x->b->ctx->units, r->unit);
    hl_points_format(r->points, pts, sizeof pts);
    const char *row[4] = {u ? u->name : "", pts, r->indicator, r->detail};
    return bl_row(x->t, BL_ROW_DATA, row);
}

/* Annexes 3 and 4: the month's confirmed deductions, then bonuses. */
static hl_rc ledger_annex(builder *b, hl_store *s, int k, int sign)
{
    bl_block *x = annex(b, k, 4, ledger_widths);
    const char *head[4] = {"部门名称", "加扣分值", "指标名称", sign < 0 ? "扣分明细" : "加分明细"};
    if (!x || bl_row(&x->table, BL_ROW_HEAD, head))
        return nomem(b);
    ledger_rows r = {b, &x->table, sign};
    return store_ledger_each(s, b->d->month, ledger_row, &r, b->err);
}

static hl_rc annex_list(builder *b)
{
    char t[256], m[32];
    hl_rc rc = HL_OK;
    for (int k = 0; k < 4 && !rc; k++) {
        snprintf(t, sizeof t, "%s%d、%s%s", k ? "" : "附件：", k + 1,
                 month_text(b->d->month, m, sizeof m), annex_titles[k]);
        rc = add(b, BL_PARA, t);
    }
    return rc;
}

hl_rc bulletin_build(hl_store *s, const hl_ctx *ctx, const hl_figures *f, const bl_input *in,
                     bl_doc *d, hl_err *err)
{
    builder b = {d, ctx, f, in, err};
    memset(d, 0, sizeof *d);
    d->month = f->month;
    snprintf(d->font, sizeof d->font, "%s", in->config->font);
    hl_rc rc = title_block(&b);
    if (!rc)
        rc = manager_section(&b, BL_SEC_NEWS, "工作动态");
    if (!rc)
        rc = figures_sections(&b);
    if (!rc)
        rc = grades_chart(&b, CH_MAILBOX, "市长信箱承办单位综合考评等级（个）");
    if (!rc)
        rc = manager_section(&b, BL_SEC_EXPERIENCE, "工作经验交流");
    if (!rc)
        rc = manager_section(&b, BL_SEC_PROBLEMS, "存在的问题");
    if (!rc)
        rc = annex_list(&b);
    for (int ch = 0; ch < CH__COUNT && !rc; ch++)
        rc = assessment_annex(&b, ch);
    if (!rc)
        rc = ledger_annex(&b, s, 2, -1);
    if (!rc)
        rc = ledger_annex(&b, s, 3, +1);
    if (!rc)
        rc = add(&b, BL_PARA, in->config->distribution);
    return rc;
}

hl_rc bulletin_make(hl_store *s, const hl_ctx *ctx, int month, int64_t asof, int64_t now,
                    const bl_input *in, bl_doc *d, hl_err *err)
{
    hl_figures f;
    memset(d, 0, sizeof *d);
    hl_rc rc = figures_run(s, ctx, month, asof, now, &f, err);
    if (rc)
        return rc;
    rc = bulletin_build(s, ctx, &f, in, d, err);
    figures_free(&f);
    return rc;
}
