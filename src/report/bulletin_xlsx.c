/* bulletin_xlsx.c — the bulletin's annexes as an Excel workbook: one sheet
 * per table, its caption on the first row, then the table's rows as the
 * document has them (group headings, column headings, data). */
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "bulletin_int.h"

/* A cell of digits only (a count) is written as a number, anything else
 * (rates with their %, indexes with their decimals, names) as text. */
static int is_count(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s) && strlen(s) < 16;
}

static void write_table(lxw_workbook *wb, const bl_block *b, lxw_format *bold, lxw_format *wrap)
{
    const bl_table *t = &b->table;
    lxw_worksheet *ws = workbook_add_worksheet(wb, b->name);
    worksheet_write_string(ws, 0, 0, b->text, bold);
    for (size_t c = 0; c < t->ncols; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, t->widths[c] * 0.8,
                             c + 1 == t->ncols && t->ncols < 6 ? wrap : NULL);
    for (size_t r = 0; r < t->nrows; r++) {
        lxw_row_t row = (lxw_row_t)(r + 2);
        for (size_t c = 0; c < t->ncols; c++) {
            const char *v = bl_cell(t, r, c);
            lxw_format *f = t->kinds[r] == BL_ROW_DATA ? NULL : bold;
            if (!*v)
                continue;
            if (t->kinds[r] == BL_ROW_DATA && is_count(v))
                worksheet_write_number(ws, row, (lxw_col_t)c, strtod(v, NULL), NULL);
            else
                worksheet_write_string(ws, row, (lxw_col_t)c, v, f);
        }
    }
}

hl_rc bulletin_write_xlsx(const bl_doc *d, const char *path, hl_err *err)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return hl_fail(err, HL_EIO, "无法创建 %s", path);
    lxw_format *bold = workbook_add_format(wb), *wrap = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_text_wrap(wrap);
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].kind == BL_TABLE)
            write_table(wb, &d->v[i], bold, wrap);
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR)
        return hl_fail(err, HL_EIO, "写入 %s 失败：%s", path, lxw_strerror(e));
    return HL_OK;
}
