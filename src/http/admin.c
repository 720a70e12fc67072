/* admin.c — administration: the unit registry, users, rules, working-day
 * calendars and the audit log.
 *
 * Every change is one transaction under the write lock and is audited.
 * What the server keeps loaded (registry, rules, calendars) is never
 * changed here: a handler sets r->reload and the server reloads the whole
 * context after the handler, holding ctx_lock for writing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/timeutil.h"
#include "../core/utf8.h"
#include "routes.h"

#define PASSWORD_MAX 1024
#define CAL_TEXT_MAX 20000  /* characters of one year's calendar text */

/* --- units -------------------------------------------------------------------- */

static int unit_level(const hl_units *u, const hl_unit *x)
{
    int level = 1;
    for (const hl_unit *p = hl_units_get(u, x->parent); p; p = hl_units_get(u, p->parent))
        level++;
    return level;
}

static json_t *unit_json(const hl_units *u, const hl_unit *x)
{
    const hl_unit *p = hl_units_get(u, x->parent);
    return json_pack("{s:s, s:s, s:s, s:o, s:i}", "code", x->code, "name", x->name, "kind",
                     hl_unit_kind_name(x->kind), "parent",
                     p ? json_string(p->code) : json_null(), "level", unit_level(u, x));
}

void h_units_list(http_req *r)
{
    const hl_units *u = &r->app->units;
    if (http_query_only(r, NULL, 0))
        return;
    json_t *items = json_array();
    for (size_t i = 0; i < u->n; i++)
        json_array_append_new(items, unit_json(u, &u->v[i]));
    http_json(r, 200, json_pack("{s:o}", "items", items));
}

/* A unit that changes parent must have no orders in its subtree: its
 * orders count for its first-level unit (as the import refuses it). */
static hl_rc check_move(http_req *r, const hl_units *u, int64_t id, hl_err *err)
{
    for (size_t k = 0; k < u->n; k++) {
        int used = 0;
        if (!hl_units_within(u, u->v[k].id, id))
            continue;
        if (store_unit_used(r->store, u->v[k].id, &used, err))
            return err->rc;
        if (used)
            return hl_fail(err, HL_EINVAL, "单位 %s 已有工单，不能更改其上级（工单按原上级单位统计）",
                           u->v[id - 1].code);
    }
    return HL_OK;
}

/* Fill the members of an update row left NULL from the unit as it is. */
static void row_defaults(const hl_units *u, const hl_unit *x, hl_unit_row *row)
{
    const hl_unit *p = hl_units_get(u, x->parent);
    if (!row->name)
        row->name = x->name;
    if (!row->kind)
        row->kind = hl_unit_kind_name(x->kind);
    if (!row->parent_code)
        row->parent_code = p ? p->code : "";
}

/* A registry change inside the open transaction: the unit of `row` (new
 * when is_new; for an update, NULL members keep their value) merged into
 * the registry as stored, checked, saved and audited; *out gets the unit. */
static hl_rc registry_change(http_req *r, hl_unit_row *row, int is_new, json_t **out,
                             hl_err *err)
{
    hl_units u;
    int64_t id = 0, old_parent = 0;
    char detail[600];
    hl_units_init(&u);
    hl_rc rc = store_units_load(r->store, &u, err);
    int known = !rc && hl_map_get(&u.by_code, row->code, &id);
    if (!rc && is_new && known)
        rc = hl_fail(err, HL_EEXISTS, "单位代码 %s 已存在", row->code);
    else if (!rc && !is_new && !known)
        rc = hl_fail(err, HL_ENOTFOUND, "单位 %.64s 不存在", row->code);
    if (!rc && known) {
        old_parent = u.v[id - 1].parent;
        row_defaults(&u, &u.v[id - 1], row);
    }
    /* before the merge: it replaces the units row's defaults point into */
    snprintf(detail, sizeof detail, "%s单位 %s %s（%s，上级 %s）", is_new ? "添加" : "修改",
             row->code, row->name ? row->name : "", row->kind ? row->kind : "",
             row->parent_code && *row->parent_code ? row->parent_code : "无");
    detail[hl_utf8_valid_prefix(detail, strlen(detail))] = '\0';
    if (!rc)
        rc = hl_units_merge(&u, row, 1, err);
    if (!rc && !id)
        hl_map_get(&u.by_code, row->code, &id);
    if (!rc && !is_new && u.v[id - 1].parent != old_parent)
        rc = check_move(r, &u, id, err);
    if (!rc)
        rc = store_units_save(r->store, &u, err);
    if (!rc)
        rc = http_audit(r, is_new ? "unit_add" : "unit_update", detail, err);
    if (!rc)
        *out = unit_json(&u, &u.v[id - 1]);
    hl_units_free(&u);
    return rc;
}

