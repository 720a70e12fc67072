/* hotspot_group.c — from anchors to hot spots: members cut by time, heat,
 * the hottest first without overlaps, and each one's matter. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hotspot_int.h"

typedef struct {
    const hs_msg *msgs;
    const hs_params *p;
    int64_t now;
} ctx_t;

typedef struct {
    int64_t time;
    size_t i;
} timed;

static int by_time(const void *a, const void *b)
{
    const timed *x = a, *y = b;
    if (x->time != y->time)
        return (x->time > y->time) - (x->time < y->time);
    return (x->i > y->i) - (x->i < y->i);
}

static double heat(const ctx_t *x, const size_t *m, size_t n)
{
    double volume = 0, recent = 0;
    for (size_t i = 0; i < n; i++) {
        const hs_msg *g = &x->msgs[m[i]];
        volume += 1 + x->p->like_weight * log1p((double)g->likes) +
                  x->p->dislike_weight * log1p((double)g->dislikes);
        recent += (double)(x->now - g->time) <= x->p->growth_days * SECONDS_PER_DAY;
    }
    return volume * (1 + x->p->growth_weight * recent / (double)n);
}

/* Restore the capitals of the codes in a normalised phrase (a7县 → A7县). */
static void display(char *out, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < HS_PHRASE_MAX; i++)
        out[i] = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 32) : s[i];
    out[i] = '\0';
}

/* The anchor's members m[0..n) (in time order), cut where more than
 * gap_days pass: each piece with min_members or more becomes a candidate. */
static hl_rc cut(const ctx_t *x, const corpus *c, const phrase *ph, int kind, const size_t *m,
                 size_t n, hs_spots *out)
{
    size_t a = 0;
    for (size_t b = 1; b <= n; b++) {
        if (b < n && (double)(x->msgs[m[b]].time - x->msgs[m[b - 1]].time) <=
                         x->p->gap_days * SECONDS_PER_DAY)
            continue;
        if (b - a >= (size_t)x->p->min_members) {
            if (hl_grow(&out->v, &out->cap, out->n, sizeof *out->v, 64))
                return HL_ENOMEM;
            hs_spot *s = &out->v[out->n];
            memset(s, 0, sizeof *s);
            if (!(s->members = malloc((b - a) * sizeof *s->members)))
                return HL_ENOMEM;
            out->n++;
            memcpy(s->members, m + a, (b - a) * sizeof *m);
            s->n = b - a;
            s->crowd = kind == 2;
            s->first = x->msgs[m[a]].time;
            s->last = x->msgs[m[b - 1]].time;
            s->heat = heat(x, s->members, s->n);
            display(s->place, hs_text(c, ph));
        }
        a = b;
    }
    return HL_OK;
}

/* The messages in time order (caller frees). */
static size_t *time_order(const hs_msg *msgs, size_t n)
{
    timed *t = malloc((n ? n : 1) * sizeof *t);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!t || !order) {
        free(t);
        free(order);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        t[i] = (timed){msgs[i].time, i};
    qsort(t, n, sizeof *t, by_time);
    for (size_t i = 0; i < n; i++)
        order[i] = t[i].i;
    free(t);
    return order;
}

/* Every anchor's candidates: the anchors are the unabsorbed places and
 * crowds in at least min_members subjects; their members are gathered in
 * one pass over the subjects in time order. */
static hl_rc candidates(const ctx_t *x, const corpus *c, size_t n_msgs, hs_spots *out)
{
    size_t *at = calloc(c->n_ph + 1, sizeof *at); /* anchor i's members: post[at[i] ..] */
    unsigned char *kind = calloc(c->n_ph ? c->n_ph : 1, 1);
    size_t *order = time_order(x->msgs, n_msgs), *post = NULL, *fill = NULL, total = 0;
    hl_rc rc = at && kind && order ? HL_OK : HL_ENOMEM;
    for (size_t i = 0; i < c->n_ph && !rc; i++) {
        const phrase *ph = &c->ph[i];
        at[i] = total;
        if (ph->df >= (uint32_t)x->p->min_members && !ph->absorbed &&
            (kind[i] = (unsigned char)hs_anchor_kind(c, ph)))
            total += ph->df;
    }
    if (!rc) {
        at[c->n_ph] = total;
        post = malloc((total ? total : 1) * sizeof *post);
        fill = malloc((c->n_ph ? c->n_ph : 1) * sizeof *fill);
        rc = post && fill ? HL_OK : HL_ENOMEM;
    }
    if (!rc) {
        memcpy(fill, at, c->n_ph * sizeof *fill);
        for (size_t j = 0; j < n_msgs; j++) {
            size_t g = order[j];
            for (size_t k = c->first[g]; k < c->first[g + 1]; k++)
                if (kind[c->pairs[k]])
                    post[fill[c->pairs[k]]++] = g;
        }
    }
    for (size_t i = 0; i < c->n_ph && !rc; i++)
        if (kind[i])
            rc = cut(x, c, &c->ph[i], kind[i], post + at[i], at[i + 1] - at[i], out);
    free(at), free(kind), free(order), free(post), free(fill);
    return rc;
}

static int by_heat(const void *a, const void *b)
{
    const hs_spot *x = a, *y = b;
    if (x->heat != y->heat)
        return x->heat < y->heat ? 1 : -1;
    return strcmp(x->place, y->place);
}

