/* figures_out.c — a month's figures as JSON and as the bulletin's text. */
#include <string.h>

#include "../core/assess.h"
#include "assessment_out.h"
#include "figures.h"

/* 100 × num / den with two decimals, "—" without a denominator. */
static const char *pct(int64_t num, int64_t den, char *buf, size_t size)
{
    if (!den) {
        snprintf(buf, size, "—");
        return buf;
    }
    int64_t v = hl_div_round(num * 10000, den);
    snprintf(buf, size, "%lld.%02lld%%", (long long)(v / 100), (long long)(v % 100));
    return buf;
}

static json_t *groups_json(const fig_groups *g, int64_t base)
{
    json_t *a = json_array();
    for (size_t i = 0; i < g->n; i++) {
        char share[32];
        if (!*g->v[i].key) /* no category: counted in contacts, not in shares */
            continue;
        json_t *x = json_pack("{s:s, s:I, s:I, s:I, s:s}", "name", g->v[i].key, "count",
                              (json_int_t)g->v[i].total, "direct", (json_int_t)g->v[i].direct,
                              "orders", (json_int_t)g->v[i].orders, "share",
                              pct(g->v[i].total, base, share, sizeof share));
        if (x) /* keys are valid UTF-8 (json.c): pack fails only without memory */
            json_array_append_new(a, x);
    }
    return a;
}

static json_t *channel_json(const fig_channel *c)
{
    char a[32], b[32], s[32];
    const hl_counts *n = &c->total;
    return json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:o, s:o}", "contacts",
                     (json_int_t)c->contacts, "direct", (json_int_t)c->direct, "orders",
                     (json_int_t)c->orders, "dispatched", (json_int_t)n->due, "done_rate",
                     pct(n->done, n->due, a, sizeof a), "on_time_rate",
                     pct(n->on_time, n->due, b, sizeof b), "satisfaction",
                     pct(n->callbacks - n->dissatisfied, n->callbacks, s, sizeof s), "categories",
                     groups_json(&c->categories, c->categorized), "sources",
                     groups_json(&c->sources, c->contacts));
}

json_t *figures_json(const hl_figures *f, const hl_ctx *ctx)
{
    json_t *lines = json_object();
    char m[16], a[32], b[32], s[32];
    for (int l = LINE_GENERAL + 1; l < LINE__COUNT; l++) {
        const fig_line *x = &f->line[l];
        json_object_set_new(
            lines, hl_enum_name(&hl_line_enum, l),
            json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:o}", "contacts", (json_int_t)x->contacts,
                      "direct", (json_int_t)x->direct, "orders", (json_int_t)x->orders,
                      "on_time_rate", pct(x->on_time, x->orders, a, sizeof a), "callback_rate",
                      pct(x->called, x->closed, b, sizeof b), "satisfaction",
                      pct(x->reached - x->dissatisfied, x->reached, s, sizeof s), "categories",
                      groups_json(&x->top, x->contacts)));
    }
    const store_supervision *v = &f->supervision;
    snprintf(m, sizeof m, "%04d-%02d", f->month / 100 % 10000, f->month % 100);
    (void)ctx;
    return json_pack(
        "{s:s, s:o, s:o, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I}, s:{s:o, s:I, s:I}}", "month", m,
        "hotline", channel_json(&f->ch[CH_HOTLINE]), "mailbox", channel_json(&f->ch[CH_MAILBOX]),
        "lines", lines, "supervision", "verified", (json_int_t)v->verified, "upheld",
        (json_int_t)v->upheld, "excluded", (json_int_t)v->excluded, "supervised",
        (json_int_t)v->supervised, "rectified", (json_int_t)v->rectified, "satisfied_after",
        (json_int_t)v->satisfied_after, "provincial", "sources",
        groups_json(&f->provincial, f->ch[CH_MAILBOX].contacts), "orders",
        (json_int_t)f->provincial_orders, "on_time", (json_int_t)f->provincial_on_time);
}