/* Run a registry change in one write and answer with the unit. */
static void registry_write(http_req *r, hl_unit_row *row, int is_new)
{
    json_t *unit = NULL;
    if (http_write_begin(r))
        return;
    hl_rc rc = registry_change(r, row, is_new, &unit, &r->err);
    if (http_write_end(r, rc)) {
        json_decref(unit);
        http_fail(r, &r->err);
        return;
    }
    r->reload = 1;
    http_json(r, is_new ? 201 : 200, unit);
}

static const http_field unit_add_fields[] = {
    {"code", JF_STR, 1, HL_UNIT_CODE_MAX}, {"name", JF_STR, 1, HL_UNIT_NAME_MAX},
    {"kind", JF_STR, 1, 16}, {"parent", JF_STR, 0, HL_UNIT_CODE_MAX},
};

void h_unit_add(http_req *r)
{
    if (http_body(r, unit_add_fields, sizeof unit_add_fields / sizeof *unit_add_fields))
        return;
    const char *parent = json_string_value(json_object_get(r->json, "parent"));
    hl_unit_row row = {json_string_value(json_object_get(r->json, "code")),
                       json_string_value(json_object_get(r->json, "name")),
                       json_string_value(json_object_get(r->json, "kind")),
                       parent ? parent : "", 0};
    registry_write(r, &row, 1);
}

static const http_field unit_update_fields[] = {
    {"name", JF_STR, 0, HL_UNIT_NAME_MAX},
    {"kind", JF_STR, 0, 16},
    {"parent", JF_STR, 0, HL_UNIT_CODE_MAX},
};

/* A member that must not be null when present; -1 with 400 set. */
static int not_null(http_req *r, const char *name)
{
    if (!json_is_null(json_object_get(r->json, name)))
        return 0;
    http_error(r, 400, "invalid_input", "字段 %s 不能为 null", name);
    return -1;
}

void h_unit_update(http_req *r)
{
    if (http_body(r, unit_update_fields, sizeof unit_update_fields / sizeof *unit_update_fields) ||
        not_null(r, "name") || not_null(r, "kind"))
        return;
    if (!json_object_size(r->json)) {
        http_error(r, 400, "invalid_input", "请求中没有要修改的字段（name、kind 或 parent）");
        return;
    }
    /* absent: unchanged; a null parent: first level */
    json_t *jp = json_object_get(r->json, "parent");
    hl_unit_row row = {r->params[0], json_string_value(json_object_get(r->json, "name")),
                       json_string_value(json_object_get(r->json, "kind")),
                       jp ? (json_is_string(jp) ? json_string_value(jp) : "") : NULL, 0};
    registry_write(r, &row, 0);
}

/* --- users -------------------------------------------------------------------- */

static json_t *user_json(http_req *r, const store_user *u)
{
    const hl_unit *unit = hl_units_get(&r->app->units, u->unit);
    int role = hl_enum_parse(&hl_role_enum, u->role);
    return json_pack("{s:s, s:s, s:s, s:o, s:b, s:o}", "name", u->name, "role", u->role,
                     "role_label", role >= 0 ? hl_enum_label(&hl_role_enum, role) : "?", "unit",
                     unit ? json_pack("{s:s, s:s}", "code", unit->code, "name", unit->name)
                          : json_null(),
                     "disabled", u->disabled, "created_at", http_time(r, u->created_at));
}

