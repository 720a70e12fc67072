/* timeutil.h — instants, civil dates and RFC 3339.
 *
 * Instants are int64 seconds since the Unix epoch (UTC).  Days are counted
 * from 1970-01-01 in a given local offset; the platform's offset (Asia/
 * Shanghai, +08:00, no DST since 1991) comes from the rules file, never from
 * the machine's TZ. */
#ifndef HL_TIMEUTIL_H
#define HL_TIMEUTIL_H

#include <stdint.h>

#include "err.h"

#define HL_TIME_STRLEN 26 /* "2024-05-06T09:30:00+08:00" + NUL */

int64_t hl_days_from_civil(int y, int m, int d);
void hl_civil_from_days(int64_t days, int *y, int *m, int *d);
int hl_days_in_month(int y, int m);

/* Parse RFC 3339 ("2024-05-06T09:30:00+08:00", "...Z", optional fraction,
 * which is truncated to whole seconds).  An offset is required. */
hl_rc hl_time_parse(const char *s, int64_t *out, hl_err *err);

/* Format t at the given offset (minutes east of UTC); out has
 * HL_TIME_STRLEN bytes. */
void hl_time_format(int64_t t, int offset_min, char *out);

/* Local calendar day (days since 1970-01-01) of instant t. */
int64_t hl_local_day(int64_t t, int offset_min);
/* The instant local day `day` begins (its inverse). */
int64_t hl_day_start(int64_t day, int offset_min);

/* Parse "YYYY-MM-DD" into days since epoch. */
hl_rc hl_date_parse(const char *s, int64_t *days);

#endif
