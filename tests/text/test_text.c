/* test_text.c — src/text: normalisation, tokens, query expressions, the
 * snippets. */
#include <stdlib.h>
#include <string.h>

#include "../../src/text/text.h"
#include "../test.h"

/* The tokens of s as "tok|tok|…" (caller frees). */
static char *joined(const char *s)
{
    hl_tokens t = {0};
    hl_buf b;
    hl_buf_init(&b, 1 << 20);
    ck_assert_int_eq(hl_tokens_of(s, strlen(s), &t), 0);
    for (size_t i = 0; i < t.n; i++) {
        if (i)
            hl_buf_addc(&b, '|');
        hl_buf_add(&b, t.v[i].tok, t.v[i].len);
    }
    hl_tokens_free(&t);
    hl_buf_addc(&b, '\0');
    return hl_buf_detach(&b);
}

#define TOKENS_EQ(text, want)                                                              \
    do {                                                                                   \
        char *got_ = joined(text);                                                         \
        ck_assert_str_eq(got_, want);                                                      \
        free(got_);                                                                        \
    } while (0)

START_TEST(cjk_runs_become_bigrams)
{
    TOKENS_EQ("积水严重", "积水|水严|严重");
    TOKENS_EQ("停电", "停电");
    TOKENS_EQ("水", "水");
    TOKENS_EQ("小区，停电！", "小区|停电");
    TOKENS_EQ("A2区景蓉", "a2|区景|景蓉");
    TOKENS_EQ("", "");
    TOKENS_EQ("，。！", "");
}
END_TEST

static int add_cut(void *ctx, hl_token_kind kind, const char *tok, size_t len, size_t s,
                   size_t e)
{
    (void)kind, (void)s, (void)e;
    hl_buf *b = ctx;
    return (b->len && hl_buf_addc(b, '|')) || hl_buf_add(b, tok, len);
}

/* The tokens of s cut as how, "tok|tok|…" (caller frees). */
static char *cut_joined(const char *s, hl_cut how)
{
    hl_buf b;
    hl_buf_init(&b, 1 << 20);
    ck_assert_int_eq(hl_text_cut(s, strlen(s), how, add_cut, &b), 0);
    hl_buf_addc(&b, '\0');
    return hl_buf_detach(&b);
}

#define CUT_EQ(text, how, want)                                                            \
    do {                                                                                   \
        char *got_ = cut_joined(text, how);                                                \
        ck_assert_str_eq(got_, want);                                                      \
        free(got_);                                                                        \
    } while (0)

START_TEST(trigram_cut_keeps_positions)
{
    /* as many tokens as the bigrams: each run's closing bigram */
    CUT_EQ("积水严重", HL_CUT_TRIGRAMS, "积水严|水严重|严重");
    CUT_EQ("积水严重", HL_CUT_BIGRAMS, "积水|水严|严重");
    CUT_EQ("停电，水 A2区景蓉", HL_CUT_TRIGRAMS, "停电|水|a2|区景蓉|景蓉");
    /* a query: the last run's closing bigram only when a token follows */
    CUT_EQ("积水严重", HL_CUT_TRIGRAM_QUERY, "积水严|水严重");
    CUT_EQ("积水严重。", HL_CUT_TRIGRAM_QUERY, "积水严|水严重");
    CUT_EQ("区景蓉A2", HL_CUT_TRIGRAM_QUERY, "区景蓉|景蓉|a2");
    CUT_EQ("停电", HL_CUT_TRIGRAM_QUERY, "停电");
    ck_assert_int_eq(hl_text_query_trigram("物业管理"), 1);
    ck_assert_int_eq(hl_text_query_trigram("物业管理 12345"), 1);
    ck_assert_int_eq(hl_text_query_trigram("区景蓉a2"), 1);
    ck_assert_int_eq(hl_text_query_trigram("积水"), 0);
    ck_assert_int_eq(hl_text_query_trigram("物业管理 积水"), 0);
    ck_assert_int_eq(hl_text_query_trigram("a2区"), 0);
    ck_assert_int_eq(hl_text_query_trigram("12345景蓉"), 0);
}
END_TEST

START_TEST(width_and_case_fold)
{
    /* full-width Latin and digits, ideographic space, capitals */
    TOKENS_EQ("ＡＴＭ机　１２３４５", "atm|机|12345");
    TOKENS_EQ("PM2.5超标", "pm2|5|超标");
    TOKENS_EQ("Straße", "strasse");
    /* a compatibility ideograph maps to its unified form */
    TOKENS_EQ("\xEF\xA4\x80\xE5\x9B\xBD", "\xE8\xB1\x88\xE5\x9B\xBD");
}
END_TEST

START_TEST(offsets_point_into_the_source)
{
    const char *s = "关于ＡＢ路积水";
    hl_tokens t = {0};
    ck_assert_int_eq(hl_tokens_of(s, strlen(s), &t), 0);
    ck_assert_uint_eq(t.n, 4);            /* 关于 ab 路积 积水 */
    ck_assert_uint_eq(t.v[1].start, 6);   /* ＡＢ: two 3-byte characters */
    ck_assert_uint_eq(t.v[1].end, 12);
    ck_assert_uint_eq(t.v[3].start, 15);  /* 积水 after 路 */
    ck_assert_uint_eq(t.v[3].end, 21);
    hl_tokens_free(&t);
}
END_TEST

