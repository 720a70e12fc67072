/* http.h — the HTTP server: how a request reaches a handler and what a
 * handler may use.  Map of the subsystem:
 *
 *   server.c   libmicrohttpd daemon (epoll, thread pool), request bodies
 *              (size-capped), graceful stop, access log
 *   router.c   the route table: method + path pattern → handler, who may
 *              call it; docs/openapi.yaml lists the same routes (tested)
 *   req.c      responses, JSON bodies and their schema checks, query
 *              parameters, pagination, errors as {code, message}, the
 *              the write transaction
 *   writer.c   the group commit of intake and lifecycle steps (suspends
 *              the request while its write waits)
 *   pool.c     the report pool: routes that take seconds, off the daemon's
 *              threads
 *   sessions.c sessions and their users kept in memory for a few seconds
 *   app.c      what every thread shares: configuration, the loaded unit
 *              registry / calendar / rules, the write lock, rate limits
 *   auth.c     login, sessions, CSRF, throttling, users (argon2id)
 *   orders.c   order detail, lists and queues, caller history, unmask
 *   order_text.c  orders and appeals written as JSON text, masking
 *   cache.c    answers of lists and order pages kept at their data's seq
 *   actions.c  lifecycle actions on an order, intake (Idempotency-Key)
 *   admin.c    units, users, rules, calendar, audit log
 *   reports.c  assessment, figures, ledger
 *   bulletin.c the monthly bulletin: preview, docx/pdf/xlsx, sections, drafts
 *   kb.c       knowledge base: search, articles and versions, review reminders
 *   suggest.c  智能派单: category and unit suggestions, duplicates, retraining
 *   hotspots.c 热点焦点 of a window of appeals (manager dashboard, bulletin)
 *   public.c, letters.c   the public mailbox (no login)
 *   open311.c, open311_requests.c, categories.c   Open311 GeoReport v2
 *   static.c   the web application's files
 *
 * Functional core, imperative shell: a handler loads what it needs from its
 * thread's store, asks core to decide, and writes the result in one
 * transaction (http_write_begin/end, or a group commit by http_write_async). */
#ifndef HL_HTTP_H
#define HL_HTTP_H

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/calendar.h"
#include "../core/err.h"
#include "../core/order.h"
#include <time.h>

#include "../core/role.h"
#include "../core/rules.h"
#include "../core/unit.h"
#include "../store/store.h"
#include "../text/hotspot.h"

/* Server settings: data/server.json, every limit named. */
typedef struct {
    int threads;                 /* worker threads of the pool */
    long body_max;               /* bytes of one request body */
    int session_idle_min;        /* a session ends after this much inactivity … */
    int session_max_hours;       /* … or this long after login */
    int login_max_failures;      /* failed logins of one name or address … */
    int login_window_s;          /* … within this window lock it for the window */
    int mailbox_per_hour;        /* public letters per address and hour */
    int page_size_default, page_size_max;
    long pwhash_ops, pwhash_mem_kib;   /* argon2id cost */
    int idempotency_hours;       /* how long a key's answer is kept */
    int checkpoint_ms;           /* WAL checkpoints: how often (server.c) … */
    int checkpoint_restart_frames; /* … and how few frames left hold the writer
                                    * (0: never; the WAL starts over by itself
                                    * once a checkpoint caught up) */
    int kb_remind_minutes;       /* how often review reminders that fell due are sent */
    int fts_merge_pages;         /* text-index merge work per checkpoint_ms */
    int write_linger_us;         /* under load, how long a write batch waits for more */
    int session_cache_s;         /* how long a session read is trusted (sessions.c) */
    int report_threads;          /* the report pool's threads (pool.c) */
    long static_max_age_s;       /* how long browsers keep the web app's hashed files */
} http_config;

/* Load cfg from a JSON file (every member required, checked). */
hl_rc http_config_load(const char *path, http_config *cfg, hl_err *err);

typedef struct http_limiter http_limiter;
typedef struct http_cache http_cache;
typedef struct http_sessions http_sessions;
typedef struct http_pool http_pool;
typedef struct http_req http_req;

