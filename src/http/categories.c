/* categories.c — the appeal category tree as data: data/categories.tsv
 * (`code	group	name`, one row per second-level category, '#' comments),
 * read once from the app's data directory and kept for the process's life.
 * Open311 lists it as services; the mailbox checks a letter's category
 * against it. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/utf8.h"
#include "public.h"
#include "routes.h"

#ifndef HL_DATA_DIR
#define HL_DATA_DIR "data"
#endif

#define CAT_FILE "categories.tsv"
#define CAT_HEADER "code\tgroup\tname"
#define CAT_MAX 2000
#define CAT_FILE_MAX (1L << 20)

static struct {
    pthread_mutex_t lock;
    http_category *v;   /* NULL until loaded; then kept until exit */
    size_t n;
} cats = {PTHREAD_MUTEX_INITIALIZER, NULL, 0};

static int code_ok(const char *s)
{
    size_t n = strlen(s);
    return n >= 1 && n <= 16 &&
           strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static int label_ok(const char *s, size_t size)
{
    return *s && strlen(s) < size && hl_text_is_clean(s) && !strstr(s, HL_CATEGORY_SEP);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* One data line (tabs split in place) into c. */
static hl_rc cat_line(char *line, long no, http_category *c, hl_err *err)
{
    char *f[3], *p = line;
    for (int i = 0; i < 3; i++) {
        f[i] = p;
        p = strchr(p, '\t');
        if (i < 2 && !p)
            return hl_fail(err, HL_ECONFIG, "%s:%ld: 应有 3 列（code、group、name）", CAT_FILE, no);
        if (p)
            *p++ = '\0';
    }
    if (p)
        return hl_fail(err, HL_ECONFIG, "%s:%ld: 列数多于 3", CAT_FILE, no);
    if (!code_ok(f[0]))
        return hl_fail(err, HL_ECONFIG, "%s:%ld: 代码应为 1–16 个字母、数字、_ 或 -", CAT_FILE, no);
    if (!label_ok(f[1], sizeof c->group) || !ends_with(f[1], "类"))
        return hl_fail(err, HL_ECONFIG, "%s:%ld: 一级类型应以“类”结尾且不含控制字符", CAT_FILE, no);
    if (!label_ok(f[2], sizeof c->name))
        return hl_fail(err, HL_ECONFIG, "%s:%ld: 二级类型无效", CAT_FILE, no);
    snprintf(c->code, sizeof c->code, "%s", f[0]);
    snprintf(c->group, sizeof c->group, "%s", f[1]);
    snprintf(c->name, sizeof c->name, "%s", f[2]);
    return HL_OK;
}

/* A code or a (group, name) pair seen before row n. */
static int cat_dup(const http_category *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].code, v[n].code) == 0 ||
            (strcmp(v[i].group, v[n].group) == 0 && strcmp(v[i].name, v[n].name) == 0))
            return 1;
    return 0;
}

static hl_rc cat_parse(char *text, http_category **out, size_t *n, hl_err *err)
{
    http_category *v = NULL;
    size_t cap = 0;
    int header = 0;
    long no = 0;
    hl_rc rc = HL_OK;
    *n = 0;
    for (char *line = text, *next; !rc && line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        no++;
        line[strcspn(line, "\r")] = '\0';
        if (!*line || *line == '#')
            continue;
        if (!header) {
            header = 1;
            if (strcmp(line, CAT_HEADER) != 0)
                rc = hl_fail(err, HL_ECONFIG, "%s:%ld: 表头应为 code、group、name", CAT_FILE, no);
        } else if (*n == CAT_MAX) {
            rc = hl_fail(err, HL_ECONFIG, "%s: 类型多于 %d 个", CAT_FILE, CAT_MAX);
        } else if (!(rc = hl_grow(&v, &cap, *n, sizeof *v, 64)) &&
                   !(rc = cat_line(line, no, &v[*n], err))) {
            if (cat_dup(v, *n))
                rc = hl_fail(err, HL_ECONFIG, "%s:%ld: 代码或类型重复", CAT_FILE, no);
            else
                (*n)++;
        } else if (rc == HL_ENOMEM) {
            hl_fail(err, HL_ENOMEM, "内存不足");
        }
    }
    if (!rc && !*n)
        rc = hl_fail(err, HL_ECONFIG, "%s: 没有任何类型", CAT_FILE);
    if (rc)
        free(v);
    else
        *out = v;
    return rc;
}

