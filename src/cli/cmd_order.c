/* cmd_order.c — `order show NUMBER`: an order's state and its full history,
 * for a person.  Citizens' names and phones are shown masked. */
#include <stdio.h>
#include <string.h>

#include "../core/privacy.h"
#include "../core/timeutil.h"
#include "cli.h"

typedef struct {
    cli_env *env;
    int n;
} show_ctx;

static void local_time(const cli_env *env, int64_t t, char *out)
{
    hl_time_format(t, env->rules.offset_min, out);
    out[10] = ' ';
    out[19] = '\0'; /* "2024-05-06 09:30:00" */
}

static const char *unit_name(const cli_env *env, int64_t id)
{
    const hl_unit *u = hl_units_get(&env->units, id);
    return u ? u->name : "?";
}

static void describe_appeal(const hl_event *e)
{
    char name[HL_MASK_MAX] = "", phone[HL_MASK_MAX] = "";
    if (e->citizen_name)
        hl_mask_name(e->citizen_name, name, sizeof name);
    if (e->citizen_phone)
        hl_mask_phone(e->citizen_phone, phone, sizeof phone);
    printf("%s%s %s，%s，%s%s%s：%s", e->handling == HANDLING_MERGE ? "并单 " : "",
           hl_enum_label(&hl_channel_enum, e->channel),
           e->appeal_id, hl_enum_label(&hl_nature_enum, e->nature),
           e->category ? e->category : "未分类",
           e->urgency == URGENCY_URGENT ? "，紧急" : "", "", e->content);
    if (*name || *phone)
        printf("（来电人 %s %s）", name, phone);
}

static void describe(const cli_env *env, const hl_event *e, const store_event_row *row)
{
    char t[HL_TIME_STRLEN];
    switch (e->op) {
    case OP_APPEAL:
        describe_appeal(e);
        break;
    case OP_DISPATCH:
        local_time(env, e->deadline, t);
        printf("→ %s，办理时限 %s", unit_name(env, row->unit), t);
        break;
    case OP_SUBDISPATCH:
        printf("→ %s", unit_name(env, row->unit));
        break;
    case OP_EXTENSION_REQUEST:
        local_time(env, e->until, t);
        printf("延至 %s", t);
        break;
    case OP_RETURN_DECISION:
    case OP_EXTENSION_DECISION:
        printf("%s", e->approved ? "同意" : "不同意");
        break;
    case OP_REVIEW:
        printf("%s", hl_enum_label(&hl_review_enum, e->result));
        break;
    case OP_CALLBACK:
        printf("%s", hl_enum_label(&hl_callback_enum, e->result));
        break;
    case OP_VERIFY:
        printf("%s", hl_enum_label(&hl_verify_enum, e->result));
        break;
    default:
        break;
    }
    if (e->text)
        printf("%s", e->text);
    if (e->reason)
        printf("（理由：%s）", e->reason);
    if (e->note)
        printf("（备注：%s）", e->note);
    if (e->actor)
        printf("［%s］", e->actor);
}

static hl_rc show_event(const store_event_row *row, void *arg)
{
    show_ctx *x = arg;
    hl_event e;
    hl_err err;
    void *doc = NULL;
    char t[HL_TIME_STRLEN];
    hl_buf line;
    hl_buf_init(&line, 4u << 20);
    hl_rc rc = hl_event_join((hl_op)row->op, row->at, row->order, row->body,
                             x->env->rules.offset_min, &line);
    if (!rc)
        rc = hl_event_parse_line(line.data, line.len, &e, &doc, &err);
    local_time(x->env, row->at, t);
    printf("  %3d  %s  %-8s ", ++x->n, t, hl_op_label((hl_op)row->op));
    if (!rc)
        describe(x->env, &e, row);
    else
        printf("%s", hl_buf_str(&line));
    printf("\n");
    hl_event_doc_free(doc);
    hl_buf_free(&line);
    return HL_OK;
}

static void print_header(const cli_env *env, const hl_order *o)
{
    char t[HL_TIME_STRLEN];
    printf("工单 %s  %s  %s  当前状态：%s\n", o->number, hl_enum_label(&hl_channel_enum, o->channel),
           hl_enum_label(&hl_nature_enum, o->nature), hl_state_label(o->state));
    if (o->unit) {
        local_time(env, o->deadline, t);
        printf("承办单位：%s", unit_name(env, o->unit));
        if (o->handler && o->handler != o->unit)
            printf("（现由 %s 办理）", unit_name(env, o->handler));
        printf("  办理时限：%s%s\n", t, o->pending_extension ? "（延期申请待审核）" : "");
    }
    printf("返工 %d 次  回访 %d 次%s%s\n\n历史：\n", o->reworks, o->callbacks,
           o->supervisions_open ? "  督办中" : "", o->pending_return ? "  退单申请待审核" : "");
}

static int run(cli_env *env, int argc, char **argv)
{
    hl_err err;
    hl_order o;
    if (argc != 3 || strcmp(argv[1], "show") != 0)
        return cli_usage(&cmd_order);
    if (cli_load(env, &err) || store_order_get(env->store, argv[2], &o, &err))
        return cli_fail(&err);
    print_header(env, &o);
    show_ctx x = {env, 0};
    if (store_events_each(env->store, o.id, show_event, &x, &err))
        return cli_fail(&err);
    return 0;
}

const cli_cmd cmd_order = {
    "order", run, "order show NUMBER", "显示工单状态和完整历史",
    "显示一张工单的当前状态（承办单位、办理时限、返工和回访次数）和完整历史：\n"
    "每一步的时间、操作、内容和操作人。群众姓名和电话以脱敏形式显示。\n"};
