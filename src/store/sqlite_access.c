/* sqlite_access.c — users, sessions, idempotency keys and the audit log. */
#include <stdio.h>
#include <string.h>

#include "sqlite_int.h"

static void copy_col(sqlite3_stmt *st, int c, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, c);
    snprintf(out, size, "%s", t ? (const char *)t : "");
}

static void user_from_row(sqlite3_stmt *st, store_user *u)
{
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, 0);
    copy_col(st, 1, u->name, sizeof u->name);
    copy_col(st, 2, u->role, sizeof u->role);
    u->unit = sqlite3_column_int64(st, 3);
    copy_col(st, 4, u->pwhash, sizeof u->pwhash);
    u->disabled = sqlite3_column_int(st, 5);
    u->created_at = sqlite3_column_int64(st, 6);
}

hl_rc store_user_add(hl_store *s, store_user *u, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_USER_ADD, err);
    if (!st)
        return HL_ESTORE;
    sq_bind_text(st, 1, u->name);
    sq_bind_text(st, 2, u->role);
    sq_bind_opt(st, 3, u->unit);
    sq_bind_text(st, 4, u->pwhash);
    sqlite3_bind_int(st, 5, u->disabled);
    sqlite3_bind_int64(st, 6, u->created_at);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_CONSTRAINT)
        return hl_fail(err, HL_EEXISTS, "用户 %s 已存在", u->name);
    if (rc != SQLITE_DONE)
        return sq_fail(s, err, "添加用户");
    u->id = sqlite3_last_insert_rowid(s->db);
    return HL_OK;
}

static hl_rc user_one(hl_store *s, sqlite3_stmt *st, store_user *u, hl_err *err)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        user_from_row(st, u);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return hl_fail(err, HL_ENOTFOUND, "用户不存在");
    return rc == SQLITE_ROW ? HL_OK : sq_fail(s, err, "读取用户");
}

hl_rc store_user_get(hl_store *s, const char *name, store_user *u, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_USER_GET, err);
    if (!st)
        return HL_ESTORE;
    sq_bind_text(st, 1, name);
    return user_one(s, st, u, err);
}

hl_rc store_user_by_id(hl_store *s, int64_t id, store_user *u, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_USER_BY_ID, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    return user_one(s, st, u, err);
}

hl_rc store_user_update(hl_store *s, const store_user *u, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_USER_UPDATE, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int64(st, 1, u->id);
    sq_bind_text(st, 2, u->role);
    sq_bind_opt(st, 3, u->unit);
    sq_bind_text(st, 4, u->pwhash);
    sqlite3_bind_int(st, 5, u->disabled);
    return sq_done(s, st, err, "修改用户");
}

typedef struct {
    store_user_fn fn;
    void *arg;
} user_walk;

static hl_rc user_row(sqlite3_stmt *st, void *arg)
{
    user_walk *w = arg;
    store_user u;
    user_from_row(st, &u);
    return w->fn(&u, w->arg);
}

hl_rc store_users_each(hl_store *s, store_user_fn fn, void *arg, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_USERS_ALL, err);
    user_walk w = {fn, arg};
    return st ? sq_rows(s, st, user_row, &w, err, "读取用户") : HL_ESTORE;
}

hl_rc store_session_put(hl_store *s, const store_session *x, const char *ip, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_SESSION_PUT, err);
    if (!st)
        return HL_ESTORE;
    sq_bind_text(st, 1, x->token);
    sqlite3_bind_int64(st, 2, x->user_id);
    sq_bind_text(st, 3, x->csrf);
    sqlite3_bind_int64(st, 4, x->created_at);
    sqlite3_bind_int64(st, 5, x->expires_at);
    sq_bind_text(st, 6, ip);
    return sq_done(s, st, err, "保存会话");
}

hl_rc store_session_get(hl_store *s, const char *token, store_session *x, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_SESSION_GET, err);
    if (!st)
        return HL_ESTORE;
    sq_bind_text(st, 1, token);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(x, 0, sizeof *x);
        snprintf(x->token, sizeof x->token, "%s", token);
        x->user_id = sqlite3_column_int64(st, 0);
        copy_col(st, 1, x->csrf, sizeof x->csrf);
        x->created_at = sqlite3_column_int64(st, 2);
        x->expires_at = sqlite3_column_int64(st, 3);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return HL_ENOTFOUND;
    return rc == SQLITE_ROW ? HL_OK : sq_fail(s, err, "读取会话");
}

static hl_rc run_text(hl_store *s, sq_id id, const char *text, int64_t v, hl_err *err,
                      const char *what)
{
    sqlite3_stmt *st = sq_stmt(s, id, err);
    if (!st)
        return HL_ESTORE;
    if (text) {
        sq_bind_text(st, 1, text);
        sqlite3_bind_int64(st, 2, v);
    } else {
        sqlite3_bind_int64(st, 1, v);
    }
    return sq_done(s, st, err, what);
}

