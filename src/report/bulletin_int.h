/* bulletin_int.h — building the bulletin's document (bulletin.c) and the
 * layout the writers share. */
#ifndef HL_REPORT_BULLETIN_INT_H
#define HL_REPORT_BULLETIN_INT_H

#include "bulletin.h"

/* 一 … 十: section numbers and the drafts' (一), (二) … */
extern const char *const bl_numerals[10];

/* A new block at the end of d (text copied); NULL without memory. */
bl_block *bl_add(bl_doc *d, bl_kind kind, const char *text);
/* A row of t->ncols cells (copied; NULL cells are empty). */
hl_rc bl_row(bl_table *t, bl_row_kind kind, const char *const *cells);
/* A bar of a chart (label copied). */
hl_rc bl_point(bl_chart *c, const char *label, double value);
/* The text of a cell (borrowed). */
const char *bl_cell(const bl_table *t, size_t row, size_t col);

#endif
