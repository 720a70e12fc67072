/* tconfig.h — the sections of data/text.json (the classifier's and the hot
 * spots' hyper-parameters) read into structs by a table of fields: every
 * field is required, numeric and within its bounds, and an unknown key is
 * refused, so a typo cannot silently leave a default in place. */
#ifndef HL_TCONFIG_H
#define HL_TCONFIG_H

#include <stddef.h>

#include "../core/err.h"

typedef enum { TCF_INT, TCF_DOUBLE, TCF_U64 } tcf_kind;

typedef struct {
    const char *name;
    tcf_kind kind;
    size_t offset;      /* offsetof the field in the struct */
    double min, max;    /* inclusive bounds */
} tcf_field;

/* Read section `section` of the JSON text into base by fields[0..n). */
hl_rc tcf_parse(const char *json, const char *section, const tcf_field *fields, size_t n,
                void *base, hl_err *err);

#endif
