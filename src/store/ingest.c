#include "ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BODY_MAX (1u << 20)

hl_rc ingest_init(ingest *in, hl_store *s, const hl_ctx *ctx, hl_err *err)
{
    int64_t last;
    memset(in, 0, sizeof *in);
    in->store = s;
    in->ctx = ctx;
    hl_map_init(&in->by_number);
    hl_map_init(&in->appeal_ids);
    hl_imap_init(&in->delta_index);
    hl_map_init(&in->volume_index);
    hl_buf_init(&in->body, BODY_MAX);
    /* Two index look-ups (max of a key), not counts: the API ingests one
     * event per request. */
    if (store_last_seq(s, &last, err) || store_order_next_id(s, &in->next_order_id, err))
        return err->rc;
    /* On an empty history no line can be a re-import: skip the look-ups. */
    in->db_had_orders = in->next_order_id > 1;
    in->db_had_appeals = last > 0;
    in->next_seq = last + 1;
    return HL_OK;
}

void ingest_free(ingest *in)
{
    hl_map_free(&in->by_number);
    hl_map_free(&in->appeal_ids);
    hl_imap_free(&in->delta_index);
    free(in->deltas);
    hl_map_free(&in->volume_index);
    free(in->volumes);
    free(in->slots);
    hl_buf_free(&in->body);
}

static hl_rc new_slot(ingest *in, const hl_order *o, ingest_slot **out, hl_err *err)
{
    if (hl_grow(&in->slots, &in->cap_slots, in->n_slots, sizeof *in->slots, 1024))
        return hl_fail(err, HL_ENOMEM, "内存不足");
    ingest_slot *x = &in->slots[in->n_slots];
    memset(x, 0, sizeof *x);
    x->o = *o;
    if (hl_map_put(&in->by_number, o->number, (int64_t)in->n_slots))
        return hl_fail(err, HL_ENOMEM, "内存不足");
    in->n_slots++;
    *out = x;
    return HL_OK;
}

/* The order `number` from this ingest or the store; *slot NULL if unknown. */
static hl_rc find_order(ingest *in, const char *number, ingest_slot **slot, hl_err *err)
{
    int64_t i;
    hl_order o;
    *slot = NULL;
    if (hl_map_get(&in->by_number, number, &i)) {
        *slot = &in->slots[i];
        return HL_OK;
    }
    if (!in->db_had_orders)
        return HL_OK;
    hl_rc rc = store_order_get(in->store, number, &o, err);
    if (rc == HL_ENOTFOUND)
        return HL_OK;
    if (rc || (rc = new_slot(in, &o, slot, err)))
        return rc;
    (*slot)->db_last_at = o.last_at;
    return HL_OK;
}

/* Note e (about to be appended with seq in->next_seq) in its month's span;
 * a history of more months than spans[] holds is written out early. */
static hl_rc note_span(ingest *in, const hl_event *e, hl_err *err)
{
    int month = hl_month_of(e->at, in->ctx->rules->offset_min);
    size_t i = 0;
    while (i < in->n_spans && in->spans[i].month != month)
        i++;
    if (i == in->n_spans) {
        if (i == sizeof in->spans / sizeof in->spans[0]) {
            for (size_t k = 0; k < in->n_spans; k++)
                if (store_span_add(in->store, in->spans[k].month, in->spans[k].first,
                                   in->spans[k].last, err))
                    return err->rc;
            i = in->n_spans = 0;
        }
        in->spans[i].month = month;
        in->spans[i].first = in->next_seq;
        in->n_spans++;
    }
    in->spans[i].last = in->next_seq;
    return HL_OK;
}

static hl_rc write_body(ingest *in, const hl_event *e, hl_err *err)
{
    const hl_unit *u = hl_units_get(in->ctx->units, e->unit);
    hl_buf_reset(&in->body);
    hl_rc rc = hl_event_write_rest(e, in->ctx->rules->offset_min, u ? u->code : NULL, &in->body);
    return rc ? hl_fail(err, rc, "事件过大") : HL_OK;
}