static const char *const kind_labels[UNIT_KIND__COUNT] = {"县（市）区", "行政事业单位", "公共服务企业"};

/* "全市 79 个热线承办单位综合考评等级评价为 A 类的 58 个，…，工单量为 0 的 16 个。" and the
 * top three of each kind above its floor. */
static void summary_text(const hl_assessment *a, const hl_ctx *ctx, const char *who,
                         const char *volume, FILE *out)
{
    const hl_channel_rules *c = &ctx->rules->channel[a->channel];
    int first = 1;
    fprintf(out, "全市 %zu 个%s", a->registry, who);
    for (size_t g = 0; g <= c->n_grades; g++)
        if (a->per_grade[g]) {
            fprintf(out, "%s%s 类%s %zu 个", first ? "综合考评等级评价为 " : "，", c->grade[g],
                    first ? "的" : "", a->per_grade[g]);
            first = 0;
        }
    fprintf(out, "%s%s为 0 的 %zu 个。", first ? "中" : "，", volume, a->zero_due);
    for (int kind = 0; kind < UNIT_KIND__COUNT; kind++) {
        int shown = 0, ranked = 0;
        for (size_t i = 0; i < a->n; i++)
            ranked += a->scores[i].rank >= 1 && a->scores[i].rank <= 3 &&
                      hl_units_get(ctx->units, a->scores[i].unit)->kind == (hl_unit_kind)kind;
        for (int rank = 1; rank <= 3; rank++)
            for (size_t i = 0; i < a->n; i++) {
                const hl_score *s = &a->scores[i];
                const hl_unit *u = hl_units_get(ctx->units, s->unit);
                char index[32];
                if (u->kind != (hl_unit_kind)kind || s->rank != rank)
                    continue;
                hl_fixed(s->index, c->index_decimals, index, sizeof index);
                if (!shown++ && c->rank_min_due[kind])
                    fprintf(out, "%s %lld 件以上的%s综合指标分值排名前三位的分别是：", volume,
                            (long long)c->rank_min_due[kind], kind_labels[kind]);
                else if (shown == 1)
                    fprintf(out, "%s综合指标分值排名前三位的分别是：", kind_labels[kind]);
                /* "甲（98.1 分）、乙（97.8 分）和丙（97.2 分）" */
                fprintf(out, "%s%s（%s 分）", shown == 1 ? "" : shown == ranked ? "和" : "、",
                        u->name, index);
            }
        if (shown)
            fprintf(out, "。");
    }
}