/* Rows of a store walk collected as JSON items (q: a text filter). */
typedef struct {
    http_req *r;
    json_t *items;
    const char *q;
} items_ctx;

static int has(const char *s, const char *q)
{
    return s && strstr(s, q);
}

/* A user, when q is in its name, role or unit's name. */
static hl_rc user_row(const store_user *u, void *arg)
{
    items_ctx *c = arg;
    json_t *j = user_json(c->r, u);
    json_t *unit = json_object_get(j, "unit");
    if (!c->q || has(u->name, c->q) || has(json_string_value(json_object_get(j, "role_label")), c->q) ||
        has(json_string_value(json_object_get(unit, "name")), c->q))
        json_array_append(c->items, j);
    json_decref(j);
    return HL_OK;
}

static int filter_param(http_req *r, const char *name, const char **out);

void h_users_list(http_req *r)
{
    static const char *const params[] = {"q", "page", "page_size"};
    int64_t page, size;
    items_ctx c = {r, NULL, NULL};
    if (http_query_only(r, params, 3) || http_page(r, &page, &size) || filter_param(r, "q", &c.q))
        return;
    c.items = json_array();
    if (store_users_each(r->store, user_row, &c, &r->err)) {
        json_decref(c.items);
        http_fail(r, &r->err);
        return;
    }
    http_json(r, 200, http_page_slice(c.items, page, size));
}

/* The unit member of a user body: *id 0 for none (absent or null);
 * -1 with the response set when it names no unit. */
static int user_unit(http_req *r, int64_t *id)
{
    const char *code = json_string_value(json_object_get(r->json, "unit"));
    *id = 0;
    if (code && !(*id = hl_units_find(&r->app->units, code))) {
        http_error(r, 422, "unit_unknown", "单位 %.64s 不存在", code);
        return -1;
    }
    return 0;
}

/* Check and hash a password (outside the write lock: argon2id is slow). */
static int hash_password(http_req *r, const char *pw, char *out, size_t size)
{
    if (hl_password_check(pw, &r->err) ||
        http_password_hash(&r->app->cfg, pw, out, size, &r->err)) {
        http_fail(r, &r->err);
        return -1;
    }
    return 0;
}

static const http_field user_add_fields[] = {
    {"name", JF_STR, 1, STORE_NAME_MAX}, {"role", JF_STR, 1, 24},
    {"unit", JF_STR, 0, HL_UNIT_NAME_MAX}, {"password", JF_STR, 1, PASSWORD_MAX},
};

void h_user_add(http_req *r)
{
    store_user u = {0};
    hl_role role;
    char detail[200];
    if (http_body(r, user_add_fields, sizeof user_add_fields / sizeof *user_add_fields) ||
        user_unit(r, &u.unit))
        return;
    const char *name = json_string_value(json_object_get(r->json, "name"));
    const char *role_name = json_string_value(json_object_get(r->json, "role"));
    if (hl_user_check(name, role_name, u.unit != 0, &role, &r->err)) {
        http_fail(r, &r->err);
        return;
    }
    const char *pw = json_string_value(json_object_get(r->json, "password"));
    if (hash_password(r, pw, u.pwhash, sizeof u.pwhash))
        return;
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.role, sizeof u.role, "%s", role_name);
    u.created_at = r->now;
    snprintf(detail, sizeof detail, "添加用户 %s（%s）", name, role_name);
    if (http_write_begin(r))
        return;
    hl_rc rc = store_user_add(r->store, &u, &r->err);
    if (!rc)
        rc = http_audit(r, "user_add", detail, &r->err);
    if (http_write_end(r, rc)) {
        http_fail(r, &r->err);
        return;
    }
    http_json(r, 201, user_json(r, &u));
}

static const http_field user_update_fields[] = {
    {"role", JF_STR, 0, 24}, {"unit", JF_STR, 0, HL_UNIT_NAME_MAX},
    {"password", JF_STR, 0, PASSWORD_MAX}, {"disabled", JF_BOOL, 0, 0},
};

/* What a PATCH asks for; role NULL and unit_given 0 when unchanged. */
typedef struct {
    const char *role;
    int unit_given;
    int64_t unit;
    int new_password;
    char pwhash[STORE_HASH_MAX];
    int disabled;                 /* -1: unchanged */
} user_patch;

