/* bulletin.c — the bulletin's document model: blocks, tables and charts,
 * their JSON, and the bulletin's fixed wording (data/bulletin.json). */
#include "bulletin.h"

#include <stdlib.h>
#include <string.h>

#include "bulletin_int.h"

const int bl_section_numbers[BL_SEC__COUNT] = {1, 2, 4, 5};

static const char *const kind_names[] = {"title", "subtitle", "heading", "paragraph",
                                         "table", "chart", "break"};
static const char *const row_names[] = {"head", "group", "data"};

bl_block *bl_add(bl_doc *d, bl_kind kind, const char *text)
{
    if (hl_grow(&d->v, &d->cap, d->n, sizeof *d->v, 64))
        return NULL;
    bl_block *b = &d->v[d->n];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->text = strdup(text ? text : "");
    if (!b->text)
        return NULL;
    d->n++;
    return b;
}

hl_rc bl_row(bl_table *t, bl_row_kind kind, const char *const *cells)
{
    if (hl_grow(&t->kinds, &t->cap, t->nrows, sizeof *t->kinds, 64))
        return HL_ENOMEM;
    char **grown = realloc(t->cells, t->cap * t->ncols * sizeof *grown);
    if (!grown)
        return HL_ENOMEM;
    t->cells = grown;
    char **row = t->cells + t->nrows * t->ncols;
    size_t made = 0;
    for (; made < t->ncols; made++)
        if (!(row[made] = strdup(cells[made] ? cells[made] : "")))
            break;
    if (made < t->ncols) {
        while (made--)
            free(row[made]);
        return HL_ENOMEM;
    }
    t->kinds[t->nrows++] = kind;
    return HL_OK;
}

hl_rc bl_point(bl_chart *c, const char *label, double value)
{
    char **l = realloc(c->labels, (c->n + 1) * sizeof *l);
    if (l)
        c->labels = l;
    double *v = l ? realloc(c->values, (c->n + 1) * sizeof *v) : NULL;
    if (v)
        c->values = v;
    if (!l || !v || !(c->labels[c->n] = strdup(label)))
        return HL_ENOMEM;
    c->values[c->n++] = value;
    return HL_OK;
}

const char *bl_cell(const bl_table *t, size_t row, size_t col)
{
    return t->cells[row * t->ncols + col];
}

void bulletin_free(bl_doc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        bl_block *b = &d->v[i];
        for (size_t k = 0; k < b->table.nrows * b->table.ncols; k++)
            free(b->table.cells[k]);
        free(b->table.cells);
        free(b->table.kinds);
        for (size_t k = 0; k < b->chart.n; k++)
            free(b->chart.labels[k]);
        free(b->chart.labels);
        free(b->chart.values);
        free(b->text);
        free(b->name);
    }
    free(d->v);
    memset(d, 0, sizeof *d);
}

static json_t *table_json(const bl_table *t)
{
    json_t *rows = json_array();
    for (size_t r = 0; r < t->nrows; r++) {
        json_t *cells = json_array();
        for (size_t c = 0; c < t->ncols; c++)
            json_array_append_new(cells, json_string(bl_cell(t, r, c)));
        json_array_append_new(rows, json_pack("{s:s, s:o}", "kind", row_names[t->kinds[r]],
                                              "cells", cells));
    }
    return rows;
}

static json_t *chart_json(const bl_chart *c)
{
    json_t *labels = json_array(), *values = json_array();
    for (size_t i = 0; i < c->n; i++) {
        json_array_append_new(labels, json_string(c->labels[i]));
        json_array_append_new(values, json_real(c->values[i]));
    }
    return json_pack("{s:o, s:o}", "labels", labels, "values", values);
}