static size_t char_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Whether a and b share a CJK character (丽发新城, 新城小区). */
static int share_char(const char *a, const char *b)
{
    for (const char *p = a; *p; p += char_len(p)) {
        char ch[5];
        size_t n = char_len(p);
        memcpy(ch, p, n);
        ch[n] = '\0';
        if (n > 1 && strstr(b, ch))
            return 1;
    }
    return 0;
}

/* The member phrases that may name the spot's matter: 2 .. matter_units
 * units, seen in at least matter_min of its subjects, sharing no character
 * with its anchor. */
static int matter_ok(const corpus *c, const char *anchor, uint32_t i, const uint32_t *count)
{
    const phrase *ph = &c->ph[i];
    return count[i] >= (uint32_t)c->p->matter_min && ph->units >= 2 &&
           ph->units <= c->p->matter_units &&
           !share_char(hs_text(c, ph), anchor);
}

/* The phrase most typical of the spot's subjects: count in the spot ×
 * ln(N / count overall); then, as long as a phrase one unit longer keeps
 * closed_ratio of its count, that one (搅拌 → 搅拌站). */
static void matter(const corpus *c, size_t n_msgs, uint32_t *count, hs_spot *s)
{
    char anchor[HS_PHRASE_MAX];
    size_t k = 0;
    for (; s->place[k]; k++) /* normalised again: the corpus's texts are */
        anchor[k] = s->place[k] >= 'A' && s->place[k] <= 'Z' ? (char)(s->place[k] + 32)
                                                               : s->place[k];
    anchor[k] = '\0';
    for (size_t j = 0; j < s->n; j++)
        for (k = c->first[s->members[j]]; k < c->first[s->members[j] + 1]; k++)
            count[c->pairs[k]]++;
    double best = 0;
    size_t best_i = SIZE_MAX;
    for (size_t j = 0; j < s->n; j++)
        for (k = c->first[s->members[j]]; k < c->first[s->members[j] + 1]; k++) {
            uint32_t i = c->pairs[k];
            if (!matter_ok(c, anchor, i, count))
                continue;
            double score = count[i] * log((double)n_msgs / c->ph[i].df);
            if (score > best || (score == best && i < best_i)) {
                best = score;
                best_i = i;
            }
        }
    for (int longer = best_i != SIZE_MAX; longer;) {
        longer = 0;
        for (size_t j = 0; j < s->n && !longer; j++)
            for (k = c->first[s->members[j]]; k < c->first[s->members[j] + 1]; k++) {
                uint32_t i = c->pairs[k];
                const phrase *ph = &c->ph[i];
                if ((ph->pre == c->ph[best_i].h || ph->suf == c->ph[best_i].h) &&
                    matter_ok(c, anchor, i, count) &&
                    count[i] >= c->p->closed_ratio * count[best_i]) {
                    best_i = i;
                    longer = 1;
                    break;
                }
            }
    }
    for (size_t j = 0; j < s->n; j++) /* reset for the next spot */
        for (k = c->first[s->members[j]]; k < c->first[s->members[j] + 1]; k++)
            count[c->pairs[k]] = 0;
    s->matter[0] = '\0';
    if (best_i != SIZE_MAX)
        display(s->matter, hs_text(c, &c->ph[best_i]));
}

/* Keep the hottest candidates that share at most max_overlap of their
 * appeals with hotter kept ones, up to top. */
static void select_spots(const hs_params *p, hs_spots *s, size_t n_msgs, unsigned char *taken,
                         size_t top)
{
    size_t kept = 0;
    memset(taken, 0, n_msgs);
    for (size_t i = 0; i < s->n; i++) {
        hs_spot *c = &s->v[i];
        size_t shared = 0;
        for (size_t j = 0; j < c->n; j++)
            shared += taken[c->members[j]];
        if (kept == top || (double)shared > p->max_overlap * (double)c->n) {
            free(c->members);
            continue;
        }
        for (size_t j = 0; j < c->n; j++)
            taken[c->members[j]] = 1;
        s->v[kept++] = *c;
    }
    s->n = kept;
}

hl_rc hs_find(const hs_params *p, const hs_msg *msgs, size_t n, int64_t now, size_t top,
              hs_spots *out, hl_err *err)
{
    corpus c;
    ctx_t x = {msgs, p, now};
    hl_rc rc = hs_corpus_build(&c, p, msgs, n);
    if (!rc)
        rc = candidates(&x, &c, n, out);
    unsigned char *taken = malloc(n ? n : 1);
    uint32_t *count = calloc(c.n_ph ? c.n_ph : 1, sizeof *count);
    if (!rc && (!taken || !count))
        rc = HL_ENOMEM;
    if (!rc) {
        if (out->n)
            qsort(out->v, out->n, sizeof *out->v, by_heat);
        select_spots(p, out, n, taken, top);
        for (size_t i = 0; i < out->n; i++)
            matter(&c, n, count, &out->v[i]);
    }
    free(taken);
    free(count);
    hs_corpus_free(&c);
    if (rc) {
        hs_spots_free(out);
        return hl_fail(err, rc, "热点分析失败：内存不足");
    }
    return HL_OK;
}
