/* unit.h — the registry of responsible units (承办单位) and their sub-units.
 *
 * Units form a forest: first-level units (parent 0) are the ones assessed;
 * sub-units (a town under a county) hand work down inside a tree.  The
 * registry assigns ids densely from 1 in the order units are added, so an id
 * indexes the array directly; the store persists them as they are. */
#ifndef HL_UNIT_H
#define HL_UNIT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "map.h"

#define HL_UNIT_CODE_MAX 32
#define HL_UNIT_NAME_MAX 200 /* bytes of UTF-8 */

typedef enum { UNIT_COUNTY, UNIT_AGENCY, UNIT_ENTERPRISE, UNIT_KIND__COUNT } hl_unit_kind;

typedef struct {
    int64_t id;
    char *code;   /* owned */
    char *name;   /* owned */
    hl_unit_kind kind;
    int64_t parent; /* 0 for a first-level unit */
} hl_unit;

typedef struct {
    hl_unit *v;   /* v[id - 1] */
    size_t n, cap;
    hl_map by_code, by_name;
} hl_units;

/* A row of a units file, borrowed strings; parent_code "" = first level. */
typedef struct {
    const char *code, *name, *kind, *parent_code;
    long line;    /* for error messages */
} hl_unit_row;

void hl_units_init(hl_units *u);
void hl_units_free(hl_units *u);

const char *hl_unit_kind_name(hl_unit_kind k);
int hl_unit_kind_parse(const char *s); /* -1 when unknown */

/* Borrowed pointer, NULL when id is not a unit. */
const hl_unit *hl_units_get(const hl_units *u, int64_t id);

/* Resolve a code or a name (an event may use either); 0 when unknown. */
int64_t hl_units_find(const hl_units *u, const char *code_or_name);

/* First-level ancestor of id (id itself when it has no parent). */
int64_t hl_units_root(const hl_units *u, int64_t id);

/* 1 when id is anc or below it. */
int hl_units_within(const hl_units *u, int64_t id, int64_t anc);

/* Merge rows into the registry: new codes are added, known codes updated.
 * Validates every row (code syntax, kind, unique names, known parents, no
 * cycles) before changing anything: on error the registry is as it was. */
hl_rc hl_units_merge(hl_units *u, const hl_unit_row *rows, size_t n, hl_err *err);

/* Add one unit with a known id (loading from the store); ids must be
 * added in increasing order without gaps. */
hl_rc hl_units_load(hl_units *u, int64_t id, const char *code, const char *name,
                    hl_unit_kind kind, int64_t parent);

/* Parse a units file (interchange.md: header `code name kind parent_code`,
 * tab-separated, UTF-8) in place: text is modified and rows point into it.
 * *rows is caller-freed (free()). */
hl_rc hl_units_parse_tsv(char *text, hl_unit_row **rows, size_t *n, hl_err *err);

#endif
