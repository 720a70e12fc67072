/* order.h — a work order's state and the lifecycle that moves it.
 *
 * hl_order is a fold of the order's history: every field can be recomputed
 * by replaying the events from the appeal on (hl_order_apply is that fold's
 * step).  The store keeps the latest fold as a snapshot so that a new event
 * needs no replay; tests check that snapshot and replay agree. */
#ifndef HL_ORDER_H
#define HL_ORDER_H

#include <stdint.h>

#include "calendar.h"
#include "err.h"
#include "event.h"
#include "rules.h"
#include "unit.h"

typedef enum { ST_NEW, ST_DISPATCHED, ST_SIGNED, ST_REPLIED, ST_CLOSED, ST__COUNT } hl_state;

const char *hl_state_name(hl_state s);  /* "dispatched" */
const char *hl_state_label(hl_state s); /* "已派单" */

typedef struct {
    int64_t id;                /* store id, 0 until stored */
    char number[HL_ORDER_NUMBER_MAX + 1];
    int channel, nature, urgency, line;
    int64_t created_at;
    hl_state state;
    int64_t unit;              /* assignee (the dispatch target); 0 when none */
    int64_t handler;           /* sub-dispatch holder inside the assignee's tree */
    int64_t dispatched_at;     /* dispatch to the current assignee */
    int64_t deadline;          /* in force: dispatch deadline or last approved extension */
    int64_t pending_until;     /* `until` of the pending extension request */
    int pending_return, pending_extension;
    int replied;               /* the assignee has replied since its dispatch */
    int extension_asked;       /* an extension was requested since dispatch */
    int reworks;               /* returns at review and reopens since dispatch */
    int64_t reply_at;          /* latest reply */
    int64_t closed_at;         /* latest acceptance; 0 while open */
    int callbacks;             /* callbacks recorded, unreachable included */
    int64_t dissatisfied_seq;  /* seq of the latest dissatisfied callback, 0 none */
    int64_t dissatisfied_at;   /* … and its time */
    int dissatisfied_open;     /* … and it awaits verification */
    int supervisions_open;
    int64_t last_at;           /* time of the latest event */
    int64_t version;           /* seq of the latest event: the version a client
                                * names to change the order (optimistic
                                * concurrency, HTTP ETag) */
} hl_order;

/* What the lifecycle needs to know besides the order.  Borrowed. */
typedef struct {
    const hl_units *units;
    const hl_calendar *cal;
    const hl_rules *rules;
} hl_ctx;

/* Create the order of an appeal with handling "order". */
void hl_order_create(hl_order *o, const hl_event *appeal);

/* Complete e with what the history records but the input may leave out:
 * the unit id of a unit named by code or name, a dispatch's default
 * deadline.  Depends on the order's attributes, not its state, so it gives
 * the same canonical event whether the event is new or a re-import. */
hl_rc hl_order_complete(const hl_ctx *ctx, const hl_order *o, hl_event *e, hl_err *err);

/* Apply e (completed, not an appeal) to o.  On success o is the new state and e may be
 * completed (dispatch deadline computed, verify's ref set).  On refusal o is
 * unchanged and err says why, naming the op and the order. */
hl_rc hl_order_apply(const hl_ctx *ctx, hl_order *o, hl_event *e, hl_err *err);

/* Merge (并单) the appeal e (handling merge, seq set) into o: only an open
 * order takes one, since a closed order has nobody left to answer the
 * caller (a repeated matter after closing is a new order or a reopen).
 * Nothing of the lifecycle or the assessment changes; o's last_at and
 * version advance.  On refusal o is unchanged. */
hl_rc hl_order_merge(const hl_ctx *ctx, hl_order *o, const hl_event *e, hl_err *err);

#endif