typedef struct {
    const char *db_path;
    const char *web_dir;          /* NULL: no web application */
    const char *data_dir;         /* data/: categories.tsv (NULL: HL_DATA_DIR) */
    http_config cfg;
    FILE *access_log;             /* NULL: none */
    pthread_mutex_t log_lock;

    /* Loaded from the store at start and after an admin change; handlers
     * hold ctx_lock for reading while they use ctx, admin changes for
     * writing while they reload. */
    pthread_rwlock_t ctx_lock;
    hl_units units;
    hl_calendar *cal;
    hl_rules rules;
    hl_ctx ctx;

    /* SQLite allows one writer: writes queue here instead of spinning on
     * SQLITE_BUSY. */
    pthread_mutex_t write_lock;
    /* group commit (writer.c, http_write_async): handlers queue jobs, one writer
     * thread with its own connection commits them in batches.  Its page
     * cache stays valid between batches (no other connection writes), where
     * a different leader each time started from a cold cache. */
    pthread_mutex_t group_lock;
    pthread_cond_t group_ready;   /* jobs queued, or stop */
    pthread_cond_t group_done;    /* a batch committed */
    struct http_job *group_queue;
    int group_len;                /* jobs in group_queue */
    int group_pending;            /* jobs queued or running, their request not resumed */
    int group_stop;
    int group_closed;             /* no more jobs: the server stops (http_writer_close) */
    int writer_started;
    pthread_t writer;

    http_limiter *logins, *letters;
    char dummy_hash[STORE_HASH_MAX];  /* verified for unknown names (auth.c) */
    http_cache *lists;            /* kept answers of order lists (cache.c) */
    http_sessions *sessions;      /* sessions and users as last read (sessions.c) */
    http_pool *reports;           /* the threads of the routes that take long (pool.c) */
    unsigned reload_gen;          /* bumped by every http_app_reload */
    pthread_key_t store_key;      /* each worker thread's connection */
    struct http_text *text;       /* 智能派单: models and settings (suggest.c) */
} http_app;

/* config: the server.json to use. */
hl_rc http_app_init(http_app *app, const char *db_path, const char *config, hl_err *err);
void http_app_free(http_app *app);
/* Reload the registry, calendar and rules from st (caller holds ctx_lock
 * for writing). */
hl_rc http_app_reload(http_app *app, hl_store *st, hl_err *err);
/* 智能派单 (suggest.c): its state, and the nightly retraining the server's
 * background thread calls (now: seconds; st: that thread's store). */
hl_rc http_text_init(http_app *app, hl_err *err);
void http_text_free(http_app *app);
void http_text_nightly(http_app *app, hl_store *st, int64_t now);
/* The hot spots' settings of data/text.json (hotspots.c). */
hl_rc http_text_hotspot_params(http_app *app, hs_params *p, hl_err *err);
/* The calling thread's store, opened on first use; NULL with err set. */
hl_store *http_app_store(http_app *app, hl_err *err);

/* Fixed-window counters per key (login failures, letters per address). */
http_limiter *http_limiter_new(void);
void http_limiter_free(http_limiter *l);
/* 1 when key has reached max within window_s (now: seconds). */
int http_limiter_blocked(http_limiter *l, const char *key, int max, int window_s, int64_t now);
void http_limiter_hit(http_limiter *l, const char *key, int window_s, int64_t now);
/* Count an attempt unless key is already at max: 1 when blocked. */
int http_limiter_take(http_limiter *l, const char *key, int max, int window_s, int64_t now);
void http_limiter_clear(http_limiter *l, const char *key);

/* Kept answers (cache.c): an answer is served again only for the same key,
 * at the same last seq and reload generation, and for a short while. */
/* The report pool (pool.c).  run: suspend r and call run(r) on a pool
 * thread, then resume r (server.c sends what run answered).  close: no
 * more runs (503 instead), and wait until every queued one has finished. */
http_pool *http_pool_new(int threads, hl_err *err);
void http_pool_run(http_pool *p, http_req *r, void (*run)(http_req *r));
void http_pool_close(http_pool *p);
void http_pool_free(http_pool *p);

/* Sessions kept (sessions.c).  get: 1 and *s, *u when token's entry was
 * read less than ttl_s ago and no forget came since; *gen is the table's
 * generation, for the put of what the caller then reads from the store
 * (dropped when a forget came in between). */
http_sessions *http_sessions_new(void);
void http_sessions_free(http_sessions *c);
int http_sessions_get(http_sessions *c, const char *token, int64_t now, int ttl_s,
                      store_session *s, store_user *u, unsigned *gen);
void http_sessions_put(http_sessions *c, unsigned gen, const store_session *s,
                       const store_user *u, int64_t now);
void http_sessions_touch(http_sessions *c, const char *token, int64_t expires_at);
/* After a committed change of sessions or users: every entry ends. */
void http_sessions_forget(http_sessions *c);

http_cache *http_cache_new(void);
void http_cache_free(http_cache *c);
int http_cache_get(http_cache *c, const char *key, int64_t seq, unsigned gen, hl_buf *out);
void http_cache_put(http_cache *c, const char *key, int64_t seq, unsigned gen,
                    const hl_buf *body);
/* A lasting answer: kept until replaced, with a mark its caller checks (the
 * last seq it is known good at, or the instant it was computed). */
