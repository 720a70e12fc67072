/* rank.c — tokens with their offsets, and highlighted snippets.
 *
 * FTS5's own snippet() and highlight() assume tokens that do not overlap;
 * bigrams overlap by one character, so they would print text twice.  The
 * snippet here merges the matched stretches itself. */
#include "text.h"

#include <stdlib.h>
#include <string.h>

#define CONTEXT_CHARS 8

static int add_token(void *ctx, hl_token_kind kind, const char *tok, size_t len, size_t start,
                     size_t end)
{
    (void)kind;
    hl_tokens *t = ctx;
    if (hl_grow(&t->v, &t->cap, t->n, sizeof *t->v, 64))
        return -1;
    hl_token *x = &t->v[t->n++];
    memcpy(x->tok, tok, len);
    x->len = (unsigned char)len;
    x->start = start;
    x->end = end;
    return 0;
}

int hl_tokens_of(const char *text, size_t len, hl_tokens *t)
{
    return hl_text_tokens(text, len, add_token, t) ? -1 : 0;
}

void hl_tokens_free(hl_tokens *t)
{
    free(t->v);
    memset(t, 0, sizeof *t);
}

static int same(const hl_token *a, const hl_token *b)
{
    return a->len == b->len && !memcmp(a->tok, b->tok, a->len);
}

static int in_query(const hl_tokens *q, const hl_token *x)
{
    for (size_t i = 0; i < q->n; i++)
        if (same(&q->v[i], x))
            return 1;
    return 0;
}

/* Bytes of the character that starts at or after p (UTF-8). */
static size_t char_start(const char *s, size_t p, size_t len)
{
    while (p < len && ((unsigned char)s[p] & 0xC0) == 0x80)
        p++;
    return p;
}

/* The byte after max_chars characters from `from` (or len). */
static size_t advance_chars(const char *s, size_t from, size_t len, size_t max_chars)
{
    size_t p = from, n = 0;
    while (p < len && n < max_chars) {
        p++;
        p = char_start(s, p, len);
        n++;
    }
    return p;
}

/* The matched token (index into t) that starts the window holding the most
 * matched tokens within max_chars characters; t->n when none matched. */
static size_t best_window(const hl_tokens *q, const hl_tokens *t, const char *s, size_t len,
                          size_t max_chars)
{
    size_t best = t->n, best_count = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (!in_query(q, &t->v[i]))
            continue;
        size_t end = advance_chars(s, t->v[i].start, len, max_chars), count = 0;
        for (size_t j = i; j < t->n && t->v[j].end <= end; j++)
            count += in_query(q, &t->v[j]);
        if (count > best_count)
            best = i, best_count = count;
    }
    return best;
}

int hl_text_snippet(const hl_tokens *q, const char *text, size_t max_chars, hl_buf *out)
{
    size_t len = strlen(text);
    hl_tokens t = {0};
    if (hl_tokens_of(text, len, &t))
        return -1;
    size_t w = best_window(q, &t, text, len, max_chars);
    /* a little context before the first match (a quarter of the room, at
     * most CONTEXT_CHARS characters) */
    size_t from = 0;
    if (w < t.n) {
        size_t back = max_chars / 4 < CONTEXT_CHARS ? max_chars / 4 : CONTEXT_CHARS;
        from = t.v[w].start;
        while (back-- && from > 0) {
            from--;
            while (from > 0 && ((unsigned char)text[from] & 0xC0) == 0x80)
                from--;
        }
    }
    size_t to = advance_chars(text, from, len, max_chars);
    int rc = from > 0 ? hl_buf_adds(out, "…") : 0;
    size_t p = from, k = w < t.n ? w : t.n;
    while (!rc && p < to) {
        /* the next matched stretch: overlapping or touching matches merge */
        while (k < t.n && (t.v[k].end <= p || !in_query(q, &t.v[k])))
            k++;
        if (k >= t.n || t.v[k].start >= to) {
            rc = hl_buf_add(out, text + p, to - p);
            break;
        }
        size_t ms = t.v[k].start > p ? t.v[k].start : p, me = t.v[k].end;
        while (k + 1 < t.n && t.v[k + 1].start <= me && in_query(q, &t.v[k + 1]))
            me = t.v[++k].end > me ? t.v[k].end : me;
        if (me > to) /* a match is never cut: the snippet runs to its end */
            to = me;
        rc = hl_buf_add(out, text + p, ms - p) || hl_buf_adds(out, "【") ||
             hl_buf_add(out, text + ms, me - ms) || hl_buf_adds(out, "】");
        p = me;
        k++;
    }
    if (!rc && to < len)
        rc = hl_buf_adds(out, "…");
    hl_tokens_free(&t);
    return rc ? -1 : 0;
}
