/* demo_assign.c — callbacks (with their verification and supervision),
 * special lines, categories and texts of the planned orders. */
#include <jansson.h>
#include <string.h>

#include "demo.h"

#define HOUR 3600
#define DAY 86400

/* Results of one target's callbacks in the month: dissatisfied first. */
static int draw_result(demo *d, int64_t k, int64_t dissatisfied)
{
    if (k < dissatisfied)
        return CB_DISSATISFIED;
    return demo_between(d, 0, 99) < 85 ? CB_SATISFIED : CB_BASICALLY_SATISFIED;
}

/* An order of the previous month, closed then, called back in this one. */
static demo_order *previous_order(demo *d, const demo_target *t, hl_err *err)
{
    demo_order *o = demo_new_order(d, err);
    if (!o)
        return NULL;
    o->channel = t->channel;
    o->unit = t->unit;
    o->nature = NATURE_HELP;
    o->place = demo_place(d, t->unit);
    o->dispatch_at = d->month_from - demo_between(d, 6, 9) * DAY + 9 * HOUR;
    o->appeal_at = o->dispatch_at - demo_between(d, 300, HOUR);
    o->closed = o->on_time = 1;
    if (hl_rules_deadline(d->ctx->rules, d->ctx->cal, o->channel, o->nature, 0, o->dispatch_at,
                          &o->deadline, err))
        return NULL;
    o->sign_at = o->dispatch_at + HOUR;
    o->reply_at = o->sign_at + 6 * HOUR;
    o->close_at = o->reply_at + HOUR;
    o->callback_at = d->month_from + demo_between(d, 5 * DAY, 19 * DAY);
    return o;
}

static hl_rc callbacks_of(demo *d, const demo_target *t, size_t first, size_t end, hl_err *err)
{
    int64_t k = 0, pct = demo_cfg_int(d, "callbacks.unreachable_percent");
    for (size_t i = first; i < end && k < t->callbacks; i++) {
        demo_order *o = &d->orders[i];
        int64_t at = o->close_at + demo_between(d, 2 * HOUR, DAY);
        if (!o->closed || at >= d->month_to - HOUR)
            continue;
        o->callback = draw_result(d, k++, t->dissatisfied);
        o->callback_at = at;
        o->unreachable_first = demo_between(d, 0, 99) < pct;
    }
    while (k < t->callbacks) {
        demo_order *o = previous_order(d, t, err);
        if (!o)
            return err->rc;
        o->callback = draw_result(d, k++, t->dissatisfied);
    }
    return HL_OK;
}

/* Some dissatisfied results are excluded at verification (不予认定): they
 * stay callbacks but do not count as dissatisfied — taken from satisfied
 * results so that the targets hold. */
static void exclusions(demo *d)
{
    int64_t left = demo_cfg_int(d, "callbacks.excluded_dissatisfied") * d->scale;
    for (size_t i = 0; i < d->n_orders && left > 0; i += 13) {
        demo_order *o = &d->orders[i];
        if (o->channel == CH_HOTLINE && o->callback == CB_SATISFIED && !o->line) {
            o->callback = CB_DISSATISFIED;
            o->excluded = 1;
            left--;
        }
    }
}

static void supervision(demo *d)
{
    int64_t sup = demo_cfg_int(d, "callbacks.supervised") * d->scale,
            rect = demo_cfg_int(d, "callbacks.rectified") * d->scale,
            again = demo_cfg_int(d, "callbacks.satisfied_after_rectification") * d->scale;
    for (size_t i = 0; i < d->n_orders && sup > 0; i++) {
        demo_order *o = &d->orders[i];
        if (o->channel != CH_HOTLINE || o->callback != CB_DISSATISFIED || o->excluded)
            continue;
        o->supervised = sup-- > 0;
        o->rectified = rect-- > 0;
        o->recalled = again-- > 0;
    }
}

/* Special lines: closed on-time orders with the results the line reports. */
static void lines(demo *d)
{
    const char *name;
    json_t *v;
    json_object_foreach((json_t *)demo_cfg(d, "lines"), name, v) {
        int line = hl_enum_parse(&hl_line_enum, name);
        int64_t orders = json_integer_value(json_object_get(v, "orders")) * d->scale,
                bad = json_integer_value(json_object_get(v, "dissatisfied")) * d->scale,
                silent = json_integer_value(json_object_get(v, "unreachable_only")) * d->scale,
                good = orders - bad - silent;
        for (size_t i = 0; i < d->n_orders && line > 0; i++) {
            demo_order *o = &d->orders[i];
            if (o->channel != CH_HOTLINE || o->line || !o->closed || !o->on_time ||
                o->previous_month || o->excluded || o->category ||
                o->dispatch_at < d->month_from)
                continue;
            int64_t *want = o->callback == CB_DISSATISFIED ? &bad
                            : o->callback >= 0             ? &good
                                                           : &silent;
            if (*want <= 0)
                continue;
            (*want)--;
            o->line = line;
            o->unreachable_first |= o->callback < 0;
        }
    }
}