json_t *bulletin_json(const bl_doc *d)
{
    json_t *blocks = json_array();
    char month[16];
    for (size_t i = 0; i < d->n; i++) {
        const bl_block *b = &d->v[i];
        json_t *o = json_pack("{s:s, s:s}", "kind", kind_names[b->kind], "text", b->text);
        if (b->name)
            json_object_set_new(o, "name", json_string(b->name));
        if (b->kind == BL_TABLE)
            json_object_set_new(o, "rows", table_json(&b->table));
        if (b->kind == BL_CHART)
            json_object_set_new(o, "chart", chart_json(&b->chart));
        json_array_append_new(blocks, o);
    }
    snprintf(month, sizeof month, "%04d-%02d", d->month / 100 % 10000, d->month % 100);
    return json_pack("{s:s, s:o}", "month", month, "blocks", blocks);
}

hl_rc bulletin_write_all(const bl_doc *d, const char *dir, hl_err *err)
{
    static const char *const names[] = {"bulletin.docx", "bulletin.pdf", "annexes.xlsx"};
    hl_rc (*const writers[])(const bl_doc *, const char *, hl_err *) = {
        bulletin_write_docx, bulletin_write_pdf, bulletin_write_xlsx};
    char path[4096];
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (writers[i](d, path, err))
            return err->rc;
    }
    return HL_OK;
}

static hl_rc section_row(const store_section *r, void *arg)
{
    bl_sections *x = arg;
    for (int i = 0; i < BL_SEC__COUNT; i++)
        if (bl_section_numbers[i] == r->section) {
            free(x->text[i]);
            free(x->author[i]);
            x->text[i] = strdup(r->text ? r->text : "");
            x->author[i] = strdup(r->author ? r->author : "");
            x->version[i] = r->version;
            x->at[i] = r->at;
            if (!x->text[i] || !x->author[i])
                return HL_ENOMEM;
        }
    return HL_OK;
}

hl_rc bulletin_sections_load(hl_store *s, int month, bl_sections *x, hl_err *err)
{
    memset(x, 0, sizeof *x);
    hl_rc rc = store_sections_latest(s, month, section_row, x, err);
    return rc == HL_ENOMEM ? hl_fail(err, rc, "内存不足") : rc;
}

void bulletin_sections_free(bl_sections *x)
{
    for (int i = 0; i < BL_SEC__COUNT; i++) {
        free(x->text[i]);
        free(x->author[i]);
    }
    memset(x, 0, sizeof *x);
}

/* A string member of at most size - 1 bytes. */
static hl_rc config_str(json_t *root, const char *key, char *out, size_t size, hl_err *err)
{
    const char *v = json_string_value(json_object_get(root, key));
    if (!v || strlen(v) >= size)
        return hl_fail(err, HL_ECONFIG, "bulletin.json：%s 应为不超过 %zu 字节的文本", key,
                       size - 1);
    memcpy(out, v, strlen(v) + 1);
    return HL_OK;
}

static hl_rc config_int(json_t *root, const char *key, int64_t *out, hl_err *err)
{
    json_t *v = json_object_get(root, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return hl_fail(err, HL_ECONFIG, "bulletin.json：%s 应为非负整数", key);
    *out = json_integer_value(v);
    return HL_OK;
}

hl_rc bulletin_config_load(const char *path, bl_config *c, hl_err *err)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    int64_t charted;
    memset(c, 0, sizeof *c);
    if (!root)
        return hl_fail(err, HL_ECONFIG, "%s 第 %d 行：%s", path, je.line, je.text);
    hl_rc rc = config_str(root, "title", c->title, sizeof c->title, err);
    if (!rc)
        rc = config_str(root, "center", c->center, sizeof c->center, err);
    if (!rc)
        rc = config_str(root, "distribution", c->distribution, sizeof c->distribution, err);
    if (!rc)
        rc = config_str(root, "font", c->font, sizeof c->font, err);
    if (!rc)
        rc = config_int(root, "draft_rework_rate", &c->draft_rework_rate, err);
    if (!rc)
        rc = config_int(root, "draft_min_due", &c->draft_min_due, err);
    if (!rc)
        rc = config_int(root, "chart_categories", &charted, err);
    c->chart_categories = (int)charted;
    json_decref(root);
    return rc;
}
