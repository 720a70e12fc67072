/* rules_assess.c — the "assessment" and "ledger" sections of the rules. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rules_int.h"
#include "event.h"
#include "unit.h"

const char *const hl_rate_names[RATE__COUNT] = {"done_rate", "on_time_rate", "rework_rate",
                                                "dissatisfied_rate", "satisfied_rate"};

static int64_t pow10i(int n)
{
    int64_t p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

hl_rc hl_rules_decimal(json_t *v, int digits, int64_t *out)
{
    int64_t scale = pow10i(digits);
    if (json_is_integer(v)) {
        json_int_t x = json_integer_value(v);
        if (x > INT64_MAX / scale || x < -INT64_MAX / scale)
            return HL_ECONFIG;
        *out = (int64_t)x * scale;
        return HL_OK;
    }
    if (json_is_real(v)) { /* a JSON number with decimals: exact only if it has few */
        double x = json_real_value(v) * (double)scale, r = round(x);
        if (fabs(x - r) > 1e-6 || fabs(r) > 1e15)
            return HL_ECONFIG;
        *out = (int64_t)r;
        return HL_OK;
    }
    if (!json_is_string(v))
        return HL_ECONFIG;
    const char *s = json_string_value(v);
    int neg = *s == '-', frac = -1;
    int64_t x = 0;
    s += neg;
    if (!*s)
        return HL_ECONFIG;
    for (; *s; s++) {
        if (*s == '.' && frac < 0) {
            frac = 0;
            continue;
        }
        if (*s < '0' || *s > '9' || frac >= digits || x > INT64_MAX / 1000)
            return HL_ECONFIG;
        x = x * 10 + (*s - '0');
        if (frac >= 0)
            frac++;
    }
    int64_t scale_up = pow10i(digits - (frac < 0 ? 0 : frac));
    if (x > INT64_MAX / 1000 / scale_up) /* ample for weights, bounds and points */
        return HL_ECONFIG;
    *out = (neg ? -x : x) * scale_up;
    return HL_OK;
}

static hl_rc parse_terms(json_t *arr, hl_channel_rules *c, const char *ch, hl_err *err)
{
    size_t i;
    json_t *t;
    int64_t sum = 0;
    if (!json_is_array(arr) || !json_array_size(arr) || json_array_size(arr) > HL_RULES_MAX_TERMS)
        return hl_fail(err, HL_ECONFIG, "规则 assessment.%s.index 应为 1–%d 项的数组", ch,
                       HL_RULES_MAX_TERMS);
    json_array_foreach(arr, i, t) {
        hl_index_term *x = &c->terms[i];
        const char *rate = json_string_value(json_object_get(t, "rate"));
        x->rate = RATE__COUNT;
        for (int k = 0; rate && k < RATE__COUNT; k++)
            if (strcmp(rate, hl_rate_names[k]) == 0)
                x->rate = (hl_rate)k;
        x->complement = json_is_true(json_object_get(t, "complement"));
        if (x->rate == RATE__COUNT ||
            hl_rules_decimal(json_object_get(t, "weight"), HL_WEIGHT_DIGITS, &x->weight) ||
            x->weight < 0)
            return hl_fail(err, HL_ECONFIG,
                           "规则 assessment.%s.index[%zu] 须有 rate（done_rate 等）和非负 weight（至多 4 位小数）",
                           ch, i);
        sum += x->weight;
    }
    c->n_terms = json_array_size(arr);
    if (sum != pow10i(HL_WEIGHT_DIGITS))
        return hl_fail(err, HL_ECONFIG, "规则 assessment.%s.index 的权重之和应为 1", ch);
    return HL_OK;
}

static hl_rc parse_grades(json_t *ch_obj, hl_channel_rules *c, const char *ch, hl_err *err)
{
    json_t *arr = json_object_get(ch_obj, "grades"), *g;
    const char *below = json_string_value(json_object_get(ch_obj, "below"));
    size_t i;
    if (!json_is_array(arr) || !json_array_size(arr) || json_array_size(arr) > HL_RULES_MAX_GRADES ||
        !below || !*below || strlen(below) >= HL_GRADE_NAME_MAX)
        return hl_fail(err, HL_ECONFIG, "规则 assessment.%s 须有 grades（1–%d 级）和 below", ch,
                       HL_RULES_MAX_GRADES);
    json_array_foreach(arr, i, g) {
        const char *name = json_string_value(json_object_get(g, "grade"));
        if (!name || !*name || strlen(name) >= HL_GRADE_NAME_MAX ||
            hl_rules_decimal(json_object_get(g, "min"), c->index_decimals, &c->grade_min[i]) ||
            (i && c->grade_min[i] >= c->grade_min[i - 1]))
            return hl_fail(err, HL_ECONFIG,
                           "规则 assessment.%s.grades[%zu] 须有 grade 和 min，且 min 由高到低", ch, i);
        snprintf(c->grade[i], HL_GRADE_NAME_MAX, "%s", name);
    }
    c->n_grades = json_array_size(arr);
    snprintf(c->grade[c->n_grades], HL_GRADE_NAME_MAX, "%s", below);
    return HL_OK;
}

