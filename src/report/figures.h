/* figures.h — the headline figures of a month (bulletin sections 二 and 三):
 * volumes by channel, category, source and special line, completion,
 * punctuality and satisfaction, callbacks and supervision. */
#ifndef HL_REPORT_FIGURES_H
#define HL_REPORT_FIGURES_H

#include <jansson.h>
#include <stdio.h>

#include "../store/store.h"
#include "assessment.h"

typedef struct {
    char key[256]; /* categories and sources are at most 200 bytes (event_codec.c) */
    int64_t total, direct, orders;
} fig_group;

typedef struct {
    fig_group *v;
    size_t n, cap;
} fig_groups;

typedef struct {
    int64_t contacts, direct, orders; /* appeals received in the month */
    int64_t categorized;              /* … of them with a category: the base of shares */
    hl_counts total;                  /* the assessment's totals, all units */
    hl_assessment assessment;         /* summary and rankings (section 二（三）, 三) */
    fig_groups categories, sources;
} fig_channel;

typedef struct {
    int64_t contacts, direct, orders;
    int64_t closed, on_time, called, reached, dissatisfied; /* of the line's orders */
    fig_groups top;                                         /* categories, largest first */
} fig_line;

typedef struct {
    int month;
    int64_t asof;
    fig_channel ch[CH__COUNT];
    fig_line line[LINE__COUNT];
    store_supervision supervision;           /* hotline */
    fig_groups provincial;                   /* mailbox letters from the provincial platform */
    int64_t provincial_orders, provincial_on_time;
} hl_figures;

/* asof 0: as of now (the assessment from the per-month counts). */
hl_rc figures_run(hl_store *s, const hl_ctx *ctx, int month, int64_t asof, int64_t now,
                  hl_figures *f, hl_err *err);
void figures_free(hl_figures *f);

json_t *figures_json(const hl_figures *f, const hl_ctx *ctx);
hl_rc figures_write_text(const hl_figures *f, const hl_ctx *ctx, FILE *out);

#endif
