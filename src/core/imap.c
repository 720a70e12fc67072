#include <stdlib.h>
#include <string.h>

#include "map.h"

void hl_imap_init(hl_imap *m)
{
    memset(m, 0, sizeof *m);
}

void hl_imap_free(hl_imap *m)
{
    free(m->keys);
    free(m->vals);
    hl_imap_init(m);
}

static size_t islot(const hl_imap *m, int64_t key)
{
    uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ULL;
    size_t i = (size_t)(h >> 20) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & (m->cap - 1);
    return i;
}

int hl_imap_get(const hl_imap *m, int64_t key, int64_t *val)
{
    if (!m->cap)
        return 0;
    size_t i = islot(m, key);
    if (!m->keys[i])
        return 0;
    *val = m->vals[i];
    return 1;
}

hl_rc hl_imap_put(hl_imap *m, int64_t key, int64_t val)
{
    if ((m->n + 1) * 4 > m->cap * 3) {
        hl_imap b = {calloc(m->cap ? m->cap * 2 : 64, sizeof(int64_t)),
                     calloc(m->cap ? m->cap * 2 : 64, sizeof(int64_t)), m->cap ? m->cap * 2 : 64,
                     m->n};
        if (!b.keys || !b.vals) {
            free(b.keys);
            free(b.vals);
            return HL_ENOMEM;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t j = islot(&b, m->keys[i]);
                b.keys[j] = m->keys[i];
                b.vals[j] = m->vals[i];
            }
        free(m->keys);
        free(m->vals);
        *m = b;
    }
    size_t i = islot(m, key);
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->n++;
    }
    m->vals[i] = val;
    return HL_OK;
}
