#include "assessment.h"

#include "fact_stream.h"

#include <stdlib.h>
#include <string.h>

/* Counts per unit id (index = id), filled by either source. */
typedef struct {
    const hl_ctx *ctx;
    hl_store *store;
    hl_counts *by_unit;
    size_t n_units;
    hl_fold fold;
    hl_fact *same;             /* facts of one instant, put in seq order */
    size_t n_same, cap_same;
    int collect_all;           /* history recorded out of time order: sort it all */
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

static int by_seq(const void *a, const void *b)
{
    const hl_fact *x = a, *y = b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Fold the facts of one instant in history (seq) order. */
static hl_rc flush_same(collect *c)
{
    if (c->n_same > 1)
        qsort(c->same, c->n_same, sizeof *c->same, by_seq);
    for (size_t i = 0; i < c->n_same; i++)
        if (hl_fold_fact(&c->fold, &c->same[i], c->err))
            return c->err->rc;
    c->n_same = 0;
    return HL_OK;
}

static hl_rc from_fact(const hl_fact *f, void *arg)
{
    collect *c = arg;
    if (!c->collect_all && c->n_same && f->at < c->same[0].at)
        return HL_ETIME_ORDER; /* out of time order: start again, sorting (fold_history) */
    if (!c->collect_all && c->n_same && c->same[0].at != f->at && flush_same(c))
        return c->err->rc;
    if (hl_grow(&c->same, &c->cap_same, c->n_same, sizeof *c->same, 64))
        return hl_fail(c->err, HL_ENOMEM, "内存不足");
    c->same[c->n_same++] = *f;
    return HL_OK;
}

static int64_t unit_before(int64_t order_id, void *arg)
{
    collect *c = arg;
    int64_t unit;
    return store_order_unit_at(c->store, order_id, c->fold.from, &unit, c->err) ? -1 : unit;
}

static int by_time(const void *a, const void *b)
{
    const hl_fact *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Fold the channel's history from the month's start to asof into c->fold.
 * The facts stream in as recorded, which is time order unless an older
 * history was imported after a newer one: then they are read again, all
 * kept, and sorted. */
static hl_rc fold_history(hl_store *s, collect *c, int channel, int month, int64_t asof,
                          hl_err *err)
{
    int last = hl_month_of(asof, c->ctx->rules->offset_min);
    hl_rc rc = hl_fold_init(&c->fold, c->ctx, month);
    if (!rc)
        rc = fact_stream(s, channel, c->fold.from, asof, month, last, from_fact, c, err);
    if (rc == HL_ETIME_ORDER) {
        hl_fold_free(&c->fold);
        c->n_same = 0;
        c->collect_all = 1;
        rc = hl_fold_init(&c->fold, c->ctx, month);
        if (!rc)
            rc = store_facts_each(s, channel, c->fold.from, asof, month, last, from_fact, c, err);
        if (!rc)
            qsort(c->same, c->n_same, sizeof *c->same, by_time);
        for (size_t i = 0; !rc && i < c->n_same; i++)
            rc = hl_fold_fact(&c->fold, &c->same[i], err);
        c->n_same = 0;
    }
    if (!rc)
        rc = flush_same(c);
    free(c->same);
    c->same = NULL;
    return rc;
}

hl_rc assessment_fold(hl_store *s, const hl_ctx *ctx, int channel, int month, int64_t asof,
                      hl_fold *f, hl_err *err)
{
    collect c = {.ctx = ctx, .store = s, .n_units = ctx->units->n, .err = err};
    hl_rc rc = fold_history(s, &c, channel, month, asof, err);
    *f = c.fold;
    return rc;
}

static hl_rc load_counts(hl_store *s, collect *c, int channel, int month, int64_t asof,
                         hl_err *err)
{
    if (!asof)
        return store_unit_month_each(s, channel, month, from_counts, c, err);
    hl_rc rc = fold_history(s, c, channel, month, asof, err);
    if (!rc)
        rc = hl_fold_result(&c->fold, c->by_unit, c->n_units, unit_before, c, err);
    hl_fold_free(&c->fold);
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
    collect c = {.ctx = ctx, .store = s, .n_units = ctx->units->n, .err = err};
    memset(a, 0, sizeof *a);
    a->channel = channel;
    a->month = month;
    a->asof = asof;
    c.by_unit = calloc(c.n_units + 1, sizeof *c.by_unit);
    a->scores = calloc(c.n_units + 1, sizeof *a->scores);
    if (!c.by_unit || !a->scores) {
        free(c.by_unit);
        assessment_free(a);
        return hl_fail(err, HL_ENOMEM, "内存不足");
    }
    hl_rc rc = load_counts(s, &c, channel, month, asof, err);
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
