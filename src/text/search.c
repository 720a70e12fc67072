/* search.c — the knowledge-base search: see search.h. */
#include "search.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

#define SNIPPET_CHARS 80
#define MATCH_MAX ((size_t)1 << 20)

/* BM25 alone ranks a reply that quotes the query below a longer one that
 * merely shares its words; candidates are fetched this many times the
 * limit and reranked by the longest quoted run (rank.c). */
#define CANDIDATES_PER_HIT 8
#define CANDIDATES_MIN 40

typedef struct {
    text_kb_hits *out;
    const hl_tokens *q;
    double run_weight;
    hl_err *err;
} collect;

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static hl_rc keep_hit(const store_kb_hit *h, void *arg)
{
    collect *c = arg;
    text_kb_hits *o = c->out;
    if (hl_grow(&o->v, &o->cap, o->n, sizeof *o->v, 16))
        return hl_fail(c->err, HL_ENOMEM, "内存不足");
    text_kb_hit *x = &o->v[o->n];
    memset(x, 0, sizeof *x);
    hl_tokens body = {0};
    int run = c->q->n ? (hl_tokens_of(h->body, strlen(h->body), &body) ? -1
                                                                       : hl_text_longest_run(c->q, &body))
                      : 0;
    hl_tokens_free(&body);
    if (run < 0)
        return hl_fail(c->err, HL_ENOMEM, "内存不足");
    x->score = h->score * (1.0 + c->run_weight * run / (double)c->q->n);
    x->unit = h->unit;
    x->id = strdup(h->id);
    x->title = strdup(h->title ? h->title : "");
    x->category = dup_or_null(h->category);
    /* the snippet is made for the survivors only (below); keep the body */
    x->snippet = strdup(h->body);
    o->n++;
    if (!x->id || !x->title || !x->snippet || (h->category && !x->category))
        return hl_fail(c->err, HL_ENOMEM, "内存不足");
    return HL_OK;
}

static int by_score(const void *a, const void *b)
{
    const text_kb_hit *x = a, *y = b;
    return x->score < y->score ? 1 : x->score > y->score ? -1 : strcmp(x->id, y->id);
}

static void hit_free(text_kb_hit *h)
{
    free(h->id);
    free(h->title);
    free(h->snippet);
    free(h->category);
}

/* Sort, cut to the limit, and turn each kept body into its snippet. */
static hl_rc finish(text_kb_hits *o, const hl_tokens *q, int limit, hl_err *err)
{
    qsort(o->v, o->n, sizeof *o->v, by_score);
    while (o->n > (size_t)limit)
        hit_free(&o->v[--o->n]);
    for (size_t i = 0; i < o->n; i++) {
        hl_buf b;
        hl_buf_init(&b, MATCH_MAX);
        if (hl_text_snippet(q, o->v[i].snippet, SNIPPET_CHARS, &b)) {
            hl_buf_free(&b);
            return hl_fail(err, HL_ENOMEM, "内存不足");
        }
        free(o->v[i].snippet);
        o->v[i].snippet = hl_buf_detach(&b);
        if (!o->v[i].snippet)
            return hl_fail(err, HL_ENOMEM, "内存不足");
    }
    return HL_OK;
}

hl_rc text_kb_search(hl_store *s, const hl_rules *rules, const text_kb_req *req,
                     text_kb_hits *out, hl_err *err)
{
    hl_buf match;
    hl_tokens q = {0};
    hl_query_mode mode = hl_text_query_mode(req->q);
    int wanted = req->limit * CANDIDATES_PER_HIT;
    store_kb_query kq = {.category = req->category, .unit = req->unit,
                         .valid_only = req->valid_only, .now = req->now,
                         .title_weight = rules->kb_title_weight,
                         .fresh_weight = rules->kb_fresh_weight,
                         .fresh_days = rules->kb_fresh_days,
                         .limit = wanted > CANDIDATES_MIN ? wanted : CANDIDATES_MIN};
    collect c = {out, &q, rules->kb_run_weight, err};
    hl_rc rc = hl_tokens_of(req->q, strlen(req->q), &q) ? hl_fail(err, HL_ENOMEM, "内存不足")
                                                         : HL_OK;
    hl_buf_init(&match, MATCH_MAX);
    /* exact terms first (a keyword search); if that finds nothing, any term */
    while (!rc) {
        hl_buf_reset(&match);
        int n = hl_text_query(req->q, mode, &match);
        if (n < 0)
            rc = hl_fail(err, HL_ETOOBIG, "查询过长");
        if (n <= 0)
            break;
        kq.match = hl_buf_str(&match);
        rc = store_kb_search(s, &kq, keep_hit, &c, err);
        out->exact = mode == HL_QUERY_EXACT;
        if (rc || out->n || mode == HL_QUERY_ANY)
            break;
        mode = HL_QUERY_ANY;
    }
    if (!rc)
        rc = finish(out, &q, req->limit, err);
    hl_buf_free(&match);
    hl_tokens_free(&q);
    return rc;
}

void text_kb_hits_free(text_kb_hits *h)
{
    for (size_t i = 0; i < h->n; i++)
        hit_free(&h->v[i]);
    free(h->v);
    memset(h, 0, sizeof *h);
}
