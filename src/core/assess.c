#include "assess.h"

#include <stdlib.h>
#include <string.h>

#include "timeutil.h"

static int64_t pow10i(int n)
{
    int64_t p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

int64_t hl_div_round(int64_t num, int64_t den)
{
    return (2 * num + den) / (2 * den);
}

/* 100 × num / den in 10^-rd percent, rounded half-up. */
static int64_t rate(int64_t num, int64_t den, int rd)
{
    return hl_div_round(num * 100 * pow10i(rd), den);
}

void hl_score_compute(const hl_rules *r, int channel, hl_score *s)
{
    const hl_counts *n = &s->n;
    int rd = r->rate_decimals;
    int64_t hundred = 100 * pow10i(rd);
    s->grade = -1;
    if (n->due == 0) {
        memset(s->rate, 0, sizeof s->rate);
        s->index = 0;
        return;
    }
    s->rate[RATE_DONE] = rate(n->done, n->due, rd);
    s->rate[RATE_ON_TIME] = rate(n->on_time, n->due, rd);
    s->rate[RATE_REWORK] = rate(n->rework, n->due, rd);
    /* no callbacks: nobody was dissatisfied, everybody reached was satisfied */
    s->rate[RATE_DISSATISFIED] = n->callbacks ? rate(n->dissatisfied, n->callbacks, rd) : 0;
    s->rate[RATE_SATISFIED] = n->callbacks ? rate(n->satisfied, n->callbacks, rd) : hundred;
    s->index = hl_index(r, channel, s->rate);
    s->grade = hl_grade(r, channel, s->index);
}

int64_t hl_index(const hl_rules *r, int channel, const int64_t rate[RATE__COUNT])
{
    const hl_channel_rules *c = &r->channel[channel];
    int rd = r->rate_decimals;
    int64_t hundred = 100 * pow10i(rd), sum = 0;
    for (size_t i = 0; i < c->n_terms; i++) {
        const hl_index_term *t = &c->terms[i];
        int64_t v = t->complement ? hundred - rate[t->rate] : rate[t->rate];
        sum += t->weight * v; /* in 10^-(HL_WEIGHT_DIGITS + rd) */
    }
    /* to 10^-index_decimals, half-up: from the rounded rates, exactly */
    int shift = HL_WEIGHT_DIGITS + rd - c->index_decimals;
    return shift >= 0 ? hl_div_round(sum, pow10i(shift)) : sum * pow10i(-shift);
}

int hl_grade(const hl_rules *r, int channel, int64_t index)
{
    const hl_channel_rules *c = &r->channel[channel];
    for (size_t g = 0; g < c->n_grades; g++)
        if (index >= c->grade_min[g])
            return (int)g;
    return (int)c->n_grades;
}

/* qsort has no context argument: the registry is passed through here, one
 * per thread (a server ranks on several). */
static _Thread_local const hl_units *sort_units;

static int by_annex_order(const void *a, const void *b)
{
    const hl_score *x = a, *y = b;
    const hl_unit *ux = hl_units_get(sort_units, x->unit), *uy = hl_units_get(sort_units, y->unit);
    if (ux->kind != uy->kind)
        return ux->kind < uy->kind ? -1 : 1;
    if (x->grade != y->grade) /* graded before ungraded, then A before B */
        return (unsigned)x->grade < (unsigned)y->grade ? -1 : 1;
    if (x->index != y->index)
        return x->index > y->index ? -1 : 1;
    if (x->n.due != y->n.due)
        return x->n.due > y->n.due ? -1 : 1;
    return strcmp(ux->name, uy->name);
}

static int by_rank_order(const void *a, const void *b)
{
    const hl_score *x = *(const hl_score *const *)a, *y = *(const hl_score *const *)b;
    const hl_unit *ux = hl_units_get(sort_units, x->unit), *uy = hl_units_get(sort_units, y->unit);
    if (x->index != y->index)
        return x->index > y->index ? -1 : 1;
    if (x->n.due != y->n.due)
        return x->n.due > y->n.due ? -1 : 1;
    return strcmp(ux->name, uy->name);
}

void hl_scores_rank(const hl_rules *r, int channel, const hl_units *u, hl_score *s, size_t n)
{
    const hl_channel_rules *c = &r->channel[channel];
    hl_score **v = malloc((n ? n : 1) * sizeof *v);
    sort_units = u;
    qsort(s, n, sizeof *s, by_annex_order);
    for (int kind = 0; kind < UNIT_KIND__COUNT && v; kind++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            s[i].rank = kind == 0 ? 0 : s[i].rank;
            if (hl_units_get(u, s[i].unit)->kind == (hl_unit_kind)kind && s[i].grade >= 0 &&
                s[i].n.due >= c->rank_min_due[kind])
                v[m++] = &s[i];
        }
        qsort(v, m, sizeof *v, by_rank_order);
        for (size_t i = 0; i < m; i++)
            v[i]->rank = (int)i + 1;
    }
    free(v);
}

int hl_month_of(int64_t t, int offset_min)
{
    int y, m, d;
    hl_civil_from_days(hl_local_day(t, offset_min), &y, &m, &d);
    return y * 100 + m;
}

void hl_month_range(int month, int offset_min, int64_t *from, int64_t *to)
{
    int y = month / 100, m = month % 100;
    *from = hl_day_start(hl_days_from_civil(y, m, 1), offset_min);
    *to = hl_day_start(hl_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1), offset_min);
}

hl_rc hl_month_parse(const char *s, int *month)
{
    int64_t days;
    char buf[11];
    if (strlen(s) != 7)
        return HL_EINVAL;
    memcpy(buf, s, 7);
    memcpy(buf + 7, "-01", 4);
    if (hl_date_parse(buf, &days))
        return HL_EINVAL;
    *month = atoi(s) * 100 + atoi(s + 5);
    return HL_OK;
}

hl_contrib hl_order_contrib(const hl_units *u, const hl_order *o, int offset_min)
{
    hl_contrib c = {0};
    if (!o->unit)
        return c;
    int closed = o->state == ST_CLOSED;
    c.unit = hl_units_root(u, o->unit);
    c.month = hl_month_of(o->dispatched_at, offset_min);
    c.due = 1;
    c.done = closed;
    /* the accepted reply is the latest one: a reply after acceptance needs a
     * reopen first, which makes the order open again */
    c.on_time = closed && o->reply_at <= o->deadline;
    c.rework = o->reworks > 0;
    return c;
}
