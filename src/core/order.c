#include "order.h"

#include "timeutil.h"

#include <stdio.h>
#include <string.h>

static const char *const state_names[ST__COUNT] = {"new", "dispatched", "signed", "replied",
                                                   "closed"};
static const char *const state_labels[ST__COUNT] = {"待派单", "已派单", "已签收", "已答复",
                                                    "已办结"};

const char *hl_state_name(hl_state s)
{
    return (unsigned)s < ST__COUNT ? state_names[s] : "?";
}

const char *hl_state_label(hl_state s)
{
    return (unsigned)s < ST__COUNT ? state_labels[s] : "?";
}

void hl_order_create(hl_order *o, const hl_event *a)
{
    memset(o, 0, sizeof *o);
    snprintf(o->number, sizeof o->number, "%s", a->order);
    o->channel = a->channel;
    o->nature = a->nature;
    o->urgency = a->urgency;
    o->line = a->line;
    o->created_at = o->last_at = a->at;
    o->state = ST_NEW;
}

/* "答复：工单 R0001 当前为“已派单”，应为“已签收”" */
static hl_rc refuse_state(hl_err *err, hl_rc rc, const hl_event *e, const hl_order *o,
                          const char *wanted)
{
    return hl_fail(err, rc, "%s（%s）：工单 %s 当前为“%s”，%s", hl_op_label(e->op),
                   hl_enum_name(&hl_op_enum, (int)e->op), o->number, hl_state_label(o->state),
                   wanted);
}

static hl_rc refuse(hl_err *err, hl_rc rc, const hl_event *e, const hl_order *o,
                    const char *why)
{
    return hl_fail(err, rc, "%s（%s）：工单 %s %s", hl_op_label(e->op),
                   hl_enum_name(&hl_op_enum, (int)e->op), o->number, why);
}

static hl_rc resolve_unit(const hl_ctx *ctx, hl_event *e, const hl_order *o, hl_err *err)
{
    e->unit = hl_units_find(ctx->units, e->unit_ref);
    if (!e->unit)
        return hl_fail(err, HL_EUNIT_UNKNOWN, "%s（%s）：工单 %s 的承办单位“%.60s”不在单位名录中",
                       hl_op_label(e->op), hl_enum_name(&hl_op_enum, (int)e->op), o->number,
                       e->unit_ref);
    return HL_OK;
}

hl_rc hl_order_complete(const hl_ctx *ctx, const hl_order *o, hl_event *e, hl_err *err)
{
    if ((e->op == OP_DISPATCH || e->op == OP_SUBDISPATCH) && !e->unit &&
        resolve_unit(ctx, e, o, err))
        return err->rc;
    if (e->op == OP_DISPATCH && !e->has_deadline) {
        if (hl_rules_deadline(ctx->rules, ctx->cal, o->channel, o->nature, o->urgency, e->at,
                              &e->deadline, err)) {
            hl_err_prefix(err, "派单（dispatch）：工单 %s", o->number);
            return err->rc;
        }
        e->has_deadline = 1;
    }
    return HL_OK;
}

static hl_rc do_dispatch(hl_order *o, hl_event *e, hl_err *err)
{
    if (o->state != ST_NEW)
        return refuse_state(err, HL_ENOT_NEW, e, o, "只有待派单的工单可以派单");
    if (e->deadline < e->at)
        return refuse(err, HL_EDEADLINE_EARLIER, e, o, "的办理时限早于派单时间");
    o->state = ST_DISPATCHED;
    o->unit = o->handler = e->unit;
    o->dispatched_at = e->at;
    o->deadline = e->deadline;
    o->pending_until = 0;
    o->pending_return = o->pending_extension = o->replied = o->extension_asked = 0;
    o->reworks = 0;
    o->reply_at = o->closed_at = 0;
    return HL_OK;
}

static hl_rc do_subdispatch(const hl_ctx *ctx, hl_order *o, hl_event *e, hl_err *err)
{
    if (o->state != ST_SIGNED)
        return refuse_state(err, HL_ENOT_SIGNED, e, o, "签收后才能二级派单");
    if (!hl_units_within(ctx->units, e->unit, o->unit))
        return refuse(err, HL_ENOT_IN_SUBTREE, e, o, "的二级派单目标不在承办单位的下级范围内");
    o->handler = e->unit;
    return HL_OK;
}

