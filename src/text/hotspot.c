/* hotspot.c — hot spots: the phrases of the subjects, their anchors, the
 * groups cut by time, heat, and the matter of each group (hotspot.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hotspot_int.h"
#include "text.h"

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 0x100000001B3ULL;
    return h;
}

/* The hash of units [a, b): never 0. */
static uint64_t span_hash(const corpus *c, int a, int b)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    for (int i = a; i < b; i++)
        h = fnv(fnv(h, c->unit[i], c->unit_len[i]), "\x1F", 1); /* units stay apart */
    return h ? h : 1;
}

static int on_unit(void *ctx, int word, const char *u, size_t len, int joined)
{
    corpus *c = ctx;
    (void)word;
    if (c->n_units == UNITS_MAX || len > HS_WORD_MAX + 31)
        return 0;
    memcpy(c->unit[c->n_units], u, len);
    c->unit_len[c->n_units] = (unsigned char)len;
    c->joined[c->n_units++] = (unsigned char)joined;
    return 0;
}

/* The phrase of units [a, b), added when new; its index into *out. */
static hl_rc phrase_of(corpus *c, int a, int b, uint32_t *out)
{
    uint64_t h = span_hash(c, a, b);
    int64_t v;
    if (hl_imap_get(&c->index, (int64_t)h, &v)) {
        *out = (uint32_t)(v - 1);
        return HL_OK;
    }
    if (hl_grow(&c->ph, &c->cap_ph, c->n_ph, sizeof *c->ph, 4096))
        return HL_ENOMEM;
    phrase *p = &c->ph[c->n_ph];
    memset(p, 0, sizeof *p);
    p->h = h;
    p->pre = b - a > 1 ? span_hash(c, a, b - 1) : 0;
    p->suf = b - a > 1 ? span_hash(c, a + 1, b) : 0;
    p->units = b - a;
    p->text = c->arena.len;
    for (int i = a; i < b; i++)
        if (hl_buf_add(&c->arena, c->unit[i], c->unit_len[i]))
            return HL_ENOMEM;
    p->len = c->arena.len - p->text;
    if (hl_buf_addc(&c->arena, '\0') || hl_imap_put(&c->index, (int64_t)h, (int64_t)c->n_ph + 1))
        return HL_ENOMEM;
    *out = (uint32_t)c->n_ph++;
    return HL_OK;
}

static int by_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Cut one subject into its distinct phrases (runs of joined units, 1 ..
 * max_units long) and count them. */
static hl_rc add_subject(corpus *c, const char *s)
{
    c->n_units = 0;
    hl_text_units(s, strlen(s), on_unit, c);
    size_t start = c->n_pairs;
    for (int a = 0; a < c->n_units; a++)
        for (int b = a + 1; b <= c->n_units && b - a <= c->p->max_units; b++) {
            if (b - 1 > a && !c->joined[b - 1])
                break;
            uint32_t k;
            if (phrase_of(c, a, b, &k) ||
                hl_grow(&c->pairs, &c->cap_pairs, c->n_pairs, sizeof *c->pairs, 65536))
                return HL_ENOMEM;
            c->pairs[c->n_pairs++] = k;
        }
    if (c->n_pairs == start)
        return HL_OK;
    qsort(c->pairs + start, c->n_pairs - start, sizeof *c->pairs, by_u32);
    size_t o = start;
    for (size_t i = start; i < c->n_pairs; i++)
        if (i == start || c->pairs[i] != c->pairs[o - 1])
            c->pairs[o++] = c->pairs[i];
    c->n_pairs = o;
    for (size_t i = start; i < o; i++)
        c->ph[c->pairs[i]].df++;
    return HL_OK;
}

const char *hs_text(const corpus *c, const phrase *p)
{
    return c->arena.data + p->text;
}

static int ends_with(const char *s, size_t n, const char *suf, size_t *name)
{
    size_t k = strlen(suf);
    if (k >= n || memcmp(s + n - k, suf, k) != 0)
        return 0;
    *name = n - k;
    return 1;
}

/* Whether the phrase, or its tail from `from` on, is a generic name (幼儿园:
 * a kind of place, not one place).  `from` may point before s: then s. */
static int generic(const hs_params *p, const char *from, const char *s)
{
    for (size_t i = 0; i < p->n_generic; i++)
        if (strcmp(s, p->generic[i]) == 0 || (from >= s && strcmp(from, p->generic[i]) == 0))
            return 1;
    return 0;
}

/* 1: a place (a name of min_name_units CJK characters or more, then a
 * suffix, not a generic name), 2: a crowd, 0: neither. */
int hs_anchor_kind(const corpus *c, const phrase *p)
{
    const char *s = hs_text(c, p);
    for (size_t i = 0; i < c->p->n_crowd; i++)
        if (strstr(s, c->p->crowd[i]))
            return 2;
    for (size_t i = 0; i < c->p->n_suffix; i++) {
        size_t name, units = 0;
        if (!ends_with(s, p->len, c->p->suffix[i], &name))
            continue;
        for (size_t j = 0; j < name; j++) /* CJK characters of the name (not codes: a市) */
            units += (unsigned char)s[j] >= 0xE0;
        if (units >= (size_t)c->p->min_name_units && !generic(c->p, s + name - units * 3, s))
            return 1;
    }
    return 0;
}

/* A phrase gives way to a longer one that keeps closed_ratio of its subjects. */
static void absorb(corpus *c)
{
    for (size_t i = 0; i < c->n_ph; i++) {
        const phrase *p = &c->ph[i];
        if (p->df < (uint32_t)c->p->min_members || p->units < 2)
            continue;
        uint64_t sub[2] = {p->pre, p->suf};
        for (int k = 0; k < 2; k++) {
            int64_t v;
            if (hl_imap_get(&c->index, (int64_t)sub[k], &v) &&
                p->df >= c->p->closed_ratio * c->ph[v - 1].df)
                c->ph[v - 1].absorbed = 1;
        }
    }
}

void hs_spots_free(hs_spots *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].members);
    free(s->v);
    memset(s, 0, sizeof *s);
}

void hs_corpus_free(corpus *c)
{
    free(c->ph);
    free(c->pairs);
    free(c->first);
    hl_imap_free(&c->index);
    hl_buf_free(&c->arena);
}

hl_rc hs_corpus_build(corpus *c, const hs_params *p, const hs_msg *msgs, size_t n)
{
    memset(c, 0, sizeof *c);
    c->p = p;
    hl_imap_init(&c->index);
    hl_buf_init(&c->arena, (size_t)1 << 30);
    if (!(c->first = malloc((n + 1) * sizeof *c->first)))
        return HL_ENOMEM;
    for (size_t m = 0; m < n; m++) {
        c->first[m] = c->n_pairs;
        if (add_subject(c, msgs[m].subject))
            return HL_ENOMEM;
    }
    c->first[n] = c->n_pairs;
    absorb(c);
    return HL_OK;
}
