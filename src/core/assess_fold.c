/* assess_fold.c — the counts of a month as of a past instant, folded from
 * the history in time order.
 *
 * Why a fold of its own rather than replaying hl_order_apply: a province's
 * month is millions of events, and the history is read as one time-ordered
 * index range (no seek per order).  Every event after an order's dispatch
 * in the month lies in that range, and a dispatch resets everything the
 * counts depend on, so folding from the first dispatch seen is exact.  The
 * per-month counts kept as events arrive (hl_order_contrib) must agree with
 * this fold: the random-history tests check that they do. */
#include <stdlib.h>
#include <string.h>

#include "assess.h"

hl_rc hl_fold_init(hl_fold *f, const hl_ctx *ctx, int month)
{
    memset(f, 0, sizeof *f);
    f->ctx = ctx;
    f->month = month;
    hl_month_range(month, ctx->rules->offset_min, &f->from, &f->to);
    return HL_OK;
}

void hl_fold_free(hl_fold *f)
{
    free(f->v);
    free(f->slot);
}

const hl_fold_order *hl_fold_find(const hl_fold *f, int64_t id)
{
    if (id < f->base || (uint64_t)(id - f->base) >= f->span || !f->slot[id - f->base])
        return NULL;
    return &f->v[f->slot[id - f->base] - 1];
}

/* Make [base, base + span) cover id, keeping the slots already taken;
 * the range at least doubles each time, towards id. */
static int cover(hl_fold *f, int64_t id)
{
    int64_t end = f->base + (int64_t)f->span, lo, hi;
    if (f->span && id >= f->base && id < end)
        return 0;
    lo = !f->span ? id : id < f->base ? id : f->base;
    hi = !f->span ? id + 1 : id >= end ? id + 1 : end;
    int64_t room = 2 * (int64_t)f->span > 1024 ? 2 * (int64_t)f->span : 1024;
    if (hi - lo < room) {
        if (f->span && id < f->base)
            lo = hi - room;
        else
            hi = lo + room;
    }
    if (lo < 0)
        lo = 0;
    int32_t *slot = calloc((size_t)(hi - lo), sizeof *slot);
    if (!slot)
        return -1;
    if (f->span)
        memcpy(slot + (f->base - lo), f->slot, f->span * sizeof *slot);
    free(f->slot);
    f->slot = slot;
    f->base = lo;
    f->span = (size_t)(hi - lo);
    return 0;
}

static hl_fold_order *order_of(hl_fold *f, int64_t id)
{
    if (cover(f, id))
        return NULL;
    int32_t *slot = &f->slot[id - f->base];
    if (*slot)
        return &f->v[*slot - 1];
    if (hl_grow(&f->v, &f->cap, f->n, sizeof *f->v, 1024))
        return NULL;
    *slot = (int32_t)++f->n;
    hl_fold_order *o = &f->v[f->n - 1];
    memset(o, 0, sizeof *o);
    o->order_id = id;
    return o;
}

static void step(hl_fold *f, hl_fold_order *o, const hl_fact *x)
{
    switch (x->op) {
    case OP_DISPATCH: /* everything the counts depend on starts again */
        o->started = 1;
        o->unit = x->unit;
        o->dispatched_at = x->at;
        o->deadline = x->t2;
        o->pending_until = o->reply_at = 0;
        o->closed = o->reworks = o->extension_asked = 0;
        break;
    case OP_RETURN_DECISION:
        if (x->result == 1)
            o->unit = 0;
        break;
    case OP_EXTENSION_REQUEST:
        o->pending_until = x->t2;
        o->extension_asked = 1;
        break;
    case OP_EXTENSION_DECISION:
        if (x->result == 1)
            o->deadline = o->pending_until;
        break;
    case OP_REPLY:
        o->reply_at = x->at;
        break;
    case OP_REVIEW:
        if (x->result == REVIEW_ACCEPT)
            o->closed = 1;
        else
            o->reworks++;
        break;
    case OP_REOPEN:
        o->closed = 0;
        o->reworks++;
        break;
    default:
        break;
    }
    (void)f;
}

hl_rc hl_fold_fact(hl_fold *f, const hl_fact *x, hl_err *err)
{
    hl_fold_order *o = order_of(f, x->order_id);
    int in_month = x->at >= f->from && x->at < f->to;
    if (!o)
        return hl_fail(err, HL_ENOMEM, "内存不足");
    if (x->op == OP_CALLBACK)
        o->called = 1;
    if (x->op == OP_CALLBACK && in_month && x->result != CB_UNREACHABLE) {
        o->callbacks++;
        if (x->result == CB_DISSATISFIED) {
            o->dissatisfied++;
            o->dissatisfied_seq = x->seq;
        } else {
            o->satisfied++;
        }
    } else if (x->op == OP_VERIFY && x->result == VERIFY_EXCLUDED && o->dissatisfied_seq &&
               x->ref == o->dissatisfied_seq) {
        o->dissatisfied--; /* 不予认定 */
        o->dissatisfied_seq = 0;
    } else if (o->started || x->op == OP_DISPATCH) {
        step(f, o, x);
    } else if (x->op == OP_RETURN_DECISION && x->result == 1) {
        o->returned = 1; /* no assignee until a dispatch */
    }
    return HL_OK;
}

hl_rc hl_fold_result(const hl_fold *f, hl_counts *by_unit, size_t n_units,
                     int64_t (*unit_of)(int64_t order_id, void *arg), void *arg, hl_err *err)
{
    const hl_units *u = f->ctx->units;
    int off = f->ctx->rules->offset_min;
    for (size_t i = 0; i < f->n; i++) {
        const hl_fold_order *o = &f->v[i];
        int64_t root = o->started && o->unit ? hl_units_root(u, o->unit) : 0;
        if (root && hl_month_of(o->dispatched_at, off) == f->month) {
            hl_counts *c = &by_unit[root - 1];
            c->due++;
            c->done += o->closed;
            c->on_time += o->closed && o->reply_at <= o->deadline;
            c->rework += o->reworks > 0;
        }
        if (!o->callbacks)
            continue;
        /* not dispatched in the range: its assignee before it, unless a
         * return was approved in it */
        if (!o->started && !o->returned && (root = unit_of(o->order_id, arg)) < 0)
            return hl_fail(err, HL_ESTORE, "读取工单承办单位失败");
        root = root ? hl_units_root(u, root) : 0;
        if (root < 1 || (size_t)root > n_units)
            continue;
        hl_counts *c = &by_unit[root - 1];
        c->callbacks += o->callbacks;
        c->dissatisfied += o->dissatisfied;
        c->satisfied += o->satisfied;
    }
    return HL_OK;
}
