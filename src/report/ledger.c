/* ledger.c — the automatic rules of the bonus/deduction ledger. */
#include "ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/ledger.h"
#include "assessment.h"

#define DETAIL_MAX (1u << 20) /* refs name every severely overdue order of a unit */

typedef struct {
    hl_store *s;
    const hl_ctx *ctx;
    int month;
    int64_t now;
    const char *by;
    size_t n;
    hl_err *err;
} proposer;

static hl_rc propose(proposer *p, int64_t unit, int64_t points, const char *indicator,
                     const char *detail, const char *refs, const char *rule)
{
    store_ledger_row r = {0, p->month, unit, points, indicator, detail, refs, "proposed", rule,
                          p->by, p->now, NULL, 0};
    int64_t id;
    if (store_ledger_add(p->s, &r, &id, p->err))
        return p->err->rc;
    p->n += id != 0;
    return HL_OK;
}

static hl_rc grade_points(proposer *p, int channel, int64_t asof)
{
    const hl_channel_rules *c = &p->ctx->rules->channel[channel];
    hl_assessment a;
    char rule[32];
    hl_rc rc = assessment_run(p->s, p->ctx, channel, p->month, asof, &a, p->err);
    snprintf(rule, sizeof rule, "grade:%s", hl_enum_name(&hl_channel_enum, channel));
    for (size_t i = 0; !rc && i < a.n; i++) {
        const hl_score *s = &a.scores[i];
        int64_t pts = c->grade_points[s->grade];
        hl_buf detail;
        if (!pts)
            continue;
        hl_buf_init(&detail, DETAIL_MAX);
        rc = hl_ledger_detail(c->grade_detail, c->grade[s->grade], pts, "", &detail);
        if (!rc)
            rc = propose(p, s->unit, pts, c->grade_indicator, hl_buf_str(&detail), "", rule);
        hl_buf_free(&detail);
    }
    assessment_free(&a);
    return rc;
}

/* One entry per unit: its severely overdue orders of the month, as refs. */
static hl_rc overdue_entry(proposer *p, int channel, int64_t unit, const hl_fold *f,
                           const int *severe)
{
    const hl_channel_rules *c = &p->ctx->rules->channel[channel];
    hl_buf refs, detail;
    int64_t count = 0;
    char number[HL_ORDER_NUMBER_MAX + 1], rule[32];
    hl_rc rc = HL_OK;
    hl_buf_init(&refs, DETAIL_MAX);
    hl_buf_init(&detail, DETAIL_MAX);
    for (size_t i = 0; i < f->n && !rc; i++) {
        if (!severe[i] || hl_units_root(p->ctx->units, f->v[i].unit) != unit)
            continue;
        rc = store_order_number(p->s, f->v[i].order_id, number, sizeof number, p->err);
        if (!rc && count++)
            rc = hl_buf_adds(&refs, "、");
        if (!rc)
            rc = hl_buf_adds(&refs, number);
    }
    int64_t pts = count * p->ctx->rules->overdue_points;
    snprintf(rule, sizeof rule, "overdue:%s", hl_enum_name(&hl_channel_enum, channel));
    if (!rc)
        rc = hl_ledger_detail(c->overdue_detail, "", p->ctx->rules->overdue_points,
                              hl_buf_str(&refs), &detail);
    if (!rc && pts)
        rc = propose(p, unit, pts, c->overdue_indicator, hl_buf_str(&detail), hl_buf_str(&refs),
                     rule);
    hl_buf_free(&refs);
    hl_buf_free(&detail);
    return rc == HL_ETOOBIG ? hl_fail(p->err, rc, "超期工单过多，明细超长") : rc;
}

