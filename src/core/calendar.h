/* calendar.h — working-day calendar (statutory holidays and 调休 make-up days).
 *
 * One text file per year, as the State Council publishes it:
 *
 *     year 2024
 *     holiday 2024-02-10..2024-02-17     # days off
 *     workday 2024-02-04                 # make-up working day on a weekend
 *
 * Any other day is a working day when it is Monday to Friday.  A year that
 * was never loaded is unknown, and asking about it is an error naming the
 * year — never a silent guess. */
#ifndef HL_CALENDAR_H
#define HL_CALENDAR_H

#include <stdint.h>

#include "err.h"

#define HL_CAL_FIRST_YEAR 2000
#define HL_CAL_YEARS 100

typedef struct {
    /* day flags per loaded year: bit 0 = loaded, then per day-of-year 0/1 */
    unsigned char loaded[HL_CAL_YEARS];
    unsigned char working[HL_CAL_YEARS][366];
} hl_calendar;

void hl_calendar_init(hl_calendar *c);

/* Parse one year's text and add it (replacing that year if present).
 * *year receives the year the text declares. */
hl_rc hl_calendar_load(hl_calendar *c, const char *text, int *year, hl_err *err);

/* *working = 1 when local day `day` (days since 1970-01-01) is a working day. */
hl_rc hl_calendar_is_working(const hl_calendar *c, int64_t day, int *working, hl_err *err);

/* The n-th working day strictly after `day`. */
hl_rc hl_calendar_add_working(const hl_calendar *c, int64_t day, int n, int64_t *out,
                              hl_err *err);

#endif
