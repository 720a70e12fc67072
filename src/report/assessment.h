/* assessment.h — run a month's assessment of one channel: load counts
 * (kept per unit and month, or folded from the history as of a past
 * instant), score every first-level unit, rank, summarise. */
#ifndef HL_REPORT_ASSESSMENT_H
#define HL_REPORT_ASSESSMENT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/assess.h"
#include "../store/store.h"

typedef struct {
    int channel, month;
    int64_t asof;              /* 0: as of now, from the per-month counts */
    hl_score *scores;          /* graded units (due > 0), in the annexes' order; owned */
    size_t n;
    size_t registry;           /* first-level units in the registry */
    size_t per_grade[HL_RULES_MAX_GRADES + 1];
    size_t zero_due;           /* first-level units with nothing due */
    hl_counts total;           /* all units together */
} hl_assessment;

/* asof 0 = now.  Fills *a; assessment_free() releases it. */
hl_rc assessment_run(hl_store *s, const hl_ctx *ctx, int channel, int month, int64_t asof,
                     hl_assessment *a, hl_err *err);
void assessment_free(hl_assessment *a);

/* Fold a channel's history of the month as of asof into *f (the caller
 * releases it with hl_fold_free, also on error). */
hl_rc assessment_fold(hl_store *s, const hl_ctx *ctx, int channel, int month, int64_t asof,
                      hl_fold *f, hl_err *err);

/* The rate an annex prints beside the order counts: dissatisfied for a
 * channel whose index uses it, satisfied otherwise (from the rules). */
hl_rate assessment_callback_rate(const hl_rules *r, int channel);

#endif
