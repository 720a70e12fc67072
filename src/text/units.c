/* units.c — text as a stream of units (one CJK character, or one word of
 * letters and digits), rebuilt from hl_text_tokens: a run's bigrams
 * overlap (积水严重 → 积水 水严 严重: each starts inside the one before), so
 * each bigram adds its second character, and a unit is joined to the one
 * before when no separator stands between them in the source. */
#include "text.h"

typedef struct {
    hl_unit_fn fn;
    void *ctx;
    size_t prev_end;     /* source end of the previous token */
    int have_prev, in_run;
} unit_cut;

static size_t first_len(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static int on_token(void *ctx, hl_token_kind kind, const char *tok, size_t len, size_t start,
                    size_t end)
{
    unit_cut *k = ctx;
    int joined = k->have_prev && start <= k->prev_end;
    int rc = 0;
    if (kind == HL_TOK_BIGRAM) {
        size_t a = first_len(tok);
        if (!(k->in_run && start < k->prev_end)) /* the run's first bigram */
            rc = k->fn(k->ctx, 0, tok, a, joined);
        if (!rc)
            rc = k->fn(k->ctx, 0, tok + a, len - a, 1);
        k->in_run = 1;
    } else {
        rc = k->fn(k->ctx, kind == HL_TOK_WORD, tok, len, joined);
        k->in_run = 0;
    }
    k->have_prev = 1;
    k->prev_end = end;
    return rc;
}

int hl_text_units(const char *text, size_t len, hl_unit_fn fn, void *ctx)
{
    unit_cut k = {.fn = fn, .ctx = ctx};
    return hl_text_tokens(text, len, on_token, &k);
}
