/* reports.c — placeholder until written. */
#include "routes.h"

void h_assessment(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_figures(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_ledger_list(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_ledger_add(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_ledger_propose(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_ledger_decide(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