/* Requests need an assignee that has not answered yet. */
static hl_rc check_can_request(const hl_order *o, const hl_event *e, hl_err *err)
{
    if (o->state == ST_NEW)
        return refuse_state(err, HL_ENOT_ASSIGNED, e, o, "尚未派给承办单位");
    if (o->state != ST_DISPATCHED && o->state != ST_SIGNED)
        return refuse_state(err, HL_EALREADY_REPLIED, e, o, "已答复后不能再提出申请");
    return HL_OK;
}

static hl_rc do_return_request(hl_order *o, const hl_event *e, hl_err *err)
{
    if (check_can_request(o, e, err))
        return err->rc;
    if (o->replied)
        return refuse(err, HL_EALREADY_REPLIED, e, o, "已答复过，不能再申请退单");
    if (o->pending_return || o->pending_extension)
        return refuse(err, HL_EREQUEST_PENDING, e, o, "有尚未审核的退单或延期申请");
    o->pending_return = 1;
    return HL_OK;
}

static hl_rc do_return_decision(hl_order *o, const hl_event *e, hl_err *err)
{
    if (!o->pending_return)
        return refuse(err, HL_ENO_RETURN_REQUEST, e, o, "没有待审核的退单申请");
    o->pending_return = 0;
    if (e->approved) { /* back to the center; the unit is not charged */
        o->state = ST_NEW;
        o->unit = o->handler = 0;
        o->dispatched_at = o->deadline = o->pending_until = 0;
        o->pending_extension = o->extension_asked = o->reworks = 0;
    }
    return HL_OK;
}

static hl_rc do_extension_request(hl_order *o, const hl_event *e, hl_err *err)
{
    if (check_can_request(o, e, err))
        return err->rc;
    if (o->pending_extension)
        return refuse(err, HL_EREQUEST_PENDING, e, o, "已有尚未审核的延期申请");
    if (e->until <= o->deadline)
        return refuse(err, HL_EEXTENSION_EARLIER, e, o, "申请的新时限不晚于当前办理时限");
    o->pending_extension = 1;
    o->pending_until = e->until;
    o->extension_asked = 1;
    return HL_OK;
}

static hl_rc do_extension_decision(hl_order *o, const hl_event *e, hl_err *err)
{
    if (!o->pending_extension)
        return refuse(err, HL_ENO_EXTENSION_REQUEST, e, o, "没有待审核的延期申请");
    if (e->approved && o->pending_until <= o->deadline)
        return refuse(err, HL_EEXTENSION_EARLIER, e, o, "批准的新时限早于当前办理时限");
    if (e->approved)
        o->deadline = o->pending_until;
    o->pending_extension = 0;
    o->pending_until = 0;
    return HL_OK;
}

static hl_rc do_review(hl_order *o, const hl_event *e, hl_err *err)
{
    if (o->state != ST_REPLIED)
        return refuse_state(err, HL_ENOT_REPLIED, e, o, "没有待审核的答复");
    if (e->result == REVIEW_ACCEPT) {
        o->state = ST_CLOSED;
        o->closed_at = e->at;
    } else { /* 返工: the unit replies again without signing again */
        o->state = ST_SIGNED;
        o->reworks++;
    }
    return HL_OK;
}

static hl_rc do_callback(hl_order *o, const hl_event *e, hl_err *err)
{
    if (o->state != ST_CLOSED)
        return refuse_state(err, HL_ENOT_CLOSED, e, o, "办结后才能回访");
    o->callbacks++;
    if (e->result == CB_DISSATISFIED) {
        o->dissatisfied_seq = e->seq;
        o->dissatisfied_at = e->at;
        o->dissatisfied_open = 1;
    }
    return HL_OK;
}

static hl_rc do_verify(hl_order *o, hl_event *e, hl_err *err)
{
    if (!o->dissatisfied_open)
        return refuse(err, HL_ENO_DISSATISFIED, e, o, "没有待核实的不满意回访");
    e->ref = o->dissatisfied_seq;
    o->dissatisfied_open = 0;
    return HL_OK;
}

