/* bulletin.h — the monthly bulletin (工作通报) as a format-neutral document:
 * a list of blocks (title lines, headings, paragraphs, tables, charts) that
 * bulletin_docx.c, bulletin_pdf.c and bulletin_xlsx.c write out and the HTTP
 * API serves as JSON.  Every figure comes from figures_run(), the annexes
 * from the assessment and the confirmed ledger entries; the narrative
 * sections (一, 四, 五) and the hot spots are handed in. */
#ifndef HL_REPORT_BULLETIN_H
#define HL_REPORT_BULLETIN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../store/store.h"
#include "figures.h"

typedef enum { BL_TITLE, BL_SUBTITLE, BL_HEADING, BL_PARA, BL_TABLE, BL_CHART, BL_BREAK } bl_kind;

/* A table row: the header, a group heading (first cell only, spanning the
 * row: 县市区, 行政事业单位 …) or data. */
typedef enum { BL_ROW_HEAD, BL_ROW_GROUP, BL_ROW_DATA } bl_row_kind;

typedef struct {
    size_t ncols, nrows, cap;
    char **cells;           /* nrows × ncols, each owned ("" for empty) */
    bl_row_kind *kinds;     /* per row */
    const int *widths;      /* ncols relative column widths (static) */
} bl_table;

typedef struct {
    size_t n;
    char **labels;          /* owned */
    double *values;
} bl_chart;

typedef struct {
    bl_kind kind;
    char *text;             /* title, heading, paragraph; a table's or chart's caption */
    char *name;             /* a table's sheet name (annexes), NULL otherwise */
    bl_table table;
    bl_chart chart;
} bl_block;

typedef struct {
    int month;
    char font[64];          /* the pdf's font family (bl_config) */
    bl_block *v;
    size_t n, cap;
} bl_doc;

/* Text a manager writes for the month (NULL or "" when not written): the
 * sections 一 工作动态, 四 工作经验交流, 五 存在的问题, one paragraph per line,
 * and the hot spots of section 二（二）, one per line (until hot-spot
 * detection fills them). */
enum { BL_SEC_NEWS, BL_SEC_HOTSPOTS, BL_SEC_EXPERIENCE, BL_SEC_PROBLEMS, BL_SEC__COUNT };
extern const int bl_section_numbers[BL_SEC__COUNT]; /* 1, 2, 4, 5: the API's section ids */

/* The latest saved version of each manager-written section (store). */
typedef struct {
    char *text[BL_SEC__COUNT], *author[BL_SEC__COUNT]; /* owned; NULL: never saved */
    int64_t version[BL_SEC__COUNT], at[BL_SEC__COUNT];
} bl_sections;
hl_rc bulletin_sections_load(hl_store *s, int month, bl_sections *x, hl_err *err);
void bulletin_sections_free(bl_sections *x);

/* The bulletin's fixed wording (data/bulletin.json). */
typedef struct {
    char title[128];        /* 政务服务热线工作通报 */
    char center[128];       /* 岳阳市人民政府 12345 热线服务中心 */
    char distribution[512]; /* 分送：… */
    char font[64];          /* the pdf's font family: Noto Sans CJK SC */
    int64_t draft_rework_rate; /* drafts of 五 name units above this rework rate (percent) */
    int64_t draft_min_due;     /* … with at least this many orders due */
    int chart_categories;      /* categories in the chart of section 二（一） */
} bl_config;

hl_rc bulletin_config_load(const char *path, bl_config *c, hl_err *err);

typedef struct {
    int issue;                      /* 第 N 期; 0: the month's number */
    int64_t date;                   /* the date printed (the cut-off, or now) */
    const char *section[BL_SEC__COUNT];
    const bl_config *config;
} bl_input;

/* The document for figures f (figures_run) and the month's ledger.
 * bulletin_free() releases it, also on error. */
hl_rc bulletin_build(hl_store *s, const hl_ctx *ctx, const hl_figures *f, const bl_input *in,
                     bl_doc *d, hl_err *err);
void bulletin_free(bl_doc *d);

/* figures_run and bulletin_build in one: the month's document as of asof
 * (0: now), in a read transaction the caller holds. */
hl_rc bulletin_make(hl_store *s, const hl_ctx *ctx, int month, int64_t asof, int64_t now,
                    const bl_input *in, bl_doc *d, hl_err *err);

/* docx, pdf and xlsx (bulletin.docx, bulletin.pdf, annexes.xlsx) into dir. */
hl_rc bulletin_write_all(const bl_doc *d, const char *dir, hl_err *err);

/* The drafts the system proposes for section 五, one paragraph per line
 * (caller frees): units with badly overdue orders (with their numbers) and
 * lapsed knowledge-base reminders, from the month's ledger entries, and
 * units with a high rework rate, from the assessment. */
hl_rc bulletin_drafts(hl_store *s, const hl_ctx *ctx, const hl_figures *f, const bl_config *c,
                      char **out, hl_err *err);

/* The document as JSON (the web page's preview; caller owns it). */
json_t *bulletin_json(const bl_doc *d);

/* The three files (bulletin_docx.c, bulletin_pdf.c, bulletin_xlsx.c). */
hl_rc bulletin_write_docx(const bl_doc *d, const char *path, hl_err *err);
hl_rc bulletin_write_pdf(const bl_doc *d, const char *path, hl_err *err);
hl_rc bulletin_write_xlsx(const bl_doc *d, const char *path, hl_err *err);

#endif
