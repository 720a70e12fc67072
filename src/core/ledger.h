/* ledger.h — the bonus/deduction ledger's rules (加扣分, assessment.md). */
#ifndef HL_LEDGER_H
#define HL_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "calendar.h"
#include "rules.h"

/* 严重超期: *severe = 1 when t (the reply, or the cut-off for an order still
 * open) is after the end of the rules' N-th working day after the
 * deadline's day. */
hl_rc hl_severely_overdue(const hl_rules *r, const hl_calendar *cal, int64_t deadline, int64_t t,
                          int *severe, hl_err *err);

/* Points in tenths as the bulletin prints them: -5 → "-0.5", 10 → "+1". */
void hl_points_format(int64_t tenths, char *out, size_t size);

/* Parse "-0.5", "+1", "2" into tenths; multiples of 0.5 only. */
hl_rc hl_points_parse(const char *s, int64_t *tenths);

/* Fill a detail template's {grade}, {points} (the magnitude) and {refs}. */
hl_rc hl_ledger_detail(const char *tpl, const char *grade, int64_t points, const char *refs,
                       hl_buf *out);

#endif