hl_rc store_session_delete(hl_store *s, const char *token, hl_err *err)
{
    return run_text(s, Q_SESSION_DELETE, token, 0, err, "删除会话");
}

hl_rc store_session_touch(hl_store *s, const char *token, int64_t expires_at, hl_err *err)
{
    return run_text(s, Q_SESSION_TOUCH, token, expires_at, err, "延长会话");
}

hl_rc store_sessions_of_user_delete(hl_store *s, int64_t user_id, hl_err *err)
{
    return run_text(s, Q_SESSIONS_OF_USER, NULL, user_id, err, "删除会话");
}

hl_rc store_sessions_purge(hl_store *s, int64_t now, hl_err *err)
{
    return run_text(s, Q_SESSIONS_PURGE, NULL, now, err, "清理会话");
}

hl_rc store_idem_get(hl_store *s, int64_t user_id, const char *key, int64_t since, int *status,
                     hl_buf *out, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_IDEM_GET, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int64(st, 1, user_id);
    sq_bind_text(st, 2, key);
    sqlite3_bind_int64(st, 3, since);
    int rc = sqlite3_step(st);
    hl_rc r = HL_OK;
    if (rc == SQLITE_ROW) {
        *status = sqlite3_column_int(st, 0);
        hl_buf_reset(out);
        r = hl_buf_add(out, sqlite3_column_text(st, 1), (size_t)sqlite3_column_bytes(st, 1));
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return HL_ENOTFOUND;
    if (rc != SQLITE_ROW)
        return sq_fail(s, err, "读取幂等记录");
    return r ? hl_fail(err, r, "幂等记录过大") : HL_OK;
}

hl_rc store_idem_put(hl_store *s, int64_t user_id, const char *key, int status,
                     const char *body, int64_t at, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_IDEM_PUT, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int64(st, 1, user_id);
    sq_bind_text(st, 2, key);
    sqlite3_bind_int(st, 3, status);
    sq_bind_text(st, 4, body);
    sqlite3_bind_int64(st, 5, at);
    return sq_done(s, st, err, "保存幂等记录");
}

hl_rc store_audit(hl_store *s, const store_audit_row *r, hl_err *err)
{
    sqlite3_stmt *st = sq_stmt(s, Q_AUDIT, err);
    if (!st)
        return HL_ESTORE;
    sqlite3_bind_int64(st, 1, r->at);
    sq_bind_text(st, 2, r->actor);
    sq_bind_text(st, 3, r->action);
    sq_bind_text(st, 4, r->detail ? r->detail : "");
    sq_bind_text(st, 5, r->ip);
    return sq_done(s, st, err, "写入审计日志");
}

/* The WHERE clause of an audit page; ?1 actor, ?2 action, both optional. */
#define AUDIT_WHERE " FROM audit WHERE (?1 IS NULL OR actor = ?1) AND (?2 IS NULL OR action = ?2)"

hl_rc store_audit_page(hl_store *s, const char *actor, const char *action, int64_t offset,
                       int64_t limit, int64_t *total, store_audit_fn fn, void *arg,
                       hl_err *err)
{
    sqlite3_stmt *st = sq_prepare(s, "SELECT count(*)" AUDIT_WHERE, err);
    if (!st)
        return HL_ESTORE;
    sq_bind_text(st, 1, actor);
    sq_bind_text(st, 2, action);
    int rc = sqlite3_step(st);
    *total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return sq_fail(s, err, "读取审计日志");
    st = sq_prepare(s,
                    "SELECT id, at, actor, action, detail, coalesce(ip, '')" AUDIT_WHERE
                    " ORDER BY id DESC LIMIT ?3 OFFSET ?4",
                    err);
    if (!st)
        return HL_ESTORE;
    sq_bind_text(st, 1, actor);
    sq_bind_text(st, 2, action);
    sqlite3_bind_int64(st, 3, limit);
    sqlite3_bind_int64(st, 4, offset);
    hl_rc r = HL_OK;
    while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_audit_row a = {
            .id = sqlite3_column_int64(st, 0),
            .at = sqlite3_column_int64(st, 1),
            .actor = (const char *)sqlite3_column_text(st, 2),
            .action = (const char *)sqlite3_column_text(st, 3),
            .detail = (const char *)sqlite3_column_text(st, 4),
            .ip = (const char *)sqlite3_column_text(st, 5),
        };
        r = fn(&a, arg);
    }
    if (!r && rc != SQLITE_DONE)
        r = sq_fail(s, err, "读取审计日志");
    sqlite3_finalize(st);
    return r;
}