static hl_rc parse_channel(json_t *root, hl_channel_rules *c, const char *ch, hl_err *err)
{
    json_t *o = json_object_get(root, ch), *min = json_object_get(o, "ranking_min_due"),
           *dec = json_object_get(o, "index_decimals");
    if (!json_is_object(o) || !json_is_integer(dec) || json_integer_value(dec) < 0 ||
        json_integer_value(dec) > 4)
        return hl_fail(err, HL_ECONFIG, "规则 assessment.%s 须有 index_decimals（0–4）", ch);
    c->index_decimals = (int)json_integer_value(dec);
    if (parse_terms(json_object_get(o, "index"), c, ch, err) || parse_grades(o, c, ch, err))
        return err->rc;
    for (int k = 0; k < UNIT_KIND__COUNT; k++) {
        json_t *v = json_object_get(min, hl_unit_kind_name((hl_unit_kind)k));
        if (!json_is_integer(v) || json_integer_value(v) < 0)
            return hl_fail(err, HL_ECONFIG, "规则 assessment.%s.ranking_min_due.%s 应为非负整数", ch,
                           hl_unit_kind_name((hl_unit_kind)k));
        c->rank_min_due[k] = json_integer_value(v);
    }
    return HL_OK;
}

static hl_rc get_text(json_t *o, const char *key, char *out, size_t size, const char *where,
                      hl_err *err)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (!s || !*s || strlen(s) >= size)
        return hl_fail(err, HL_ECONFIG, "规则 %s.%s 应为非空文字", where, key);
    snprintf(out, size, "%s", s);
    return HL_OK;
}

/* Points: multiples of 0.5 (assessment.md), kept in 0.1. */
static hl_rc get_points(json_t *v, int64_t *out, const char *where, hl_err *err)
{
    if (hl_rules_decimal(v, HL_POINTS_DIGITS, out) || *out % 5 != 0)
        return hl_fail(err, HL_ECONFIG, "规则 %s 应为 0.5 的整数倍", where);
    return HL_OK;
}

static hl_rc parse_ledger_channel(json_t *ledger, hl_channel_rules *c, const char *ch, hl_err *err)
{
    char where[64];
    json_t *o = json_object_get(ledger, ch), *pts = json_object_get(o, "grade_points");
    snprintf(where, sizeof where, "ledger.%s", ch);
    if (get_text(o, "grade_indicator", c->grade_indicator, sizeof c->grade_indicator, where, err) ||
        get_text(o, "overdue_indicator", c->overdue_indicator, sizeof c->overdue_indicator, where,
                 err) ||
        get_text(o, "grade_detail", c->grade_detail, sizeof c->grade_detail, where, err) ||
        get_text(o, "overdue_detail", c->overdue_detail, sizeof c->overdue_detail, where, err))
        return err->rc;
    for (size_t g = 0; g <= c->n_grades; g++) {
        json_t *v = json_object_get(pts, c->grade[g]);
        snprintf(where, sizeof where, "ledger.%s.grade_points.%s", ch, c->grade[g]);
        c->grade_points[g] = 0;
        if (v && get_points(v, &c->grade_points[g], where, err))
            return err->rc;
    }
    return HL_OK;
}

/* The optional parts of ledger.knowledge_base: answer_days, and the
 * search's ranking (every member of "search" required when it is given;
 * without it, plain BM25). */
