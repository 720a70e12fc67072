/* demo_plan.c — the orders of each unit's target and their timelines. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../core/timeutil.h"
#include "demo.h"

#define HOUR 3600
#define DAY 86400

static int64_t local_instant(const demo *d, int64_t day, int64_t secs)
{
    return day * DAY + secs - (int64_t)d->ctx->rules->offset_min * 60;
}

demo_order *demo_new_order(demo *d, hl_err *err)
{
    if (hl_grow(&d->orders, &d->cap_orders, d->n_orders, sizeof *d->orders, 4096)) {
        hl_fail(err, HL_ENOMEM, "内存不足");
        return NULL;
    }
    demo_order *o = &d->orders[d->n_orders++];
    memset(o, 0, sizeof *o);
    o->callback = -1;
    o->number = ++d->serial;
    return o;
}

/* A nature drawn with the configured weights (percent). */
static int draw_nature(demo *d, int channel)
{
    json_t *w = demo_cfg(d, "hotline.natures"), *v;
    const char *key;
    int64_t r = demo_between(d, 0, 99), acc = 0;
    if (channel == CH_MAILBOX)
        return r < 60 ? NATURE_COMPLAINT : r < 85 ? NATURE_HELP : NATURE_SUGGESTION;
    json_object_foreach(w, key, v) {
        acc += json_integer_value(v);
        if (r < acc)
            return hl_enum_parse(&hl_nature_enum, key);
    }
    return NATURE_COMPLAINT;
}

/* A working day of the month, or of [from, from + days) when days > 0. */
static int64_t draw_day(demo *d, int64_t from, int days)
{
    int64_t first = hl_local_day(d->month_from, d->ctx->rules->offset_min),
            last = hl_local_day(d->month_to, d->ctx->rules->offset_min) - 1;
    if (days > 0) {
        first = from;
        last = from + days - 1;
    }
    for (int tries = 0; tries < 64; tries++) {
        int64_t day = demo_between(d, first, last);
        int w = 0;
        if (hl_calendar_is_working(d->ctx->cal, day, &w, NULL) == HL_OK && (w || days > 0))
            return day;
    }
    return first;
}

/* When each step happens, from the order's fate (closed, on time …). */
static hl_rc schedule(demo *d, demo_order *o, hl_err *err)
{
    const hl_rules *r = d->ctx->rules;
    if (hl_rules_deadline(r, d->ctx->cal, o->channel, o->nature, o->urgency, o->dispatch_at,
                          &o->deadline, err))
        return err->rc;
    o->sign_at = o->dispatch_at + demo_between(d, 600, 3 * HOUR);
    int64_t span = o->deadline - o->sign_at;
    if (o->closed && o->on_time)
        o->reply_at = o->extension ? o->deadline + DAY
                                   : o->sign_at + span * demo_between(d, 20, 70) / 100;
    else if (o->closed)
        o->reply_at = o->deadline + (o->severe ? 12 * DAY : demo_between(d, 6 * HOUR, 3 * DAY));
    else /* open: replied and awaiting review, or still being handled */
        o->reply_at = demo_between(d, 0, 1) ? o->sign_at + span / 2 : 0;
    if (o->closed)
        o->close_at = o->reply_at + demo_between(d, HOUR, 5 * HOUR);
    return HL_OK;
}

static void place_order(demo *d, demo_order *o, const demo_target *t)
{
    o->channel = t->channel;
    o->unit = t->unit;
    o->nature = draw_nature(d, t->channel);
    o->urgency = t->channel == CH_HOTLINE &&
                 demo_between(d, 0, 99) < demo_cfg_int(d, "hotline.urgent_percent");
    o->line = LINE_GENERAL;
    o->place = demo_place(d, t->unit);
    int64_t day = draw_day(d, 0, 0);
    o->dispatch_at = local_instant(d, day, demo_between(d, 8 * HOUR + 1800, 17 * HOUR + 1800));
    o->appeal_at = o->dispatch_at - demo_between(d, 120, HOUR);
}

/* The orders of one target: first the late ones, then the on-time ones,
 * then the open ones; rework spread evenly over all. */
static hl_rc plan_target(demo *d, const demo_target *t, hl_err *err)
{
    for (int64_t i = 0; i < t->due; i++) {
        demo_order *o = demo_new_order(d, err);
        if (!o)
            return err->rc;
        place_order(d, o, t);
        o->closed = i < t->done;
        o->on_time = i >= t->done - t->on_time && i < t->done;
        o->rework = (i + 1) * t->rework / t->due > i * t->rework / t->due;
        o->extension = o->closed && o->on_time && !o->urgency && demo_between(d, 0, 99) < 3;
        /* open orders asked for more time: they are not severely overdue */
        o->extension |= !o->closed;
    }
    return HL_OK;
}

