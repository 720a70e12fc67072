/* hotspot_int.h — the phrase corpus of hotspot.c, shared with
 * hotspot_group.c (not part of the interface). */
#ifndef HL_HOTSPOT_INT_H
#define HL_HOTSPOT_INT_H

#include "../core/buf.h"
#include "../core/map.h"
#include "hotspot.h"

#define UNITS_MAX 256     /* units of one subject taken into account */
#define SECONDS_PER_DAY 86400.0

typedef struct {
    uint64_t h;           /* the phrase's hash */
    uint64_t pre, suf;    /* hashes of the phrase without its last / first unit (0: none) */
    size_t text, len;     /* its text in the arena */
    int units;
    uint32_t df;          /* subjects it occurs in */
    int absorbed;         /* a longer phrase keeps closed_ratio of its subjects */
} phrase;

typedef struct {
    const hs_params *p;
    phrase *ph;
    size_t n_ph, cap_ph;
    hl_imap index;        /* hash → phrase + 1 */
    hl_buf arena;         /* phrase texts */
    uint32_t *pairs;      /* per subject, its distinct phrases: [first[m], first[m + 1]) */
    size_t n_pairs, cap_pairs;
    size_t *first;        /* [n_msgs + 1] */
    /* the units of the subject being cut */
    char unit[UNITS_MAX][HS_WORD_MAX + 32];
    unsigned char unit_len[UNITS_MAX];
    unsigned char joined[UNITS_MAX];
    int n_units;
} corpus;

/* Cut every subject into phrases, count them, mark the absorbed ones.
 * Freed with hs_corpus_free, also after an error. */
hl_rc hs_corpus_build(corpus *c, const hs_params *p, const hs_msg *msgs, size_t n);
void hs_corpus_free(corpus *c);

/* A phrase's text (normalised: NUL-terminated in the arena). */
const char *hs_text(const corpus *c, const phrase *p);

/* 1: a place, 2: a crowd, 0: neither. */
int hs_anchor_kind(const corpus *c, const phrase *p);

#endif
