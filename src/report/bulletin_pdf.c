/* bulletin_pdf.c — the bulletin as a PDF: cairo draws, pango shapes and
 * wraps the Chinese text in the configured font (Noto Sans CJK).  A4
 * portrait; paragraphs break across pages line by line, tables row by row
 * with their column headings repeated, charts as horizontal bars. */
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "bulletin_int.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN_X 56.0
#define MARGIN_TOP 64.0
#define MARGIN_BOTTOM 64.0
#define TEXT_W (PAGE_W - 2 * MARGIN_X)
#define CELL_PAD 2.5

#ifdef __SANITIZE_ADDRESS__
/* Two leaks of the libraries themselves, reported by LeakSanitizer in the
 * sanitized builds: fontconfig's configuration parser keeps a block it no
 * longer points to, and cairo 1.16 loses a buffer while finishing a pdf's
 * font subsets (cairo_surface_finish).  Neither grows with use.  The
 * distribution's libraries have no frame pointers, so a leak's stack stops
 * in the library and only the module can be named. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libcairo.so\nleak:libfontconfig.so\n";
}
#endif

typedef struct {
    cairo_t *cr;
    PangoContext *pc;       /* of a font map of our own, released at the end */
    const char *font;
    double y;
    int page;
} pdf;

/* Font sizes and spacing per block kind. */
static const struct {
    double size, before, after;
    int bold, centered, indent;
} looks[] = {
    [BL_TITLE] = {26, 60, 18, 1, 1, 0},   [BL_SUBTITLE] = {13, 2, 6, 0, 1, 0},
    [BL_HEADING] = {14, 12, 6, 1, 0, 0},  [BL_PARA] = {12, 0, 6, 0, 0, 1},
    [BL_TABLE] = {7, 0, 12, 0, 0, 0},     [BL_CHART] = {9, 6, 12, 0, 0, 0},
};

static PangoLayout *layout(pdf *p, const char *text, double size, int bold, double width)
{
    PangoLayout *l = pango_layout_new(p->pc);
    PangoFontDescription *fd = pango_font_description_from_string(p->font);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(l, text, -1);
    return l;
}

