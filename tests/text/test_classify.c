/* test_classify.c — the 智能派单 classifier (src/text/classify.h): its
 * features, scores, the model's bytes, and the cross-validated macro-F1 on
 * the real labelled messages of ../shared/data, printed and held above a
 * floor; `text eval` through the CLI. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/cli/text_tsv.h"
#include "../../src/text/classify.h"
#include "../test.h"

#define DATA HL_SHARED_DIR "/data/tipdm2020c/"
#define LABELED DATA "messages-labeled.tsv"

/* The floor of the 5-fold CV macro-F1 (seed of data/text.json).  The same
 * CV gives 0.852 (mean of 3 seeds) to the configuration of the standard
 * tool (LinearSVC on tf-idf character 1–2-grams, C = 1), which scores 0.852
 * on the hidden set, and 0.861 with this seed; the chosen model gives 0.870
 * over the 3 seeds and 0.877 with this one.  0.865 fails a change that
 * falls back to the standard tool's level, with 0.012 of room for ours. */
#define CV_FLOOR 0.865

static tc_params params(void)
{
    char *cfg = th_read(HL_DATA_DIR "/text.json", NULL);
    tc_params p;
    hl_err err;
    ck_assert_ptr_nonnull(cfg);
    ck_assert_msg(tc_params_parse(&p, cfg, &err) == HL_OK, "%s", err.msg);
    free(cfg);
    return p;
}

/* Count the features of a text. */
static size_t n_terms(const tc_params *p, const char *title, const char *body)
{
    tc_terms t = {0};
    ck_assert_int_eq(tc_terms_of(p, title, body, &t), HL_OK);
    size_t n = t.n;
    tc_terms_free(&t);
    return n;
}

START_TEST(features_are_ngrams_of_runs)
{
    tc_params p = params();
    p.ngram_min = 1, p.ngram_max = 2, p.words = 0;
    /* 积 水 严 重 + 积水 水严 严重 */
    ck_assert_uint_eq(n_terms(&p, NULL, "积水严重"), 7);
    /* runs do not join across punctuation: 积 水 积水 + 严 重 严重 */
    ck_assert_uint_eq(n_terms(&p, NULL, "积水，严重"), 6);
    /* repeated n-grams merge; words count only when asked */
    ck_assert_uint_eq(n_terms(&p, NULL, "积水积水 A2"), 4); /* 积 水 积水 水积 */
    p.words = 1;
    ck_assert_uint_eq(n_terms(&p, NULL, "积水积水 A2"), 5);
    p.ngram_max = 3, p.words = 0;
    ck_assert_uint_eq(n_terms(&p, NULL, "积水严重"), 9);
    /* width and case folded as the search index does */
    ck_assert_uint_eq(n_terms(&p, "ＡＢ積水", NULL), n_terms(&p, "ab積水", NULL));
    ck_assert_uint_eq(n_terms(&p, NULL, ""), 0);
}
END_TEST

START_TEST(eval_scores)
{
    int gold[] = {0, 0, 0, 1, 1, 2}, pred[] = {0, 0, 1, 1, 1, 0};
    tc_eval e;
    ck_assert_int_eq(tc_eval_score(gold, pred, 6, 3, &e), HL_OK);
    ck_assert_double_eq_tol(e.precision[0], 2.0 / 3, 1e-12);
    ck_assert_double_eq_tol(e.recall[0], 2.0 / 3, 1e-12);
    ck_assert_double_eq_tol(e.precision[1], 2.0 / 3, 1e-12);
    ck_assert_double_eq_tol(e.recall[1], 1.0, 1e-12);
    ck_assert_double_eq_tol(e.f1[1], 0.8, 1e-12);
    ck_assert_double_eq_tol(e.f1[2], 0.0, 1e-12);
    ck_assert_double_eq_tol(e.macro_f1, (2.0 / 3 + 0.8 + 0) / 3, 1e-12);
    ck_assert_double_eq_tol(e.accuracy, 4.0 / 6, 1e-12);
    ck_assert_uint_eq(e.support[0], 3);
    tc_eval_free(&e);
    pred[0] = 3; /* out of range */
    ck_assert_int_eq(tc_eval_score(gold, pred, 6, 3, &e), HL_EINVAL);
}
END_TEST

