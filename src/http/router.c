/* router.c — the route table.  docs/openapi.yaml describes exactly these
 * routes: tests/api compares the two. */
#include <string.h>

#include "http.h"
#include "routes.h"

#define V1 "/api/v1"
#define O311 "/open311/v2"
#define REPORT 1 /* may take long (a month's history, a file, a broad search): the report pool */

const http_route http_routes[] = {
    {HM_GET, V1 "/health", h_health, AUTH_PUBLIC, 0, 0},
    {HM_POST, V1 "/session", h_login, AUTH_PUBLIC, 0, 0},
    {HM_GET, V1 "/session", h_session, AUTH_LOGIN, 0, 0},
    {HM_DELETE, V1 "/session", h_logout, AUTH_LOGIN, 0, 0},
    {HM_GET, V1 "/roles", h_roles, AUTH_LOGIN, 0, 0},

    {HM_POST, V1 "/appeals", h_intake, AUTH_ACTION, ACT_CREATE_APPEAL, 0},
    {HM_GET, V1 "/appeals/{id}", h_appeal_get, AUTH_ACTION, ACT_READ_ORDER, 0},
    {HM_GET, V1 "/orders", h_orders_list, AUTH_ACTION, ACT_READ_ORDER, REPORT},
    {HM_GET, V1 "/orders/{number}", h_order_get, AUTH_ACTION, ACT_READ_ORDER, 0},
    {HM_POST, V1 "/orders/{number}/actions/{op}", h_order_action, AUTH_LOGIN, 0, 0},
    {HM_POST, V1 "/orders/{number}/unmask", h_order_unmask, AUTH_ACTION, ACT_UNMASK, 0},
    {HM_GET, V1 "/queues/{queue}", h_queue, AUTH_ACTION, ACT_READ_ORDER, 0},
    {HM_GET, V1 "/callers/{phone}/appeals", h_caller_history, AUTH_ACTION, ACT_CLEAR_PII, 0},

    {HM_GET, V1 "/units", h_units_list, AUTH_LOGIN, 0, 0},
    {HM_POST, V1 "/units", h_unit_add, AUTH_ACTION, ACT_ADMIN, 0},
    {HM_PATCH, V1 "/units/{code}", h_unit_update, AUTH_ACTION, ACT_ADMIN, 0},
    {HM_GET, V1 "/users", h_users_list, AUTH_ACTION, ACT_ADMIN, 0},
    {HM_POST, V1 "/users", h_user_add, AUTH_ACTION, ACT_ADMIN, 0},
    {HM_PATCH, V1 "/users/{name}", h_user_update, AUTH_ACTION, ACT_ADMIN, 0},
    {HM_GET, V1 "/rules", h_rules_get, AUTH_ACTION, ACT_ADMIN, 0},
    {HM_PUT, V1 "/rules", h_rules_put, AUTH_ACTION, ACT_ADMIN, 0},
    {HM_GET, V1 "/calendar/{year}", h_calendar_get, AUTH_ACTION, ACT_ADMIN, 0},
    {HM_PUT, V1 "/calendar/{year}", h_calendar_put, AUTH_ACTION, ACT_ADMIN, 0},
    {HM_GET, V1 "/audit", h_audit_list, AUTH_ACTION, ACT_AUDIT, 0},

    {HM_GET, V1 "/assessment", h_assessment, AUTH_ACTION, ACT_ASSESS, REPORT},
    {HM_GET, V1 "/assessment.xlsx", h_assessment_xlsx, AUTH_ACTION, ACT_ASSESS, REPORT},
    {HM_GET, V1 "/figures", h_figures, AUTH_ACTION, ACT_ASSESS, REPORT},
    {HM_GET, V1 "/ledger", h_ledger_list, AUTH_ACTION, ACT_LEDGER, 0},
    {HM_POST, V1 "/ledger", h_ledger_add, AUTH_ACTION, ACT_LEDGER, 0},
    {HM_POST, V1 "/ledger/proposals", h_ledger_propose, AUTH_ACTION, ACT_LEDGER, REPORT},
    {HM_POST, V1 "/ledger/{id}/decision", h_ledger_decide, AUTH_ACTION, ACT_LEDGER, 0},
    {HM_GET, V1 "/bulletins/{month}", h_bulletin_get, AUTH_ACTION, ACT_BULLETIN, REPORT},
    {HM_GET, V1 "/bulletins/{month}/files/{file}", h_bulletin_file, AUTH_ACTION, ACT_BULLETIN, REPORT},
    {HM_GET, V1 "/bulletins/{month}/sections/{section}", h_bulletin_section_get, AUTH_ACTION, ACT_BULLETIN, 0},
    {HM_PUT, V1 "/bulletins/{month}/sections/{section}", h_bulletin_section_put, AUTH_ACTION, ACT_BULLETIN, 0},
    {HM_GET, V1 "/bulletins/{month}/drafts", h_bulletin_drafts, AUTH_ACTION, ACT_BULLETIN, REPORT},

    {HM_GET, V1 "/kb/search", h_kb_search, AUTH_ACTION, ACT_KB_SEARCH, 0},
    {HM_POST, V1 "/suggestions", h_suggestions, AUTH_LOGIN, 0, 0},
    {HM_GET, V1 "/hotspots", h_hotspots, AUTH_ACTION, ACT_ASSESS, REPORT},
    {HM_GET, V1 "/kb/articles", h_kb_articles, AUTH_ACTION, ACT_KB_SEARCH, 0},
    {HM_POST, V1 "/kb/articles", h_kb_article_add, AUTH_ACTION, ACT_KB_EDIT, 0},
    {HM_GET, V1 "/kb/articles/{id}", h_kb_article_get, AUTH_ACTION, ACT_KB_SEARCH, 0},
    {HM_PUT, V1 "/kb/articles/{id}", h_kb_article_put, AUTH_ACTION, ACT_KB_EDIT, 0},
    {HM_GET, V1 "/kb/reminders", h_kb_reminders, AUTH_LOGIN, 0, 0},
    {HM_POST, V1 "/kb/reminders/{id}/answer", h_kb_answer, AUTH_ACTION, ACT_KB_EDIT, 0},

    {HM_GET, V1 "/categories", h_categories, AUTH_PUBLIC, 0, 0},
    {HM_POST, V1 "/public/letters", h_letter_submit, AUTH_PUBLIC, 0, 0},
    {HM_GET, V1 "/public/letters/{code}", h_letter_get, AUTH_PUBLIC, 0, 0},
    {HM_POST, V1 "/public/letters/{code}/rating", h_letter_rate, AUTH_PUBLIC, 0, 0},

    {HM_GET, O311 "/discovery.json", h_o311_discovery, AUTH_PUBLIC, 0, 0},
    {HM_GET, O311 "/services.json", h_o311_services, AUTH_PUBLIC, 0, 0},
    {HM_GET, O311 "/services/{service_code}.json", h_o311_service, AUTH_PUBLIC, 0, 0},
    {HM_POST, O311 "/requests.json", h_o311_request_post, AUTH_PUBLIC, 0, 0},
    {HM_GET, O311 "/requests.json", h_o311_requests, AUTH_PUBLIC, 0, 0},
    {HM_GET, O311 "/requests/{service_request_id}.json", h_o311_request_get, AUTH_PUBLIC, 0, 0},
};
const size_t http_n_routes = sizeof http_routes / sizeof http_routes[0];

