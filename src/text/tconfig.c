/* tconfig.c — data/text.json's sections by field tables, and the
 * classifier's table. */
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "classify.h"
#include "hotspot.h"
#include "tconfig.h"

static const tcf_field *find(const tcf_field *f, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].name, name) == 0)
            return &f[i];
    return NULL;
}

static hl_rc set(const tcf_field *f, json_t *v, void *base, const char *section, hl_err *err)
{
    double x = json_number_value(v);
    if (!json_is_number(v) || !isfinite(x) || x < f->min || x > f->max)
        return hl_fail(err, HL_ECONFIG, "text.json 的 %s.%s 应为 %g..%g 之间的数", section,
                       f->name, f->min, f->max);
    if (f->kind != TCF_DOUBLE && x != floor(x))
        return hl_fail(err, HL_ECONFIG, "text.json 的 %s.%s 应为整数", section, f->name);
    char *p = (char *)base + f->offset;
    if (f->kind == TCF_INT)
        *(int *)p = (int)x;
    else if (f->kind == TCF_U64)
        *(uint64_t *)p = (uint64_t)x;
    else
        *(double *)p = x;
    return HL_OK;
}

static hl_rc set_list(const tcf_list *l, json_t *v, size_t list_max, size_t str_max, void *base,
                      const char *section, hl_err *err)
{
    size_t i;
    json_t *e;
    if (!json_is_array(v) || json_array_size(v) > list_max)
        return hl_fail(err, HL_ECONFIG, "text.json 的 %s.%s 应为至多 %zu 个字符串的数组", section,
                       l->name, list_max);
    json_array_foreach(v, i, e) {
        const char *str = json_string_value(e);
        if (!str || !*str || strlen(str) >= str_max)
            return hl_fail(err, HL_ECONFIG, "text.json 的 %s.%s 第 %zu 项应为不超过 %zu 字节的字符串",
                           section, l->name, i + 1, str_max - 1);
        memcpy((char *)base + l->at + i * str_max, str, strlen(str) + 1);
    }
    *(size_t *)((char *)base + l->count_at) = json_array_size(v);
    return HL_OK;
}

static const tcf_list *find_list(const tcf_list *l, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(l[i].name, name) == 0)
            return &l[i];
    return NULL;
}

hl_rc tcf_parse(const char *json, const char *section, const tcf_field *fields, size_t n,
                const tcf_list *lists, size_t n_lists, size_t list_max, size_t str_max,
                void *base, hl_err *err)
{
    json_error_t jerr;
    json_t *root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return hl_fail(err, HL_ECONFIG, "text.json 格式错误（第 %d 行）：%s", jerr.line, jerr.text);
    json_t *obj = json_object_get(root, section);
    hl_rc rc = json_is_object(obj) ? HL_OK
                                   : hl_fail(err, HL_ECONFIG, "text.json 缺少对象 %s", section);
    const char *key;
    json_t *v;
    if (!rc)
        json_object_foreach(obj, key, v) {
            const tcf_field *f = find(fields, n, key);
            const tcf_list *l = find_list(lists, n_lists, key);
            if (l && (rc = set_list(l, v, list_max, str_max, base, section, err)))
                break;
            if (!f && !l && strcmp(key, "comment") != 0) {
                rc = hl_fail(err, HL_ECONFIG, "text.json 的 %s 中有未知的项 %.64s", section, key);
                break;
            }
            if (f && (rc = set(f, v, base, section, err)))
                break;
        }
    for (size_t i = 0; i < n && !rc; i++)
        if (!json_object_get(obj, fields[i].name))
            rc = hl_fail(err, HL_ECONFIG, "text.json 的 %s 缺少 %s", section, fields[i].name);
    for (size_t i = 0; i < n_lists && !rc; i++)
        if (!json_object_get(obj, lists[i].name))
            rc = hl_fail(err, HL_ECONFIG, "text.json 的 %s 缺少 %s", section, lists[i].name);
    json_decref(root);
    return rc;
}

#define F(name, kind, lo, hi) {#name, kind, offsetof(tc_params, name), lo, hi}
static const tcf_field classifier_fields[] = {
    F(ngram_min, TCF_INT, 1, TC_NGRAM_MAX),  F(ngram_max, TCF_INT, 1, TC_NGRAM_MAX),
    F(words, TCF_INT, 0, 1),                 F(title_weight, TCF_DOUBLE, 0, 100),
    F(field_norm, TCF_INT, 0, 1),
    F(min_df, TCF_INT, 1, 1000),             F(sublinear_tf, TCF_INT, 0, 1),
    F(c, TCF_DOUBLE, 1e-6, 1e6),             F(bias, TCF_DOUBLE, 0, 100),
    F(balance, TCF_DOUBLE, 0, 2),
    F(max_iter, TCF_INT, 1, 100000),         F(eps, TCF_DOUBLE, 1e-9, 10),
    F(temperature, TCF_DOUBLE, 1e-3, 1e3),   F(seed, TCF_U64, 1, 9007199254740991.0),
    F(cv_folds, TCF_INT, 2, 100),
};
#undef F

hl_rc tc_params_parse(tc_params *p, const char *json, hl_err *err)
{
    memset(p, 0, sizeof *p);
    hl_rc rc = tcf_parse(json, "classifier", classifier_fields,
                         sizeof classifier_fields / sizeof classifier_fields[0], NULL, 0, 0, 0, p,
                         err);
    if (!rc && p->ngram_min > p->ngram_max)
        rc = hl_fail(err, HL_ECONFIG, "text.json 的 classifier.ngram_min 大于 ngram_max");
    return rc;
}

#define H(name, kind, lo, hi) {#name, kind, offsetof(hs_params, name), lo, hi}
static const tcf_field hotspot_fields[] = {
    H(min_members, TCF_INT, 2, 100000),       H(max_units, TCF_INT, 2, 32),
    H(min_name_units, TCF_INT, 1, 16),        H(closed_ratio, TCF_DOUBLE, 0.01, 1),
    H(gap_days, TCF_DOUBLE, 0, 36500),        H(like_weight, TCF_DOUBLE, 0, 1000),
    H(dislike_weight, TCF_DOUBLE, 0, 1000),   H(growth_weight, TCF_DOUBLE, 0, 1000),
    H(growth_days, TCF_DOUBLE, 0, 36500),     H(max_overlap, TCF_DOUBLE, 0, 1),
    H(matter_units, TCF_INT, 2, 32),          H(matter_min, TCF_INT, 1, 100000),
    H(window_days, TCF_DOUBLE, 1, 3650),
    H(scan_max, TCF_INT, 10, 1000000),        H(subject_chars, TCF_INT, 10, 1000),
    H(refresh_minutes, TCF_INT, 0, 1440),
};
#undef H
static const tcf_list hotspot_lists[] = {
    {"place_suffixes", offsetof(hs_params, suffix), offsetof(hs_params, n_suffix)},
    {"crowds", offsetof(hs_params, crowd), offsetof(hs_params, n_crowd)},
    {"generic_names", offsetof(hs_params, generic), offsetof(hs_params, n_generic)},
};

hl_rc hs_params_parse(hs_params *p, const char *json, hl_err *err)
{
    memset(p, 0, sizeof *p);
    return tcf_parse(json, "hotspots", hotspot_fields,
                     sizeof hotspot_fields / sizeof hotspot_fields[0], hotspot_lists, 3,
                     HS_WORDS_MAX, HS_WORD_MAX, p, err);
}
