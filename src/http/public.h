/* public.h — what the public mailbox (public.c) and Open311 (open311.c,
 * open311_requests.c) share: letters (letters.c) — creating one, reading it
 * back without personal data —, the category tree (categories.c,
 * data/categories.tsv) that both name categories from, and Open311's error
 * shape. */
#ifndef HL_HTTP_PUBLIC_H
#define HL_HTTP_PUBLIC_H

#include "http.h"

/* Query codes: LETTER_CODE_LEN characters of an alphabet without 0/O, 1/I/L. */
#define LETTER_CODE_LEN 12
#define LETTER_ADDRESS_MAX 2048   /* bytes of a stored address (500 characters) */
#define LETTER_ACTOR "citizen"    /* the actor of a letter and of its rating */
#define LETTER_MEDIA_PREFIX "附图："  /* an Open311 media_url, kept as the appeal's note */

/* --- the category tree (open311.c) --------------------------------------- */

typedef struct {
    char code[17];      /* stable service_code, [A-Za-z0-9_-]{1,16} */
    char group[97];     /* top level, "城市管理类" */
    char name[97];      /* second level, "噪音扰民" */
} http_category;

/* The categories of the app's data directory, loaded on first use; NULL
 * with err set when the file is missing or malformed. */
const http_category *http_categories(http_req *r, size_t *n, hl_err *err);
/* The category with service code `code`, NULL when none (or on error:
 * err->rc set). */
const http_category *http_category_by_code(http_req *r, const char *code, hl_err *err);
/* 1 when label is a top level ("城市管理类") or "<group> › <name>" of the
 * tree; 0 when not; -1 on a load error (err set). */
int http_category_known(http_req *r, const char *label, hl_err *err);

/* --- letters (letters.c) -------------------------------------------------- */

/* 1 when s looks like a query code (letters of the alphabet, any case). */
int http_letter_code_ok(const char *s);
/* 1 when s is a plausible phone number: 3–20 of 0-9 + - and space. */
int http_phone_ok(const char *s);

/* Create a letter in one write transaction: the appeal (members of
 * `appeal`: source, category, nature, content, location, citizen, note —
 * borrowed) as channel mailbox, actor "citizen", handling order, and its
 * letters row l (kind, service_code, address, position set by the caller;
 * code, appeal_id and created_at set here).  Limited per client address
 * (HL_ELIMIT).  code receives the query code.  On failure r->err says why
 * and nothing is written. */
hl_rc http_letter_create(http_req *r, json_t *appeal, store_letter *l,
                         char code[LETTER_CODE_LEN + 1]);

/* A letters row as copied out of the store. */
typedef struct {
    char code[LETTER_CODE_LEN + 1];
    char kind[8];
    char service_code[17];
    char number[HL_ORDER_NUMBER_MAX + 1];   /* "" before an order exists */
    char address[LETTER_ADDRESS_MAX];
    int64_t created_at;
    double lat, lon;
    int has_position;
} http_letter_ref;

/* Find the letter of `code` of `kind`; HL_ENOTFOUND (err set) otherwise. */
hl_rc http_letter_find(http_req *r, const char *code, const char *kind, http_letter_ref *out,
                       hl_err *err);
/* store_letter_fn that appends a copy to an http_letter_list. */
typedef struct {
    http_letter_ref *v;
    size_t n, cap;
} http_letter_list;
hl_rc http_letter_collect(const store_letter *l, const char *order_number, void *arg);

/* What a citizen may see of a letter: no name, no phone (the content and
 * the reply have them masked where they occur). */
typedef struct {
    hl_order o;
    int has_order;
    char *category;      /* NULL when none */
    char *content;
    char *note;          /* the appeal's note, NULL when none */
    char *reply;         /* the published reply: the reply the latest
                          * acceptance closed the order with; NULL when none */
    int64_t reply_at;
    int rating;          /* the citizen's rating since that acceptance, -1 none */
    int64_t rated_at;
} http_letter_view;

/* Load the view of the letter whose order is `number` (inside the
 * caller's transaction or read snapshot). */
hl_rc http_letter_view_load(http_req *r, const char *number, http_letter_view *v, hl_err *err);
void http_letter_view_free(http_letter_view *v);
/* The public status: "pending" 待派单, "processing" 办理中, "replied"
 * 已答复, "closed" 已办结 ("received" 已受理 before an order exists). */
const char *http_letter_status(const http_letter_view *v, const char **label);

/* --- Open311 (open311.c) --------------------------------------------------- */

/* An error in GeoReport v2's shape: [{code: status, description}]. */
void http_o311_error(http_req *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An hl_err in that shape (status as http_status_of). */
void http_o311_fail(http_req *r, const hl_err *err);
/* Only the named query parameters (jurisdiction_id checked when named);
 * otherwise 400 and -1. */
int http_o311_query_only(http_req *r, const char *const *names, size_t n);

#endif
