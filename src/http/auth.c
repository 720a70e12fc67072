/* auth.c — login (argon2id through libsodium), sessions in an HttpOnly,
 * SameSite=Strict cookie, a CSRF token for every state-changing request,
 * login throttling, and what a user's role and unit reach.
 *
 * The cookie holds a random secret; the store keeps only its hash, so a
 * copy of the database does not log anyone in. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "routes.h"

#define COOKIE "hl_session"
#define SECRET_BYTES 32
#define PASSWORD_MAX 1024

static void hex_random(char *out, size_t bytes)
{
    unsigned char raw[SECRET_BYTES];
    randombytes_buf(raw, bytes);
    sodium_bin2hex(out, bytes * 2 + 1, raw, bytes);
}

/* The stored form of a cookie secret. */
static void token_of(const char *secret, char out[STORE_TOKEN_MAX + 1])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)secret, strlen(secret), NULL, 0);
    sodium_bin2hex(out, STORE_TOKEN_MAX + 1, h, sizeof h);
}

hl_rc http_password_hash(const http_config *cfg, const char *password, char *out,
                         size_t size, hl_err *err)
{
    if (size < crypto_pwhash_STRBYTES)
        return hl_fail(err, HL_EINVAL, "口令散列缓冲区太小");
    if (crypto_pwhash_str(out, password, strlen(password), (unsigned long long)cfg->pwhash_ops,
                          (size_t)cfg->pwhash_mem_kib * 1024) != 0)
        return hl_fail(err, HL_ENOMEM, "口令散列失败（内存不足）");
    return HL_OK;
}

hl_reach http_reach(const http_req *r, hl_action a)
{
    return r->logged_in ? hl_role_reach(r->role, a) : REACH_NONE;
}

int http_owns(const http_req *r, const hl_order *o)
{
    const hl_units *u = &r->app->units;
    return r->user.unit && ((o->unit && hl_units_within(u, o->unit, r->user.unit)) ||
                            (o->handler && hl_units_within(u, o->handler, r->user.unit)));
}

/* A session ends after session_idle_min without a request, or
 * session_max_hours after login, whichever comes first. */
static int64_t session_expiry(const http_config *c, int64_t created_at, int64_t now)
{
    int64_t idle = now + (int64_t)c->session_idle_min * 60;
    int64_t hard = created_at + (int64_t)c->session_max_hours * 3600;
    return idle < hard ? idle : hard;
}

/* The session of token and its user, kept (sessions.c) or read. */
static int session_load(http_req *r, const char *token)
{
    http_sessions *kept = r->app->sessions;
    unsigned gen;
    if (http_sessions_get(kept, token, r->now, r->app->cfg.session_cache_s, &r->session,
                          &r->user, &gen))
        return 1;
    if (store_session_get(r->store, token, &r->session, &r->err) ||
        store_user_by_id(r->store, r->session.user_id, &r->user, &r->err))
        return 0;
    http_sessions_put(kept, gen, &r->session, &r->user, r->now);
    return 1;
}

static int session_valid(http_req *r, const char *secret)
{
    const http_config *c = &r->app->cfg;
    char token[STORE_TOKEN_MAX + 1];
    token_of(secret, token);
    if (!session_load(r, token) || r->session.expires_at <= r->now || r->user.disabled)
        return 0;
    int role = hl_enum_parse(&hl_role_enum, r->user.role);
    if (role < 0)
        return 0;
    r->role = (hl_role)role;
    /* sliding expiry, written at most once per half idle period */
    int64_t next = session_expiry(c, r->session.created_at, r->now);
    if (next - r->session.expires_at > (int64_t)c->session_idle_min * 30) {
        pthread_mutex_lock(&r->app->write_lock);
        if (!store_session_touch(r->store, token, next, &r->err)) {
            r->session.expires_at = next;
            http_sessions_touch(r->app->sessions, token, next);
        }
        pthread_mutex_unlock(&r->app->write_lock);
    }
    return 1;
}

int http_auth_session(http_req *r)
{
    const char *secret = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE);
    if (!secret || strlen(secret) != SECRET_BYTES * 2 || !session_valid(r, secret)) {
        memset(&r->user, 0, sizeof r->user);
        return -1;
    }
    r->logged_in = 1;
    return 0;
}

int http_auth_csrf(http_req *r)
{
    const char *t = http_header(r, "X-CSRF-Token");
    size_t n = strlen(r->session.csrf);
    if (t && strlen(t) == n && sodium_memcmp(t, r->session.csrf, n) == 0)
        return 0;
    http_error(r, 403, "csrf_failed", "缺少或错误的 CSRF 令牌（请求头 X-CSRF-Token），请刷新页面后重试");
    return -1;
}

static json_t *user_json(http_req *r, const store_user *u)
{
    const hl_unit *unit = hl_units_get(&r->app->units, u->unit);
    int role = hl_enum_parse(&hl_role_enum, u->role);
    return json_pack("{s:s, s:s, s:s, s:o, s:b}", "name", u->name, "role", u->role, "role_label",
                     role >= 0 ? hl_enum_label(&hl_role_enum, role) : "?", "unit",
                     unit ? json_pack("{s:s, s:s}", "code", unit->code, "name", unit->name)
                          : json_null(),
                     "disabled", u->disabled);
}

static const http_field login_fields[] = {
    {"name", JF_STR, 1, STORE_NAME_MAX},
    {"password", JF_STR, 1, PASSWORD_MAX},
};

