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

/* Read section `section` of the JSON text into base by fields[0..n); the
 * keys in lists[0..n_lists) are arrays of strings, each of at most
 * list_max strings of fewer than str_max bytes, into the char arrays at
 * list_at[i] (list_max × str_max) with their counts at count_at[i]. */
typedef struct {
    const char *name;
    size_t at, count_at;
} tcf_list;
hl_rc tcf_parse(const char *json, const char *section, const tcf_field *fields, size_t n,
                const tcf_list *lists, size_t n_lists, size_t list_max, size_t str_max,
                void *base, hl_err *err);

#endif
