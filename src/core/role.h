/* role.h — who may do what: roles.md as a table.
 *
 * A user has one role.  Unit roles (unit_handler, unit_admin, kb_owner) are
 * bound to one unit and reach its whole subtree: for them an action is
 * allowed on "own" orders only (assignee or sub-dispatch holder inside the
 * subtree), and anything else must look as if it did not exist (404). */
#ifndef HL_ROLE_H
#define HL_ROLE_H

#include "err.h"
#include "event.h"

typedef enum {
    ROLE_OPERATOR, ROLE_DISPATCHER, ROLE_CALLBACK, ROLE_SUPERVISOR, ROLE_UNIT_HANDLER,
    ROLE_UNIT_ADMIN, ROLE_KB_OWNER, ROLE_MANAGER, ROLE_ADMIN, ROLE__COUNT
} hl_role;

typedef enum {
    ACT_CREATE_APPEAL,  /* intake: direct answer or order */
    ACT_READ_ORDER,     /* read orders and appeals, list, search, caller history */
    ACT_CLEAR_PII,      /* see citizens' names and phones in clear */
    ACT_UNMASK,         /* ask for one order's personal data, with a reason (audited) */
    ACT_DISPATCH,       /* dispatch, re-dispatch */
    ACT_DECIDE_REQUEST, /* decide return and extension requests */
    ACT_REVIEW,         /* accept a reply or return it for rework */
    ACT_UNIT_WORK,      /* sign, reply, request extension or return */
    ACT_SUBDISPATCH,    /* pass an order down inside the unit's subtree */
    ACT_CALLBACK,       /* record a callback */
    ACT_SUPERVISE,      /* verify, supervise, mark rectified, reopen */
    ACT_KB_SEARCH, ACT_KB_EDIT,
    ACT_ASSESS,         /* assessment, figures, rankings */
    ACT_LEDGER,         /* propose, add, confirm, drop */
    ACT_BULLETIN,
    ACT_ADMIN,          /* users, units, rules, calendar */
    ACT_AUDIT,          /* read the audit log */
    ACT__COUNT
} hl_action;

/* How far a role reaches for an action. */
typedef enum { REACH_NONE, REACH_OWN, REACH_ALL } hl_reach;

extern const hl_enum hl_role_enum;    /* "unit_handler" / "承办人" */
extern const hl_enum hl_action_enum;  /* "dispatch" / "派单" */

hl_reach hl_role_reach(hl_role role, hl_action action);
/* Roles that must be bound to a unit. */
int hl_role_needs_unit(hl_role role);
/* The action an order op needs (OP_APPEAL: ACT_CREATE_APPEAL). */
hl_action hl_action_of_op(hl_op op);

/* A user as an admin or the CLI may create it: a name of 1–64 bytes of
 * clean text without spaces, a known role, a unit exactly when the role
 * needs one.  *role receives the parsed role. */
hl_rc hl_user_check(const char *name, const char *role_name, int has_unit, hl_role *role,
                    hl_err *err);
/* A password of 8–128 bytes of valid UTF-8. */
hl_rc hl_password_check(const char *pw, hl_err *err);

#endif