/* Audit a login attempt in its own transaction. */
static void audit_login(http_req *r, const char *action, const char *name)
{
    char detail[STORE_NAME_MAX + 32];
    snprintf(detail, sizeof detail, "用户名 %s", name);
    if (http_write_begin(r) == 0)
        http_write_end(r, http_audit(r, action, detail, &r->err));
}

/* Per name, every attempt counts until one succeeds (taken atomically, so
 * parallel guesses cannot overrun the limit); per address, failures count,
 * with four times the room (an office shares one address). */
static int throttled(http_req *r, const char *kn, const char *kip)
{
    const http_config *c = &r->app->cfg;
    return http_limiter_blocked(r->app->logins, kip, c->login_max_failures * 4,
                                c->login_window_s, r->now) ||
           http_limiter_take(r->app->logins, kn, c->login_max_failures, c->login_window_s,
                             r->now);
}

static int start_session(http_req *r, const store_user *u, char *secret)
{
    store_session x = {.user_id = u->id, .created_at = r->now};
    x.expires_at = session_expiry(&r->app->cfg, r->now, r->now);
    hex_random(secret, SECRET_BYTES);
    hex_random(x.csrf, SECRET_BYTES);
    token_of(secret, x.token);
    if (http_write_begin(r))
        return -1;
    hl_rc rc = store_sessions_purge(r->store, r->now, &r->err);
    if (!rc)
        rc = store_session_put(r->store, &x, r->ip, &r->err);
    if (!rc)
        rc = http_audit(r, "login", "登录成功", &r->err);
    if (http_write_end(r, rc)) {
        http_fail(r, &r->err);
        return -1;
    }
    r->session = x;
    return 0;
}

void h_login(http_req *r)
{
    char kn[STORE_NAME_MAX + 8], kip[80], secret[SECRET_BYTES * 2 + 1];
    store_user u;
    if (http_body(r, login_fields, 2))
        return;
    const char *name = json_string_value(json_object_get(r->json, "name"));
    const char *pw = json_string_value(json_object_get(r->json, "password"));
    snprintf(kn, sizeof kn, "n:%s", name);
    snprintf(kip, sizeof kip, "ip:%s", r->ip);
    if (throttled(r, kn, kip)) {
        audit_login(r, "login_throttled", name);
        http_error(r, 429, "rate_limited", "登录失败次数过多，请 %d 分钟后再试",
                   (r->app->cfg.login_window_s + 59) / 60);
        return;
    }
    /* an unknown name costs the same hash as a known one: the answer's time
     * must not tell which names exist */
    hl_rc rc = store_user_get(r->store, name, &u, &r->err);
    const char *hash = rc ? r->app->dummy_hash : u.pwhash;
    int ok = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0 && !rc && !u.disabled;
    if (!ok) {
        http_limiter_hit(r->app->logins, kip, r->app->cfg.login_window_s, r->now);
        audit_login(r, "login_failed", name);
        http_error(r, 401, "unauthenticated", "用户名或口令错误");
        return;
    }
    http_limiter_clear(r->app->logins, kn);
    r->user = u;
    r->logged_in = 1;
    if (start_session(r, &u, secret))
        return;
    snprintf(r->cookie, sizeof r->cookie,
             COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d", secret,
             r->app->cfg.session_max_hours * 3600);
    http_json(r, 200, json_pack("{s:o, s:s}", "user", user_json(r, &u), "csrf", r->session.csrf));
}

void h_session(http_req *r)
{
    http_json(r, 200,
              json_pack("{s:o, s:s, s:o}", "user", user_json(r, &r->user), "csrf", r->session.csrf,
                        "expires_at", http_time(r, r->session.expires_at)));
}

void h_logout(http_req *r)
{
    if (http_write_begin(r))
        return;
    hl_rc rc = store_session_delete(r->store, r->session.token, &r->err);
    if (!rc)
        rc = http_audit(r, "logout", "", &r->err);
    if (http_write_end(r, rc)) {
        http_fail(r, &r->err);
        return;
    }
    http_sessions_forget(r->app->sessions);
    snprintf(r->cookie, sizeof r->cookie, COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    http_json(r, 200, json_pack("{s:b}", "ok", 1));
}

void h_roles(http_req *r)
{
    static const char *const reach[] = {"none", "own", "all"};
    json_t *roles = json_array();
    for (int i = 0; i < ROLE__COUNT; i++) {
        json_t *acts = json_object();
        for (int a = 0; a < ACT__COUNT; a++)
            json_object_set_new(acts, hl_enum_name(&hl_action_enum, a),
                                json_string(reach[hl_role_reach((hl_role)i, (hl_action)a)]));
        json_array_append_new(roles, json_pack("{s:s, s:s, s:b, s:o}", "role",
                                               hl_enum_name(&hl_role_enum, i), "label",
                                               hl_enum_label(&hl_role_enum, i), "needs_unit",
                                               hl_role_needs_unit((hl_role)i), "actions", acts));
    }
    http_json(r, 200, json_pack("{s:o}", "items", roles));
}

void h_health(http_req *r)
{
    int v = store_schema_version(r->store);
    if (v < 0) {
        http_error(r, 503, "unavailable", "数据库不可用");
        return;
    }
    http_json(r, 200, json_pack("{s:s, s:i}", "status", "ok", "schema", v));
}