static hl_rc parse_kb(hl_rules *r, json_t *kb, hl_err *err)
{
    const struct {
        const char *name;
        double *v;
        double plain, min, max;
    } k[] = {
        {"title_weight", &r->kb_title_weight, 1.0, 0.01, 100},
        {"fresh_weight", &r->kb_fresh_weight, 0.0, 0, 10},
        {"fresh_days", &r->kb_fresh_days, 0.0, 0, 36500},
        {"k1", &r->kb_k1, 1.2, 0, 10},
        {"b", &r->kb_b, 0.75, 0, 1},
        {"idf_power", &r->kb_idf_power, 1.0, 0.1, 4},
        {"word_weight", &r->kb_word_weight, 1.0, 0.01, 100},
        {"char_weight", &r->kb_char_weight, 0.0, 0, 100},
        {"candidates", &r->kb_candidates, 1000, 10, 1000000},
    };
    json_t *d = json_object_get(kb, "answer_days"), *s = json_object_get(kb, "search");
    r->kb_answer_days = 0;
    if (d && (!json_is_integer(d) || json_integer_value(d) < 1 || json_integer_value(d) > 365))
        return hl_fail(err, HL_ECONFIG, "规则 ledger.knowledge_base.answer_days 应为 1–365 的整数");
    if (d)
        r->kb_answer_days = (int)json_integer_value(d);
    if (s && (!json_is_object(s) || json_object_size(s) != sizeof k / sizeof k[0]))
        return hl_fail(err, HL_ECONFIG, "规则 ledger.knowledge_base.search 应恰有 %zu 项",
                       sizeof k / sizeof k[0]);
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        json_t *v = json_object_get(s, k[i].name);
        *k[i].v = s ? json_number_value(v) : k[i].plain;
        if (s && (!json_is_number(v) || *k[i].v < k[i].min || *k[i].v > k[i].max))
            return hl_fail(err, HL_ECONFIG, "规则 ledger.knowledge_base.search.%s 应为 %g–%g 的数",
                           k[i].name, k[i].min, k[i].max);
    }
    return HL_OK;
}

hl_rc hl_rules_parse_assessment(hl_rules *r, json_t *root, hl_err *err)
{
    json_t *a = json_object_get(root, "assessment"), *l = json_object_get(root, "ledger");
    json_t *rd = json_object_get(a, "rate_decimals"), *ov = json_object_get(l, "severe_overdue"),
           *kb = json_object_get(l, "knowledge_base");
    if (!json_is_object(a) || !json_is_integer(rd) || json_integer_value(rd) < 0 ||
        json_integer_value(rd) > 4)
        return hl_fail(err, HL_ECONFIG, "规则须有 assessment 部分，其 rate_decimals 为 0–4");
    r->rate_decimals = (int)json_integer_value(rd);
    for (int c = 0; c < CH__COUNT; c++)
        if (parse_channel(a, &r->channel[c], hl_enum_name(&hl_channel_enum, c), err) ||
            parse_ledger_channel(l, &r->channel[c], hl_enum_name(&hl_channel_enum, c), err))
            return err->rc;
    json_t *fig = json_object_get(root, "figures"), *top = json_object_get(fig, "top_categories"), *p;
    size_t i;
    if (!json_is_integer(top) || json_integer_value(top) < 1 || json_integer_value(top) > 20 ||
        json_array_size(json_object_get(fig, "provincial_sources")) > 16)
        return hl_fail(err, HL_ECONFIG, "规则 figures 须有 top_categories（1–20）和至多 16 个 provincial_sources");
    r->top_categories = (int)json_integer_value(top);
    json_array_foreach(json_object_get(fig, "provincial_sources"), i, p) {
        const char *s = json_string_value(p);
        if (!s || strlen(s) >= sizeof r->provincial[0])
            return hl_fail(err, HL_ECONFIG, "规则 figures.provincial_sources[%zu] 应为文字", i);
        snprintf(r->provincial[r->n_provincial++], sizeof r->provincial[0], "%s", s);
    }
    json_t *days = json_object_get(ov, "working_days");
    if (!json_is_integer(days) || json_integer_value(days) < 0 || json_integer_value(days) > 250)
        return hl_fail(err, HL_ECONFIG, "规则 ledger.severe_overdue.working_days 应为 0–250 的整数");
    r->overdue_working_days = (int)json_integer_value(days);
    if (get_points(json_object_get(ov, "points"), &r->overdue_points, "ledger.severe_overdue.points",
                   err) ||
        get_points(json_object_get(kb, "points"), &r->kb_points, "ledger.knowledge_base.points", err) ||
        get_text(kb, "indicator", r->kb_indicator, sizeof r->kb_indicator, "ledger.knowledge_base",
                 err))
        return err->rc;
    return parse_kb(r, kb, err);
}