const char *http_method_name(http_method m)
{
    static const char *const names[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    return (unsigned)m < HM__COUNT ? names[m] : "?";
}

/* Match one path against a pattern; params are copied into r->pbuf. */
static int match(http_req *r, const char *pat, const char *path)
{
    size_t used = 0;
    r->n_params = 0;
    while (*pat && *path) {
        if (*pat != '{') {
            if (*pat++ != *path++)
                return 0;
            continue;
        }
        const char *close = strchr(pat, '}');
        const char *pat_end = strchr(close, '/');
        size_t suffix = pat_end ? (size_t)(pat_end - close - 1) : strlen(close + 1);
        const char *seg_end = strchr(path, '/');
        size_t seg = seg_end ? (size_t)(seg_end - path) : strlen(path);
        if (seg <= suffix || memcmp(path + seg - suffix, close + 1, suffix) != 0)
            return 0;
        size_t n = seg - suffix;
        if (r->n_params == HTTP_MAX_PARAMS || used + n + 1 > sizeof r->pbuf)
            return 0;
        memcpy(r->pbuf + used, path, n);
        r->pbuf[used + n] = '\0';
        r->params[r->n_params++] = r->pbuf + used;
        used += n + 1;
        pat = close + 1 + suffix;
        path += seg;
    }
    return !*pat && !*path;
}

const http_route *http_route_find(http_req *r, http_method m, const char *path,
                                  int *path_known)
{
    *path_known = 0;
    for (size_t i = 0; i < http_n_routes; i++) {
        if (!match(r, http_routes[i].pattern, path))
            continue;
        if (http_routes[i].method == m)
            return &http_routes[i];
        *path_known = 1;
    }
    r->n_params = 0;
    return NULL;
}
