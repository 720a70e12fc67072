/* assessment_xlsx.c — an assessment as an Excel workbook laid out like the
 * bulletin's annexes 1 and 2: a title, then one block per unit kind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "assessment_out.h"

const char *const assessment_kind_titles[UNIT_KIND__COUNT] = {"县市区", "行政事业单位", "公共服务企业"};

/* Column headings; the callback columns follow the channel's rules. */
static const char *const heads[ASSESS_COLS] = {"部门名称", "应办理数", "办理数", "办结率",
                                               "按期办理数", "按期办结率", "返工数", "返工率",
                                               NULL, NULL, "综合指标值", "等级评价"};

const char *assessment_head(const hl_assessment *a, const hl_ctx *ctx, int col)
{
    hl_rate cr = assessment_callback_rate(ctx->rules, a->channel);
    if (col == 8)
        return cr == RATE_SATISFIED ? "回访满意数" : "回访不满意数";
    if (col == 9)
        return cr == RATE_SATISFIED ? "群众满意率" : "群众不满意率";
    return heads[col];
}

void assessment_cells(const hl_assessment *a, const hl_ctx *ctx, const hl_score *s,
                      char cells[ASSESS_COLS][ASSESS_CELL])
{
    const hl_rules *r = ctx->rules;
    hl_rate cr = assessment_callback_rate(r, a->channel);
    const int64_t counts[] = {s->n.due, s->n.done, s->n.on_time, s->n.rework,
                              cr == RATE_SATISFIED ? s->n.satisfied : s->n.dissatisfied};
    const int64_t rates[] = {s->rate[RATE_DONE], s->rate[RATE_ON_TIME], s->rate[RATE_REWORK],
                             s->rate[cr]};
    snprintf(cells[0], ASSESS_CELL, "%s", hl_units_get(ctx->units, s->unit)->name);
    snprintf(cells[1], ASSESS_CELL, "%lld", (long long)counts[0]);
    for (int k = 0; k < 4; k++) {
        snprintf(cells[2 + 2 * k], ASSESS_CELL, "%lld", (long long)counts[k + 1]);
        hl_fixed(rates[k], r->rate_decimals, cells[3 + 2 * k], ASSESS_CELL - 1);
        strcat(cells[3 + 2 * k], "%");
    }
    hl_fixed(s->index, r->channel[a->channel].index_decimals, cells[10], ASSESS_CELL);
    snprintf(cells[11], ASSESS_CELL, "%s", r->channel[a->channel].grade[s->grade]);
}

static void write_row(lxw_worksheet *ws, int row, const hl_assessment *a, const hl_ctx *ctx,
                      const hl_score *s, lxw_format *num)
{
    char cells[ASSESS_COLS][ASSESS_CELL];
    assessment_cells(a, ctx, s, cells);
    for (int c = 0; c < ASSESS_COLS; c++) {
        if (c == 1 || (c <= 8 && c % 2 == 0 && c))
            worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)c, strtod(cells[c], NULL), NULL);
        else
            worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)c, cells[c], c ? num : NULL);
    }
}

hl_rc assessment_write_xlsx(const hl_assessment *a, const hl_ctx *ctx, const char *path,
                            hl_err *err)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return hl_fail(err, HL_EIO, "无法创建 %s", path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, a->channel == CH_HOTLINE ? "热线" : "信箱");
    lxw_format *bold = workbook_add_format(wb), *num = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_align(num, LXW_ALIGN_RIGHT);
    char title[128];
    snprintf(title, sizeof title, "%d 年 %d 月%s综合评价表", a->month / 100, a->month % 100,
             a->channel == CH_HOTLINE ? "12345 政务服务热线" : "市长信箱");
    worksheet_write_string(ws, 0, 0, title, bold);
    worksheet_set_column(ws, 0, 0, 24, NULL);
    int row = 1;
    for (int kind = 0; kind < UNIT_KIND__COUNT; kind++) {
        worksheet_write_string(ws, (lxw_row_t)++row, 0, assessment_kind_titles[kind], bold);
        row++;
        for (int c = 0; c < ASSESS_COLS; c++)
            worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)c, assessment_head(a, ctx, c),
                                   bold);
        for (size_t i = 0; i < a->n; i++)
            if (hl_units_get(ctx->units, a->scores[i].unit)->kind == (hl_unit_kind)kind)
                write_row(ws, ++row, a, ctx, &a->scores[i], num);
        row++;
    }
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR)
        return hl_fail(err, HL_EIO, "写入 %s 失败：%s", path, lxw_strerror(e));
    return HL_OK;
}