static hl_rc load_categories(demo *d, hl_err *err)
{
    const char *name;
    json_t *v;
    size_t i;
    size_t room = sizeof d->cat / sizeof d->cat[0];
    if (json_object_size(demo_cfg(d, "categories")) + json_array_size(demo_cfg(d, "other_categories")) >
        room)
        return hl_fail(err, HL_ECONFIG, "演示配置的诉求类型至多 %zu 个", room);
    json_object_foreach((json_t *)demo_cfg(d, "categories"), name, v) {
        d->cat[d->n_cats] = name;
        d->cat_left[d->n_cats++] = json_integer_value(v) * d->scale;
    }
    json_array_foreach((json_t *)demo_cfg(d, "other_categories"), i, v) {
        d->cat[d->n_cats] = json_string_value(v);
        d->cat_left[d->n_cats++] = -1;
    }
    const char *line;
    json_t *l;
    json_object_foreach((json_t *)demo_cfg(d, "lines"), line, l) {
        int x = hl_enum_parse(&hl_line_enum, line);
        json_object_foreach(json_object_get(l, "categories"), name, v) {
            if (x > 0 && d->n_line_cats[x] < 8) {
                d->line_cat[x][d->n_line_cats[x]] = name;
                d->line_left[x][d->n_line_cats[x]++] = json_integer_value(v) * d->scale;
            }
        }
    }
    return d->n_cats ? HL_OK : hl_fail(err, HL_ECONFIG, "演示配置缺少 categories");
}

/* The unit's own category when its name says it (市人社局 → 人社), else a
 * category with quota left, else any other. */
static const char *category_for(demo *d, const demo_order *o)
{
    if (o->line && d->n_line_cats[o->line])
        return demo_draw_category(d, o->line);
    const char *unit = hl_units_get(d->ctx->units, o->unit)->name;
    json_t *pair;
    size_t i;
    json_array_foreach((json_t *)demo_cfg(d, "unit_categories"), i, pair) {
        if (strstr(unit, json_string_value(json_array_get(pair, 0))))
            return json_string_value(json_array_get(pair, 1));
    }
    return demo_draw_category(d, o->line);
}

/* Draw from counts weighted by what is left; NULL when nothing is. */
int demo_draw(demo *d, const int64_t *left, size_t n)
{
    int64_t total = 0, r;
    for (size_t k = 0; k < n; k++)
        total += left[k] > 0 ? left[k] : 0;
    if (total <= 0)
        return -1;
    r = demo_between(d, 0, total - 1);
    for (size_t k = 0; k < n; k++) {
        if (left[k] > 0 && r < left[k])
            return (int)k;
        r -= left[k] > 0 ? left[k] : 0;
    }
    return -1;
}

const char *demo_draw_category(demo *d, int line)
{
    int own = line > 0 && line < LINE__COUNT && d->n_line_cats[line], k;
    if (own && (k = demo_draw(d, d->line_left[line], d->n_line_cats[line])) >= 0) {
        d->line_left[line][k]--;
        return d->line_cat[line][k];
    }
    /* a line with counts of its own: the rest of it goes to other categories */
    if (!own && (k = demo_draw(d, d->cat_left, d->n_cats)) >= 0)
        return d->cat[k];
    size_t others = 0, pick;
    for (size_t i = 0; i < d->n_cats; i++)
        others += d->cat_left[i] < 0;
    pick = (size_t)demo_between(d, 0, (int64_t)(others ? others : 1) - 1);
    for (size_t i = 0; i < d->n_cats; i++)
        if (d->cat_left[i] < 0 && pick-- == 0)
            return d->cat[i];
    return d->cat[0];
}

const char *demo_text_for(demo *d, const char *category)
{
    size_t n = 0, pick;
    for (size_t i = 0; i < d->n_texts; i++)
        n += strcmp(d->text_cat[i], category) == 0;
    if (!n)
        return d->text[demo_between(d, 0, (int64_t)d->n_texts - 1)];
    pick = (size_t)demo_between(d, 0, (int64_t)n - 1);
    for (size_t i = 0; i < d->n_texts; i++)
        if (strcmp(d->text_cat[i], category) == 0 && pick-- == 0)
            return d->text[i];
    return d->text[0];
}

/* Count an appeal of the month against its category's quota. */
void demo_count_category(demo *d, const char *category)
{
    for (size_t k = 0; k < d->n_cats; k++)
        if (strcmp(d->cat[k], category) == 0 && d->cat_left[k] > 0)
            d->cat_left[k]--;
}

hl_rc demo_assign(demo *d, hl_err *err)
{
    size_t first = 0;
    for (size_t t = 0; t < d->n_targets; t++) {
        size_t end = first + (size_t)d->targets[t].due;
        if (callbacks_of(d, &d->targets[t], first, end, err))
            return err->rc;
        first = end;
    }
    lines(d);
    exclusions(d);
    supervision(d);
    if (load_categories(d, err))
        return err->rc;
    for (size_t i = 0; i < d->n_orders; i++) {
        demo_order *o = &d->orders[i];
        if (!o->category)
            o->category = category_for(d, o);
        if (!o->text)
            o->text = demo_text_for(d, o->category);
        if (o->channel == CH_HOTLINE && o->appeal_at >= d->month_from && o->appeal_at < d->month_to)
            demo_count_category(d, o->category);
    }
    return HL_OK;
}
