/* map.h — string-keyed open-addressing hash map to int64 values.
 *
 * Keys are copied (the map owns the copies), so callers may pass
 * borrowed strings.  There is no deletion: maps here index registries and
 * per-import caches that only grow. */
#ifndef HL_MAP_H
#define HL_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef struct {
    uint64_t hash;    /* compared before the key */
    char *key;        /* NULL = empty slot */
    int64_t val;
} hl_map_entry;

typedef struct {
    hl_map_entry *e;  /* one cache line per probe, not three arrays */
    size_t cap;       /* power of two */
    size_t n;
} hl_map;

void hl_map_init(hl_map *m);
void hl_map_free(hl_map *m);

/* Returns 1 and sets *val when found, 0 otherwise. */
int hl_map_get(const hl_map *m, const char *key, int64_t *val);

/* Insert or overwrite. */
hl_rc hl_map_put(hl_map *m, const char *key, int64_t val);

uint64_t hl_hash_str(const char *s);

/* int64-keyed open-addressing map (keys ≠ 0) to int64 values. */
typedef struct {
    int64_t *keys;    /* 0 = empty */
    int64_t *vals;
    size_t cap, n;
} hl_imap;

void hl_imap_init(hl_imap *m);
void hl_imap_free(hl_imap *m);
int hl_imap_get(const hl_imap *m, int64_t key, int64_t *val);
hl_rc hl_imap_put(hl_imap *m, int64_t key, int64_t val);

#endif
