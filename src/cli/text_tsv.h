/* text_tsv.h — the message files of `text eval` and `text hotspots`
 * (tab-separated, a header line, one record per line) read whole into
 * rows of fields, and data/text.json. */
#ifndef HL_TEXT_TSV_H
#define HL_TEXT_TSV_H

#include <stddef.h>

#include "../core/buf.h"
#include "../core/err.h"

typedef struct {
    hl_buf text;       /* the file, split in place */
    char **cell;       /* [rows * cols] */
    size_t rows, cols;
} text_table;

/* Read path: a header line whose first field is `first`, then rows of
 * exactly cols fields of clean UTF-8.  A bad line is named by its number. */
hl_rc text_table_read(const char *path, const char *first, size_t cols, text_table *t,
                      hl_err *err);
void text_table_free(text_table *t);

static inline char *text_cell(const text_table *t, size_t row, size_t col)
{
    return t->cell[row * t->cols + col];
}

/* The text of data_dir/text.json (caller frees with hl_buf_free). */
hl_rc text_config_read(const char *data_dir, hl_buf *out, hl_err *err);

#endif
