#include "assessment.h"

#include <stdlib.h>
#include <string.h>

/* Counts per unit id (index = id), filled by either source. */
typedef struct {
    const hl_ctx *ctx;
    hl_counts *by_unit;
    size_t n_units;
    int channel;
    int64_t from, to;
    hl_fact *facts;            /* the current order's facts */
    size_t n_facts, cap_facts;
    hl_err *err;
} collect;

static hl_rc from_counts(int64_t unit, const hl_counts *n, void *arg)
{
    collect *c = arg;
    if (unit >= 1 && (size_t)unit <= c->n_units)
        c->by_unit[unit - 1] = *n;
    return HL_OK;
}

static void add(hl_counts *t, const hl_counts *d)
{
    t->due += d->due;
    t->done += d->done;
    t->on_time += d->on_time;
    t->rework += d->rework;
    t->callbacks += d->callbacks;
    t->dissatisfied += d->dissatisfied;
    t->satisfied += d->satisfied;
}

/* History order; the facts of one order arrive nearly sorted. */
static void sort_facts(hl_fact *f, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        hl_fact x = f[i];
        size_t j = i;
        while (j > 0 && (f[j - 1].at > x.at || (f[j - 1].at == x.at && f[j - 1].seq > x.seq))) {
            f[j] = f[j - 1];
            j--;
        }
        f[j] = x;
    }
}

/* Fold the collected order and credit its counts. */
static hl_rc flush_order(collect *c)
{
    hl_contrib k;
    hl_counts cb;
    int64_t cb_unit;
    if (!c->n_facts)
        return HL_OK;
    sort_facts(c->facts, c->n_facts);
    {
        if (hl_fold_order(c->ctx, c->facts, c->n_facts, c->from, c->to, &k, &cb, &cb_unit, c->err))
            return c->err->rc;
        int month = hl_month_of(c->from, c->ctx->rules->offset_min);
        if (k.due && k.month == month)
            add(&c->by_unit[k.unit - 1],
                &(hl_counts){1, k.done, k.on_time, k.rework, 0, 0, 0});
        if (cb_unit)
            add(&c->by_unit[cb_unit - 1], &cb);
    }
    c->n_facts = 0;
    return HL_OK;
}

static hl_rc from_fact(const hl_fact *f, void *arg)
{
    collect *c = arg;
    if (c->n_facts && c->facts[0].order_id != f->order_id && flush_order(c))
        return c->err->rc;
    if (c->n_facts == c->cap_facts) {
        size_t cap = c->cap_facts ? c->cap_facts * 2 : 64;
        hl_fact *v = realloc(c->facts, cap * sizeof *v);
        if (!v)
            return hl_fail(c->err, HL_ENOMEM, "内存不足");
        c->facts = v;
        c->cap_facts = cap;
    }
    c->facts[c->n_facts++] = *f;
    return HL_OK;
}

static hl_rc load_counts(hl_store *s, collect *c, int month, int64_t asof, hl_err *err)
{
    if (!asof)
        return store_unit_month_each(s, c->channel, month, from_counts, c, err);
    hl_rc rc = store_facts_each(s, c->channel, c->from, c->to, asof, from_fact, c, err);
    if (!rc)
        rc = flush_order(c);
    free(c->facts);
    return rc;
}

static void summarise(const hl_ctx *ctx, collect *c, hl_assessment *a)
{
    for (size_t i = 0; i < c->n_units; i++) {
        const hl_unit *u = &ctx->units->v[i];
        if (u->parent)
            continue;
        a->registry++;
        add(&a->total, &c->by_unit[i]);
        hl_score sc = {.unit = u->id, .n = c->by_unit[i]};
        hl_score_compute(ctx->rules, a->channel, &sc);
        if (sc.grade < 0) {
            a->zero_due++;
            continue;
        }
        a->per_grade[sc.grade]++;
        a->scores[a->n++] = sc;
    }
    hl_scores_rank(ctx->rules, a->channel, ctx->units, a->scores, a->n);
}

hl_rc assessment_run(hl_store *s, const hl_ctx *ctx, int channel, int month, int64_t asof,
                     hl_assessment *a, hl_err *err)
{
    collect c = {ctx, NULL, ctx->units->n, channel, 0, 0, NULL, 0, 0, err};
    memset(a, 0, sizeof *a);
    a->channel = channel;
    a->month = month;
    a->asof = asof;
    hl_month_range(month, ctx->rules->offset_min, &c.from, &c.to);
    c.by_unit = calloc(c.n_units + 1, sizeof *c.by_unit);
    a->scores = calloc(c.n_units + 1, sizeof *a->scores);
    if (!c.by_unit || !a->scores) {
        free(c.by_unit);
        assessment_free(a);
        return hl_fail(err, HL_ENOMEM, "内存不足");
    }
    hl_rc rc = load_counts(s, &c, month, asof, err);
    if (!rc)
        summarise(ctx, &c, a);
    free(c.by_unit);
    if (rc)
        assessment_free(a);
    return rc;
}

void assessment_free(hl_assessment *a)
{
    free(a->scores);
    a->scores = NULL;
    a->n = 0;
}

hl_rate assessment_callback_rate(const hl_rules *r, int channel)
{
    const hl_channel_rules *c = &r->channel[channel];
    for (size_t i = 0; i < c->n_terms; i++)
        if (c->terms[i].rate == RATE_DISSATISFIED || c->terms[i].rate == RATE_SATISFIED)
            return c->terms[i].rate;
    return RATE_DISSATISFIED;
}
