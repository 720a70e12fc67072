#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"

static const char *const kind_names[UNIT_KIND__COUNT] = {"county", "agency", "enterprise"};

const char *hl_unit_kind_name(hl_unit_kind k)
{
    return (unsigned)k < UNIT_KIND__COUNT ? kind_names[k] : "?";
}

int hl_unit_kind_parse(const char *s)
{
    for (int k = 0; k < UNIT_KIND__COUNT; k++)
        if (strcmp(s, kind_names[k]) == 0)
            return k;
    return -1;
}

void hl_units_init(hl_units *u)
{
    memset(u, 0, sizeof *u);
    hl_map_init(&u->by_code);
    hl_map_init(&u->by_name);
}

void hl_units_free(hl_units *u)
{
    for (size_t i = 0; i < u->n; i++) {
        free(u->v[i].code);
        free(u->v[i].name);
    }
    free(u->v);
    hl_map_free(&u->by_code);
    hl_map_free(&u->by_name);
    hl_units_init(u);
}

const hl_unit *hl_units_get(const hl_units *u, int64_t id)
{
    if (id < 1 || (size_t)id > u->n)
        return NULL;
    return &u->v[id - 1];
}

int64_t hl_units_find(const hl_units *u, const char *s)
{
    int64_t id;
    if (hl_map_get(&u->by_code, s, &id) || hl_map_get(&u->by_name, s, &id))
        return id;
    return 0;
}

int64_t hl_units_root(const hl_units *u, int64_t id)
{
    const hl_unit *x = hl_units_get(u, id);
    /* merge() guarantees the forest is acyclic, so this terminates */
    while (x && x->parent)
        x = hl_units_get(u, x->parent);
    return x ? x->id : 0;
}

int hl_units_within(const hl_units *u, int64_t id, int64_t anc)
{
    for (const hl_unit *x = hl_units_get(u, id); x; x = hl_units_get(u, x->parent))
        if (x->id == anc)
            return 1;
    return 0;
}

/* Append without touching the maps. */
static hl_rc append(hl_units *u, const char *code, const char *name, hl_unit_kind kind,
                    int64_t parent)
{
    if (hl_grow(&u->v, &u->cap, u->n, sizeof *u->v, 32))
        return HL_ENOMEM;
    hl_unit *x = &u->v[u->n];
    x->code = strdup(code);
    x->name = strdup(name);
    if (!x->code || !x->name) {
        free(x->code);
        free(x->name);
        return HL_ENOMEM;
    }
    x->id = (int64_t)++u->n;
    x->kind = kind;
    x->parent = parent;
    return HL_OK;
}

hl_rc hl_units_load(hl_units *u, int64_t id, const char *code, const char *name,
                    hl_unit_kind kind, int64_t parent)
{
    if (id != (int64_t)u->n + 1)
        return HL_EINVAL;
    hl_rc rc = append(u, code, name, kind, parent);
    if (!rc)
        rc = hl_map_put(&u->by_code, code, id);
    if (!rc)
        rc = hl_map_put(&u->by_name, name, id);
    return rc;
}

static hl_rc clone(const hl_units *src, hl_units *dst)
{
    hl_units_init(dst);
    for (size_t i = 0; i < src->n; i++) {
        const hl_unit *x = &src->v[i];
        hl_rc rc = hl_units_load(dst, x->id, x->code, x->name, x->kind, x->parent);
        if (rc)
            return rc;
    }
    return HL_OK;
}

static hl_rc check_row(const hl_unit_row *r, hl_err *err)
{
    size_t n = strlen(r->code);
    if (n == 0 || n > HL_UNIT_CODE_MAX || strspn(r->code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                          "abcdefghijklmnopqrstuvwxyz"
                                                          "0123456789_-") != n)
        return hl_fail_line(err, r->line, HL_EINVAL, "单位代码“%.40s”不合规（1–32 位字母、数字、_ 或 -）", r->code);
    if (!*r->name || strlen(r->name) > HL_UNIT_NAME_MAX || !hl_text_is_clean(r->name))
        return hl_fail_line(err, r->line, HL_EINVAL, "单位名称为空、过长或含控制字符");
    if (hl_unit_kind_parse(r->kind) < 0)
        return hl_fail_line(err, r->line, HL_EINVAL,
                            "单位类型“%.40s”无效（应为 county、agency 或 enterprise）", r->kind);
    return HL_OK;
}

