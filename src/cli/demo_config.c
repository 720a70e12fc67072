/* demo_config.c — load the demo's data: the month's volumes (JSON), the
 * per-unit targets and the appeal texts (TSV). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/timeutil.h"
#include "cli.h"
#include "demo.h"

#define DEMO_FILE_MAX (4u << 20)

void *demo_cfg(const demo *d, const char *path)
{
    char key[64];
    json_t *v = d->cfg_json;
    while (v && *path) {
        size_t n = strcspn(path, ".");
        snprintf(key, sizeof key, "%.*s", (int)n, path);
        v = json_object_get(v, key);
        path += n + (path[n] == '.');
    }
    return v;
}

int64_t demo_cfg_int(const demo *d, const char *path)
{
    return json_integer_value(demo_cfg(d, path));
}

const char *demo_cfg_str(const demo *d, const char *path)
{
    return json_string_value(demo_cfg(d, path));
}

uint64_t demo_rand(demo *d)
{
    d->rng ^= d->rng >> 12, d->rng ^= d->rng << 25, d->rng ^= d->rng >> 27;
    return d->rng * 2685821657736338717ULL;
}

int64_t demo_between(demo *d, int64_t lo, int64_t hi)
{
    return hi <= lo ? lo : lo + (int64_t)(demo_rand(d) % (uint64_t)(hi - lo + 1));
}

/* Split text into lines in place, skipping the header and # comments;
 * calls fn for each row's tab-separated fields. */
typedef hl_rc (*row_fn)(demo *d, char **f, int n, long line, hl_err *err);

static hl_rc each_row(demo *d, char *text, const char *name, row_fn fn, hl_err *err)
{
    long line = 0;
    int header = 1;
    for (char *p = text, *next; p && *p; p = next) {
        char *f[16];
        int n = 0;
        next = strchr(p, '\n');
        if (next)
            *next++ = '\0';
        line++;
        if (*p == '#' || !*p)
            continue;
        if (header) {
            header = 0;
            continue;
        }
        for (char *q = p; n < 16; q++) {
            f[n++] = q;
            q = strchr(q, '\t');
            if (!q)
                break;
            *q = '\0';
        }
        if (fn(d, f, n, line, err)) {
            hl_err_prefix(err, "%s:%ld", name, line);
            return err->rc;
        }
    }
    return HL_OK;
}

static hl_rc target_row(demo *d, char **f, int n, long line, hl_err *err)
{
    (void)line;
    demo_target t;
    int ch = n == 8 ? hl_enum_parse(&hl_channel_enum, f[0]) : -1;
    t.unit = n == 8 ? hl_units_find(d->ctx->units, f[1]) : 0;
    if (ch < 0 || !t.unit)
        return hl_fail(err, HL_ECONFIG, "应为 channel、unit（已知单位代码）及 6 个计数");
    t.channel = ch;
    int64_t *v[] = {&t.due, &t.done, &t.on_time, &t.rework, &t.dissatisfied, &t.callbacks};
    for (int i = 0; i < 6; i++)
        *v[i] = atoll(f[2 + i]) * d->scale;
    if (t.done > t.due || t.on_time > t.done || t.rework > t.due || t.dissatisfied > t.callbacks)
        return hl_fail(err, HL_ECONFIG, "计数不一致");
    demo_target *x = realloc(d->targets, (d->n_targets + 1) * sizeof *x);
    if (!x)
        return hl_fail(err, HL_ENOMEM, "内存不足");
    d->targets = x;
    d->targets[d->n_targets++] = t;
    return HL_OK;
}

static hl_rc text_row(demo *d, char **f, int n, long line, hl_err *err)
{
    (void)line;
    if (n != 2 || d->n_texts == DEMO_MAX_TEXTS)
        return hl_fail(err, HL_ECONFIG, "应为 category 和 text 两列（至多 %d 行）", DEMO_MAX_TEXTS);
    d->text_cat[d->n_texts] = f[0];
    d->text[d->n_texts++] = f[1];
    return HL_OK;
}