int http_cache_get_lasting(http_cache *c, const char *key, unsigned gen, int64_t *mark,
                           hl_buf *out);
void http_cache_put_lasting(http_cache *c, const char *key, int64_t mark, unsigned gen,
                            const hl_buf *body);

/* --- a request ----------------------------------------------------------- */

typedef enum { HM_GET, HM_POST, HM_PUT, HM_PATCH, HM_DELETE, HM__COUNT } http_method;

typedef void (*http_handler)(http_req *r);

/* Who may call a route. */
typedef enum {
    AUTH_PUBLIC,     /* anyone (health, login, mailbox, Open311, static files) */
    AUTH_LOGIN,      /* any logged-in user; the handler checks finer rights */
    AUTH_ACTION,     /* a logged-in user whose role reaches `action` */
} http_auth;

typedef struct {
    http_method method;
    const char *pattern;   /* "/api/v1/orders/{number}"; {x} matches one segment */
    http_handler handler;
    http_auth auth;
    hl_action action;      /* for AUTH_ACTION */
    int report;            /* may take seconds: run on the report pool (pool.c) */
} http_route;

#define HTTP_MAX_PARAMS 4

struct http_req {
    http_app *app;
    void *conn;                    /* struct MHD_Connection */
    http_method method;
    const char *path;              /* borrowed from the server */
    const char *params[HTTP_MAX_PARAMS];   /* {x} of the pattern, decoded */
    int n_params;
    char pbuf[512];                /* where params point */
    const http_route *route;
    char ip[64];
    int64_t now;

    hl_buf body;                   /* the request body (capped) */
    int body_too_big;
    json_t *json;                  /* the parsed body, when a handler asked */

    hl_store *store;               /* the thread's connection, borrowed */
    int logged_in;
    store_user user;
    hl_role role;
    store_session session;

    /* the response */
    int status;
    hl_buf out;
    const char *content_type;
    char etag[40];
    char cookie[256];
    char location[256];
    int no_store;                  /* Cache-Control: no-store */
    char cache[64];                /* Cache-Control of a static file (static.c) */
    char *file_path;               /* static.c: send this file instead of out */

    hl_err err;                    /* scratch for store and core calls */
    struct http_job *job;          /* a queued write (writer.c), until answered */
    int pooled;                    /* run on the report pool (pool.c) */
    int reload;                    /* an admin change: reload the context after the handler */
};

/* --- responses (req.c) --------------------------------------------------- */

/* 200/201 … with a JSON value; steals j.  On an encoding failure: 500. */
void http_json(http_req *r, int status, json_t *j);
/* The answer already written as JSON text into r->out: status, or a 500
 * when writing it failed (written != HL_OK). */