static int user_patch_parse(http_req *r, user_patch *p)
{
    json_t *d = json_object_get(r->json, "disabled");
    const char *pw = json_string_value(json_object_get(r->json, "password"));
    memset(p, 0, sizeof *p);
    if (not_null(r, "role") || not_null(r, "password") || not_null(r, "disabled") ||
        user_unit(r, &p->unit))
        return -1;
    if (!json_object_size(r->json)) {
        http_error(r, 400, "invalid_input", "请求中没有要修改的字段（role、unit、password 或 disabled）");
        return -1;
    }
    p->role = json_string_value(json_object_get(r->json, "role"));
    p->unit_given = json_object_get(r->json, "unit") != NULL;
    p->disabled = d ? json_is_true(d) : -1;
    p->new_password = pw != NULL;
    return pw ? hash_password(r, pw, p->pwhash, sizeof p->pwhash) : 0;
}

/* Apply p to u (read in the transaction), refusing what an admin may not
 * do to their own account. */
static hl_rc user_patch_apply(http_req *r, const user_patch *p, store_user *u, hl_err *err)
{
    hl_role role;
    int is_self = u->id == r->user.id;
    if (is_self && p->disabled == 1)
        return hl_fail(err, HL_EDENIED, "不能停用自己的账号");
    if (is_self && p->role && strcmp(p->role, u->role) != 0)
        return hl_fail(err, HL_EDENIED, "不能更改自己的角色");
    if (p->role)
        snprintf(u->role, sizeof u->role, "%s", p->role);
    int parsed = hl_enum_parse(&hl_role_enum, u->role);
    if (p->unit_given)
        u->unit = p->unit;
    else if (p->role && parsed >= 0 && !hl_role_needs_unit((hl_role)parsed))
        u->unit = 0; /* a role without a unit drops the old one */
    if (p->new_password)
        snprintf(u->pwhash, sizeof u->pwhash, "%s", p->pwhash);
    if (p->disabled >= 0)
        u->disabled = p->disabled;
    return hl_user_check(u->name, u->role, u->unit != 0, &role, err);
}

static void user_patch_detail(http_req *r, const user_patch *p, const store_user *u, char *out,
                              size_t size)
{
    const hl_unit *unit = hl_units_get(&r->app->units, u->unit);
    snprintf(out, size, "修改用户 %s：角色 %s，单位 %s%s%s", u->name, u->role,
             unit ? unit->code : "无", p->new_password ? "，重置口令" : "",
             p->disabled == 1 ? "，停用" : p->disabled == 0 ? "，启用" : "");
}

void h_user_update(http_req *r)
{
    user_patch p;
    store_user u;
    char detail[300];
    if (http_body(r, user_update_fields, sizeof user_update_fields / sizeof *user_update_fields) ||
        user_patch_parse(r, &p) || http_write_begin(r))
        return;
    hl_rc rc = store_user_get(r->store, r->params[0], &u, &r->err);
    if (rc == HL_ENOTFOUND)
        hl_fail(&r->err, rc, "用户 %.64s 不存在", r->params[0]);
    if (!rc)
        rc = user_patch_apply(r, &p, &u, &r->err);
    if (!rc)
        rc = store_user_update(r->store, &u, &r->err);
    /* a new password or a disabled account ends every session of the user */
    if (!rc && (p.new_password || p.disabled == 1))
        rc = store_sessions_of_user_delete(r->store, u.id, &r->err);
    if (!rc) {
        user_patch_detail(r, &p, &u, detail, sizeof detail);
        rc = http_audit(r, "user_update", detail, &r->err);
    }
    if (http_write_end(r, rc)) {
        http_fail(r, &r->err);
        return;
    }
    http_sessions_forget(r->app->sessions); /* the user's role, unit or sessions changed */
    http_json(r, 200, user_json(r, &u));
}

/* --- rules -------------------------------------------------------------------- */