/* Apply rows to a clone: codes and fields first, parents second (a parent
 * may come later in the file). */
static hl_rc apply_rows(hl_units *w, const hl_unit_row *rows, size_t n, hl_err *err)
{
    hl_map seen;
    hl_map_init(&seen);
    hl_rc rc = HL_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        const hl_unit_row *r = &rows[i];
        int64_t id, dummy;
        if ((rc = check_row(r, err)))
            break;
        if (hl_map_get(&seen, r->code, &dummy)) {
            rc = hl_fail_line(err, r->line, HL_EINVAL, "单位代码 %s 重复", r->code);
            break;
        }
        if ((rc = hl_map_put(&seen, r->code, 1)))
            break;
        if (hl_map_get(&w->by_code, r->code, &id)) {
            hl_unit *x = &w->v[id - 1];
            char *name = strdup(r->name);
            if (!name) {
                rc = HL_ENOMEM;
                break;
            }
            free(x->name);
            x->name = name;
            x->kind = (hl_unit_kind)hl_unit_kind_parse(r->kind);
        } else if (!(rc = append(w, r->code, r->name, (hl_unit_kind)hl_unit_kind_parse(r->kind), 0))) {
            rc = hl_map_put(&w->by_code, r->code, (int64_t)w->n);
        }
    }
    hl_map_free(&seen);
    for (size_t i = 0; i < n && !rc; i++) {
        const hl_unit_row *r = &rows[i];
        int64_t id, parent = 0;
        hl_map_get(&w->by_code, r->code, &id);
        if (*r->parent_code && !hl_map_get(&w->by_code, r->parent_code, &parent))
            rc = hl_fail_line(err, r->line, HL_EUNIT_UNKNOWN, "上级单位 %.40s 不存在",
                         r->parent_code);
        w->v[id - 1].parent = parent;
    }
    return rc;
}

static long line_of(const hl_unit_row *rows, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].code, code) == 0)
            return rows[i].line;
    return 0;
}

/* Names must be unique and the parent links acyclic. */
static hl_rc check_registry(hl_units *w, const hl_unit_row *rows, size_t n, hl_err *err)
{
    hl_map_free(&w->by_name);
    for (size_t i = 0; i < w->n; i++) {
        const hl_unit *x = &w->v[i];
        int64_t other;
        if (hl_map_get(&w->by_code, x->name, &other) && other != x->id)
            return hl_fail_line(err, line_of(rows, n, x->code), HL_EINVAL,
                                "单位名称“%s”与单位代码 %s 相同（事件按代码或名称指称单位）", x->name,
                                w->v[other - 1].code);
        if (hl_map_get(&w->by_name, x->name, &other))
            return hl_fail_line(err, line_of(rows, n, x->code), HL_EINVAL, "单位名称“%s”与单位 %s 重复", x->name, w->v[other - 1].code);
        hl_rc rc = hl_map_put(&w->by_name, x->name, x->id);
        if (rc)
            return rc;
    }
    for (size_t i = 0; i < w->n; i++) {
        const hl_unit *x = &w->v[i];
        size_t steps = 0;
        for (int64_t p = x->parent; p; p = w->v[p - 1].parent)
            if (++steps > w->n)
                return hl_fail_line(err, line_of(rows, n, x->code), HL_EUNIT_CYCLE, "单位 %s 的上级关系构成循环", x->code);
    }
    return HL_OK;
}

hl_rc hl_units_merge(hl_units *u, const hl_unit_row *rows, size_t n, hl_err *err)
{
    hl_units w;
    hl_rc rc = clone(u, &w);
    if (!rc)
        rc = apply_rows(&w, rows, n, err);
    if (!rc)
        rc = check_registry(&w, rows, n, err);
    if (rc) {
        if (rc == HL_ENOMEM)
            hl_fail(err, rc, "内存不足");
        hl_units_free(&w);
        return rc;
    }
    hl_units_free(u);
    *u = w;
    return HL_OK;
}
