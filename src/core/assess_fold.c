/* assess_fold.c — an order's assessment counts from its history, for an
 * assessment as of a past instant.  The fold replays the facts through the
 * same lifecycle as the live system (hl_order_apply), so the history and the
 * per-month counts kept by ingest cannot drift apart in their rules. */
#include <stdio.h>
#include <string.h>

#include "assess.h"

static void event_of(const hl_fact *f, hl_event *e)
{
    memset(e, 0, sizeof *e);
    e->op = (hl_op)f->op;
    e->at = f->at;
    e->seq = f->seq;
    e->unit = f->unit;
    e->result = f->result;
    e->approved = f->result == 1;
    if (f->op == OP_DISPATCH) {
        e->deadline = f->t2;
        e->has_deadline = 1;
    } else if (f->op == OP_EXTENSION_REQUEST) {
        e->until = f->t2;
    }
}

hl_rc hl_fold_order(const hl_ctx *ctx, const hl_fact *f, size_t n, int64_t from, int64_t to,
                    hl_contrib *c, hl_counts *cb, int64_t *cb_unit, hl_err *err)
{
    hl_order o;
    int64_t dissatisfied_in_month = 0; /* seq of the latest dissatisfied callback in the month */
    memset(&o, 0, sizeof o);
    memset(cb, 0, sizeof *cb);
    memset(c, 0, sizeof *c);
    *cb_unit = 0;
    if (!n)
        return HL_OK;
    snprintf(o.number, sizeof o.number, "#%lld", (long long)f[0].order_id);
    o.channel = f[0].channel;
    o.state = ST_NEW;
    for (size_t i = 0; i < n; i++) {
        hl_event e;
        if (f[i].op == OP_APPEAL)
            continue;
        event_of(&f[i], &e);
        if (hl_order_apply(ctx, &o, &e, err))
            return err->rc; /* a stored history always folds: this is corruption */
        int in_month = f[i].at >= from && f[i].at < to;
        if (f[i].op == OP_CALLBACK && in_month && f[i].result != CB_UNREACHABLE) {
            cb->callbacks++;
            if (f[i].result == CB_DISSATISFIED) {
                cb->dissatisfied++;
                dissatisfied_in_month = f[i].seq;
            } else {
                cb->satisfied++;
            }
        } else if (f[i].op == OP_VERIFY && f[i].result == VERIFY_EXCLUDED &&
                   dissatisfied_in_month && e.ref == dissatisfied_in_month) {
            cb->dissatisfied--; /* 不予认定: no longer counts as dissatisfied */
            dissatisfied_in_month = 0;
        }
    }
    *c = hl_order_contrib(ctx->units, &o, ctx->rules->offset_min);
    *cb_unit = c->unit;
    return HL_OK;
}