static void hotline_text(const hl_figures *f, const hl_ctx *ctx, FILE *out)
{
    const fig_channel *c = &f->ch[CH_HOTLINE];
    const hl_counts *n = &c->total;
    char a[32], b[32], s[32];
    fprintf(out, "二、12345 热线运行情况\n\n市 12345 热线平台共受理群众和企业来电 %lld 件，其中，话务员在线直接答复咨询 %lld 件，"
                 "各责任单位承办工单 %lld 件，办结率 %s，按期办结率 %s，群众满意率 %s。\n\n（一）诉求类型。主要诉求类型：",
            (long long)c->contacts, (long long)c->direct, (long long)c->orders,
            pct(n->done, n->due, a, sizeof a), pct(n->on_time, n->due, b, sizeof b),
            pct(n->callbacks - n->dissatisfied, n->callbacks, s, sizeof s));
    for (size_t i = 0, k = 0; i < c->categories.n && k < 8; i++) {
        if (!*c->categories.v[i].key)
            continue;
        fprintf(out, "%s%s %lld 件，占比 %s", k++ ? "；" : "", c->categories.v[i].key,
                (long long)c->categories.v[i].total,
                pct(c->categories.v[i].total, c->categorized, a, sizeof a));
    }
    fprintf(out, "。\n\n（三）工单考核。");
    summary_text(&c->assessment, ctx, "热线承办单位", "工单量", out);
    fprintf(out, "\n\n（四）专线服务。");
    /* "1、人大代表专线办理情况。市 12345 热线平台共受理人大代表专线来电 81 件，…"
     * for each line that had contacts */
    int shown = 0;
    for (int l = LINE_GENERAL + 1; l < LINE__COUNT; l++) {
        const fig_line *x = &f->line[l];
        const char *label = hl_enum_label(&hl_line_enum, l);
        if (!x->contacts)
            continue;
        fprintf(out, "%d、%s办理情况。市 12345 热线平台共受理%s来电 %lld 件，其中，话务员在线直接答复咨询 %lld 件，"
                     "相关责任单位承办工单 %lld 件。工单按期办结率 %s，人工回访率 %s，满意率 %s。",
                ++shown, label, label, (long long)x->contacts, (long long)x->direct,
                (long long)x->orders, pct(x->on_time, x->orders, a, sizeof a),
                pct(x->called, x->closed, b, sizeof b),
                pct(x->reached - x->dissatisfied, x->reached, s, sizeof s));
        size_t top = x->top.n < (size_t)ctx->rules->top_categories ? x->top.n
                                                                   : (size_t)ctx->rules->top_categories;
        for (size_t i = 0; i < top; i++)
            fprintf(out, "%s%s（%lld 件）%s", !i ? "诉求主要集中在：" : i + 1 == top ? "和" : "、",
                    x->top.v[i].key, (long long)x->top.v[i].total, i + 1 == top ? "。" : "");
    }
    if (!shown)
        fprintf(out, "本月各专线未受理诉求。");
    const store_supervision *v = &f->supervision;
    fprintf(out, "\n\n（五）回访督办。核实不满意热线工单 %lld 件（认定 %lld 件，不予认定 %lld 件），%lld 件已进行督办，"
                 "%lld 件已整改到位，%lld 件经整改被评价为满意。\n\n",
            (long long)v->verified, (long long)v->upheld, (long long)v->excluded,
            (long long)v->supervised, (long long)v->rectified, (long long)v->satisfied_after);
}

hl_rc figures_write_text(const hl_figures *f, const hl_ctx *ctx, FILE *out)
{
    const fig_channel *m = &f->ch[CH_MAILBOX];
    char s[32];
    hotline_text(f, ctx, out);
    fprintf(out, "三、市长信箱运行情况\n\n市 12345 热线服务中心共受理群众来信 %lld 件。", (long long)m->contacts);
    int listed = 0; /* the center's own sources here, the provincial ones below */
    for (size_t i = 0; i < m->sources.n; i++)
        if (!hl_rules_provincial(ctx->rules, m->sources.v[i].key))
            fprintf(out, "%s%s %lld 件", listed++ ? "，" : "其中，", m->sources.v[i].key,
                    (long long)m->sources.v[i].total);
    fprintf(out, "%s群众满意率 %s。", listed ? "，" : "",
            pct(m->total.satisfied, m->total.callbacks, s, sizeof s));
    if (f->provincial.n) {
        fprintf(out, "受理省 12345 指挥监管平台派发的");
        for (size_t i = 0; i < f->provincial.n; i++)
            fprintf(out, "%s%s %lld 件", i ? "，" : "", f->provincial.v[i].key,
                    (long long)f->provincial.v[i].total);
        if (f->provincial_on_time == f->provincial_orders)
            fprintf(out, "，均在期限内办结。");
        else
            fprintf(out, "，其中 %lld 件未在期限内办结。",
                    (long long)(f->provincial_orders - f->provincial_on_time));
    }
    fprintf(out, "\n\n");
    summary_text(&m->assessment, ctx, "市长信箱承办单位", "信件量", out);
    fprintf(out, "\n");
    return ferror(out) ? HL_EIO : HL_OK;
}