static hl_rc overdue(proposer *p, int channel, int64_t asof)
{
    hl_fold f;
    int off = p->ctx->rules->offset_min;
    hl_rc rc = assessment_fold(p->s, p->ctx, channel, p->month, asof, &f, p->err);
    int *severe = rc ? NULL : calloc(f.n + 1, sizeof *severe);
    if (!rc && !severe)
        rc = hl_fail(p->err, HL_ENOMEM, "内存不足");
    for (size_t i = 0; !rc && i < f.n; i++) {
        const hl_fold_order *o = &f.v[i];
        if (!o->started || !o->unit || o->extension_asked ||
            hl_month_of(o->dispatched_at, off) != p->month)
            continue;
        rc = hl_severely_overdue(p->ctx->rules, p->ctx->cal, o->deadline,
                                 o->closed ? o->reply_at : asof, &severe[i], p->err);
        if (rc) {
            char number[HL_ORDER_NUMBER_MAX + 1];
            store_order_number(p->s, o->order_id, number, sizeof number, NULL);
            hl_err_prefix(p->err, "严重超期判断：工单 %s", number);
        }
    }
    for (size_t u = 0; !rc && u < p->ctx->units->n; u++)
        if (!p->ctx->units->v[u].parent)
            rc = overdue_entry(p, channel, p->ctx->units->v[u].id, &f, severe);
    free(severe);
    hl_fold_free(&f);
    return rc;
}

/* 知识库管理: review reminders due in the month (up to asof) that were not
 * answered by their due time, one entry per first-level unit listing the
 * articles.  Collected per root unit (by its index in the registry). */
typedef struct {
    proposer *p;
    int64_t *count;
    hl_buf *refs;
} kb_collect;

static hl_rc kb_lapsed(const store_kb_reminder *r, void *arg)
{
    kb_collect *k = arg;
    const hl_units *units = k->p->ctx->units;
    const hl_unit *root = hl_units_get(units, hl_units_root(units, r->unit));
    if (!root)
        return HL_OK; /* an article without an owner charges no one */
    size_t i = (size_t)(root - units->v);
    hl_rc rc = k->count[i]++ ? hl_buf_adds(&k->refs[i], "、") : HL_OK;
    return rc ? rc : hl_buf_adds(&k->refs[i], r->article);
}

static hl_rc kb_entry(proposer *p, int64_t unit, int64_t count, const hl_buf *refs)
{
    char pts[16];
    hl_buf detail;
    hl_points_format(-p->ctx->rules->kb_points, pts, sizeof pts);
    hl_buf_init(&detail, DETAIL_MAX);
    hl_rc rc = hl_buf_printf(&detail, "知识库文章复核提醒逾期未答复 %lld 条，每条扣 %s 分（文章：%s）",
                             (long long)count, pts + (pts[0] == '+'), hl_buf_str(refs));
    if (!rc)
        rc = propose(p, unit, count * p->ctx->rules->kb_points, p->ctx->rules->kb_indicator,
                     hl_buf_str(&detail), hl_buf_str(refs), "kb");
    hl_buf_free(&detail);
    return rc;
}

static hl_rc kb_reminders(proposer *p, int64_t asof)
{
    const hl_units *units = p->ctx->units;
    int64_t from, to;
    hl_month_range(p->month, p->ctx->rules->offset_min, &from, &to);
    kb_collect k = {p, calloc(units->n + 1, sizeof *k.count), calloc(units->n + 1, sizeof *k.refs)};
    hl_rc rc = k.count && k.refs ? HL_OK : hl_fail(p->err, HL_ENOMEM, "内存不足");
    for (size_t i = 0; !rc && i < units->n; i++)
        hl_buf_init(&k.refs[i], DETAIL_MAX);
    if (!rc)
        rc = store_kb_lapsed(p->s, from, asof < to ? asof : to, kb_lapsed, &k, p->err);
    for (size_t i = 0; !rc && i < units->n; i++)
        if (k.count[i])
            rc = kb_entry(p, units->v[i].id, k.count[i], &k.refs[i]);
    for (size_t i = 0; k.refs && i < units->n; i++)
        hl_buf_free(&k.refs[i]);
    free(k.count);
    free(k.refs);
    return rc == HL_ETOOBIG ? hl_fail(p->err, rc, "逾期提醒过多，明细超长") : rc;
}

hl_rc ledger_propose(hl_store *s, const hl_ctx *ctx, int month, int64_t asof, int64_t now,
                     const char *by, size_t *n, hl_err *err)
{
    proposer p = {s, ctx, month, now, by, 0, err};
    hl_rc rc = store_ledger_clear_proposed(s, month, err);
    for (int ch = 0; !rc && ch < CH__COUNT; ch++) {
        rc = grade_points(&p, ch, asof);
        if (!rc)
            rc = overdue(&p, ch, asof ? asof : now);
    }
    if (!rc)
        rc = kb_reminders(&p, asof ? asof : now);
    *n = p.n;
    return rc;
}