static double height(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

static void footer(pdf *p)
{
    char n[32];
    snprintf(n, sizeof n, "— %d —", p->page);
    PangoLayout *l = layout(p, n, 9, 0, TEXT_W);
    pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    cairo_move_to(p->cr, MARGIN_X, PAGE_H - MARGIN_BOTTOM / 2 - 6);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
}

static void new_page(pdf *p)
{
    footer(p);
    cairo_show_page(p->cr);
    p->page++;
    p->y = MARGIN_TOP;
}

static void room(pdf *p, double h)
{
    if (p->y + h > PAGE_H - MARGIN_BOTTOM && p->y > MARGIN_TOP)
        new_page(p);
}

/* A paragraph, line by line so that it may continue on the next page. */
static void text_block(pdf *p, const bl_block *b)
{
    double size = looks[b->kind].size;
    PangoLayout *l = layout(p, b->text, size, looks[b->kind].bold, TEXT_W);
    if (looks[b->kind].centered)
        pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    if (looks[b->kind].indent)
        pango_layout_set_indent(l, (int)(2 * size * PANGO_SCALE));
    if (b->kind == BL_TITLE)
        cairo_set_source_rgb(p->cr, 0.75, 0, 0);
    p->y += looks[b->kind].before;
    if (b->kind == BL_HEADING)
        room(p, 4 * size); /* a heading stays with what follows */
    PangoLayoutIter *it = pango_layout_get_iter(l);
    double top = 0;
    do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        double lh = (double)r.height / PANGO_SCALE * 1.25;
        if (p->y + lh > PAGE_H - MARGIN_BOTTOM)
            new_page(p);
        top = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE - (double)r.y / PANGO_SCALE;
        cairo_move_to(p->cr, MARGIN_X + (double)r.x / PANGO_SCALE, p->y + top);
        pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
        p->y += lh;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(l);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    p->y += looks[b->kind].after;
}

/* One row: its cells wrapped in their columns, framed. */
static double table_row(pdf *p, const bl_table *t, size_t r, const double *x, int draw)
{
    double size = looks[BL_TABLE].size, h = 0;
    size_t cols = t->kinds[r] == BL_ROW_GROUP ? 1 : t->ncols;
    PangoLayout *cells[64];
    for (size_t c = 0; c < cols; c++) {
        double w = (t->kinds[r] == BL_ROW_GROUP ? x[t->ncols] : x[c + 1]) - x[c] - 2 * CELL_PAD;
        cells[c] = layout(p, bl_cell(t, r, c), size, t->kinds[r] != BL_ROW_DATA, w);
        if (t->kinds[r] != BL_ROW_GROUP)
            pango_layout_set_alignment(cells[c], PANGO_ALIGN_CENTER);
        if (height(cells[c]) > h)
            h = height(cells[c]);
    }
    h += 2 * CELL_PAD;
    for (size_t c = 0; c < cols; c++) {
        if (draw) {
            double right = t->kinds[r] == BL_ROW_GROUP ? x[t->ncols] : x[c + 1];
            cairo_rectangle(p->cr, x[c], p->y, right - x[c], h);
            cairo_stroke(p->cr);
            cairo_move_to(p->cr, x[c] + CELL_PAD, p->y + (h - height(cells[c])) / 2);
            pango_cairo_show_layout(p->cr, cells[c]);
        }
        g_object_unref(cells[c]);
    }
    return h;
}

static void table_block(pdf *p, const bl_block *b)
{
    const bl_table *t = &b->table;
    double x[65], total = 0;
    size_t head = (size_t)-1;
    if (t->ncols > 64)
        return;
    for (size_t c = 0; c < t->ncols; c++)
        total += t->widths[c];
    x[0] = MARGIN_X;
    for (size_t c = 0; c < t->ncols; c++)
        x[c + 1] = x[c] + TEXT_W * t->widths[c] / total;
    bl_block caption = {.kind = BL_SUBTITLE, .text = b->text};
    room(p, 60);
    text_block(p, &caption);
    cairo_set_line_width(p->cr, 0.5);
    for (size_t r = 0; r < t->nrows; r++) {
        double h = table_row(p, t, r, x, 0);
        if (t->kinds[r] == BL_ROW_HEAD)
            head = r;
        /* a group heading and the column headings stay with a data row */
        double keep = t->kinds[r] == BL_ROW_DATA ? 0 : 3 * h;
        if (p->y + h + keep > PAGE_H - MARGIN_BOTTOM) {
            new_page(p);
            if (head != (size_t)-1 && t->kinds[r] == BL_ROW_DATA)
                p->y += table_row(p, t, head, x, 1);
        }
        p->y += table_row(p, t, r, x, 1);
    }
    p->y += looks[BL_TABLE].after;
}

/* Horizontal bars, one per label, scaled to the largest value. */
static void chart_block(pdf *p, const bl_block *b)
{
    const bl_chart *c = &b->chart;
    double size = looks[BL_CHART].size, bar = size * 1.8, label_w = 150, max = 0;
    for (size_t i = 0; i < c->n; i++)
        max = c->values[i] > max ? c->values[i] : max;
    room(p, bar * (double)c->n + 40);
    bl_block caption = {.kind = BL_SUBTITLE, .text = b->text};
    text_block(p, &caption);
    for (size_t i = 0; i < c->n; i++) {
        char v[32];
        PangoLayout *l = layout(p, c->labels[i], size, 0, label_w - 8);
        pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
        pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
        cairo_move_to(p->cr, MARGIN_X, p->y + (bar - height(l)) / 2);
        pango_cairo_show_layout(p->cr, l);
        g_object_unref(l);
        double w = max > 0 ? (TEXT_W - label_w - 60) * c->values[i] / max : 0;
        cairo_set_source_rgb(p->cr, 0.22, 0.45, 0.75);
        cairo_rectangle(p->cr, MARGIN_X + label_w, p->y + 2, w, bar - 4);
        cairo_fill(p->cr);
        cairo_set_source_rgb(p->cr, 0, 0, 0);
        snprintf(v, sizeof v, "%.0f", c->values[i]);
        l = layout(p, v, size, 0, 60);
        cairo_move_to(p->cr, MARGIN_X + label_w + w + 4, p->y + (bar - height(l)) / 2);
        pango_cairo_show_layout(p->cr, l);
        g_object_unref(l);
        p->y += bar;
    }
    p->y += looks[BL_CHART].after;
}

hl_rc bulletin_write_pdf(const bl_doc *d, const char *path, hl_err *err)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return hl_fail(err, HL_EIO, "无法创建 %s", path);
    }
    PangoFontMap *fm = pango_cairo_font_map_new();
    pdf p = {cairo_create(s), pango_font_map_create_context(fm), d->font, MARGIN_TOP, 1};
    pango_cairo_update_context(p.cr, p.pc);
    for (size_t i = 0; i < d->n; i++) {
        const bl_block *b = &d->v[i];
        if (b->kind == BL_TABLE)
            table_block(&p, b);
        else if (b->kind == BL_CHART)
            chart_block(&p, b);
        else if (b->kind == BL_BREAK)
            new_page(&p);
        else
            text_block(&p, b);
    }
    footer(&p);
    cairo_show_page(p.cr);
    cairo_status_t st = cairo_status(p.cr);
    g_object_unref(p.pc);
    g_object_unref(fm);
    cairo_destroy(p.cr);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS)
        return hl_fail(err, HL_EIO, "写入 %s 失败：%s", path, cairo_status_to_string(st));
    return HL_OK;
}