static hl_rc cat_load(const char *dir, hl_err *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, CAT_FILE);
    FILE *f = fopen(path, "rb");
    if (!f)
        return hl_fail(err, HL_ECONFIG, "无法读取诉求类型表 %s", path);
    char *text = malloc((size_t)CAT_FILE_MAX + 1);
    size_t len = text ? fread(text, 1, (size_t)CAT_FILE_MAX + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    if (!text)
        return hl_fail(err, HL_ENOMEM, "内存不足");
    hl_rc rc = HL_OK;
    if (bad || len > (size_t)CAT_FILE_MAX)
        rc = hl_fail(err, HL_ECONFIG, "诉求类型表 %s 无法读取或超过 1 MiB", path);
    else if (text[len] = '\0', memchr(text, 0, len) || !hl_utf8_valid(text, len))
        rc = hl_fail(err, HL_ECONFIG, "诉求类型表 %s 不是有效的 UTF-8 文本", path);
    else
        rc = cat_parse(text, &cats.v, &cats.n, err);
    free(text);
    return rc;
}

const http_category *http_categories(http_req *r, size_t *n, hl_err *err)
{
    const char *dir = r->app->data_dir ? r->app->data_dir : HL_DATA_DIR;
    pthread_mutex_lock(&cats.lock);
    if (!cats.v && cat_load(dir, err))
        cats.n = 0; /* not cached: the next request tries again */
    const http_category *v = cats.v;
    *n = cats.n;
    pthread_mutex_unlock(&cats.lock);
    return v;
}

const http_category *http_category_by_code(http_req *r, const char *code, hl_err *err)
{
    size_t n;
    const http_category *v = http_categories(r, &n, err);
    err->rc = v ? HL_OK : err->rc;
    for (size_t i = 0; v && i < n; i++)
        if (strcmp(v[i].code, code) == 0)
            return &v[i];
    return NULL;
}

int http_category_known(http_req *r, const char *label, hl_err *err)
{
    size_t n;
    const http_category *v = http_categories(r, &n, err);
    if (!v)
        return -1;
    const char *sep = strstr(label, HL_CATEGORY_SEP);
    size_t glen = sep ? (size_t)(sep - label) : strlen(label);
    for (size_t i = 0; i < n; i++)
        if (strlen(v[i].group) == glen && memcmp(v[i].group, label, glen) == 0 &&
            (!sep || strcmp(v[i].name, sep + strlen(HL_CATEGORY_SEP)) == 0))
            return 1;
    return 0;
}

/* The group object named `group` in the array, appended when new (borrowed). */
static json_t *group_of(json_t *groups, const char *group)
{
    size_t i;
    json_t *g;
    json_array_foreach(groups, i, g) {
        if (strcmp(json_string_value(json_object_get(g, "name")), group) == 0)
            return g;
    }
    g = json_pack("{s:s, s:[]}", "name", group, "children");
    json_array_append_new(groups, g);
    return g;
}

/* GET /api/v1/categories: the tree by top level, in the file's order. */
void h_categories(http_req *r)
{
    size_t n;
    if (http_query_only(r, NULL, 0))
        return;
    const http_category *v = http_categories(r, &n, &r->err);
    if (!v) {
        http_fail(r, &r->err);
        return;
    }
    json_t *groups = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(json_object_get(group_of(groups, v[i].group), "children"),
                              json_pack("{s:s, s:s}", "code", v[i].code, "name", v[i].name));
    http_json(r, 200, json_pack("{s:o}", "items", groups));
}
