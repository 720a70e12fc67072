/* demo.h — `hotline demo`: a realistic month of history, generated.
 *
 * The demo reproduces the seed bulletin (Yueyang, May 2024) from data: the
 * units and per-unit outcomes of its annexes 1 and 2 (data/demo/targets-*),
 * its volumes (contacts, direct answers, mailbox sources, special lines,
 * categories, callbacks and supervision: data/demo/YYYY-MM.json) and Chinese
 * appeal texts (data/demo/texts.tsv).  The history it writes is plain
 * interchange (units.tsv, events.jsonl) and goes through the same import as
 * any other, so its assessment is computed, never written in.  --scale N
 * multiplies every count: the rates, and so the assessment, stay the same.
 *
 * Files: demo_config.c (load), demo_plan.c (orders and their timelines),
 * demo_assign.c (callbacks, lines, categories), demo_emit.c (events). */
#ifndef HL_DEMO_H
#define HL_DEMO_H

#include <stdint.h>
#include <stdio.h>

#include "../core/map.h"
#include "../core/order.h"

#define DEMO_MAX_TEXTS 256

typedef struct {
    int channel;
    int64_t unit;
    int64_t due, done, on_time, rework, dissatisfied, callbacks;
} demo_target;

typedef struct {
    int64_t unit;
    int64_t from_day;          /* local day */
    int days, orders;
    const char *category, *text;
    const char *places[8];
    int n_places;
} demo_hotspot;

/* One generated order and what will happen to it. */
typedef struct {
    int channel, nature, urgency, line;
    int64_t unit;              /* dispatch target (first level) */
    const char *category, *text, *place;
    int64_t appeal_at, dispatch_at, sign_at, deadline;
    int closed, on_time, rework, severe, extension, previous_month;
    int64_t reply_at, close_at;  /* final reply and acceptance (closed orders) */
    int callback;              /* -1 none, else hl_callback_result, in the month */
    int64_t callback_at;
    int unreachable_first, excluded, supervised, rectified, recalled;
    long number;
} demo_order;

typedef struct {
    /* configuration (borrowed strings point into cfg_json) */
    void *cfg_json;
    int month, scale;
    int64_t month_from, month_to; /* instants */
    int64_t as_of;             /* the bulletin's cut-off: done orders close before it */
    const hl_ctx *ctx;
    demo_target *targets;
    size_t n_targets;
    const char *text_cat[DEMO_MAX_TEXTS], *text[DEMO_MAX_TEXTS];
    size_t n_texts;
    char *texts_file;          /* owned; text pointers point into it */
    demo_hotspot hotspots[16];
    size_t n_hotspots;
    /* categories: the configured counts of the month's hotline appeals
     * (quota ≥ 0), then the others (quota -1: whatever is left) */
    const char *cat[32];
    int64_t cat_left[32];
    size_t n_cats;
    /* a special line's own category counts (政企通: 人社, 市场 …) */
    const char *line_cat[LINE__COUNT][8];
    int64_t line_left[LINE__COUNT][8];
    size_t n_line_cats[LINE__COUNT];
    /* generated */
    demo_order *orders;
    size_t n_orders, cap_orders;
    uint64_t rng;
    long serial;
    FILE *out;
    size_t events;
} demo;

hl_rc demo_load(demo *d, const char *data_dir, int month, int scale, const hl_ctx *ctx,
                hl_err *err);
void demo_free(demo *d);

/* A config value from YYYY-MM.json: path like "hotline.contacts". */
int64_t demo_cfg_int(const demo *d, const char *path);
const char *demo_cfg_str(const demo *d, const char *path);
void *demo_cfg(const demo *d, const char *path); /* json_t * or NULL */

uint64_t demo_rand(demo *d);
int64_t demo_between(demo *d, int64_t lo, int64_t hi); /* [lo, hi] */

/* A new order (callback -1, the next number), NULL when out of memory;
 * earlier pointers into d->orders may move. */
demo_order *demo_new_order(demo *d, hl_err *err);

hl_rc demo_plan(demo *d, hl_err *err);
hl_rc demo_assign(demo *d, hl_err *err);
hl_rc demo_emit(demo *d, const char *events_path, hl_err *err);

/* A text template of the category; count an appeal against its quota. */
const char *demo_text_for(demo *d, const char *category);
void demo_count_category(demo *d, const char *category);

/* An index drawn with probability proportional to left[] (counts ≤ 0
 * never), -1 when nothing is left. */
int demo_draw(demo *d, const int64_t *left, size_t n);

/* A category for an appeal of `line`: the line's own counts first, then
 * the month's counts not yet met, then any other category. */
const char *demo_draw_category(demo *d, int line);

/* Where an order of unit u happens: a town of a county, or a city place. */
const char *demo_place(demo *d, int64_t unit);

#endif
