/* demo_emit.c — the planned orders and the direct answers as interchange
 * events, sorted by time. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/timeutil.h"
#include "demo.h"

#define HOUR 3600
#define DAY 86400
#define LINE_MAX (64u << 10)

typedef struct {
    int64_t t;
    size_t seq;
    char *line;
} out_line;

typedef struct {
    demo *d;
    out_line *v;
    size_t n, cap;
    hl_buf b;
    int64_t *source_left;      /* mailbox sources still to hand out */
    int64_t *source_open;      /* … of them, those this letter may take */
    const char **source;
    size_t n_sources;
} emitter;

static hl_rc push(emitter *e, int64_t t, hl_err *err)
{
    if (hl_grow(&e->v, &e->cap, e->n, sizeof *e->v, 65536))
        return hl_fail(err, HL_ENOMEM, "内存不足");
    char *line = strdup(hl_buf_str(&e->b));
    if (!line)
        return hl_fail(err, HL_ENOMEM, "内存不足");
    e->v[e->n] = (out_line){t, e->n, line};
    e->n++;
    return HL_OK;
}

/* Start an event line: {"op":OP,"at":T — members follow, then end(). */
static void begin(emitter *e, const char *op, int64_t t)
{
    char at[HL_TIME_STRLEN];
    hl_time_format(t, e->d->ctx->rules->offset_min, at);
    hl_buf_reset(&e->b);
    hl_buf_printf(&e->b, "{\"op\":\"%s\",\"at\":\"%s\"", op, at);
}

static void str(emitter *e, const char *key, const char *value)
{
    hl_buf_printf(&e->b, ",\"%s\":", key);
    hl_buf_add_json_str(&e->b, value);
}

static hl_rc end(emitter *e, int64_t t, hl_err *err)
{
    return hl_buf_addc(&e->b, '}') ? hl_fail(err, HL_ETOOBIG, "事件过大") : push(e, t, err);
}

/* An order's event: {"op":OP,"at":T,"order":N + extra members}. */
static hl_rc order_event(emitter *e, const char *number, const char *op, int64_t t,
                         const char *extra, hl_err *err)
{
    begin(e, op, t);
    str(e, "order", number);
    if (extra)
        hl_buf_adds(&e->b, extra);
    return end(e, t, err);
}

static void content(emitter *e, const char *tpl, const char *place)
{
    char text[1024] = "";
    size_t n = 0;
    for (const char *p = tpl; *p && n + 64 < sizeof text;) {
        const char *hole = strchr(p, '{');
        const char *close = hole ? strchr(hole, '}') : NULL;
        size_t lit = hole && close ? (size_t)(hole - p) : strlen(p);
        if (n + lit + strlen(place) + 1 >= sizeof text)
            break;
        memcpy(text + n, p, lit);
        n += lit;
        p += lit;
        if (hole && close) {
            n += (size_t)snprintf(text + n, sizeof text - n, "%s", place);
            p = close + 1;
        }
    }
    text[n] = '\0';
    str(e, "content", text);
}

