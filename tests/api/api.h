/* api.h — API tests: a real `hotline serve` (the sanitized binary) on an
 * ephemeral port, over a small registry with one user per role, and a
 * libcurl client that keeps its session cookie and CSRF token.
 *
 * Users (password: "pw-" + name):
 *   op operator · disp dispatcher · cb callback · sup supervisor ·
 *   h1 unit_handler C1 · a1 unit_admin C1 · t1 unit_handler C1-1 (a town of
 *   C1) · h2 unit_handler C2 · kb kb_owner C1 · mgr manager · adm admin
 * Units: C1 东城区 (county) › C1-1 东城区甲镇; C2 西城区 (county); A1 市住建局
 * (agency). */
#ifndef HL_TEST_API_H
#define HL_TEST_API_H

#include <jansson.h>
#include <sys/types.h>

#include "../test.h"

typedef struct {
    char *dir, *db, *config, *log;
    char *web;       /* --web: an index.html; beside it web-secret/key.txt */
    pid_t pid;
    int port;
} ta_server;

/* Create the database and users, start the server; aborts the test on
 * failure. */
void ta_start(ta_server *s);
/* The same with another server.json (the full JSON text). */
void ta_start_config(ta_server *s, const char *config);
/* The same with some of the harness's settings changed: settings is a JSON
 * object of server.json members, e.g. {"threads": 1}. */
void ta_start_with(ta_server *s, const char *settings);
/* SIGTERM, wait for a clean exit (status 0), and check the server's log
 * has no sanitizer report. */
void ta_stop(ta_server *s);

typedef struct {
    ta_server *srv;
    char cookie[256];
    char csrf[128];
} ta_client;

typedef struct {
    long status;
    char *body;      /* NUL-terminated */
    json_t *json;    /* NULL when the body is not JSON */
    char etag[64];
    char location[256];
    char set_cookie[512]; /* the raw value of the last Set-Cookie header, or "" */
} ta_resp;

/* Log in as user (password "pw-" + user); aborts unless 200. */
void ta_login(ta_server *s, ta_client *c, const char *user);
/* A client without a session. */
void ta_anon(ta_server *s, ta_client *c);

/* One request; body may be NULL.  headers: extra "Name: value" lines,
 * NULL-terminated, or NULL.  State-changing requests carry the client's
 * CSRF token unless no_csrf.  Returns the status; r is filled (free it). */
long ta_req(ta_client *c, const char *method, const char *path, const char *body,
            const char *const *headers, int no_csrf, ta_resp *r);
void ta_resp_free(ta_resp *r);

/* GET a printf-formed path (at most 511 bytes); returns the status, r
 * filled (free it). */
long ta_get(ta_client *c, ta_resp *r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Percent-encode every byte of s (a query value) into out. */
const char *ta_urlenc(const char *s, char *out, size_t size);
/* 1 when a list response's items hold the order with this number. */
int ta_lists(const ta_resp *r, const char *number);

/* Shorthands that free the response and return the status. */
long ta_status(ta_client *c, const char *method, const char *path, const char *body);

/* A string member of the JSON body (NULL when absent). */
const char *ta_str(const ta_resp *r, const char *key);
/* An integer member (−1 when absent). */
long long ta_int(const ta_resp *r, const char *key);

/* Intake as c: a new order (handling "order") with content; returns its
 * number (caller frees). */
char *ta_new_order(ta_client *c, const char *content);
/* A lifecycle step on order `number` with body members `fields` (JSON
 * object text without braces, may be ""), at the order's current version
 * (fetched first with GET by `reader`, who must be able to read it). */
long ta_step(ta_client *c, ta_client *reader, const char *number, const char *op,
             const char *fields, ta_resp *r);

/* Rows of the audit table with this action whose detail contains needle. */
int ta_audit_count(ta_server *s, const char *action, const char *needle);

#endif