/* One step of the fold; o is a scratch copy the caller commits on success. */
static hl_rc step(const hl_ctx *ctx, hl_order *o, hl_event *e, hl_err *err)
{
    switch (e->op) {
    case OP_DISPATCH:
        return do_dispatch(o, e, err);
    case OP_SIGN:
        if (o->state != ST_DISPATCHED)
            return refuse_state(err, HL_ENOT_DISPATCHED, e, o, "只有已派单的工单可以签收");
        o->state = ST_SIGNED;
        return HL_OK;
    case OP_SUBDISPATCH:
        return do_subdispatch(ctx, o, e, err);
    case OP_RETURN_REQUEST:
        return do_return_request(o, e, err);
    case OP_RETURN_DECISION:
        return do_return_decision(o, e, err);
    case OP_EXTENSION_REQUEST:
        return do_extension_request(o, e, err);
    case OP_EXTENSION_DECISION:
        return do_extension_decision(o, e, err);
    case OP_REPLY:
        if (o->state != ST_SIGNED)
            return refuse_state(err, HL_ENOT_SIGNED, e, o, "签收后才能答复");
        o->state = ST_REPLIED;
        o->replied = 1;
        o->reply_at = e->at;
        return HL_OK;
    case OP_REVIEW:
        return do_review(o, e, err);
    case OP_CALLBACK:
        return do_callback(o, e, err);
    case OP_VERIFY:
        return do_verify(o, e, err);
    case OP_SUPERVISE:
        if (o->state == ST_NEW)
            return refuse_state(err, HL_ENOT_ASSIGNED, e, o, "尚未派单，不能督办");
        o->supervisions_open++;
        return HL_OK;
    case OP_RECTIFIED:
        if (!o->supervisions_open)
            return refuse(err, HL_ENO_SUPERVISION, e, o, "没有进行中的督办");
        o->supervisions_open--;
        return HL_OK;
    case OP_REOPEN:
        if (o->state != ST_CLOSED)
            return refuse_state(err, HL_ENOT_CLOSED, e, o, "只有已办结的工单可以重办");
        o->state = ST_SIGNED;
        o->reworks++;
        o->closed_at = 0;
        return HL_OK;
    case OP_APPEAL:
    case OP__COUNT:
        break;
    }
    return refuse(err, HL_EINVAL, e, o, "：受理事件不能作用于已有工单");
}

/* An event earlier than the order's latest would reorder its history. */
static hl_rc check_time(const hl_ctx *ctx, const hl_order *o, const hl_event *e, hl_err *err)
{
    char at[HL_TIME_STRLEN], last[HL_TIME_STRLEN];
    if (e->at >= o->last_at)
        return HL_OK;
    hl_time_format(e->at, ctx->rules->offset_min, at);
    hl_time_format(o->last_at, ctx->rules->offset_min, last);
    return hl_fail(err, HL_ETIME_ORDER, "%s（%s）：工单 %s 的事件时间 %s 早于其上一事件（%s）",
                   hl_op_label(e->op), hl_enum_name(&hl_op_enum, (int)e->op), o->number, at,
                   last);
}

hl_rc hl_order_apply(const hl_ctx *ctx, hl_order *o, hl_event *e, hl_err *err)
{
    if (check_time(ctx, o, e, err))
        return err->rc;
    hl_order n = *o;
    hl_rc rc = hl_order_complete(ctx, o, e, err);
    if (!rc)
        rc = step(ctx, &n, e, err);
    if (rc)
        return rc;
    n.last_at = e->at;
    n.version = e->seq;
    *o = n;
    return HL_OK;
}

hl_rc hl_order_merge(const hl_ctx *ctx, hl_order *o, const hl_event *e, hl_err *err)
{
    if (o->state == ST_CLOSED)
        return hl_fail(err, HL_EORDER_CLOSED,
                       "并单：工单 %s 已办结，不能并入（请新建工单，或对该工单重办）", o->number);
    if (check_time(ctx, o, e, err))
        return err->rc;
    o->last_at = e->at;
    o->version = e->seq;
    return HL_OK;
}
