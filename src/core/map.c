#include "map.h"

#include <stdlib.h>
#include <string.h>

void hl_map_init(hl_map *m)
{
    memset(m, 0, sizeof *m);
}

void hl_map_free(hl_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->e[i].key);
    free(m->e);
    hl_map_init(m);
}

uint64_t hl_hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h ^ (h >> 29);
}

static size_t slot(const hl_map *m, const char *key, uint64_t h)
{
    size_t i = (size_t)h & (m->cap - 1);
    while (m->e[i].key && (m->e[i].hash != h || strcmp(m->e[i].key, key) != 0))
        i = (i + 1) & (m->cap - 1);
    return i;
}

int hl_map_get(const hl_map *m, const char *key, int64_t *val)
{
    if (!m->cap)
        return 0;
    size_t i = slot(m, key, hl_hash_str(key));
    if (!m->e[i].key)
        return 0;
    *val = m->e[i].val;
    return 1;
}

static hl_rc rehash(hl_map *m, size_t cap)
{
    hl_map bigger = {calloc(cap, sizeof(hl_map_entry)), cap, m->n};
    if (!bigger.e)
        return HL_ENOMEM;
    for (size_t i = 0; i < m->cap; i++)
        if (m->e[i].key)
            bigger.e[slot(&bigger, m->e[i].key, m->e[i].hash)] = m->e[i];
    free(m->e);
    *m = bigger;
    return HL_OK;
}

hl_rc hl_map_put(hl_map *m, const char *key, int64_t val)
{
    if ((m->n + 1) * 4 > m->cap * 3) { /* keep load under 3/4 */
        hl_rc rc = rehash(m, m->cap ? m->cap * 2 : 64);
        if (rc)
            return rc;
    }
    uint64_t h = hl_hash_str(key);
    hl_map_entry *x = &m->e[slot(m, key, h)];
    if (!x->key) {
        if (!(x->key = strdup(key)))
            return HL_ENOMEM;
        x->hash = h;
        m->n++;
    }
    x->val = val;
    return HL_OK;
}
