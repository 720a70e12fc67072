/* fact_stream.h — a channel's folded facts read on a second thread.
 *
 * Why: at province scale an assessment as of a past instant spends about
 * half its time in SQLite stepping through the facts and the rest folding
 * them; on two cores the two can overlap.  The reader fills batches while
 * the caller's sink consumes the previous one, in order; the store handle is
 * used by the reader only, until fact_stream returns. */
#ifndef HL_REPORT_FACT_STREAM_H
#define HL_REPORT_FACT_STREAM_H

#include "../store/store.h"

/* The same facts as store_facts_each, handed to sink in the same order.  A
 * non-zero return from sink stops the stream and is returned. */
hl_rc fact_stream(hl_store *s, int channel, int64_t from, int64_t asof, int first_month,
                  int last_month, store_fact_fn sink, void *arg, hl_err *err);

#endif
