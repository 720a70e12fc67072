/* assessment_out.c — an assessment as TSV (the annexes' columns) and JSON. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment_out.h"

void hl_fixed(int64_t v, int decimals, char *out, size_t size)
{
    int64_t p = 1;
    for (int i = 0; i < decimals; i++)
        p *= 10;
    const char *sign = v < 0 ? "-" : "";
    int64_t a = v < 0 ? -v : v;
    if (decimals)
        snprintf(out, size, "%s%lld.%0*lld", sign, (long long)(a / p), decimals,
                 (long long)(a % p));
    else
        snprintf(out, size, "%s%lld", sign, (long long)a);
}

static const char *count_name(hl_rate r)
{
    return r == RATE_SATISFIED ? "satisfied" : "dissatisfied";
}

static int64_t count_of(const hl_counts *n, hl_rate r)
{
    return r == RATE_SATISFIED ? n->satisfied : n->dissatisfied;
}

hl_rc assessment_write_tsv(const hl_assessment *a, const hl_ctx *ctx, FILE *f)
{
    const hl_rules *r = ctx->rules;
    hl_rate cr = assessment_callback_rate(r, a->channel);
    int id = r->channel[a->channel].index_decimals, ok;
    ok = fprintf(f, "kind\tunit\tdue\tdone\tdone_rate\ton_time\ton_time_rate\trework\trework_rate\t"
                    "%s\t%s\tcallbacks\tindex\tgrade\n",
                 count_name(cr), hl_rate_names[cr]) > 0;
    for (size_t i = 0; i < a->n && ok; i++) {
        const hl_score *s = &a->scores[i];
        const hl_unit *u = hl_units_get(ctx->units, s->unit);
        char rate[RATE__COUNT][32], index[32];
        for (int k = 0; k < RATE__COUNT; k++)
            hl_fixed(s->rate[k], r->rate_decimals, rate[k], sizeof rate[k]);
        hl_fixed(s->index, id, index, sizeof index);
        ok = fprintf(f, "%s\t%s\t%lld\t%lld\t%s%%\t%lld\t%s%%\t%lld\t%s%%\t%lld\t%s%%\t%lld\t%s\t%s\n",
                     hl_unit_kind_name(u->kind), u->name, (long long)s->n.due,
                     (long long)s->n.done, rate[RATE_DONE], (long long)s->n.on_time,
                     rate[RATE_ON_TIME], (long long)s->n.rework, rate[RATE_REWORK],
                     (long long)count_of(&s->n, cr), rate[cr], (long long)s->n.callbacks, index,
                     r->channel[a->channel].grade[s->grade]) > 0;
    }
    return ok ? HL_OK : HL_EIO;
}

/* A fixed-point value as a JSON number (exact: printed from its digits). */
static json_t *fixed_json(int64_t v, int decimals)
{
    char s[32];
    hl_fixed(v, decimals, s, sizeof s);
    return json_real(strtod(s, NULL));
}

static json_t *score_json(const hl_assessment *a, const hl_ctx *ctx, const hl_score *s)
{
    const hl_rules *r = ctx->rules;
    const hl_unit *u = hl_units_get(ctx->units, s->unit);
    json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "kind",
                          hl_unit_kind_name(u->kind), "unit", u->name, "code", u->code, "due",
                          (json_int_t)s->n.due, "done", (json_int_t)s->n.done, "on_time",
                          (json_int_t)s->n.on_time, "rework", (json_int_t)s->n.rework, "callbacks",
                          (json_int_t)s->n.callbacks, "dissatisfied",
                          (json_int_t)s->n.dissatisfied, "satisfied", (json_int_t)s->n.satisfied);
    for (int k = 0; o && k < RATE__COUNT; k++)
        json_object_set_new(o, hl_rate_names[k], fixed_json(s->rate[k], r->rate_decimals));
    if (o) {
        json_object_set_new(o, "index", fixed_json(s->index, r->channel[a->channel].index_decimals));
        json_object_set_new(o, "grade", json_string(r->channel[a->channel].grade[s->grade]));
        json_object_set_new(o, "rank", s->rank ? json_integer(s->rank) : json_null());
    }
    return o;
}

json_t *assessment_json(const hl_assessment *a, const hl_ctx *ctx)
{
    const hl_channel_rules *c = &ctx->rules->channel[a->channel];
    json_t *rows = json_array(), *grades = json_object();
    for (size_t i = 0; i < a->n; i++)
        json_array_append_new(rows, score_json(a, ctx, &a->scores[i]));
    for (size_t g = 0; g <= c->n_grades; g++)
        json_object_set_new(grades, c->grade[g], json_integer((json_int_t)a->per_grade[g]));
    char month[24];
    snprintf(month, sizeof month, "%04d-%02d", a->month / 100, a->month % 100);
    return json_pack("{s:s, s:s, s:s, s:I, s:I, s:o, s:I, s:o}", "channel",
                     hl_enum_name(&hl_channel_enum, a->channel), "month", month, "source",
                     a->asof ? "history" : "counts", "units", (json_int_t)a->registry, "graded",
                     (json_int_t)a->n, "grades", grades, "zero_due", (json_int_t)a->zero_due,
                     "rows", rows);
}