/* An appeal already stored: the same content is a re-import, other content
 * a conflict.  *dup = 1 for the former. */
static hl_rc appeal_known(ingest *in, const hl_event *e, int *dup, hl_err *err)
{
    int64_t dummy, at, order_id;
    hl_buf stored;
    ingest_slot *slot = NULL;
    *dup = 0;
    if (!in->db_had_appeals && !hl_map_get(&in->appeal_ids, e->appeal_id, &dummy))
        return HL_OK;
    hl_buf_init(&stored, BODY_MAX);
    hl_rc rc = store_appeal_body(in->store, e->appeal_id, &stored, &at, &order_id, err);
    if (!rc && e->order)
        rc = find_order(in, e->order, &slot, err);
    if (rc == HL_ENOTFOUND)
        rc = HL_OK;
    else if (!rc && at == e->at && order_id == (slot ? slot->o.id : 0) &&
             strcmp(hl_buf_str(&stored), hl_buf_str(&in->body)) == 0)
        *dup = 1;
    else if (!rc)
        rc = hl_fail(err, HL_EAPPEAL_EXISTS, "诉求 %s 已存在且内容不同", e->appeal_id);
    hl_buf_free(&stored);
    return rc;
}

/* The order of appeal e (seq set): created for handling order; for a
 * merge (并单) the existing open order it joins, whose version advances. */
static hl_rc appeal_order(ingest *in, const hl_event *e, ingest_slot **slot, hl_err *err)
{
    hl_order o;
    if (find_order(in, e->order, slot, err))
        return err->rc;
    if (e->handling == HANDLING_MERGE) {
        if (!*slot)
            return hl_fail(err, HL_EORDER_UNKNOWN, "并单：工单 %.64s 不存在", e->order);
        if (hl_order_merge(in->ctx, &(*slot)->o, e, err))
            return err->rc;
        (*slot)->dirty = 1;
        return HL_OK;
    }
    if (*slot)
        return hl_fail(err, HL_EORDER_EXISTS, "工单号 %s 已被另一条诉求使用（内容不同）",
                       e->order);
    hl_order_create(&o, e);
    o.id = in->next_order_id++;
    if (new_slot(in, &o, slot, err))
        return err->rc;
    (*slot)->is_new = (*slot)->dirty = 1;
    (*slot)->o.version = e->seq;
    return HL_OK;
}

static hl_rc ingest_appeal(ingest *in, hl_event *e, hl_err *err)
{
    ingest_slot *slot = NULL;
    int dup;
    if (write_body(in, e, err) || appeal_known(in, e, &dup, err))
        return err->rc;
    if (dup) {
        in->duplicates++;
        return HL_OK;
    }
    e->seq = in->next_seq;
    if (e->order && appeal_order(in, e, &slot, err))
        return err->rc;
    if (hl_map_put(&in->appeal_ids, e->appeal_id, e->seq))
        return hl_fail(err, HL_ENOMEM, "内存不足");
    if (note_span(in, e, err))
        return err->rc;
    if (store_event_append(in->store, e, slot ? slot->o.id : 0, e->channel, hl_buf_str(&in->body),
                           err) ||
        ingest_count_appeal(in, e, err))
        return err->rc;
    /* the articles a direct answer used: their usage counts */
    for (size_t i = 0; i < e->n_kb; i++) {
        char num[24];
        if (!e->kb_text[i])
            snprintf(num, sizeof num, "%lld", (long long)e->kb_num[i]);
        if (store_kb_used(in->store, e->kb_text[i] ? e->kb_text[i] : num, err))
            return err->rc;
    }
    in->next_seq++;
    in->applied++;
    return HL_OK;
}

/* A line about an order stored before this ingest and not newer than its
 * history: it must be a line of that history. *dup = 1 when it is. */