static void citizen(emitter *e)
{
    static const char *const family[] = {"张", "王", "李", "刘", "陈", "杨", "黄", "周", "吴", "彭", "易", "方"};
    static const char *const given[] = {"伟", "芳", "敏", "静", "磊", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞"};
    char name[32], phone[32];
    snprintf(name, sizeof name, "%s%s%s", family[demo_between(e->d, 0, 11)],
             given[demo_between(e->d, 0, 13)], demo_between(e->d, 0, 1) ? given[demo_between(e->d, 0, 13)] : "");
    snprintf(phone, sizeof phone, "1%lld%09lld", (long long)demo_between(e->d, 3, 9),
             (long long)demo_between(e->d, 0, 999999999));
    hl_buf_adds(&e->b, ",\"citizen\":{\"name\":");
    hl_buf_add_json_str(&e->b, name);
    hl_buf_adds(&e->b, ",\"phone\":");
    hl_buf_add_json_str(&e->b, phone);
    hl_buf_addc(&e->b, '}');
}

/* A mailbox letter's source, drawn from what the month's volumes leave;
 * letters from the provincial platform only where handled in time (the
 * seed reports them all closed within the limit). */
static const char *mail_source(emitter *e, int64_t at, int in_time)
{
    if (at < e->d->month_from || at >= e->d->month_to)
        return e->source[0];
    for (size_t i = 0; i < e->n_sources; i++)
        e->source_open[i] = in_time || !hl_rules_provincial(e->d->ctx->rules, e->source[i])
                                ? e->source_left[i]
                                : 0;
    int k = demo_draw(e->d, e->source_open, e->n_sources);
    if (k < 0)
        return e->source[0];
    e->source_left[k]--;
    return e->source[k];
}

static void appeal_fields(emitter *e, int channel, int line, const char *category, int nature,
                          int urgency, const char *text, const char *place, int64_t at,
                          int in_time)
{
    str(e, "channel", hl_enum_name(&hl_channel_enum, channel));
    str(e, "source", channel == CH_HOTLINE ? "电话" : mail_source(e, at, in_time));
    str(e, "line", hl_enum_name(&hl_line_enum, line));
    if (category)
        str(e, "category", category);
    str(e, "nature", hl_enum_name(&hl_nature_enum, nature));
    str(e, "urgency", hl_enum_name(&hl_urgency_enum, urgency));
    content(e, text, place);
    str(e, "location", place);
    citizen(e);
}

static hl_rc emit_appeal(emitter *e, const demo_order *o, const char number[32], hl_err *err)
{
    char id[48];
    snprintf(id, sizeof id, "A%s", number);
    begin(e, "appeal", o->appeal_at);
    str(e, "id", id);
    appeal_fields(e, o->channel, o->line, o->category, o->nature, o->urgency, o->text, o->place,
                  o->appeal_at, o->closed && o->on_time);
    str(e, "handling", "order");
    str(e, "order", number);
    return end(e, o->appeal_at, err);
}

static hl_rc emit_handling(emitter *e, const demo_order *o, const char *n, hl_err *err)
{
    char x[256], until[HL_TIME_STRLEN];
    const hl_unit *u = hl_units_get(e->d->ctx->units, o->unit);
    int64_t rework_reply = o->sign_at + ((o->reply_at ? o->reply_at : o->deadline) - o->sign_at) / 4;
    snprintf(x, sizeof x, ",\"unit\":\"%s\"", u->code);
    if (order_event(e, n, "dispatch", o->dispatch_at, x, err) ||
        order_event(e, n, "sign", o->sign_at, NULL, err))
        return err->rc;
    if (o->extension) {
        hl_time_format(o->deadline + (o->closed ? 3 : 20) * DAY, e->d->ctx->rules->offset_min, until);
        snprintf(x, sizeof x, ",\"until\":\"%s\",\"reason\":\"需协调多个部门现场核查\"", until);
        if (order_event(e, n, "extension_request", o->sign_at + 1800, x, err) ||
            order_event(e, n, "extension_decision", o->sign_at + HOUR, ",\"approved\":true", err))
            return err->rc;
    }
    if (o->rework &&
        (order_event(e, n, "reply", rework_reply, ",\"text\":\"已转相关科室办理。\"", err) ||
         order_event(e, n, "review", rework_reply + HOUR,
                     ",\"result\":\"return\",\"reason\":\"答复内容不完整，未说明处理结果\"", err)))
        return err->rc;
    if (o->reply_at && order_event(e, n, "reply", o->reply_at,
                                   ",\"text\":\"经核实，已安排工作人员现场处理，并电话告知来电人处理结果。\"", err))
        return err->rc;
    if (o->closed && order_event(e, n, "review", o->close_at, ",\"result\":\"accept\"", err))
        return err->rc;
    return HL_OK;
}

static hl_rc emit_callbacks(emitter *e, const demo_order *o, const char *n, hl_err *err)
{
    char x[128];
    int64_t at = o->callback >= 0 ? o->callback_at : o->close_at + DAY;
    if (o->unreachable_first &&
        order_event(e, n, "callback", at - 2 * HOUR, ",\"result\":\"unreachable\"", err))
        return err->rc;
    if (o->callback < 0)
        return HL_OK;
    snprintf(x, sizeof x, ",\"result\":\"%s\"", hl_enum_name(&hl_callback_enum, o->callback));
    if (order_event(e, n, "callback", at, x, err))
        return err->rc;
    if (o->callback != CB_DISSATISFIED)
        return HL_OK;
    int64_t v = at + DAY, done = e->d->month_to + demo_between(e->d, 2 * DAY, 18 * DAY);
    if (order_event(e, n, "verify", v, o->excluded ? ",\"result\":\"excluded\"" : ",\"result\":\"upheld\"", err) ||
        (o->supervised && order_event(e, n, "supervise", v + 2 * HOUR, ",\"note\":\"不满意工单督办\"", err)) ||
        (o->rectified && order_event(e, n, "rectified", done, ",\"note\":\"已整改到位\"", err)) ||
        (o->recalled && order_event(e, n, "callback", done + DAY, ",\"result\":\"satisfied\",\"note\":\"整改后回访\"", err)))
        return err->rc;
    return HL_OK;
}

static hl_rc emit_order(emitter *e, const demo_order *o, hl_err *err)
{
    char n[32];
    snprintf(n, sizeof n, "%c%07ld", o->channel == CH_HOTLINE ? 'R' : 'X', o->number);
    if (emit_appeal(e, o, n, err) || emit_handling(e, o, n, err) || emit_callbacks(e, o, n, err))
        return err->rc;
    return HL_OK;
}

/* count direct answers; the first `bare` of them without a category
 * (hang-ups, repeated calls: counted as contacts, not as appeals of a kind) */
static hl_rc emit_direct(emitter *e, int channel, int64_t count, int line, int64_t bare,
                         hl_err *err)
{
    demo *d = e->d;
    for (int64_t i = 0; i < count; i++) {
        char id[32], kb[32];
        int64_t days = (d->month_to - d->month_from) / DAY;
        int64_t at = d->month_from + demo_between(d, 0, days - 1) * DAY +
                     demo_between(d, 7 * HOUR, 22 * HOUR);
        const char *cat = i < bare ? NULL : demo_draw_category(d, line);
        if (cat)
            demo_count_category(d, cat);
        snprintf(id, sizeof id, "D%c%07ld", channel == CH_HOTLINE ? 'H' : 'M', ++d->serial);
        snprintf(kb, sizeof kb, ",\"kb\":[\"KB%04lld\"]", (long long)demo_between(d, 1, 400));
        begin(e, "appeal", at);
        str(e, "id", id);
        appeal_fields(e, channel, line, cat, NATURE_CONSULT, URGENCY_NORMAL,
                      demo_text_for(d, cat ? cat : d->cat[d->n_cats - 1]),
                      demo_place(d, (int64_t)demo_between(d, 1, (int64_t)d->ctx->units->n)), at, 1);
        str(e, "handling", "direct");
        hl_buf_adds(&e->b, kb);
        if (end(e, at, err))
            return err->rc;
    }
    return HL_OK;
}

static hl_rc emit_directs(emitter *e, hl_err *err)
{
    demo *d = e->d;
    int64_t hotline = demo_cfg_int(d, "hotline.direct") * d->scale;
    const char *name;
    json_t *v;
    json_object_foreach((json_t *)demo_cfg(d, "lines"), name, v) {
        int64_t n = json_integer_value(json_object_get(v, "direct")) * d->scale;
        if (emit_direct(e, CH_HOTLINE, n, hl_enum_parse(&hl_line_enum, name), 0, err))
            return err->rc;
        hotline -= n;
    }
    if (emit_direct(e, CH_HOTLINE, hotline, LINE_GENERAL,
                    demo_cfg_int(d, "hotline.uncategorized") * d->scale, err) ||
        emit_direct(e, CH_MAILBOX, demo_cfg_int(d, "mailbox.direct") * d->scale, LINE_GENERAL, 0,
                    err))
        return err->rc;
    return HL_OK;
}

static int by_time(const void *a, const void *b)
{
    const out_line *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static hl_rc load_sources(emitter *e, hl_err *err)
{
    json_t *src = demo_cfg(e->d, "mailbox.sources"), *v;
    const char *name;
    size_t n = json_object_size(src), i = 0;
    e->source = calloc(n + 1, sizeof *e->source);
    e->source_left = calloc(n + 1, sizeof *e->source_left);
    e->source_open = calloc(n + 1, sizeof *e->source_open);
    if (!e->source || !e->source_left || !e->source_open || !n)
        return hl_fail(err, HL_ECONFIG, "演示配置缺少 mailbox.sources");
    json_object_foreach(src, name, v) {
        e->source[i] = name;
        e->source_left[i++] = json_integer_value(v) * e->d->scale;
    }
    e->n_sources = n;
    return HL_OK;
}

hl_rc demo_emit(demo *d, const char *path, hl_err *err)
{
    emitter e = {d, NULL, 0, 0, {0}, NULL, NULL, NULL, 0};
    FILE *f = NULL;
    hl_rc rc = load_sources(&e, err);
    hl_buf_init(&e.b, LINE_MAX);
    for (size_t i = 0; !rc && i < d->n_orders; i++)
        rc = emit_order(&e, &d->orders[i], err);
    if (!rc)
        rc = emit_directs(&e, err);
    if (!rc && !(f = fopen(path, "w")))
        rc = hl_fail(err, HL_EIO, "无法写入 %s", path);
    if (!rc) {
        qsort(e.v, e.n, sizeof *e.v, by_time);
        for (size_t i = 0; i < e.n && !rc; i++)
            if (fputs(e.v[i].line, f) < 0 || fputc('\n', f) < 0)
                rc = hl_fail(err, HL_EIO, "写入 %s 失败", path);
        if (fclose(f) != 0 && !rc)
            rc = hl_fail(err, HL_EIO, "写入 %s 失败", path);
    }
    d->events = e.n;
    for (size_t i = 0; i < e.n; i++)
        free(e.v[i].line);
    free(e.v);
    free(e.source);
    free(e.source_left);
    free(e.source_open);
    hl_buf_free(&e.b);
    return rc;
}
