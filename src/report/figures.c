/* figures.c — compute a month's headline figures. */
#include "figures.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>


static hl_rc group_add(fig_groups *g, const char *key, int64_t total, int64_t direct,
                       int64_t orders)
{
    if (hl_grow(&g->v, &g->cap, g->n, sizeof *g->v, 16))
        return HL_ENOMEM;
    fig_group *x = &g->v[g->n++];
    snprintf(x->key, sizeof x->key, "%s", key);
    x->total = total;
    x->direct = direct;
    x->orders = orders;
    return HL_OK;
}

static hl_rc to_groups(const char *key, int64_t total, int64_t direct, int64_t orders, void *arg)
{
    return group_add(arg, key, total, direct, orders);
}

static hl_rc to_lines(const char *key, int64_t total, int64_t direct, int64_t orders, void *arg)
{
    hl_figures *f = arg;
    int line = hl_enum_parse(&hl_line_enum, key);
    if (line >= 0) {
        f->line[line].contacts = total;
        f->line[line].direct = direct;
        f->line[line].orders = orders;
    }
    return HL_OK;
}

static hl_rc volumes(hl_store *s, hl_figures *f, int ch, int64_t from, int64_t to, hl_err *err)
{
    fig_channel *c = &f->ch[ch];
    if (store_appeal_groups(s, ch, from, to, FIG_BY_CATEGORY, -1, to_groups, &c->categories, err) ||
        store_appeal_groups(s, ch, from, to, FIG_BY_SOURCE, -1, to_groups, &c->sources, err))
        return err->rc;
    for (size_t i = 0; i < c->categories.n; i++) {
        c->categorized += *c->categories.v[i].key ? c->categories.v[i].total : 0;
        c->contacts += c->categories.v[i].total;
        c->direct += c->categories.v[i].direct;
        c->orders += c->categories.v[i].orders;
    }
    if (ch == CH_HOTLINE &&
        (store_appeal_groups(s, ch, from, to, FIG_BY_LINE, -1, to_lines, f, err) ||
         store_appeal_groups(s, ch, from, to, FIG_BY_CATEGORY, LINE_ENTERPRISE, to_groups,
                             &f->line[LINE_ENTERPRISE].top, err)))
        return err->rc;
    return HL_OK;
}

typedef struct {
    hl_figures *f;
    const hl_ctx *ctx;
    const hl_fold *fold;
} orders_ctx;

/* An order created in the month: its line's (or provincial letters')
 * punctuality and callbacks, as folded. */
static hl_rc month_order(int64_t order_id, int line, const char *source, void *arg)
{
    orders_ctx *x = arg;
    const hl_fold_order *o = hl_fold_find(x->fold, order_id);
    int closed = o && o->started && o->closed, on_time = closed && o->reply_at <= o->deadline;
    if (line > LINE_GENERAL && line < LINE__COUNT) {
        fig_line *l = &x->f->line[line];
        l->closed += closed;
        l->on_time += on_time;
        l->called += o && o->called;
        l->reached += o ? o->callbacks : 0;
        l->dissatisfied += o ? o->dissatisfied : 0;
    }
    if (hl_rules_provincial(x->ctx->rules, source)) {
        x->f->provincial_orders++;
        x->f->provincial_on_time += on_time;
    }
    return HL_OK;
}

static hl_rc punctuality(hl_store *s, hl_figures *f, const hl_ctx *ctx, int ch, int64_t from,
                         int64_t to, int64_t asof, hl_err *err)
{
    hl_fold fold;
    hl_rc rc = assessment_fold(s, ctx, ch, f->month, asof, &fold, err);
    orders_ctx x = {f, ctx, &fold};
    if (!rc)
        rc = store_month_orders(s, ch, from, to, month_order, &x, err);
    hl_fold_free(&fold);
    return rc;
}

hl_rc figures_run(hl_store *s, const hl_ctx *ctx, int month, int64_t asof, int64_t now,
                  hl_figures *f, hl_err *err)
{
    int64_t from, to, cut = asof ? asof : now;
    memset(f, 0, sizeof *f);
    f->month = month;
    f->asof = asof;
    hl_month_range(month, ctx->rules->offset_min, &from, &to);
    hl_rc rc = HL_OK;
    for (int ch = 0; ch < CH__COUNT && !rc; ch++) {
        rc = volumes(s, f, ch, from, to, err);
        if (!rc)
            rc = assessment_run(s, ctx, ch, month, asof, &f->ch[ch].assessment, err);
        if (!rc) {
            f->ch[ch].total = f->ch[ch].assessment.total;
            rc = punctuality(s, f, ctx, ch, from, to, cut, err);
        }
    }
    if (!rc)
        rc = store_supervision_counts(s, CH_HOTLINE, from, to, cut, &f->supervision, err);
    for (size_t i = 0; !rc && i < f->ch[CH_MAILBOX].sources.n; i++) {
        const fig_group *g = &f->ch[CH_MAILBOX].sources.v[i];
        if (hl_rules_provincial(ctx->rules, g->key) &&
            group_add(&f->provincial, g->key, g->total, g->direct, g->orders))
            rc = hl_fail(err, HL_ENOMEM, "内存不足");
    }
    if (rc)
        figures_free(f);
    return rc;
}

static void groups_free(fig_groups *g)
{
    free(g->v);
    memset(g, 0, sizeof *g);
}

void figures_free(hl_figures *f)
{
    for (int ch = 0; ch < CH__COUNT; ch++) {
        groups_free(&f->ch[ch].categories);
        groups_free(&f->ch[ch].sources);
        assessment_free(&f->ch[ch].assessment);
    }
    for (int l = 0; l < LINE__COUNT; l++)
        groups_free(&f->line[l].top);
    groups_free(&f->provincial);
}