static hl_rc load_hotspots(demo *d, hl_err *err)
{
    json_t *arr = demo_cfg(d, "hotspots"), *h, *p;
    size_t i, k;
    json_array_foreach(arr, i, h) {
        demo_hotspot *x = &d->hotspots[d->n_hotspots];
        const char *from = json_string_value(json_object_get(h, "from"));
        if (d->n_hotspots == 16 || !from || hl_date_parse(from, &x->from_day))
            return hl_fail(err, HL_ECONFIG, "演示配置 hotspots[%zu] 无效", i);
        x->unit = hl_units_find(d->ctx->units, json_string_value(json_object_get(h, "unit")));
        x->days = (int)json_integer_value(json_object_get(h, "days"));
        x->orders = (int)json_integer_value(json_object_get(h, "orders")) * d->scale;
        x->category = json_string_value(json_object_get(h, "category"));
        x->text = json_string_value(json_object_get(h, "text"));
        x->n_places = 0;
        json_array_foreach(json_object_get(h, "places"), k, p) {
            if (x->n_places < 8)
                x->places[x->n_places++] = json_string_value(p);
        }
        if (!x->unit || x->days < 1 || !x->category || !x->text || !x->n_places)
            return hl_fail(err, HL_ECONFIG, "演示配置 hotspots[%zu] 缺少字段", i);
        d->n_hotspots++;
    }
    return HL_OK;
}

static hl_rc load_tsv(demo *d, const char *dir, const char *key, row_fn fn, char **keep,
                      hl_err *err)
{
    char path[4200];
    hl_buf text;
    const char *name = demo_cfg_str(d, key);
    if (!name)
        return hl_fail(err, HL_ECONFIG, "演示配置缺少 %s", key);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    hl_rc rc = cli_read_file(path, DEMO_FILE_MAX, &text, err);
    if (!rc)
        rc = each_row(d, text.data ? text.data : (char *)"", path, fn, err);
    if (!rc && keep) {
        *keep = text.data; /* the rows point into it */
        return HL_OK;
    }
    hl_buf_free(&text);
    return rc;
}

hl_rc demo_load(demo *d, const char *dir, int month, int scale, const hl_ctx *ctx, hl_err *err)
{
    char path[4200];
    json_error_t je;
    memset(d, 0, sizeof *d);
    d->month = month;
    d->scale = scale;
    d->ctx = ctx;
    d->rng = 0x2545F4914F6CDD1DULL ^ (uint64_t)month;
    hl_month_range(month, ctx->rules->offset_min, &d->month_from, &d->month_to);
    snprintf(path, sizeof path, "%s/%04d-%02d.json", dir, month / 100, month % 100);
    if (access(path, R_OK) != 0)
        return hl_fail(err, HL_ENOTFOUND, "没有 %04d-%02d 的演示数据（%s）", month / 100, month % 100,
                       path);
    if (!(d->cfg_json = json_load_file(path, JSON_REJECT_DUPLICATES, &je)))
        return hl_fail(err, HL_ECONFIG, "无法读取演示配置 %s：%s（第 %d 行）", path, je.text, je.line);
    const char *as_of = demo_cfg_str(d, "as_of");
    if (!as_of || hl_time_parse(as_of, &d->as_of, err))
        return hl_fail(err, HL_ECONFIG, "演示配置 %s 缺少有效的 as_of", path);
    if (load_tsv(d, dir, "targets", target_row, NULL, err) ||
        load_tsv(d, dir, "texts", text_row, &d->texts_file, err) || load_hotspots(d, err))
        return err->rc;
    return HL_OK;
}

void demo_free(demo *d)
{
    json_decref(d->cfg_json);
    free(d->targets);
    free(d->texts_file);
    free(d->orders);
}
