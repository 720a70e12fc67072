#include "role.h"

#include <string.h>

#include "utf8.h"

static const char *const role_names[] = {"operator",     "dispatcher", "callback",
                                         "supervisor",   "unit_handler", "unit_admin",
                                         "kb_owner",     "manager",    "admin"};
static const char *const role_labels[] = {"话务员", "派单审核员", "回访员", "督办员", "承办人",
                                          "单位管理员", "知识库维护人", "中心管理人员",
                                          "系统管理员"};
_Static_assert(sizeof role_names / sizeof *role_names == ROLE__COUNT, "role names");
_Static_assert(sizeof role_labels / sizeof *role_labels == ROLE__COUNT, "role labels");
const hl_enum hl_role_enum = {role_names, role_labels, ROLE__COUNT};

static const char *const action_names[] = {
    "create_appeal", "read_order", "clear_pii", "unmask", "dispatch", "decide_request",
    "review", "unit_work", "subdispatch", "callback", "supervise", "kb_search", "kb_edit",
    "assess", "ledger", "bulletin", "admin", "audit"};
static const char *const action_labels[] = {
    "受理诉求", "查看工单", "查看群众信息", "申请查看群众信息", "派单", "审批退单与延期",
    "审核答复", "签收、答复、申请延期或退单", "二级派单", "回访", "核实、督办、整改、重办",
    "知识库检索", "知识库维护", "考核与统计", "加扣分台账", "工作通报", "系统管理",
    "审计日志"};
_Static_assert(sizeof action_names / sizeof *action_names == ACT__COUNT, "action names");
_Static_assert(sizeof action_labels / sizeof *action_labels == ACT__COUNT, "action labels");
const hl_enum hl_action_enum = {action_names, action_labels, ACT__COUNT};

/* roles.md, row by row.  Columns: operator dispatcher callback supervisor
 * unit_handler unit_admin kb_owner manager admin.  N none, O own, A all. */
#define N REACH_NONE
#define O REACH_OWN
#define A REACH_ALL
static const unsigned char reach[ACT__COUNT][ROLE__COUNT] = {
    [ACT_CREATE_APPEAL] = {A, A, N, N, N, N, N, N, N},
    [ACT_READ_ORDER] = {A, A, A, A, O, O, N, A, A},
    [ACT_CLEAR_PII] = {A, A, A, A, N, N, N, N, N},
    [ACT_UNMASK] = {N, N, N, N, O, O, N, A, A},
    [ACT_DISPATCH] = {N, A, N, N, N, N, N, N, N},
    [ACT_DECIDE_REQUEST] = {N, A, N, N, N, N, N, A, N},
    [ACT_REVIEW] = {N, A, N, N, N, N, N, N, N},
    [ACT_UNIT_WORK] = {N, N, N, N, O, O, N, N, N},
    [ACT_SUBDISPATCH] = {N, N, N, N, N, O, N, N, N},
    [ACT_CALLBACK] = {N, N, A, A, N, N, N, N, N},
    [ACT_SUPERVISE] = {N, N, N, A, N, N, N, A, N},
    [ACT_KB_SEARCH] = {A, A, A, A, A, A, A, A, A},
    [ACT_KB_EDIT] = {N, N, N, N, N, N, O, A, N},
    [ACT_ASSESS] = {N, N, N, A, O, O, N, A, A},
    [ACT_LEDGER] = {N, N, N, N, N, N, N, A, N},
    [ACT_BULLETIN] = {N, N, N, N, N, N, N, A, N},
    [ACT_ADMIN] = {N, N, N, N, N, N, N, N, A},
    [ACT_AUDIT] = {N, N, N, N, N, N, N, A, A},
};
#undef N
#undef O
#undef A

hl_reach hl_role_reach(hl_role role, hl_action action)
{
    if ((unsigned)role >= ROLE__COUNT || (unsigned)action >= ACT__COUNT)
        return REACH_NONE;
    return (hl_reach)reach[action][role];
}

int hl_role_needs_unit(hl_role role)
{
    return role == ROLE_UNIT_HANDLER || role == ROLE_UNIT_ADMIN || role == ROLE_KB_OWNER;
}

hl_action hl_action_of_op(hl_op op)
{
    switch (op) {
    case OP_APPEAL:
        return ACT_CREATE_APPEAL;
    case OP_DISPATCH:
        return ACT_DISPATCH;
    case OP_RETURN_DECISION:
    case OP_EXTENSION_DECISION:
        return ACT_DECIDE_REQUEST;
    case OP_REVIEW:
        return ACT_REVIEW;
    case OP_SIGN:
    case OP_REPLY:
    case OP_RETURN_REQUEST:
    case OP_EXTENSION_REQUEST:
        return ACT_UNIT_WORK;
    case OP_SUBDISPATCH:
        return ACT_SUBDISPATCH;
    case OP_CALLBACK:
        return ACT_CALLBACK;
    case OP_VERIFY:
    case OP_SUPERVISE:
    case OP_RECTIFIED:
    case OP_REOPEN:
    case OP__COUNT:
        break;
    }
    return ACT_SUPERVISE;
}

hl_rc hl_user_check(const char *name, const char *role_name, int has_unit, hl_role *role,
                    hl_err *err)
{
    size_t n = strlen(name);
    if (!n || n > 64 || !hl_text_is_clean(name) || strchr(name, ' '))
        return hl_fail(err, HL_EINVAL, "用户名应为 1–64 字节、不含空格和控制字符");
    /* actors the system writes itself: a citizen rating a letter, the CLI */
    static const char *const reserved[] = {"citizen", "cli", "system", "demo"};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcmp(name, reserved[i]) == 0)
            return hl_fail(err, HL_EINVAL, "用户名 %s 为系统保留", name);
    int r = hl_enum_parse(&hl_role_enum, role_name);
    if (r < 0)
        return hl_fail(err, HL_EINVAL, "未知的角色 %.32s", role_name);
    if (hl_role_needs_unit((hl_role)r) && !has_unit)
        return hl_fail(err, HL_EINVAL, "角色 %s 须绑定一个单位", role_name);
    if (!hl_role_needs_unit((hl_role)r) && has_unit)
        return hl_fail(err, HL_EINVAL, "角色 %s 不绑定单位", role_name);
    *role = (hl_role)r;
    return HL_OK;
}

hl_rc hl_password_check(const char *pw, hl_err *err)
{
    size_t n = strlen(pw);
    if (n < 8 || n > 128 || !hl_utf8_valid(pw, n))
        return hl_fail(err, HL_EINVAL, "口令应为 8–128 字节");
    return HL_OK;
}
