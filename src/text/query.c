/* query.c — a user's query as an FTS5 MATCH expression.
 *
 * The expression quotes what it hands to FTS5, which cuts each quoted
 * string with the same tokenizer as the documents (tokens.c): a quoted term
 * of several characters is the phrase of its bigrams, i.e. the substring.
 * A term that ends in a lone CJK character gets a prefix star, so that the
 * character is found at the start of a bigram ("区" finds 区景). */
#include "text.h"

#include <string.h>

#define EXACT_TERMS_MAX 4   /* more terms than this: a sentence, not keywords */
#define EXACT_TERM_CHARS 8  /* … or a term longer than this */

typedef struct {
    hl_buf *out, *weights;  /* weights may be NULL */
    double word_weight, char_weight;
    int n;                  /* tokens seen */
    hl_token_kind last;
    /* any: the distinct tokens so far, NUL-separated */
    hl_buf seen;
} qstate;

static int count_token(void *ctx, hl_token_kind kind, const char *tok, size_t len, size_t s,
                       size_t e)
{
    (void)tok, (void)len, (void)s, (void)e;
    qstate *q = ctx;
    q->n++;
    q->last = kind;
    return 0;
}

/* Append s[0..n) as an FTS5 string ("" doubles a quote). */
static int add_quoted(hl_buf *out, const char *s, size_t n)
{
    if (hl_buf_addc(out, '"'))
        return -1;
    for (size_t i = 0; i < n; i++)
        if ((s[i] == '"' && hl_buf_addc(out, '"')) || hl_buf_addc(out, s[i]))
            return -1;
    return hl_buf_addc(out, '"') ? -1 : 0;
}

static int is_space(const char *p, size_t *len)
{
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
        *len = 1;
        return 1;
    }
    if (!strncmp(p, "\xE3\x80\x80", 3)) { /* U+3000, the ideographic space */
        *len = 3;
        return 1;
    }
    return 0;
}

/* Call fn for each whitespace-separated term of q; stops on non-zero. */
static int each_term(const char *q, int (*fn)(void *, const char *, size_t), void *ctx)
{
    const char *p = q;
    while (*p) {
        size_t sp;
        while (*p && is_space(p, &sp))
            p += sp;
        const char *t = p;
        while (*p && !is_space(p, &sp))
            p++;
        int rc;
        if (p > t && (rc = fn(ctx, t, (size_t)(p - t))))
            return rc;
    }
    return 0;
}

static int add_weight(qstate *q, double w)
{
    return q->weights && hl_buf_printf(q->weights, "%s%g", q->weights->len ? " " : "", w) ? -1
                                                                                          : 0;
}

static int exact_term(void *ctx, const char *t, size_t n)
{
    qstate *q = ctx;
    int before = q->n;
    hl_text_tokens(t, n, count_token, q);
    if (q->n == before)
        return 0; /* punctuation only */
    if (before && hl_buf_adds(q->out, " AND "))
        return -1;
    if (add_quoted(q->out, t, n) || (q->last == HL_TOK_CHAR && hl_buf_addc(q->out, '*')))
        return -1;
    return add_weight(q, 1.0);
}

/* 1 when tok[0..len) was seen; else it is remembered. -1 out of memory. */
static int seen(qstate *q, const char *tok, size_t len)
{
    for (size_t i = 0; i < q->seen.len; i += strlen(q->seen.data + i) + 1)
        if (strlen(q->seen.data + i) == len && !memcmp(q->seen.data + i, tok, len))
            return 1;
    return hl_buf_add(&q->seen, tok, len) || hl_buf_addc(&q->seen, '\0') ? -1 : 0;
}

/* One phrase of an any-query: tok, a prefix star when asked, its weight.
 * Each distinct phrase once: BM25 already weighs the document side. */
static int any_phrase(qstate *q, const char *tok, size_t len, int prefix, double w)
{
    char key[HL_TOKEN_MAX + 1];
    memcpy(key, tok, len);
    key[len] = prefix ? '*' : '\0'; /* "积" and "积"* are different phrases */
    int dup = seen(q, key, len + (prefix != 0));
    if (dup)
        return dup < 0 ? -1 : 0;
    if ((q->n++ && hl_buf_adds(q->out, " OR ")) || add_quoted(q->out, tok, len) ||
        (prefix && hl_buf_addc(q->out, '*')))
        return -1;
    return add_weight(q, w);
}

/* A bigram also gives its first character as a prefix phrase ("积"* finds
 * 积水 and 积极): a document that shares the query's characters but not its
 * bigrams still scores a little (a character index by way of FTS5's
 * one-character prefix index, prefix='1'). */
static int any_token(void *ctx, hl_token_kind kind, const char *tok, size_t len, size_t s,
                     size_t e)
{
    (void)s, (void)e;
    qstate *q = ctx;
    if (any_phrase(q, tok, len, kind == HL_TOK_CHAR,
                   kind == HL_TOK_WORD ? q->word_weight : 1.0))
        return -1;
    if (kind != HL_TOK_BIGRAM || q->char_weight <= 0)
        return 0;
    size_t first = 1;
    while (first < len && ((unsigned char)tok[first] & 0xC0) == 0x80)
        first++;
    return any_phrase(q, tok, first, 1, q->char_weight);
}

int hl_text_query(const char *q, hl_query_mode mode, const hl_query_weights *w, hl_buf *out,
                  hl_buf *weights)
{
    qstate s = {.out = out, .weights = weights, .word_weight = w ? w->word : 1.0,
                .char_weight = w ? w->character : 0.0};
    hl_buf_init(&s.seen, (size_t)1 << 20);
    int rc = mode == HL_QUERY_EXACT ? each_term(q, exact_term, &s)
                                    : hl_text_tokens(q, strlen(q), any_token, &s);
    hl_buf_free(&s.seen);
    return rc ? -1 : s.n;
}

/* --- which index can answer an exact query --------------------------------- */

static int last_kind(void *ctx, hl_token_kind kind, const char *tok, size_t len, size_t s,
                     size_t e)
{
    (void)tok, (void)len, (void)s, (void)e;
    *(int *)ctx = (int)kind;
    return 0;
}

/* 0 when the term ends in a CJK run of fewer than 3 characters (or a lone
 * character, a prefix): its query in the trigram index would be wrong. */
static int trigram_term(void *ctx, const char *t, size_t n)
{
    (void)ctx;
    int last = -1;
    hl_text_cut(t, n, HL_CUT_TRIGRAM_QUERY, last_kind, &last);
    return last == HL_TOK_BIGRAM || last == HL_TOK_CHAR;
}

int hl_text_query_trigram(const char *q)
{
    return !each_term(q, trigram_term, NULL);
}

typedef struct {
    int terms, longest;
} shape;

static int measure_term(void *ctx, const char *t, size_t n)
{
    shape *s = ctx;
    int chars = 0;
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)t[i] & 0xC0) != 0x80;
    s->terms++;
    if (chars > s->longest)
        s->longest = chars;
    return 0;
}

hl_query_mode hl_text_query_mode(const char *q)
{
    shape s = {0, 0};
    each_term(q, measure_term, &s);
    return s.terms <= EXACT_TERMS_MAX && s.longest <= EXACT_TERM_CHARS ? HL_QUERY_EXACT
                                                                        : HL_QUERY_ANY;
}
