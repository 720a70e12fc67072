/* rules.h — the configurable rules (data/rules.json): time zone offset and
 * default time limits now; assessment weights and bounds join them later.
 * Nothing here is a literal in code: every value comes from the file. */
#ifndef HL_RULES_H
#define HL_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "err.h"

#define HL_RULES_MAX_LIMITS 32

typedef struct {
    int channel, nature, urgency; /* HL_ENUM_NONE = any value matches */
    int hours;                    /* calendar hours, or 0 … */
    int working_days;             /* … working days */
} hl_time_limit;

typedef struct {
    int offset_min;               /* local time = UTC + offset (Asia/Shanghai: 480) */
    hl_time_limit limits[HL_RULES_MAX_LIMITS];
    size_t n_limits;              /* the first match decides */
} hl_rules;

/* Parse and validate rules JSON text.  On error *r is unspecified. */
hl_rc hl_rules_parse(hl_rules *r, const char *json_text, hl_err *err);

/* Deadline of an order dispatched at `at` (first matching limit). */
hl_rc hl_rules_deadline(const hl_rules *r, const hl_calendar *cal, int channel, int nature,
                        int urgency, int64_t at, int64_t *deadline, hl_err *err);

#endif