void http_text(http_req *r, int status, hl_rc written);
/* An error {code, message}; message printf-style, shown to staff. */
void http_error(http_req *r, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* 503: the server is stopping (a request that arrives during the stop, or
 * a write or report that can no longer be queued). */
void http_unavailable(http_req *r);
/* A message for staff, printf-style, cut to size on a character boundary. */
#define HTTP_MESSAGE_MAX 600
void http_vformat(char *out, size_t size, const char *fmt, va_list ap);
/* An hl_err as an error response: the status follows the code (refusals
 * 422, not found 404, conflicts 409, bad input 400, store errors 500). */
void http_fail(http_req *r, const hl_err *err);
int http_status_of(hl_rc rc);

/* --- input (req.c) ------------------------------------------------------- */

typedef enum { JF_STR, JF_INT, JF_BOOL, JF_NUM, JF_OBJ, JF_ARR } http_jtype;
typedef struct {
    const char *name;
    http_jtype type;
    int required;
    long max;        /* strings: characters; ints: maximum; arrays: items (0 = no limit) */
} http_field;

/* Parse the body as a JSON object whose members are exactly among fields
 * (required ones present, types and sizes right) into r->json.  On failure
 * the error response is set and -1 returned. */
int http_body(http_req *r, const http_field *fields, size_t n);
/* Check a JSON object against fields (nested objects); `what` names it. */
int http_check_object(http_req *r, json_t *obj, const http_field *fields, size_t n,
                      const char *what);

/* A query parameter (NULL when absent). */
const char *http_query(http_req *r, const char *name);
/* A header (NULL when absent). */
const char *http_header(http_req *r, const char *name);
/* The version a client saw of what it changes (optimistic concurrency):
 * the body's "version" or If-Match ("12" or 12); -1 when neither is given,
 * -2 when malformed or negative (it matches no version). */
int64_t http_client_version(http_req *r);
/* The first query parameter not among names (NULL when none). */
const char *http_query_unknown(http_req *r, const char *const *names, size_t n);
/* Only the named query parameters may appear; otherwise 400 and -1. */
int http_query_only(http_req *r, const char *const *names, size_t n);
/* An integer query parameter in [min, max] or def when absent; -1 and 400
 * when malformed. */
int http_query_int(http_req *r, const char *name, int64_t min, int64_t max, int64_t def,
                   int64_t *out);
/* page (from 1) and page_size → offset and limit; -1 and 400 when bad. */
int http_page(http_req *r, int64_t *page, int64_t *size);
/* {"items": items, "total": n, "page": p, "page_size": s}; steals items. */
json_t *http_page_json(json_t *items, int64_t total, int64_t page, int64_t size);
/* The same for one page of a whole list (short ones, filtered as they are
 * read: users, review reminders); steals all. */
json_t *http_page_slice(json_t *all, int64_t page, int64_t size);

/* A time for JSON: RFC 3339 at the rules' offset, or null for 0. */
json_t *http_time(http_req *r, int64_t t);
/* Parse an RFC 3339 time query/body value; -1 and 400 when malformed. */
int http_parse_time(http_req *r, const char *name, const char *s, int64_t *out);

/* A write: take the app's write lock and open a transaction (-1 with 500
 * set on failure); end it with commit when rc is HL_OK, rollback
 * otherwise, and release the lock.  Returns rc or the commit's error. */
int http_write_begin(http_req *r);
hl_rc http_write_end(http_req *r, hl_rc rc);

/* A write run as one job of a group commit (writer.c): requests that
 * arrive while a commit is in progress are written together in the next
 * transaction, each inside its own savepoint (a refused job undoes only
 * itself).  The request is suspended meanwhile and its thread serves other
 * connections.  ops->write runs on the writer thread with r->store set to
 * the writer's connection; it must touch nothing of r but its own members.
 * Then, back on the request's thread, ops->answer(r, arg, rc) answers: rc
 * is write's result or the commit's error (r->err says why).  ops->drop
 * frees arg, always and once: after the answer, or when the connection
 * went away first.  The handler returns right after queuing. */
typedef struct {
    hl_rc (*write)(http_req *r, void *arg);
    void (*answer)(http_req *r, void *arg, hl_rc rc);
    void (*drop)(void *arg);
} http_write_ops;
void http_write_async(http_req *r, const http_write_ops *ops, void *arg);
/* server.c: a resumed request's answer (1), or 0 when it has no job; and
 * at a request's end, its job dropped if never answered. */
int http_write_answer(http_req *r);
void http_write_forget(http_req *r);
/* At a stop: no more queued writes (503 instead), and wait until every
 * queued one has run and its request resumed. */
void http_writer_close(http_app *app);
/* The group-commit writer thread (http_app_init / http_app_free). */
hl_rc http_writer_start(http_app *app, hl_err *err);
/* *at = now + ns on the realtime clock (a pthread_cond_timedwait deadline). */
void http_deadline(struct timespec *at, long ns);
void http_writer_stop(http_app *app);

/* Append to the audit log (in the caller's transaction when one is open). */
hl_rc http_audit(http_req *r, const char *action, const char *detail, hl_err *err);

/* --- access (auth.c) ----------------------------------------------------- */

/* Resolve the session cookie into r->user; 0 when logged in. */
int http_auth_session(http_req *r);
/* The CSRF check for a state-changing request: -1 with 403 set when the
 * X-CSRF-Token header does not match the session's. */
int http_auth_csrf(http_req *r);
/* Hash a password with the configured argon2id cost into out. */
hl_rc http_password_hash(const http_config *cfg, const char *password, char *out,
                         size_t size, hl_err *err);
/* How far the user's role reaches for an action. */
hl_reach http_reach(const http_req *r, hl_action a);
/* 1 when order o is the user's own (assignee or holder in the user's subtree). */
int http_owns(const http_req *r, const hl_order *o);

/* --- the route table (router.c) ------------------------------------------ */

extern const http_route http_routes[];
extern const size_t http_n_routes;
const char *http_method_name(http_method m);
/* Match method and path; fills r->params.  NULL when no route; *path_known
 * = 1 when the path matches some route with another method (405). */
const http_route *http_route_find(http_req *r, http_method m, const char *path,
                                  int *path_known);

/* --- the daemon (server.c) ----------------------------------------------- */

typedef struct http_server http_server;
/* Start listening on host:port (port 0: ephemeral; *bound gets the port). */
hl_rc http_server_start(http_app *app, const char *host, int port, http_server **out,
                        int *bound, hl_err *err);
/* Stop accepting, let in-flight requests finish, join the threads. */
void http_server_stop(http_server *s);

#endif