/* A toy training set: water, electricity, schools. */
static const tc_doc toy[] = {
    {"停水", "小区停水三天了", 0},     {"水压低", "自来水水压太低", 0},
    {"水管爆裂", "路上水管爆裂", 0},   {"停电", "小区又停电了", 1},
    {"电压不稳", "电压不稳烧坏电器", 1}, {"电费", "电费收费不合理", 1},
    {"学位", "孩子上学没有学位", 2},   {"学校收费", "学校乱收费", 2},
    {"校车", "学校校车超载", 2},
};
static const char *const toy_labels[] = {"供水", "供电", "教育"};

START_TEST(suggestions_and_bytes)
{
    tc_params p = params();
    tc_model *m, *back;
    hl_err err;
    ck_assert_int_eq(tc_train(&p, toy, 9, toy_labels, 3, &m, &err), HL_OK);
    tc_guess g[3];
    ck_assert_uint_eq(tc_suggest(m, "家里停水", "今天一直停水", g, 3), 3);
    ck_assert_str_eq(tc_model_label(m, (size_t)g[0].label), "供水");
    ck_assert(g[0].score > g[1].score && g[1].score >= g[2].score);
    ck_assert_double_eq_tol(g[0].score + g[1].score + g[2].score, 1.0, 1e-9);
    ck_assert_uint_eq(tc_suggest(m, NULL, "学校的学位不够", g, 1), 1);
    ck_assert_str_eq(tc_model_label(m, (size_t)g[0].label), "教育");

    hl_buf b;
    hl_buf_init(&b, (size_t)1 << 28);
    ck_assert_int_eq(tc_model_save(m, &b), HL_OK);
    ck_assert_int_eq(tc_model_load(b.data, b.len, &back, &err), HL_OK);
    double s1[3], s2[3];
    ck_assert_int_eq(tc_decide(m, "停电", "小区停电", s1), HL_OK);
    ck_assert_int_eq(tc_decide(back, "停电", "小区停电", s2), HL_OK);
    for (int i = 0; i < 3; i++)
        ck_assert_double_eq(s1[i], s2[i]);
    ck_assert_str_eq(tc_model_label(back, 2), "教育");
    /* every truncation and a flipped magic are refused, not misread */
    tc_model *bad;
    for (size_t n = 0; n < b.len; n += 1 + n / 7) {
        ck_assert_int_eq(tc_model_load(b.data, n, &bad, &err), HL_EINVAL);
        ck_assert_ptr_null(bad);
    }
    b.data[0] = 'X';
    ck_assert_int_eq(tc_model_load(b.data, b.len, &bad, &err), HL_EINVAL);
    hl_buf_free(&b);
    tc_model_free(back);
    tc_model_free(m);
}
END_TEST

START_TEST(bad_labels_refused)
{
    tc_params p = params();
    tc_doc d[] = {{"a", "停水", 0}, {"b", "停电", 5}};
    tc_model *m;
    hl_err err;
    ck_assert_int_eq(tc_train(&p, d, 2, toy_labels, 3, &m, &err), HL_EINVAL);
    ck_assert_ptr_null(m);
}
END_TEST

/* The labelled messages and their label indices (names borrowed from t). */
typedef struct {
    text_table t;
    tc_doc *docs;
    const char *names[32];
    size_t n_names;
} labeled;

static void load_labeled(labeled *l)
{
    hl_err err;
    ck_assert_msg(text_table_read(LABELED, "id", 6, &l->t, &err) == HL_OK, "%s", err.msg);
    l->docs = calloc(l->t.rows, sizeof *l->docs);
    l->n_names = 0;
    for (size_t i = 0; i < l->t.rows; i++) {
        const char *label = text_cell(&l->t, i, 5);
        size_t c = 0;
        while (c < l->n_names && strcmp(l->names[c], label) != 0)
            c++;
        if (c == l->n_names) {
            ck_assert_uint_lt(l->n_names, 32);
            l->names[l->n_names++] = label;
        }
        l->docs[i] = (tc_doc){text_cell(&l->t, i, 2), text_cell(&l->t, i, 4), (int)c};
    }
}

