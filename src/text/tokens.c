/* tokens.c — normalise (NFKC + casefold) and cut text into index tokens. */
#include "text.h"

#include <string.h>
#include <utf8proc.h>

/* What one normalised code point is to the cut. */
typedef enum { CL_SEP, CL_CJK, CL_WORD } char_class;

static int is_cjk(int32_t c)
{
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F) ||
           (c >= 0x3040 && c <= 0x30FF) || /* kana */
           (c >= 0xAC00 && c <= 0xD7AF);   /* hangul syllables */
}

static char_class classify(int32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ? CL_WORD : CL_SEP;
    if (is_cjk(c))
        return CL_CJK;
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return CL_WORD;
    default:
        return CL_SEP;
    }
}

#define MAP_MAX 18 /* utf8proc's longest decomposition is 18 code points */

/* The NFKC + casefold form of one code point into out (up to MAP_MAX);
 * returns how many.  ASCII and the common CJK block map to themselves
 * (apart from ASCII capitals), which skips utf8proc for most text. */
static int map_one(int32_t c, int32_t out[MAP_MAX])
{
    if (c < 0x80) {
        out[0] = c >= 'A' && c <= 'Z' ? c + 32 : c;
        return 1;
    }
    if (c >= 0x4E00 && c <= 0x9FFF) {
        out[0] = c;
        return 1;
    }
    int last = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(
        c, out, MAP_MAX,
        UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STABLE, &last);
    if (n <= 0 || n > MAP_MAX) {
        out[0] = c;
        return 1;
    }
    /* recompose (NFKC): in place, never longer */
    n = utf8proc_normalize_utf32(out, n, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    return n > 0 ? (int)n : (out[0] = c, 1);
}

/* The cut's state: the current run of one class, as normalised code points
 * with the source bytes each came from. */
typedef struct {
    hl_token_fn fn;
    void *ctx;
    hl_cut how;
    char_class cls;
    int32_t prev, prev2;    /* CJK: the run's last two characters … */
    size_t prev_start, prev2_start; /* … and where each began in the source */
    int run;                /* characters in the current CJK run */
    char word[HL_TOKEN_MAX];
    size_t wlen, wstart, wend;
    /* a trigram query: a run's closing bigram, emitted only when another
     * token follows (see HL_CUT_TRIGRAM_QUERY) */
    char pend[8];
    size_t pend_len, pend_start, pend_end;
} cut;

static size_t put_utf8(int32_t c, char *out)
{
    return (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)out);
}

/* Emit a token, after the pending closing bigram if there is one. */
static int put(cut *k, hl_token_kind kind, const char *tok, size_t len, size_t s, size_t e)
{
    int rc = 0;
    if (k->pend_len) {
        rc = k->fn(k->ctx, HL_TOK_BIGRAM, k->pend, k->pend_len, k->pend_start, k->pend_end);
        k->pend_len = 0;
    }
    return rc ? rc : k->fn(k->ctx, kind, tok, len, s, e);
}

/* End the current run: a lone CJK character or a word is emitted now, and
 * in a trigram cut the run's closing bigram (held back in a query). */
static int flush(cut *k)
{
    int rc = 0;
    char b[8];
    if (k->cls == CL_CJK && k->run == 1) {
        size_t n = put_utf8(k->prev, b);
        rc = put(k, HL_TOK_CHAR, b, n, k->prev_start, k->wend);
    } else if (k->cls == CL_CJK && k->how != HL_CUT_BIGRAMS) {
        size_t n = put_utf8(k->prev2, b);
        n += put_utf8(k->prev, b + n);
        if (k->how == HL_CUT_TRIGRAM_QUERY && k->run > 2) {
            memcpy(k->pend, b, n);
            k->pend_len = n, k->pend_start = k->prev2_start, k->pend_end = k->wend;
        } else {
            rc = put(k, HL_TOK_BIGRAM, b, n, k->prev2_start, k->wend);
        }
    } else if (k->cls == CL_WORD && k->wlen) {
        rc = put(k, HL_TOK_WORD, k->word, k->wlen, k->wstart, k->wend);
    }
    k->cls = CL_SEP;
    k->run = 0;
    k->wlen = 0;
    return rc;
}

/* A CJK character c from source bytes [s, e) extends the run: the bigram
 * (or trigram) it ends. */
static int feed_cjk(cut *k, int32_t c, size_t s, size_t e)
{
    char b[12];
    size_t n = 0;
    int rc = 0;
    if (k->how == HL_CUT_BIGRAMS && k->run >= 1) {
        n = put_utf8(k->prev, b);
        n += put_utf8(c, b + n);
        rc = put(k, HL_TOK_BIGRAM, b, n, k->prev_start, e);
    } else if (k->how != HL_CUT_BIGRAMS && k->run >= 2) {
        n = put_utf8(k->prev2, b);
        n += put_utf8(k->prev, b + n);
        n += put_utf8(c, b + n);
        rc = put(k, HL_TOK_TRIGRAM, b, n, k->prev2_start, e);
    }
    k->prev2 = k->prev;
    k->prev2_start = k->prev_start;
    k->prev = c;
    k->prev_start = s;
    k->wend = e;
    k->run++;
    return rc;
}

/* Feed one normalised code point c that came from source bytes [s, e). */
static int feed(cut *k, int32_t c, size_t s, size_t e)
{
    char_class cl = classify(c);
    int rc = 0;
    if (cl != k->cls && (rc = flush(k)))
        return rc;
    k->cls = cl;
    if (cl == CL_CJK)
        return feed_cjk(k, c, s, e);
    if (cl == CL_WORD) {
        if (!k->wlen)
            k->wstart = s;
        if (k->wlen + 4 <= sizeof k->word) /* longer words are cut */
            k->wlen += put_utf8(c, k->word + k->wlen);
        k->wend = e;
    }
    return 0;
}

int hl_text_cut(const char *text, size_t len, hl_cut how, hl_token_fn fn, void *ctx)
{
    cut k = {.fn = fn, .ctx = ctx, .how = how, .cls = CL_SEP};
    size_t i = 0;
    while (i < len) {
        int32_t c, m[MAP_MAX];
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
                                              (utf8proc_ssize_t)(len - i), &c);
        int rc;
        if (n <= 0) { /* an invalid byte separates */
            if ((rc = flush(&k)))
                return rc;
            i++;
            continue;
        }
        int nm = map_one(c, m);
        for (int j = 0; j < nm; j++)
            if ((rc = feed(&k, m[j], i, i + (size_t)n)))
                return rc;
        i += (size_t)n;
    }
    return flush(&k); /* a query's pending bigram is dropped */
}

int hl_text_tokens(const char *text, size_t len, hl_token_fn fn, void *ctx)
{
    return hl_text_cut(text, len, HL_CUT_BIGRAMS, fn, ctx);
}

int hl_text_norm(const char *text, size_t len, hl_buf *out)
{
    size_t i = 0;
    while (i < len) {
        int32_t c, m[MAP_MAX];
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
                                              (utf8proc_ssize_t)(len - i), &c);
        if (n <= 0) {
            i++;
            continue;
        }
        int nm = map_one(c, m);
        for (int j = 0; j < nm; j++) {
            char b[4];
            if (hl_buf_add(out, b, put_utf8(m[j], b)))
                return -1;
        }
        i += (size_t)n;
    }
    return hl_buf_add(out, "", 0) ? -1 : 0;
}
