/* open311.c — placeholder until written. */
#include "routes.h"

void h_o311_discovery(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_o311_services(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_o311_service(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_o311_request_post(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_o311_requests(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

void h_o311_request_get(http_req *r)
{
    http_error(r, 501, "not_implemented", "尚未实现");
}