void h_rules_get(http_req *r)
{
    char *text = NULL;
    if (http_query_only(r, NULL, 0))
        return;
    if (store_setting_get(r->store, "rules", &text, &r->err)) {
        http_fail(r, &r->err);
        return;
    }
    json_t *j = json_loads(text, 0, NULL);
    free(text);
    if (!json_is_object(j)) {
        json_decref(j);
        http_error(r, 500, "internal_error", "数据库中的规则不是有效的 JSON 对象");
        return;
    }
    http_json(r, 200, j);
}

/* The local-time offset cannot change once orders exist: months, spans and
 * per-month counts were computed with it. */
static hl_rc check_offset(http_req *r, const hl_rules *next, hl_err *err)
{
    int64_t n = 0;
    if (next->offset_min == r->app->rules.offset_min)
        return HL_OK;
    if (store_order_count(r->store, &n, err))
        return err->rc;
    return n ? hl_fail(err, HL_EINVAL, "已有工单，不能更改 utc_offset（月份和统计按原时区计算）")
             : HL_OK;
}

void h_rules_put(http_req *r)
{
    hl_rules parsed;
    hl_err e = {0};
    char detail[64];
    if (!r->body.len || !hl_utf8_valid(r->body.data, r->body.len) ||
        memchr(r->body.data, 0, r->body.len)) {
        http_error(r, 400, "invalid_input", "请求体应为规则 JSON 对象（UTF-8 文本）");
        return;
    }
    const char *text = hl_buf_str(&r->body);
    if (hl_rules_parse(&parsed, text, &e)) {
        http_error(r, 400, hl_rc_name(e.rc), "%s", e.msg);
        return;
    }
    snprintf(detail, sizeof detail, "更新规则（%zu 字节）", r->body.len);
    if (http_write_begin(r))
        return;
    hl_rc rc = check_offset(r, &parsed, &r->err);
    if (!rc)
        rc = store_setting_put(r->store, "rules", text, &r->err);
    if (!rc)
        rc = http_audit(r, "rules_update", detail, &r->err);
    if (http_write_end(r, rc)) {
        http_fail(r, &r->err);
        return;
    }
    r->reload = 1;
    http_json(r, 200, json_loads(text, 0, NULL));
}

/* --- calendars ---------------------------------------------------------------- */

/* The {year} of the path: four digits within the years a calendar can
 * hold (2000–2099); -1 with 400 set. */
static int year_param(http_req *r, int *year)
{
    const char *s = r->params[0];
    int first = HL_CAL_FIRST_YEAR, last = HL_CAL_FIRST_YEAR + HL_CAL_YEARS - 1;
    if (strlen(s) != 4 || strspn(s, "0123456789") != 4 || atoi(s) < first || atoi(s) > last) {
        http_error(r, 400, "invalid_input", "年份应为 %d 到 %d 之间的四位数字", first, last);
        return -1;
    }
    *year = atoi(s);
    return 0;
}

static json_t *day_json(int64_t day)
{
    int y, m, d;
    char s[32];
    hl_civil_from_days(day, &y, &m, &d);
    snprintf(s, sizeof s, "%04d-%02d-%02d", y, m, d);
    return json_string(s);
}

/* {year, text, holidays (weekdays off), workdays (weekend days worked)}
 * from a calendar holding the year. */
static json_t *calendar_json(const hl_calendar *cal, int year, const char *text)
{
    json_t *off = json_array(), *on = json_array();
    int64_t first = hl_days_from_civil(year, 1, 1), end = hl_days_from_civil(year + 1, 1, 1);
    for (int64_t day = first; day < end; day++) {
        int working = 0, weekday = (int)((day + 3) % 7); /* 1970-01-01: Thursday */
        hl_calendar_is_working(cal, day, &working, NULL);
        if (weekday < 5 && !working)
            json_array_append_new(off, day_json(day));
        else if (weekday >= 5 && working)
            json_array_append_new(on, day_json(day));
    }
    return json_pack("{s:i, s:s, s:o, s:o}", "year", year, "text", text, "holidays", off,
                     "workdays", on);
}

/* Parse text into a fresh calendar (*cal caller frees); the error's
 * message when it is invalid or declares another year. */
