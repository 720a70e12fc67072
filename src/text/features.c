/* features.c — a document's hashed features for the classifier: the
 * n-grams of every length in [ngram_min, ngram_max] of each run of CJK
 * characters, and (optionally) the words.  The text is cut by
 * hl_text_units (text.h), so normalisation is the search index's. */
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "text.h"

#define CH_MAX 4 /* bytes of one UTF-8 character */

typedef struct {
    const tc_params *p;
    tc_terms *t;
    float weight;                        /* of the current field */
    char ring[TC_NGRAM_MAX][CH_MAX];     /* the run's last characters, newest last */
    unsigned char ring_len[TC_NGRAM_MAX];
    int n_ring;
    hl_rc rc;
} feat_cut;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 0x100000001B3ULL;
    return h;
}

static int add(feat_cut *k, uint64_t h)
{
    if (!h)
        h = 1;
    if (hl_grow(&k->t->v, &k->t->cap, k->t->n, sizeof *k->t->v, 256)) {
        k->rc = HL_ENOMEM;
        return 1;
    }
    k->t->v[k->t->n++] = (tc_term){h, k->weight};
    return 0;
}

/* Append one character to the run and emit the n-grams that end with it. */
static int push_char(feat_cut *k, const char *c, size_t len)
{
    if (k->n_ring == TC_NGRAM_MAX) {
        memmove(k->ring, k->ring + 1, sizeof k->ring[0] * (TC_NGRAM_MAX - 1));
        memmove(k->ring_len, k->ring_len + 1, TC_NGRAM_MAX - 1);
        k->n_ring--;
    }
    memcpy(k->ring[k->n_ring], c, len);
    k->ring_len[k->n_ring++] = (unsigned char)len;
    for (int n = k->p->ngram_min; n <= k->p->ngram_max && n <= k->n_ring; n++) {
        uint64_t h = 0xCBF29CE484222325ULL ^ (uint64_t)n;
        for (int j = k->n_ring - n; j < k->n_ring; j++)
            h = fnv(h, k->ring[j], k->ring_len[j]);
        if (add(k, h))
            return 1;
    }
    return 0;
}

static int on_unit(void *ctx, int word, const char *u, size_t len, int joined)
{
    feat_cut *k = ctx;
    if (word) {
        k->n_ring = 0;
        return k->p->words ? add(k, fnv(0x84222325CBF29CE4ULL, u, len)) : 0; /* own space */
    }
    if (!joined)
        k->n_ring = 0;
    return push_char(k, u, len);
}

/* Merge the counts of equal hashes in place (order of first occurrence),
 * through an open-addressing table of indices into t->v. */
static hl_rc merge(tc_terms *t)
{
    size_t cap = 64;
    while (cap < 2 * t->n)
        cap *= 2;
    if (cap > t->slot_cap) {
        uint32_t *s = realloc(t->slot, cap * sizeof *s);
        if (!s)
            return HL_ENOMEM;
        t->slot = s;
        t->slot_cap = cap;
    }
    memset(t->slot, 0xFF, cap * sizeof *t->slot);
    size_t o = 0;
    for (size_t i = 0; i < t->n; i++) {
        size_t j = (size_t)(t->v[i].h * 0x9E3779B97F4A7C15ULL >> 32) & (cap - 1);
        while (t->slot[j] != UINT32_MAX && t->v[t->slot[j]].h != t->v[i].h)
            j = (j + 1) & (cap - 1);
        if (t->slot[j] != UINT32_MAX) {
            t->v[t->slot[j]].w += t->v[i].w;
        } else {
            t->slot[j] = (uint32_t)o;
            t->v[o++] = t->v[i];
        }
    }
    t->n = o;
    return HL_OK;
}

static hl_rc field(feat_cut *k, const char *s, float weight)
{
    if (!s || !*s || weight <= 0)
        return HL_OK;
    k->weight = weight;
    k->n_ring = 0;
    if (hl_text_units(s, strlen(s), on_unit, k))
        return k->rc ? k->rc : HL_ENOMEM;
    return HL_OK;
}

hl_rc tc_terms_of(const tc_params *p, const char *title, const char *body, tc_terms *t)
{
    feat_cut k = {.p = p, .t = t};
    hl_rc rc;
    t->n = 0;
    if ((rc = field(&k, title, (float)p->title_weight)) || (rc = field(&k, body, 1.0f)))
        return rc;
    return merge(t);
}

void tc_terms_free(tc_terms *t)
{
    free(t->v);
    free(t->slot);
    memset(t, 0, sizeof *t);
}
