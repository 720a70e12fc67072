/* routes.h — every handler of the route table, by file. */
#ifndef HL_HTTP_ROUTES_H
#define HL_HTTP_ROUTES_H

#include "http.h"

/* auth.c */
void h_health(http_req *r);
void h_login(http_req *r);
void h_session(http_req *r);
void h_logout(http_req *r);
void h_roles(http_req *r);

/* orders.c */
void h_appeal_get(http_req *r);
void h_orders_list(http_req *r);
void h_order_get(http_req *r);
void h_order_unmask(http_req *r);
void h_queue(http_req *r);
void h_caller_history(http_req *r);

/* actions.c */
void h_intake(http_req *r);
void h_order_action(http_req *r);

/* admin.c */
void h_units_list(http_req *r);
void h_unit_add(http_req *r);
void h_unit_update(http_req *r);
void h_users_list(http_req *r);
void h_user_add(http_req *r);
void h_user_update(http_req *r);
void h_rules_get(http_req *r);
void h_rules_put(http_req *r);
void h_calendar_get(http_req *r);
void h_calendar_put(http_req *r);
void h_audit_list(http_req *r);

/* bulletin.c */
void h_bulletin_get(http_req *r);
void h_bulletin_file(http_req *r);
void h_bulletin_section_get(http_req *r);
void h_bulletin_section_put(http_req *r);
void h_bulletin_drafts(http_req *r);

/* reports.c */
void h_assessment(http_req *r);
void h_assessment_xlsx(http_req *r);
void h_figures(http_req *r);
void h_ledger_list(http_req *r);
void h_ledger_add(http_req *r);
void h_ledger_propose(http_req *r);
void h_ledger_decide(http_req *r);

/* kb.c */
void h_kb_search(http_req *r);
void h_kb_articles(http_req *r);
void h_kb_article_get(http_req *r);
void h_kb_article_add(http_req *r);
void h_kb_article_put(http_req *r);
void h_kb_reminders(http_req *r);
void h_kb_answer(http_req *r);

/* public.c */
void h_letter_submit(http_req *r);
void h_letter_get(http_req *r);
void h_letter_rate(http_req *r);

/* categories.c */
void h_categories(http_req *r);

/* open311.c */
void h_o311_discovery(http_req *r);
void h_o311_services(http_req *r);
void h_o311_service(http_req *r);
void h_o311_request_post(http_req *r);
void h_o311_requests(http_req *r);
void h_o311_request_get(http_req *r);

/* suggest.c */
void h_suggestions(http_req *r);

/* hotspots.c */
void h_hotspots(http_req *r);

/* static.c */
void h_static(http_req *r);

#endif
