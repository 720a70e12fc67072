/* bulletin_drafts.c — what the system proposes for section 五 (存在的问题):
 * units with badly overdue orders, with the orders' numbers, and units that
 * left knowledge-base reminders unanswered (the month's ledger entries of
 * those rules, not dropped: run ledger propose first), and units whose
 * rework rate is above the configured bound (the assessment).  The manager
 * edits the drafts into the section. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment_out.h"
#include "bulletin_int.h"

#define DRAFTS_MAX (4u << 20)

typedef struct {
    const hl_ctx *ctx;
    hl_buf *out;
    int n;
} drafts;

static hl_rc item(drafts *d)
{
    d->n++;
    if (d->n <= 10)
        return hl_buf_printf(d->out, "%s（%s）", d->n > 1 ? "\n" : "", bl_numerals[d->n - 1]);
    return hl_buf_printf(d->out, "\n（%d）", d->n);
}

static const char *unit_name(const drafts *d, int64_t unit)
{
    const hl_unit *u = hl_units_get(d->ctx->units, unit);
    return u ? u->name : "";
}

static hl_rc ledger_draft(const store_ledger_row *r, void *arg)
{
    drafts *d = arg;
    const hl_rules *rules = d->ctx->rules;
    if (!r->rule || strcmp(r->status, "dropped") == 0)
        return HL_OK;
    int overdue = strncmp(r->rule, "overdue:", strlen("overdue:")) == 0;
    int mailbox = overdue && strcmp(r->rule + strlen("overdue:"),
                                    hl_enum_name(&hl_channel_enum, CH_MAILBOX)) == 0;
    hl_rc rc = HL_OK;
    if (overdue && rules->overdue_points) {
        if (!(rc = item(d)))
            rc = hl_buf_printf(d->out, "%s%s办理超期严重，%lld 件超过期限 %d 个工作日以上且未申请延期（%s编号：%s）。",
                               unit_name(d, r->unit), mailbox ? "信件" : "工单",
                               (long long)(r->points / rules->overdue_points),
                               rules->overdue_working_days, mailbox ? "信件" : "热线", r->refs);
    } else if (strcmp(r->rule, "kb") == 0 && rules->kb_points) {
        if (!(rc = item(d)))
            rc = hl_buf_printf(d->out, "%s知识库更新不及时，%lld 条复核提醒逾期未答复（文章：%s），"
                                       "知识库中可能有过期内容。",
                               unit_name(d, r->unit), (long long)(r->points / rules->kb_points),
                               r->refs);
    }
    return rc;
}

static hl_rc rework_drafts(drafts *d, const hl_figures *f, const bl_config *c)
{
    const hl_rules *rules = d->ctx->rules;
    int64_t bound = c->draft_rework_rate;
    for (int i = 0; i < rules->rate_decimals; i++)
        bound *= 10;
    hl_rc rc = HL_OK;
    for (int ch = 0; ch < CH__COUNT && !rc; ch++) {
        const hl_assessment *a = &f->ch[ch].assessment;
        for (size_t i = 0; i < a->n && !rc; i++) {
            const hl_score *s = &a->scores[i];
            char cells[ASSESS_COLS][ASSESS_CELL];
            if (s->n.due < c->draft_min_due || s->rate[RATE_REWORK] <= bound)
                continue;
            assessment_cells(a, d->ctx, s, cells);
            if (!(rc = item(d)))
                rc = hl_buf_printf(d->out, "%s%s办理返工率偏高：应办理 %s 件，返工 %s 件，返工率 %s，"
                                           "综合指标值 %s，考核等级为 %s 类。",
                                   cells[0], ch == CH_HOTLINE ? "热线工单" : "市长信箱信件",
                                   cells[1], cells[6], cells[7], cells[10], cells[11]);
        }
    }
    return rc;
}

hl_rc bulletin_drafts(hl_store *s, const hl_ctx *ctx, const hl_figures *f, const bl_config *c,
                      char **out, hl_err *err)
{
    hl_buf b;
    drafts d = {ctx, &b, 0};
    hl_buf_init(&b, DRAFTS_MAX);
    hl_rc rc = store_ledger_each(s, f->month, ledger_draft, &d, err);
    if (!rc)
        rc = rework_drafts(&d, f, c);
    if (!rc && !(*out = hl_buf_detach(&b)))
        rc = HL_ENOMEM;
    hl_buf_free(&b);
    if (rc == HL_ENOMEM || rc == HL_ETOOBIG)
        hl_fail(err, rc, rc == HL_ETOOBIG ? "建议内容过长" : "内存不足");
    return rc;
}
