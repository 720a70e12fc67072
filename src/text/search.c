/* search.c — the knowledge-base search: see search.h. */
#include "search.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

#define SNIPPET_CHARS 80
#define MATCH_MAX ((size_t)1 << 20)

typedef struct {
    text_kb_hits *out;
    hl_err *err;
} collect;

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Keep a hit; its body is kept in place of the snippet, made later. */
static hl_rc keep_hit(const store_kb_hit *h, void *arg)
{
    collect *c = arg;
    text_kb_hits *o = c->out;
    if (hl_grow(&o->v, &o->cap, o->n, sizeof *o->v, 16))
        return hl_fail(c->err, HL_ENOMEM, "内存不足");
    text_kb_hit *x = &o->v[o->n++];
    memset(x, 0, sizeof *x);
    x->score = h->score;
    x->unit = h->unit;
    x->id = strdup(h->id);
    x->title = strdup(h->title ? h->title : "");
    x->category = dup_or_null(h->category);
    x->snippet = strdup(h->body);
    if (!x->id || !x->title || !x->snippet || (h->category && !x->category))
        return hl_fail(c->err, HL_ENOMEM, "内存不足");
    return HL_OK;
}

static void hit_free(text_kb_hit *h)
{
    free(h->id);
    free(h->title);
    free(h->snippet);
    free(h->category);
}

/* Turn each kept body into its snippet. */
static hl_rc snippets(text_kb_hits *o, const hl_tokens *q, hl_err *err)
{
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
    hl_buf match, weights;
    hl_tokens q = {0};
    hl_query_mode mode = hl_text_query_mode(req->q);
    store_kb_query kq = {.category = req->category, .unit = req->unit,
                         .valid_only = req->valid_only, .now = req->now,
                         .title_weight = rules->kb_title_weight,
                         .fresh_weight = rules->kb_fresh_weight,
                         .fresh_days = rules->kb_fresh_days, .k1 = rules->kb_k1,
                         .b = rules->kb_b, .idf_power = rules->kb_idf_power,
                         .limit = req->limit};
    collect c = {out, err};
    hl_rc rc = hl_tokens_of(req->q, strlen(req->q), &q) ? hl_fail(err, HL_ENOMEM, "内存不足")
                                                         : HL_OK;
    hl_buf_init(&match, MATCH_MAX);
    hl_buf_init(&weights, MATCH_MAX);
    /* exact terms first (a keyword search); if that finds nothing, any term */
    while (!rc) {
        hl_buf_reset(&match);
        hl_buf_reset(&weights);
        hl_query_weights w = {rules->kb_word_weight, rules->kb_char_weight};
        int n = hl_text_query(req->q, mode, &w, &match, &weights);
        if (n < 0)
            rc = hl_fail(err, HL_ETOOBIG, "查询过长");
        if (n <= 0)
            break;
        kq.match = hl_buf_str(&match);
        kq.weights = hl_buf_str(&weights);
        kq.candidates = mode == HL_QUERY_EXACT ? (int)rules->kb_candidates : 0;
        kq.trigram = mode == HL_QUERY_EXACT && hl_text_query_trigram(req->q);
        rc = store_kb_search(s, &kq, keep_hit, &c, err);
        out->exact = mode == HL_QUERY_EXACT;
        if (rc || out->n || mode == HL_QUERY_ANY)
            break;
        mode = HL_QUERY_ANY;
    }
    if (!rc)
        rc = snippets(out, &q, err);
    hl_buf_free(&match);
    hl_buf_free(&weights);
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
