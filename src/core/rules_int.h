/* rules_int.h — shared by rules.c and rules_assess.c only. */
#ifndef HL_RULES_INT_H
#define HL_RULES_INT_H

#include <jansson.h>

#include "rules.h"

/* A decimal with at most `digits` decimals, from a JSON number or string,
 * as an integer in 10^-digits ("0.3", 4 → 3000). */
hl_rc hl_rules_decimal(json_t *v, int digits, int64_t *out);

hl_rc hl_rules_parse_assessment(hl_rules *r, json_t *root, hl_err *err);

#endif