/* Hot spots: the unit's first orders move into the window and the place. */
static void apply_hotspots(demo *d)
{
    for (size_t h = 0; h < d->n_hotspots; h++) {
        const demo_hotspot *x = &d->hotspots[h];
        int left = x->orders;
        for (size_t i = 0; i < d->n_orders && left > 0; i++) {
            demo_order *o = &d->orders[i];
            if (o->unit != x->unit || o->channel != CH_HOTLINE || o->category)
                continue;
            int64_t day = draw_day(d, x->from_day, x->days);
            o->dispatch_at = local_instant(d, day, demo_between(d, 8 * HOUR, 20 * HOUR));
            o->appeal_at = o->dispatch_at - demo_between(d, 120, HOUR);
            o->category = x->category;
            o->text = x->text;
            o->place = x->places[demo_between(d, 0, x->n_places - 1)];
            left--;
        }
    }
}

/* Appeals received at the end of the previous month, dispatched on the
 * first working day of this one (after the May Day holidays). */
static void previous_month(demo *d)
{
    int64_t n = demo_cfg_int(d, "hotline.orders_appealed_previous_month") * d->scale;
    int64_t first = hl_local_day(d->month_from, d->ctx->rules->offset_min), day = first;
    int w = 0;
    while (hl_calendar_is_working(d->ctx->cal, day, &w, NULL) == HL_OK && !w)
        day++;
    for (size_t i = 0; i < d->n_orders && n > 0; i += 7) {
        demo_order *o = &d->orders[i];
        if (o->channel != CH_HOTLINE || o->category)
            continue;
        o->previous_month = 1;
        o->dispatch_at = local_instant(d, day, demo_between(d, 8 * HOUR + 1800, 11 * HOUR));
        o->appeal_at = local_instant(d, first - demo_between(d, 1, 3), demo_between(d, 0, 23 * HOUR));
        n--;
    }
}

static void mark_severe(demo *d)
{
    json_t *v;
    const char *code;
    json_object_foreach((json_t *)demo_cfg(d, "severe_overdue"), code, v) {
        int64_t unit = hl_units_find(d->ctx->units, code), left = json_integer_value(v) * d->scale;
        for (size_t i = 0; i < d->n_orders && left > 0; i++) {
            demo_order *o = &d->orders[i];
            if (o->unit == unit && o->channel == CH_HOTLINE && o->closed && !o->on_time) {
                o->severe = 1;
                left--;
            }
        }
    }
}

/* A closed order must close before the cut-off: else it moves to the
 * first ten days of the month (long limits, late replies). */
static hl_rc schedule_before_cutoff(demo *d, demo_order *o, hl_err *err)
{
    for (int tries = 0; tries < 16; tries++) {
        if (schedule(d, o, err))
            return err->rc;
        if (!o->closed || o->close_at < d->as_of - 6 * HOUR)
            return HL_OK;
        int64_t first = hl_local_day(d->month_from, d->ctx->rules->offset_min);
        o->dispatch_at = local_instant(d, draw_day(d, first, 10) , 9 * HOUR + demo_between(d, 0, 8 * HOUR));
        o->appeal_at = o->dispatch_at - demo_between(d, 120, HOUR);
    }
    return hl_fail(err, HL_ECONFIG, "演示：无法在截止时刻前办结工单（时限过长？）");
}

hl_rc demo_plan(demo *d, hl_err *err)
{
    for (size_t i = 0; i < d->n_targets; i++)
        if (plan_target(d, &d->targets[i], err))
            return err->rc;
    apply_hotspots(d);
    previous_month(d);
    mark_severe(d);
    for (size_t i = 0; i < d->n_orders; i++)
        if (schedule_before_cutoff(d, &d->orders[i], err))
            return err->rc;
    return HL_OK;
}

const char *demo_place(demo *d, int64_t unit)
{
    const hl_units *u = d->ctx->units;
    const hl_unit *x = hl_units_get(u, unit);
    size_t n = 0, pick;
    for (size_t i = 0; i < u->n; i++)
        n += u->v[i].parent == unit;
    if (x && x->kind == UNIT_COUNTY && n) {
        pick = (size_t)demo_between(d, 0, (int64_t)n - 1);
        for (size_t i = 0; i < u->n; i++)
            if (u->v[i].parent == unit && pick-- == 0)
                return u->v[i].name;
    }
    if (x && x->kind == UNIT_COUNTY)
        return x->name;
    json_t *places = demo_cfg(d, "city_places");
    return json_string_value(
        json_array_get(places, (size_t)demo_between(d, 0, (int64_t)json_array_size(places) - 1)));
}
