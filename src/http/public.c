/* public.c — placeholder until written. */
#include "routes.h"

void h_letter_submit(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_letter_get(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_letter_rate(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

