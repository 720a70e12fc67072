/* assessment_out.h — writing an assessment out. */
#ifndef HL_REPORT_ASSESSMENT_OUT_H
#define HL_REPORT_ASSESSMENT_OUT_H

#include <jansson.h>
#include <stdio.h>

#include "assessment.h"

/* v in 10^-decimals as text: hl_fixed(977, 2) = "9.77". */
void hl_fixed(int64_t v, int decimals, char *out, size_t size);

/* An annex row (附件 1, 2): unit, due, done, done rate … index, grade, as
 * the bulletin prints them; the callback columns follow the channel's rules. */
#define ASSESS_COLS 12
#define ASSESS_CELL 64
void assessment_cells(const hl_assessment *a, const hl_ctx *ctx, const hl_score *s,
                      char cells[ASSESS_COLS][ASSESS_CELL]);
/* The annexes' column headings (static strings). */
const char *assessment_head(const hl_assessment *a, const hl_ctx *ctx, int col);
/* The annexes' unit kind headings: 县市区, 行政事业单位, 公共服务企业. */
extern const char *const assessment_kind_titles[UNIT_KIND__COUNT];

/* One header line and one row per graded unit, the annexes' columns. */
hl_rc assessment_write_tsv(const hl_assessment *a, const hl_ctx *ctx, FILE *f);

/* The assessment as an Excel workbook at path, laid out like the annexes. */
hl_rc assessment_write_xlsx(const hl_assessment *a, const hl_ctx *ctx, const char *path,
                            hl_err *err);

/* The assessment as a JSON object (caller owns the reference). */
json_t *assessment_json(const hl_assessment *a, const hl_ctx *ctx);

#endif
