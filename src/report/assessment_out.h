/* assessment_out.h — writing an assessment out. */
#ifndef HL_REPORT_ASSESSMENT_OUT_H
#define HL_REPORT_ASSESSMENT_OUT_H

#include <jansson.h>
#include <stdio.h>

#include "assessment.h"

/* v in 10^-decimals as text: hl_fixed(977, 2) = "9.77". */
void hl_fixed(int64_t v, int decimals, char *out, size_t size);

/* One header line and one row per graded unit, the annexes' columns. */
hl_rc assessment_write_tsv(const hl_assessment *a, const hl_ctx *ctx, FILE *f);

/* The assessment as an Excel workbook at path, laid out like the annexes. */
hl_rc assessment_write_xlsx(const hl_assessment *a, const hl_ctx *ctx, const char *path,
                            hl_err *err);

/* The assessment as a JSON object (caller owns the reference). */
json_t *assessment_json(const hl_assessment *a, const hl_ctx *ctx);

#endif