static hl_rc replayed(ingest *in, ingest_slot *x, hl_event *e, int computed, int *dup,
                      hl_err *err)
{
    int64_t seq, stored;
    *dup = 0;
    if (!x->db_last_at || e->at > x->db_last_at)
        return HL_OK;
    if (store_event_find(in->store, x->o.id, (int)e->op, e->at, hl_buf_str(&in->body),
                         x->matched, &seq, err))
        return err->rc;
    /* a dispatch that left its deadline to the rules: the stored one was
     * computed with the calendar of its day, which may have changed since */
    if (!seq && computed) {
        if (store_dispatch_deadline(in->store, x->o.id, e->at, x->matched, &stored, err))
            return err->rc;
        if (stored && stored != e->deadline) {
            e->deadline = stored;
            if (write_body(in, e, err) ||
                store_event_find(in->store, x->o.id, (int)e->op, e->at, hl_buf_str(&in->body),
                                 x->matched, &seq, err))
                return err->rc;
        }
    }
    if (seq) {
        x->matched = seq;
        *dup = 1;
    } else if (e->at < x->db_last_at) {
        return hl_fail(err, HL_ETIME_ORDER,
                       "%s（%s）：工单 %s 的这条事件早于其已记录的最新事件，且不在已记录的历史中",
                       hl_op_label(e->op), hl_enum_name(&hl_op_enum, (int)e->op), x->o.number);
    }
    return HL_OK;
}

static hl_rc ingest_order_event(ingest *in, hl_event *e, hl_err *err)
{
    ingest_slot *x;
    int dup;
    if (find_order(in, e->order, &x, err))
        return err->rc;
    if (!x)
        return hl_fail(err, HL_EORDER_UNKNOWN, "%s（%s）：工单 %.64s 不存在（须先有其受理事件）",
                       hl_op_label(e->op), hl_enum_name(&hl_op_enum, (int)e->op), e->order);
    int computed = e->op == OP_DISPATCH && !e->has_deadline;
    if (hl_order_complete(in->ctx, &x->o, e, err) || write_body(in, e, err) ||
        replayed(in, x, e, computed, &dup, err))
        return err->rc;
    if (dup) {
        in->duplicates++;
        return HL_OK;
    }
    e->seq = in->next_seq;
    hl_order before = x->o;
    if (hl_order_apply(in->ctx, &x->o, e, err) || ingest_count(in, &before, &x->o, e, err) ||
        note_span(in, e, err) ||
        store_event_append(in->store, e, x->o.id, x->o.channel, hl_buf_str(&in->body), err))
        return err->rc;
    x->dirty = 1;
    in->next_seq++;
    in->applied++;
    return HL_OK;
}

hl_rc ingest_apply(ingest *in, hl_event *e, hl_err *err)
{
    return e->op == OP_APPEAL ? ingest_appeal(in, e, err) : ingest_order_event(in, e, err);
}

const hl_order *ingest_order(const ingest *in, const char *number)
{
    int64_t i;
    return hl_map_get(&in->by_number, number, &i) ? &in->slots[i].o : NULL;
}

hl_rc ingest_finish(ingest *in, hl_err *err)
{
    for (size_t i = 0; i < in->n_slots; i++) {
        ingest_slot *x = &in->slots[i];
        if (x->dirty && store_order_put(in->store, &x->o, x->is_new, err))
            return err->rc;
        x->dirty = x->is_new = 0;
    }
    for (size_t i = 0; i < in->n_spans; i++)
        if (store_span_add(in->store, in->spans[i].month, in->spans[i].first, in->spans[i].last,
                           err))
            return err->rc;
    in->n_spans = 0;
    for (size_t i = 0; i < in->n_deltas; i++) {
        const ingest_delta *d = &in->deltas[i];
        if (store_unit_month_add(in->store, d->channel, d->month, d->unit, &d->d, err))
            return err->rc;
    }
    in->n_deltas = 0;
    hl_imap_free(&in->delta_index);
    for (size_t i = 0; i < in->n_volumes; i++) {
        const ingest_volume *v = &in->volumes[i];
        if (store_volume_add(in->store, v->channel, v->month, v->line, v->handling, v->source,
                             v->top, v->n, err))
            return err->rc;
    }
    in->n_volumes = 0;
    hl_map_free(&in->volume_index);
    return HL_OK;
}
