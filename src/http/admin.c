/* admin.c — placeholder until written. */
#include "routes.h"

void h_units_list(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_unit_add(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_unit_update(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_users_list(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_user_add(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_user_update(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_rules_get(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_rules_put(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_calendar_get(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_calendar_put(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_audit_list(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

