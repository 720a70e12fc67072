/* ingest_counts.c — keep the per unit and month counts (unit_month) in step
 * with each applied event, so that an assessment as of now reads one row per
 * unit instead of the history; and the month's appeal volumes
 * (month_volumes) that the bulletin's figures read.  The same contribution
 * function serves the fold from history (core/assess_fold.c): both count
 * the same way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"

static hl_rc delta_for(ingest *in, int channel, int month, int64_t unit, hl_counts **out,
                       hl_err *err)
{
    /* one int64 key: unit ids below 2^24, months (yyyymm) below 2^20 */
    int64_t key = ((int64_t)channel << 45 | (int64_t)month << 24 | unit) + 1, i;
    if (unit >= (1 << 24))
        return hl_fail(err, HL_ETOOBIG, "单位编号超出范围");
    if (!hl_imap_get(&in->delta_index, key, &i)) {
        if (hl_grow(&in->deltas, &in->cap_deltas, in->n_deltas, sizeof *in->deltas, 256))
            return hl_fail(err, HL_ENOMEM, "内存不足");
        i = (int64_t)in->n_deltas++;
        in->deltas[i] = (ingest_delta){channel, month, unit, {0}};
        if (hl_imap_put(&in->delta_index, key, i))
            return hl_fail(err, HL_ENOMEM, "内存不足");
    }
    *out = &in->deltas[i].d;
    return HL_OK;
}

static int same_contrib(const hl_contrib *a, const hl_contrib *b)
{
    return a->unit == b->unit && a->month == b->month && a->due == b->due &&
           a->done == b->done && a->on_time == b->on_time && a->rework == b->rework;
}

static hl_rc add_contrib(ingest *in, int channel, const hl_contrib *c, int sign, hl_err *err)
{
    hl_counts *d;
    if (!c->due)
        return HL_OK;
    if (delta_for(in, channel, c->month, c->unit, &d, err))
        return err->rc;
    d->due += sign;
    d->done += sign * c->done;
    d->on_time += sign * c->on_time;
    d->rework += sign * c->rework;
    return HL_OK;
}

/* An order's callbacks, per month, as they count now. */
typedef struct {
    ingest *in;
    int channel;
    int64_t from_unit, to_unit;    /* first-level units: the counts move between them */
    struct {
        int64_t seq;               /* a dissatisfied callback, to match verifications, */
        int month;                 /* and the month it was made in */
    } *cb;
    size_t n, cap;
    hl_err *err;
} mover;

/* Move one callback's or verification's count from one unit to another. */
static hl_rc move_fact(const hl_fact *f, void *arg)
{
    mover *m = arg;
    int off = m->in->ctx->rules->offset_min, month = hl_month_of(f->at, off);
    hl_counts d = {0};
    if (f->op == OP_CALLBACK && f->result != CB_UNREACHABLE) {
        d.callbacks = 1;
        d.dissatisfied = f->result == CB_DISSATISFIED;
        d.satisfied = !d.dissatisfied;
        if (d.dissatisfied) {
            if (hl_grow(&m->cb, &m->cap, m->n, sizeof *m->cb, 8))
                return hl_fail(m->err, HL_ENOMEM, "内存不足");
            m->cb[m->n].seq = f->seq;
            m->cb[m->n++].month = month;
        }
    } else if (f->op == OP_VERIFY && f->result == VERIFY_EXCLUDED) {
        size_t i = 0;
        while (i < m->n && m->cb[i].seq != f->ref)
            i++;
        if (i == m->n)
            return hl_fail(m->err, HL_ESTORE, "核实记录找不到所核实的回访");
        month = m->cb[i].month;
        d.dissatisfied = -1;
    } else {
        return HL_OK;
    }
    for (int side = 0; side < 2; side++) {
        int64_t unit = side ? m->to_unit : m->from_unit;
        hl_counts *c;
        if (!unit)
            continue;
        if (delta_for(m->in, m->channel, month, unit, &c, m->err))
            return m->err->rc;
        int sign = side ? 1 : -1;
        c->callbacks += sign * d.callbacks;
        c->dissatisfied += sign * d.dissatisfied;
        c->satisfied += sign * d.satisfied;
    }
    return HL_OK;
}

hl_rc ingest_count(ingest *in, const hl_order *before, const hl_order *after, const hl_event *e,
                   hl_err *err)
{
    const hl_units *u = in->ctx->units;
    int off = in->ctx->rules->offset_min;
    hl_contrib b = hl_order_contrib(u, before, off), a = hl_order_contrib(u, after, off);
    hl_counts *d;
    if (!same_contrib(&a, &b) &&
        (add_contrib(in, after->channel, &b, -1, err) || add_contrib(in, after->channel, &a, 1, err)))
        return err->rc;
    /* callbacks count for the month they were made in and the order's
     * assignee now: when it changes (a return requested before the reply
     * and approved after a callback), the order's callbacks move with it */
    int64_t was = hl_units_root(u, before->unit), is = hl_units_root(u, after->unit);
    if (was != is && after->callbacks) {
        mover m = {.in = in, .channel = after->channel, .from_unit = was, .to_unit = is, .err = err};
        hl_rc rc = store_order_callbacks(in->store, after->id, move_fact, &m, err);
        free(m.cb);
        if (rc)
            return rc;
    }
    if (e->op == OP_CALLBACK && e->result != CB_UNREACHABLE) {
        if (delta_for(in, after->channel, hl_month_of(e->at, off), hl_units_root(u, after->unit), &d,
                      err))
            return err->rc;
        d->callbacks++;
        if (e->result == CB_DISSATISFIED)
            d->dissatisfied++;
        else
            d->satisfied++;
    } else if (e->op == OP_VERIFY && e->result == VERIFY_EXCLUDED) {
        if (delta_for(in, after->channel, hl_month_of(after->dissatisfied_at, off),
                      hl_units_root(u, after->unit), &d, err))
            return err->rc;
        d->dissatisfied--;
    }
    return HL_OK;
}

hl_rc ingest_count_appeal(ingest *in, const hl_event *e, hl_err *err)
{
    const char *source = e->source ? e->source : "", *cat = e->category ? e->category : "";
    int month = hl_month_of(e->at, in->ctx->rules->offset_min);
    int top = (int)hl_category_top_len(cat);
    char key[600];
    int64_t i;
    snprintf(key, sizeof key, "%d\x1f%d\x1f%d\x1f%d\x1f%s\x1f%.*s", e->channel, month, e->line,
             e->handling, source, top, cat);
    if (!hl_map_get(&in->volume_index, key, &i)) {
        if (hl_grow(&in->volumes, &in->cap_volumes, in->n_volumes, sizeof *in->volumes, 64))
            return hl_fail(err, HL_ENOMEM, "内存不足");
        i = (int64_t)in->n_volumes;
        ingest_volume *v = &in->volumes[i];
        *v = (ingest_volume){e->channel, month, e->line, e->handling, 0, "", ""};
        snprintf(v->source, sizeof v->source, "%s", source);
        snprintf(v->top, sizeof v->top, "%.*s", top, cat);
        if (hl_map_put(&in->volume_index, key, i))
            return hl_fail(err, HL_ENOMEM, "内存不足");
        in->n_volumes++;
    }
    in->volumes[i].n++;
    return HL_OK;
}
