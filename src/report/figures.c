/* figures.c — compute a month's headline figures. */
#include "figures.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "../core/map.h"


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

/* The month's appeals added up per (line, source, top-level category): a
 * few thousand cells at most, of which every grouping of the figures is a
 * sum.  The store keeps them per handling too. */
typedef struct {
    int line;
    char source[256], category[256]; /* at most 200 bytes each (event_codec.c) */
    int64_t total, direct, orders;
} vol_cell;

typedef struct {
    hl_map at; /* "line\x1fsource\x1fcategory" → index in v */
    vol_cell *v;
    size_t n, cap;
} vol_cells;

static hl_rc add_appeals(int line, const char *source, const char *category, int handling,
                         int64_t n, void *arg)
{
    vol_cells *c = arg;
    char key[600];
    int64_t i;
    snprintf(key, sizeof key, "%d\x1f%s\x1f%s", line, source, category);
    if (!hl_map_get(&c->at, key, &i)) {
        if (hl_grow(&c->v, &c->cap, c->n, sizeof *c->v, 64))
            return HL_ENOMEM;
        vol_cell *x = &c->v[c->n];
        memset(x, 0, sizeof *x);
        x->line = line;
        snprintf(x->source, sizeof x->source, "%s", source);
        snprintf(x->category, sizeof x->category, "%s", category);
        if (hl_map_put(&c->at, key, (int64_t)c->n))
            return HL_ENOMEM;
        i = (int64_t)c->n++;
    }
    c->v[i].total += n;
    c->v[i].direct += handling == 0 ? n : 0;
    c->v[i].orders += handling == 1 ? n : 0;
    return HL_OK;
}

/* Largest first, then by name (the order GROUP BY … ORDER BY count DESC,
 * key gave). */
static int by_count(const void *a, const void *b)
{
    const fig_group *x = a, *y = b;
    return x->total != y->total ? (x->total < y->total ? 1 : -1) : strcmp(x->key, y->key);
}

/* The cells of `line` (all when < 0) summed by category or by source. */
static hl_rc group_cells(const vol_cells *c, int by_source, int line, fig_groups *g)
{
    hl_map at;
    hl_rc rc = HL_OK;
    hl_map_init(&at);
    for (size_t k = 0; k < c->n && !rc; k++) {
        const vol_cell *x = &c->v[k];
        const char *key = by_source ? x->source : x->category;
        int64_t i;
        if (line >= 0 && x->line != line)
            continue;
        if (!hl_map_get(&at, key, &i)) {
            i = (int64_t)g->n;
            if (group_add(g, key, 0, 0, 0) || hl_map_put(&at, key, i)) {
                rc = HL_ENOMEM;
                break;
            }
        }
        g->v[i].total += x->total;
        g->v[i].direct += x->direct;
        g->v[i].orders += x->orders;
    }
    hl_map_free(&at);
    if (g->n)
        qsort(g->v, g->n, sizeof *g->v, by_count);
    return rc;
}

static hl_rc volumes(hl_store *s, hl_figures *f, int ch, hl_err *err)
{
    fig_channel *c = &f->ch[ch];
    vol_cells cells = {.v = NULL};
    hl_map_init(&cells.at);
    hl_rc rc = store_appeal_volumes(s, ch, f->month, add_appeals, &cells, err);
    if (!rc)
        rc = group_cells(&cells, 0, -1, &c->categories);
    if (!rc)
        rc = group_cells(&cells, 1, -1, &c->sources);
    if (!rc && ch == CH_HOTLINE)
        rc = group_cells(&cells, 0, LINE_ENTERPRISE, &f->line[LINE_ENTERPRISE].top);
    for (size_t k = 0; !rc && ch == CH_HOTLINE && k < cells.n; k++) {
        const vol_cell *x = &cells.v[k];
        if (x->line >= 0 && x->line < LINE__COUNT) {
            f->line[x->line].contacts += x->total;
            f->line[x->line].direct += x->direct;
            f->line[x->line].orders += x->orders;
        }
    }
    for (size_t i = 0; !rc && i < c->categories.n; i++) {
        c->categorized += *c->categories.v[i].key ? c->categories.v[i].total : 0;
        c->contacts += c->categories.v[i].total;
        c->direct += c->categories.v[i].direct;
        c->orders += c->categories.v[i].orders;
    }
    hl_map_free(&cells.at);
    free(cells.v);
    return rc == HL_ENOMEM ? hl_fail(err, rc, "内存不足") : rc;
}

/* The month's orders the figures follow, a special line's or a provincial
 * source's, and their histories folded as of the cut-off: a few
 * thousand orders read by id instead of the month's whole history. */
typedef struct {
    int64_t id;
    int line, provincial;
} fig_order;

typedef struct {
    const hl_rules *rules;
    fig_order *v;
    size_t n, cap;
    hl_fold fold;
    hl_err *err;
} orders_ctx;

static hl_rc want_order(int64_t order_id, int line, const char *source, void *arg)
{
    orders_ctx *x = arg;
    if (hl_grow(&x->v, &x->cap, x->n, sizeof *x->v, 256))
        return hl_fail(x->err, HL_ENOMEM, "内存不足");
    x->v[x->n++] = (fig_order){order_id, line, hl_rules_provincial(x->rules, source)};
    return HL_OK;
}

static hl_rc fold_fact(const hl_fact *fact, void *arg)
{
    orders_ctx *x = arg;
    return hl_fold_fact(&x->fold, fact, x->err);
}

/* An order created in the month: its line's (or provincial letters')
 * punctuality and callbacks, as folded. */
static void count_order(hl_figures *f, const fig_order *w, const hl_fold_order *o)
{
    int closed = o && o->started && o->closed, on_time = closed && o->reply_at <= o->deadline;
    if (w->line > LINE_GENERAL && w->line < LINE__COUNT) {
        fig_line *l = &f->line[w->line];
        l->closed += closed;
        l->on_time += on_time;
        l->called += o && o->called;
        l->reached += o ? o->callbacks : 0;
        l->dissatisfied += o ? o->dissatisfied : 0;
    }
    if (w->provincial) {
        f->provincial_orders++;
        f->provincial_on_time += on_time;
    }
}

static hl_rc punctuality(hl_store *s, hl_figures *f, const hl_ctx *ctx, int ch, int64_t from,
                         int64_t to, int64_t cut, hl_err *err)
{
    /* the provincial sources with orders this month (the volumes say) */
    const char *sources[sizeof ctx->rules->provincial / sizeof ctx->rules->provincial[0]];
    const fig_groups *g = &f->ch[ch].sources;
    size_t n = 0;
    for (size_t i = 0; i < g->n && n < sizeof sources / sizeof *sources; i++)
        if (g->v[i].orders && hl_rules_provincial(ctx->rules, g->v[i].key))
            sources[n++] = g->v[i].key;
    orders_ctx x = {.rules = ctx->rules, .err = err};
    hl_rc rc = hl_fold_init(&x.fold, ctx, f->month);
    if (!rc)
        rc = store_month_orders(s, ch, from, to, sources, n, want_order, &x, err);
    /* an order twice in the list (appeals merged into it) is folded once */
    for (size_t i = 0; i < x.n && !rc; i++)
        if (!hl_fold_find(&x.fold, x.v[i].id))
            rc = store_order_facts(s, x.v[i].id, cut, fold_fact, &x, err);
    for (size_t i = 0; i < x.n && !rc; i++)
        count_order(f, &x.v[i], hl_fold_find(&x.fold, x.v[i].id));
    hl_fold_free(&x.fold);
    free(x.v);
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
        rc = volumes(s, f, ch, err);
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