START_TEST(invalid_bytes_separate)
{
    const char s[] = "积\xFF水";
    TOKENS_EQ(s, "积|水");
}
END_TEST

START_TEST(norm_keeps_separators)
{
    hl_buf b;
    hl_buf_init(&b, 1024);
    ck_assert_int_eq(hl_text_norm("ＡＢ　路", strlen("ＡＢ　路"), &b), 0);
    ck_assert_str_eq(hl_buf_str(&b), "ab 路");
    hl_buf_free(&b);
}
END_TEST

static char *query(const char *q, hl_query_mode mode, int want_n)
{
    hl_buf b;
    hl_buf_init(&b, 1 << 16);
    ck_assert_int_eq(hl_text_query(q, mode, NULL, &b, NULL), want_n);
    hl_buf_addc(&b, '\0');
    return hl_buf_detach(&b);
}

START_TEST(query_expressions)
{
    char *s = query("积水 噪音扰民", HL_QUERY_EXACT, 4);
    ck_assert_str_eq(s, "\"积水\" AND \"噪音扰民\"");
    free(s);
    s = query("A2区", HL_QUERY_EXACT, 2); /* a lone last character: prefix */
    ck_assert_str_eq(s, "\"A2区\"*");
    free(s);
    s = query("积水积水严重", HL_QUERY_ANY, 4); /* each distinct token once */
    ck_assert_str_eq(s, "\"积水\" OR \"水积\" OR \"水严\" OR \"严重\"");
    free(s);
    s = query("他说\"停电\"", HL_QUERY_EXACT, 2); /* quotes are doubled */
    ck_assert_str_eq(s, "\"他说\"\"停电\"\"\"");
    free(s);
    s = query("，。", HL_QUERY_ANY, 0);
    ck_assert_str_eq(s, "");
    free(s);
    hl_buf m, w;
    hl_buf_init(&m, 1024);
    hl_buf_init(&w, 1024);
    hl_query_weights qw = {2.5, 0.5};
    ck_assert_int_eq(hl_text_query("A2区积水", HL_QUERY_ANY, &qw, &m, &w), 5);
    /* the word weighs more; each bigram's first character is a prefix */
    ck_assert_str_eq(hl_buf_str(&m), "\"a2\" OR \"区积\" OR \"区\"* OR \"积水\" OR \"积\"*");
    ck_assert_str_eq(hl_buf_str(&w), "2.5 1 0.5 1 0.5");
    hl_buf_free(&m);
    hl_buf_free(&w);
    ck_assert_int_eq(hl_text_query_mode("积水"), HL_QUERY_EXACT);
    ck_assert_int_eq(hl_text_query_mode("停电 小区"), HL_QUERY_EXACT);
    ck_assert_int_eq(hl_text_query_mode("A2区景蓉华苑物业管理有问题"), HL_QUERY_ANY);
}
END_TEST

START_TEST(snippets_merge_overlapping_bigrams)
{
    const char *q = "物业管理有问题", *text = "关于景蓉花苑物业管理有问题的答复：经调查，物业已整改。";
    hl_tokens qt = {0}, tt = {0};
    ck_assert_int_eq(hl_tokens_of(q, strlen(q), &qt), 0);
    ck_assert_int_eq(hl_tokens_of(text, strlen(text), &tt), 0);
    hl_buf b;
    hl_buf_init(&b, 1 << 16);
    ck_assert_int_eq(hl_text_snippet(&qt, text, 80, &b), 0);
    /* overlapping bigrams merge into one stretch; nothing is printed twice */
    ck_assert_str_eq(hl_buf_str(&b), "关于景蓉花苑【物业管理有问题】的答复：经调查，【物业】已整改。");
    hl_buf_reset(&b);
    ck_assert_int_eq(hl_text_snippet(&qt, text, 6, &b), 0);
    /* a match is never cut: the snippet runs to its end */
    ck_assert_str_eq(hl_buf_str(&b), "…苑【物业管理有问题】…");
    hl_buf_free(&b);
    hl_tokens_free(&qt);
    hl_tokens_free(&tt);
}
END_TEST

Suite *suite_text(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("tokens");
    tcase_add_test(tc, cjk_runs_become_bigrams);
    tcase_add_test(tc, trigram_cut_keeps_positions);
    tcase_add_test(tc, width_and_case_fold);
    tcase_add_test(tc, offsets_point_into_the_source);
    tcase_add_test(tc, invalid_bytes_separate);
    tcase_add_test(tc, norm_keeps_separators);
    tcase_add_test(tc, query_expressions);
    tcase_add_test(tc, snippets_merge_overlapping_bigrams);
    suite_add_tcase(s, tc);
    return s;
}
