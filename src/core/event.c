#include "event.h"

#include <string.h>

#define N(a) ((int)(sizeof a / sizeof a[0]))
#define ENUM_TABLE(var, names, labels)                                       \
    _Static_assert(N(names) == N(labels), #var " names and labels differ"); \
    const hl_enum var = {names, labels, N(names)}

static const char *const op_names[] = {
    "appeal", "dispatch", "sign", "subdispatch", "return_request", "return_decision",
    "extension_request", "extension_decision", "reply", "review", "callback", "verify",
    "supervise", "rectified", "reopen"};
static const char *const op_labels[] = {
    "受理", "派单", "签收", "二级派单", "申请退单", "退单审核", "申请延期", "延期审核",
    "答复", "审核", "回访", "核实", "督办", "整改到位", "重办"};
ENUM_TABLE(hl_op_enum, op_names, op_labels);

static const char *const channel_names[] = {"hotline", "mailbox"};
static const char *const channel_labels[] = {"12345热线", "市长信箱"};
ENUM_TABLE(hl_channel_enum, channel_names, channel_labels);

static const char *const line_names[] = {"general", "npc", "enterprise", "tourism"};
static const char *const line_labels[] = {"普通", "人大代表专线", "政企通专线", "旅游服务专线"};
ENUM_TABLE(hl_line_enum, line_names, line_labels);

static const char *const nature_names[] = {"consult", "help", "complaint", "report",
                                           "suggestion", "praise"};
static const char *const nature_labels[] = {"咨询", "求助", "投诉", "举报", "建议", "表扬"};
ENUM_TABLE(hl_nature_enum, nature_names, nature_labels);

static const char *const urgency_names[] = {"normal", "urgent"};
static const char *const urgency_labels[] = {"一般", "紧急"};
ENUM_TABLE(hl_urgency_enum, urgency_names, urgency_labels);

static const char *const handling_names[] = {"direct", "order", "merge"};
static const char *const handling_labels[] = {"直接答复", "转办工单", "并单"};
ENUM_TABLE(hl_handling_enum, handling_names, handling_labels);

static const char *const review_names[] = {"accept", "return"};
static const char *const review_labels[] = {"办结", "退回返工"};
ENUM_TABLE(hl_review_enum, review_names, review_labels);

static const char *const callback_names[] = {"satisfied", "basically_satisfied", "dissatisfied",
                                             "unreachable"};
static const char *const callback_labels[] = {"满意", "基本满意", "不满意", "未接通"};
ENUM_TABLE(hl_callback_enum, callback_names, callback_labels);

static const char *const verify_names[] = {"upheld", "excluded"};
static const char *const verify_labels[] = {"认定不满意", "不予认定"};
ENUM_TABLE(hl_verify_enum, verify_names, verify_labels);


int hl_enum_parse(const hl_enum *e, const char *s)
{
    for (int i = 0; i < e->count; i++)
        if (strcmp(e->names[i], s) == 0)
            return i;
    return HL_ENUM_NONE;
}

const char *hl_enum_name(const hl_enum *e, int v)
{
    return v >= 0 && v < e->count ? e->names[v] : "";
}

const char *hl_enum_label(const hl_enum *e, int v)
{
    return v >= 0 && v < e->count ? e->labels[v] : "?";
}

const char *hl_op_label(hl_op op)
{
    return hl_enum_label(&hl_op_enum, (int)op);
}

size_t hl_category_top_len(const char *category)
{
    const char *sep = strstr(category, HL_CATEGORY_SEP);
    return sep ? (size_t)(sep - category) : strlen(category);
}