START_TEST(cross_validated_macro_f1)
{
    tc_params p = params();
    labeled l;
    hl_err err;
    load_labeled(&l);
    ck_assert_uint_eq(l.t.rows, 963);
    ck_assert_uint_eq(l.n_names, 7);
    int *pred = calloc(l.t.rows, sizeof *pred), *gold = calloc(l.t.rows, sizeof *gold);
    ck_assert_msg(tc_cross_validate(&p, l.docs, l.t.rows, l.n_names, pred, &err) == HL_OK, "%s",
                  err.msg);
    for (size_t i = 0; i < l.t.rows; i++)
        gold[i] = l.docs[i].label;
    tc_eval e;
    ck_assert_int_eq(tc_eval_score(gold, pred, l.t.rows, l.n_names, &e), HL_OK);
    printf("text: %d-fold CV on messages-labeled.tsv: macro-F1 %.4f accuracy %.4f (floor %.3f)\n",
           p.cv_folds, e.macro_f1, e.accuracy, CV_FLOOR);
    ck_assert_msg(e.macro_f1 >= CV_FLOOR, "macro-F1 %.4f below %.3f", e.macro_f1, CV_FLOOR);
    tc_eval_free(&e);
    free(pred), free(gold), free(l.docs);
    text_table_free(&l.t);
}
END_TEST

START_TEST(cli_eval)
{
    char *dir = th_tmpdir(), *bad = th_path(dir, "bad.tsv");
    th_proc p;
    /* train and test on the file itself: every message is recalled */
    ck_assert_int_eq(TH_CLI(&p, NULL, "text", "eval", "--train", LABELED, "--test", LABELED), 0);
    char *last = strstr(p.out, "macro-F1 ");
    ck_assert_ptr_nonnull(last);
    ck_assert_str_eq(last, "macro-F1 1.0000 accuracy 1.0000\n");
    ck_assert(th_has(p.out, "交通运输\t1.0000\t1.0000\t1.0000\t78\n"));
    th_proc_free(&p);
    /* a bad line is named by its number; usage errors exit 2 */
    th_write(bad, "id\tuser\tsubject\ttime\ttext\tlabel\n1\tu\ts\tt\t停水\t供水\n2\tu\ts\tt\t停电\n");
    ck_assert_int_eq(TH_CLI(&p, NULL, "text", "eval", "--train", bad, "--cv", "2"), 1);
    ck_assert_msg(th_has(p.err, "bad.tsv:3") && th_has(p.err, "应有 6 列"), "%s", p.err);
    th_proc_free(&p);
    /* a byte-order mark before the header is no error */
    th_write(bad, "\xEF\xBB\xBFid\tuser\tsubject\ttime\ttext\tlabel\n1\tu\t停水\tt\t小区停水\t供水\n"
                  "2\tu\t停电\tt\t小区停电\t供电\n");
    ck_assert_int_eq(TH_CLI(&p, NULL, "text", "eval", "--train", bad, "--test", bad), 0);
    ck_assert_msg(th_has(p.out, "macro-F1 1.0000 accuracy 1.0000\n"), "%s", p.out);
    th_proc_free(&p);
    ck_assert_int_eq(TH_CLI(&p, NULL, "text", "eval", "--train", LABELED), 2);
    th_proc_free(&p);
    ck_assert_int_eq(TH_CLI(&p, NULL, "text", "eval", "--train", LABELED, "--cv", "1"), 2);
    th_proc_free(&p);
    free(bad);
    th_rmtree(dir);
}
END_TEST

Suite *suite_classify(void)
{
    Suite *s = suite_create("classify");
    TCase *tc = tcase_create("classify");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, features_are_ngrams_of_runs);
    tcase_add_test(tc, eval_scores);
    tcase_add_test(tc, suggestions_and_bytes);
    tcase_add_test(tc, bad_labels_refused);
    tcase_add_test(tc, cross_validated_macro_f1);
    tcase_add_test(tc, cli_eval);
    suite_add_tcase(s, tc);
    return s;
}
