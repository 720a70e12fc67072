/* text.h — Chinese text: normalisation and the tokens of the search index.
 *
 *   tokens.c   NFKC + casefold (utf8proc) and the cut into tokens: character
 *              bigrams for runs of CJK characters, words for runs of letters
 *              and digits.  The FTS5 tokenizer (store/sqlite_fts.c), the
 *              query builder and the tests all cut text here, so the index
 *              and its queries cannot disagree.
 *   query.c    a user's query as an FTS5 MATCH expression
 *   rank.c     the tokens of a text with their offsets, and highlighted
 *              snippets
 *   units.c    the text as characters and words (classifier, hot spots)
 *   search.c   the knowledge-base search (search.h): query, store, snippets
 *
 * Why bigrams: most complaint keywords are two characters (积水, 噪音, 停电);
 * a trigram index cannot find them, a bigram index finds every occurrence,
 * and a longer word is the phrase of its bigrams. */
#ifndef HL_TEXT_H
#define HL_TEXT_H

#include <stddef.h>

#include "../core/buf.h"

#define HL_TOKEN_MAX 64 /* bytes of one token; longer words are cut */

typedef enum { HL_TOK_BIGRAM, HL_TOK_CHAR, HL_TOK_WORD, HL_TOK_TRIGRAM } hl_token_kind;

/* Called per token: tok[0..len) is normalised UTF-8 (borrowed for the call),
 * [start, end) the bytes of the source text it came from (for highlights).
 * A non-zero result stops the cut and is returned by hl_text_tokens. */
typedef int (*hl_token_fn)(void *ctx, hl_token_kind kind, const char *tok, size_t len,
                           size_t start, size_t end);

/* Cut text[0..len) into tokens, in order.  A run of one CJK character gives
 * that character; invalid UTF-8 bytes separate tokens. */
int hl_text_tokens(const char *text, size_t len, hl_token_fn fn, void *ctx);

/* The cuts of the two knowledge-base indexes.  BIGRAMS is hl_text_tokens.
 * TRIGRAMS (the trigram index, store/sqlite_fts.c "hltrigram") gives, for
 * a run of n >= 2 CJK characters, its n - 2 trigrams and then its closing
 * bigram: as many tokens at the same positions as the bigrams, so a
 * document's length, and so its BM25 score, is the same in both indexes,
 * while a phrase of 3 or more characters is looked up by trigrams, whose
 * lists are far shorter than those of common bigrams (问题 is in half of
 * the articles).  TRIGRAM_QUERY is the cut of a query for that index: the
 * closing bigram of a run of 3 or more is given only when another token
 * follows, since the document's run may go on after the query's.  A query
 * whose last run has fewer than 3 characters cannot be looked up there. */
typedef enum { HL_CUT_BIGRAMS, HL_CUT_TRIGRAMS, HL_CUT_TRIGRAM_QUERY } hl_cut;
int hl_text_cut(const char *text, size_t len, hl_cut how, hl_token_fn fn, void *ctx);

/* The text as units: each CJK character and each word of letters and
 * digits, in order, normalised (u borrowed for the call); joined is 1 when
 * no separator stands between the unit and the one before (units.c).  A
 * non-zero result of fn stops and is returned. */
typedef int (*hl_unit_fn)(void *ctx, int word, const char *u, size_t len, int joined);
int hl_text_units(const char *text, size_t len, hl_unit_fn fn, void *ctx);

/* The normalised form of text[0..len) (NFKC + casefold, separators kept),
 * appended to out.  0, or -1 when out is full. */
int hl_text_norm(const char *text, size_t len, hl_buf *out);

/* The tokens of a text, with where each came from. */
typedef struct {
    char tok[HL_TOKEN_MAX];
    unsigned char len;
    size_t start, end;
} hl_token;
typedef struct {
    hl_token *v;
    size_t n, cap;
} hl_tokens;
/* 0, or -1 out of memory; t starts zeroed and is freed by hl_tokens_free. */
int hl_tokens_of(const char *text, size_t len, hl_tokens *t);
void hl_tokens_free(hl_tokens *t);

/* Up to about max_chars characters of text around its densest cluster of
 * query tokens, each matched stretch in 【】, "…" where cut; appended to
 * out.  0, or -1 when out is full. */
int hl_text_snippet(const hl_tokens *query, const char *text, size_t max_chars, hl_buf *out);

/* Build the FTS5 MATCH expression of a user's query into out, and (when
 * weights is not NULL) the weight of each of its phrases, space-separated,
 * for hlrank (store/sqlite_rank.c).
 *   exact: every whitespace-separated term must occur as written (a phrase
 *          of its bigrams: the substring after normalisation); weight 1;
 *   any:   any token may match (ranked retrieval of long queries): a bigram
 *          weighs 1, a word of letters or digits w->word, and the first
 *          character of each bigram is a prefix phrase of w->character
 *          (0: none).  w NULL: 1 and 0.
 * Returns the number of phrases (0: nothing searchable), -1 when out is full. */
typedef enum { HL_QUERY_EXACT, HL_QUERY_ANY } hl_query_mode;
typedef struct {
    double word, character;
} hl_query_weights;
int hl_text_query(const char *q, hl_query_mode mode, const hl_query_weights *w, hl_buf *out,
                  hl_buf *weights);

/* The mode for a query as typed: exact for a few short terms (a keyword
 * search), any for a sentence (a subject, a citizen's words). */
hl_query_mode hl_text_query_mode(const char *q);

/* 1 when the exact query of q can be looked up in the trigram index (the
 * same expression, cut by HL_CUT_TRIGRAM_QUERY): every term ends in a word
 * or in a run of 3 or more CJK characters. */
int hl_text_query_trigram(const char *q);

#endif
