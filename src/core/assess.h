/* assess.h — the monthly assessment (综合评价) of assessment.md, as exact
 * integer arithmetic: counts in, rates, index and grade out.
 *
 * Rates are integers in 10^-rate_decimals percent (9.77 % = 977), the index
 * in 10^-index_decimals points.  Every rounding is half-up on exact
 * fractions; no binary floating point anywhere. */
#ifndef HL_ASSESS_H
#define HL_ASSESS_H

#include <stddef.h>
#include <stdint.h>

#include "order.h"
#include "rules.h"
#include "unit.h"

/* What an assessment counts for one unit, channel and month. */
typedef struct {
    int64_t due, done, on_time, rework;          /* orders dispatched to the unit in the month */
    int64_t callbacks, dissatisfied, satisfied;  /* callbacks made in the month */
} hl_counts;

typedef struct {
    int64_t unit;             /* first-level unit id */
    hl_counts n;
    int64_t rate[RATE__COUNT];/* in 10^-rate_decimals percent */
    int64_t index;            /* in 10^-index_decimals */
    int grade;                /* index into rules grade[]; -1 when due = 0 (not graded) */
    int rank;                 /* 1-based rank within its kind, 0 when below the floor */
} hl_score;

/* round_half_up(num / den) for num ≥ 0, den > 0. */
int64_t hl_div_round(int64_t num, int64_t den);

/* Rates, index and grade of s->n under the channel's rules. */
void hl_score_compute(const hl_rules *r, int channel, hl_score *s);

/* The index from rounded rates (10^-rate_decimals percent), and its grade
 * (index into the rules' grade names; n_grades = below every bound). */
int64_t hl_index(const hl_rules *r, int channel, const int64_t rate[RATE__COUNT]);
int hl_grade(const hl_rules *r, int channel, int64_t index);

/* Sort scores into the annexes' order (kind; grade; index, due descending;
 * name) and assign ranks per kind for units at or above the floor. */
void hl_scores_rank(const hl_rules *r, int channel, const hl_units *u, hl_score *s, size_t n);

/* An order's contribution to the due/done/on_time/rework counts: all zero
 * when it has no assignee.  unit is the first-level assignee; month is
 * the local yyyymm of the dispatch to it. */
typedef struct {
    int64_t unit;
    int month;
    int due, done, on_time, rework;
} hl_contrib;

hl_contrib hl_order_contrib(const hl_units *u, const hl_order *o, int offset_min);

/* One event as the assessment sees it: the columns of the history, no body. */
typedef struct {
    int64_t order_id, seq, at, unit, t2, ref; /* t2: dispatch deadline or extension until */
    int op, result;                           /* result: review/callback/verify result or decision */
} hl_fact;

/* The counts of a month as of a past instant, folded from the history
 * read in (at, seq) order from the start of the month to the cut-off
 * (assess_fold.c). */
/* Kept small (80 bytes): a province's month folds half a million of them. */
typedef struct {
    int64_t order_id, unit, dispatched_at, deadline, pending_until, reply_at;
    int64_t dissatisfied_seq;  /* latest dissatisfied callback of the month */
    int32_t callbacks, dissatisfied, satisfied; /* callbacks of the month */
    int32_t reworks;
    uint8_t started, closed, extension_asked;
    uint8_t returned;          /* not dispatched in the range, but a return approved in it */
    uint8_t called;            /* called back by the cut-off, unreachable included */
} hl_fold_order;

typedef struct {
    const hl_ctx *ctx;
    int month;
    int64_t from, to;
    hl_fold_order *v;
    size_t n, cap;
    /* order id → 1 + index in v[], dense over [base, base + span): a
     * month's orders have neighbouring ids, and a hash lookup per fact was
     * a third of the fold's time */
    int32_t *slot;
    int64_t base;
    size_t span;
} hl_fold;

hl_rc hl_fold_init(hl_fold *f, const hl_ctx *ctx, int month);
void hl_fold_free(hl_fold *f);
hl_rc hl_fold_fact(hl_fold *f, const hl_fact *x, hl_err *err);

/* The folded state of an order, NULL if the fold never saw it. */
const hl_fold_order *hl_fold_find(const hl_fold *f, int64_t order_id);

/* Add the folded counts to by_unit[unit id - 1]: callbacks count for the
 * assignee at the cut-off.  unit_of gives the assignee, just before the
 * range read, of an order not dispatched in it (-1 on failure). */
hl_rc hl_fold_result(const hl_fold *f, hl_counts *by_unit, size_t n_units,
                     int64_t (*unit_of)(int64_t order_id, void *arg), void *arg, hl_err *err);

/* Local yyyymm of instant t. */
int hl_month_of(int64_t t, int offset_min);

/* [first instant, first instant of the next month) of local month yyyymm. */
void hl_month_range(int month, int offset_min, int64_t *from, int64_t *to);

/* Parse "YYYY-MM" into yyyymm. */
hl_rc hl_month_parse(const char *s, int *month);

#endif
