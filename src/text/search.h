/* search.h — the knowledge-base search the operator workbench, the API and
 * `kb search` share: the query as typed → FTS5 (BM25 with title weight and
 * freshness) → candidates reranked by how much of the query they quote →
 * highlighted snippets. */
#ifndef HL_SEARCH_H
#define HL_SEARCH_H

#include "../core/rules.h"
#include "../store/store.h"

#define TEXT_KB_LIMIT_MAX 100

typedef struct {
    const char *q;           /* as typed */
    const char *category;    /* NULL: any */
    int64_t unit;            /* 0: any */
    int valid_only;          /* only published articles valid at now (operators) */
    int64_t now;
    int limit;               /* 1..TEXT_KB_LIMIT_MAX */
} text_kb_req;

typedef struct {
    char *id, *title, *snippet, *category;
    int64_t unit;
    double score;            /* higher is better */
} text_kb_hit;

typedef struct {
    text_kb_hit *v;
    size_t n, cap;
    int exact;               /* 1: every term was found as written */
} text_kb_hits;

/* Search; *out (zeroed by the caller) is freed with text_kb_hits_free.
 * A query with nothing searchable in it gives no hits, not an error. */
hl_rc text_kb_search(hl_store *s, const hl_rules *rules, const text_kb_req *req,
                     text_kb_hits *out, hl_err *err);
void text_kb_hits_free(text_kb_hits *h);

#endif
