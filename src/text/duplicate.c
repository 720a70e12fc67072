/* duplicate.c — the likely duplicates of a new appeal (suggest.h): the
 * same caller within dup_days, or the same place (its location's tokens,
 * searched in the appeals' text index) with a content similar enough. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"
#include "text.h"

#define LOCATION_EXPR_MAX 4096

/* The distinct character bigrams (and words) of a text, as sorted hashes. */
static size_t bigrams(const char *s, uint64_t **out)
{
    static const tc_params p = {.ngram_min = 2, .ngram_max = 2, .words = 1};
    tc_terms t = {0};
    *out = NULL;
    if (tc_terms_of(&p, NULL, s, &t) || !(*out = malloc((t.n ? t.n : 1) * sizeof **out))) {
        tc_terms_free(&t);
        return 0;
    }
    for (size_t i = 0; i < t.n; i++)
        (*out)[i] = t.v[i].h;
    size_t n = t.n;
    tc_terms_free(&t);
    for (size_t i = 1; i < n; i++) /* insertion sort: texts are short */
        for (size_t j = i; j > 0 && (*out)[j - 1] > (*out)[j]; j--) {
            uint64_t x = (*out)[j];
            (*out)[j] = (*out)[j - 1];
            (*out)[j - 1] = x;
        }
    return n;
}

double tx_similarity(const char *a, const char *b)
{
    uint64_t *x, *y;
    size_t nx = bigrams(a, &x), ny = bigrams(b, &y), i = 0, j = 0, both = 0;
    while (i < nx && j < ny) {
        if (x[i] == y[j])
            both++, i++, j++;
        else if (x[i] < y[j])
            i++;
        else
            j++;
    }
    free(x);
    free(y);
    return nx + ny > both ? (double)both / (double)(nx + ny - both) : 0;
}

typedef struct {
    const tx_params *p;
    const char *content;
    tx_dup *out;
    size_t n;
} dup_walk;

static hl_rc on_recent(const store_text_recent_item *it, void *arg)
{
    dup_walk *w = arg;
    if ((size_t)w->n == (size_t)w->p->dup_max)
        return HL_OK;
    double sim = tx_similarity(w->content, it->content ? it->content : "");
    if (!it->same_phone && sim < w->p->dup_similarity)
        return HL_OK;
    tx_dup *d = &w->out[w->n++];
    memset(d, 0, sizeof *d);
    snprintf(d->appeal_id, sizeof d->appeal_id, "%s", it->appeal_id);
    snprintf(d->number, sizeof d->number, "%s", it->order_number);
    d->reason = it->same_phone ? "同一来电人" : "同一地点的相似诉求";
    d->similarity = sim;
    d->at = it->at;
    return HL_OK;
}

hl_rc tx_duplicates(hl_store *s, const tx_params *p, const char *content, const char *location,
                    const char *phone, int64_t now, tx_dup *out, size_t *n, hl_err *err)
{
    hl_buf expr, where;
    hl_buf_init(&expr, LOCATION_EXPR_MAX);
    hl_buf_init(&where, LOCATION_EXPR_MAX + 32);
    *n = 0;
    /* the place: every token of the location, in the location column */
    int phrases = location && *location
                      ? hl_text_query(location, HL_QUERY_EXACT, NULL, &expr, NULL)
                      : 0;
    if (phrases > 0 && hl_buf_printf(&where, "location : (%s)", hl_buf_str(&expr)))
        phrases = 0;
    dup_walk w = {p, content, out, 0};
    hl_rc rc = store_text_recent(s, phone && *phone ? phone : NULL,
                                 phrases > 0 ? hl_buf_str(&where) : NULL,
                                 now - (int64_t)(p->dup_days * 86400), p->dup_scan, on_recent, &w,
                                 err);
    *n = w.n;
    hl_buf_free(&expr);
    hl_buf_free(&where);
    return rc;
}