static hl_rc calendar_parse(const char *text, int year, hl_calendar **cal, hl_err *err)
{
    int declared = 0;
    if (!(*cal = malloc(sizeof **cal)))
        return hl_fail(err, HL_ENOMEM, "内存不足");
    hl_calendar_init(*cal);
    if (hl_calendar_load(*cal, text, &declared, err))
        return err->rc;
    if (declared != year)
        return hl_fail(err, HL_EINVAL, "日历声明的年份 %d 与地址中的 %d 不一致", declared, year);
    return HL_OK;
}

void h_calendar_get(http_req *r)
{
    int year;
    char *text = NULL;
    hl_calendar *cal = NULL;
    if (http_query_only(r, NULL, 0) || year_param(r, &year))
        return;
    hl_rc rc = store_calendar_get(r->store, year, &text, &r->err);
    if (!rc)
        rc = calendar_parse(text, year, &cal, &r->err);
    if (rc)
        http_fail(r, &r->err);
    else
        http_json(r, 200, calendar_json(cal, year, text));
    free(cal);
    free(text);
}

static const http_field calendar_fields[] = {{"text", JF_STR, 1, CAL_TEXT_MAX}};

/* Store a year's calendar text in one write; 0 when committed. */
static int calendar_write(http_req *r, int year, const char *text)
{
    char detail[64];
    snprintf(detail, sizeof detail, "更新 %d 年工作日历", year);
    if (http_write_begin(r))
        return -1;
    hl_rc rc = store_calendar_put(r->store, year, text, &r->err);
    if (!rc)
        rc = http_audit(r, "calendar_update", detail, &r->err);
    if (http_write_end(r, rc)) {
        http_fail(r, &r->err);
        return -1;
    }
    r->reload = 1;
    return 0;
}

void h_calendar_put(http_req *r)
{
    int year;
    hl_calendar *cal = NULL;
    hl_err e = {0};
    if (year_param(r, &year) || http_body(r, calendar_fields, 1))
        return;
    const char *text = json_string_value(json_object_get(r->json, "text"));
    if (calendar_parse(text, year, &cal, &e) == HL_ENOMEM)
        http_fail(r, &e);
    else if (e.rc)
        http_error(r, 400, hl_rc_name(e.rc), "%s", e.msg);
    else if (calendar_write(r, year, text) == 0)
        http_json(r, 200, calendar_json(cal, year, text));
    free(cal);
}

/* --- the audit log ------------------------------------------------------------ */

static hl_rc audit_row(const store_audit_row *a, void *arg)
{
    items_ctx *c = arg;
    json_array_append_new(c->items,
                          json_pack("{s:I, s:o, s:s, s:s, s:s, s:s}", "id", (json_int_t)a->id,
                                    "at", http_time(c->r, a->at), "actor", a->actor ? a->actor : "",
                                    "action", a->action ? a->action : "", "detail",
                                    a->detail ? a->detail : "", "ip", a->ip ? a->ip : ""));
    return HL_OK;
}

/* An optional text filter of at most 64 bytes of clean text; -1 with 400. */
static int filter_param(http_req *r, const char *name, const char **out)
{
    const char *v = http_query(r, name);
    *out = v && *v ? v : NULL;
    if (*out && (strlen(v) > 64 || !hl_text_is_clean(v))) {
        http_error(r, 400, "invalid_input", "查询参数 %s 无效或过长（上限 64 字节）", name);
        return -1;
    }
    return 0;
}

void h_audit_list(http_req *r)
{
    static const char *const params[] = {"actor", "action", "page", "page_size"};
    const char *actor, *action;
    int64_t page, size, total = 0;
    if (http_query_only(r, params, 4) || http_page(r, &page, &size) ||
        filter_param(r, "actor", &actor) || filter_param(r, "action", &action))
        return;
    items_ctx c = {r, json_array(), NULL};
    if (store_audit_page(r->store, actor, action, (page - 1) * size, size, &total, audit_row, &c,
                         &r->err)) {
        json_decref(c.items);
        http_fail(r, &r->err);
        return;
    }
    http_json(r, 200, http_page_json(c.items, total, page, size));
}
