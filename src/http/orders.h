/* orders.h — what orders.c lends actions.c and the public pages. */
#ifndef HL_HTTP_ORDERS_H
#define HL_HTTP_ORDERS_H

#include "http.h"

/* An order snapshot as a JSON object (without appeal and history)
 * appended to b.  HL_ENOMEM or HL_ETOOBIG when b is full. */
hl_rc http_order_object(http_req *r, const hl_order *o, hl_buf *b);

/* order_text.c: the same as text into b, without the closing brace, so
 * that callers can append members; ",\"k\":{code, name}" of a unit (null
 * when unknown); a stored body's members (no braces), citizen masked when
 * asked.  HL_ENOMEM or HL_ETOOBIG when b is full. */
hl_rc http_order_text(http_req *r, const hl_order *o, hl_buf *b);
hl_rc http_unit_member(http_req *r, hl_buf *b, const char *k, int64_t id);
hl_rc http_body_members(const char *body, int masked, hl_buf *b);
/* A stored event body as a JSON object, its citizen masked when asked. */
json_t *http_body_json(const char *body, int masked);
/* 1 when the user's role sees citizens' data masked. */
int http_masked(const http_req *r);
/* Load an order the user may read; -1 with 404 (also for another unit's
 * order) or 500 set. */
int http_load_order(http_req *r, const char *number, hl_order *o);

/* actions.c: apply one interchange event (ev: its JSON object, op, at and
 * actor included) through store/ingest.c inside the caller's write
 * transaction; *o (when not NULL) gets the order's new state. */
hl_rc http_apply_event(http_req *r, json_t *ev, hl_order *o, hl_err *err);

/* Apply a new appeal's event (ev: its id, and its order when it has one,
 * are placeholders) numbered as intake numbers: the local date and the seq
 * its event gets.  id receives the appeal's id. */
#define HTTP_ID_MAX 64
hl_rc http_apply_appeal(http_req *r, json_t *ev, char id[HTTP_ID_MAX], hl_err *err);

#endif
