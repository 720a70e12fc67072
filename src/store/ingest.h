/* ingest.h — apply interchange events to the store, the same way for a file
 * import, a benchmark and (later) the live API.
 *
 * The caller opens a transaction, feeds lines, and finishes with
 * ingest_finish() (which writes the order snapshots) before committing, or
 * rolls back on the first error: nothing is half-written.  Events already in
 * the history (a re-import) are recognised by content and position and
 * skipped. */
#ifndef HL_INGEST_H
#define HL_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "../core/assess.h"
#include "../core/buf.h"
#include "../core/map.h"
#include "../core/order.h"
#include "store.h"

typedef struct {
    int64_t db_last_at;/* latest event time stored before this ingest; 0 for new orders */
    int64_t matched;   /* seq of the last stored event a re-imported line matched */
    int is_new;        /* created by this ingest: inserted by ingest_finish */
    int dirty;
    hl_order o;        /* o.id is assigned when the order is created */
} ingest_slot;

/* A change to one unit's counts of one channel and month. */
typedef struct {
    int channel, month;
    int64_t unit;
    hl_counts d;
} ingest_delta;

/* Appeals of one channel, month, line, handling, source and top-level
 * category (month_volumes). */
typedef struct {
    int channel, month, line, handling;
    int64_t n;
    char source[256], top[256]; /* at most 200 bytes each (event_codec.c) */
} ingest_volume;

typedef struct {
    hl_store *store;           /* borrowed */
    const hl_ctx *ctx;         /* borrowed */
    hl_map by_number;          /* order number → index in slots */
    ingest_slot *slots;
    size_t n_slots, cap_slots;
    hl_map appeal_ids;         /* appeals added in this ingest */
    int db_had_orders, db_had_appeals;
    int64_t next_seq, next_order_id;
    struct {
        int month;
        int64_t first, last;   /* seq range of this ingest's events of the month */
    } spans[64];
    size_t n_spans;
    hl_imap delta_index;       /* (channel, month, unit) → index in deltas */
    ingest_delta *deltas;
    size_t n_deltas, cap_deltas;
    hl_map volume_index;       /* the ingest_volume's fields joined → index in volumes */
    ingest_volume *volumes;
    size_t n_volumes, cap_volumes;
    hl_buf body;
    int64_t applied, duplicates;
} ingest;

hl_rc ingest_init(ingest *in, hl_store *s, const hl_ctx *ctx, hl_err *err);
void ingest_free(ingest *in);

/* Apply one parsed event (its strings must stay valid during the call). */
hl_rc ingest_apply(ingest *in, hl_event *e, hl_err *err);

/* Apply every line of a whole events.jsonl held in memory.  Lines are
 * parsed a batch ahead on a second thread while this one applies the
 * previous batch; the result is the same as parsing and applying
 * (ingest_apply) each line in order.  An error names `name` and the line number. */
hl_rc ingest_buffer(ingest *in, const char *data, size_t size, const char *name, hl_err *err);

/* Keep the per unit and month counts in step with an applied event
 * (ingest_counts.c); written by ingest_finish. */
hl_rc ingest_count(ingest *in, const hl_order *before, const hl_order *after, const hl_event *e,
                   hl_err *err);

/* Count an appended appeal in its month's volumes (ingest_counts.c);
 * written by ingest_finish. */
hl_rc ingest_count_appeal(ingest *in, const hl_event *e, hl_err *err);

/* The state of an order this ingest touched (NULL when it did not);
 * borrowed until the next apply. */
const hl_order *ingest_order(const ingest *in, const char *number);

/* Write every changed order snapshot, the changed unit-month counts and
 * the month volumes. */
hl_rc ingest_finish(ingest *in, hl_err *err);

#endif
