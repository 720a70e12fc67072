/* cmd_text.c — `text eval|train|hotspots`: the classifier and the hot spots.
 *
 *   text eval --train TRAIN.tsv (--test TEST.tsv | --cv K) [--config FILE]
 *        files of messages-labeled.tsv's columns (id user subject time text
 *        label): per-label precision, recall, F1, then a last line
 *        "macro-F1 0.xxxx accuracy 0.xxxx"; training and prediction times on
 *        stderr
 *   text hotspots …  (cmd_text_hot.c)
 *   text train [--holdout F]   (cmd_text_train.c) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../text/classify.h"
#include "cli.h"
#include "cmd_text.h"
#include "text_tsv.h"

#define LABELED_COLS 6
enum { COL_SUBJECT = 2, COL_TEXT = 4, COL_LABEL = 5 };

double text_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Seconds of CPU this process used: on a shared machine the wall clock
 * also counts other processes' turns. */
static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

hl_rc text_params(const cli_env *env, const char *config, tc_params *p, hl_err *err)
{
    hl_buf text;
    hl_rc rc = config ? cli_read_file(config, (size_t)1 << 20, &text, err)
                      : text_config_read(env->data_dir, &text, err);
    if (rc)
        return rc;
    rc = tc_params_parse(p, hl_buf_str(&text), err);
    hl_buf_free(&text);
    return rc;
}

/* The label of name, added to names (borrowed strings) when new. */
static int label_of(const char *name, const char ***names, size_t *n, size_t *cap)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*names)[i], name) == 0)
            return (int)i;
    if (hl_grow(names, cap, *n, sizeof **names, 16))
        return -1;
    (*names)[*n] = name;
    return (int)(*n)++;
}

typedef struct {
    text_table t;
    tc_doc *docs;
} labeled;

static hl_rc read_labeled(const char *path, labeled *l, const char ***names, size_t *n,
                          size_t *cap, hl_err *err)
{
    hl_rc rc = text_table_read(path, "id", LABELED_COLS, &l->t, err);
    if (rc)
        return rc;
    if (!(l->docs = calloc(l->t.rows, sizeof *l->docs)))
        return hl_fail(err, HL_ENOMEM, "内存不足");
    for (size_t i = 0; i < l->t.rows; i++) {
        const char *label = text_cell(&l->t, i, COL_LABEL);
        if (!*label || strlen(label) >= TC_LABEL_MAX)
            return hl_fail(err, HL_EINVAL, "%s:%zu: 类别为空或过长", path, i + 2);
        l->docs[i] = (tc_doc){text_cell(&l->t, i, COL_SUBJECT), text_cell(&l->t, i, COL_TEXT),
                              label_of(label, names, n, cap)};
        if (l->docs[i].label < 0)
            return hl_fail(err, HL_ENOMEM, "内存不足");
    }
    return HL_OK;
}

static void print_eval(const tc_eval *e, const char *const *names)
{
    printf("类别\t精确率\t召回率\tF1\t样本数\n");
    for (size_t c = 0; c < e->n_labels; c++)
        printf("%s\t%.4f\t%.4f\t%.4f\t%zu\n", names[c], e->precision[c], e->recall[c], e->f1[c],
               e->support[c]);
    printf("macro-F1 %.4f accuracy %.4f\n", e->macro_f1, e->accuracy);
}

/* Predict each test document with a model trained on train. */
static hl_rc holdout(const tc_params *p, const labeled *train, const labeled *test,
                     const char *const *names, size_t n_names, int *pred, hl_err *err)
{
    tc_model *m;
    double t0 = text_now(), c0 = cpu_now();
    hl_rc rc = tc_train(p, train->docs, train->t.rows, names, n_names, &m, err);
    if (rc)
        return rc;
    double t1 = text_now(), c1 = cpu_now();
    for (size_t i = 0; i < test->t.rows; i++) {
        tc_guess g;
        if (!tc_suggest(m, test->docs[i].title, test->docs[i].body, &g, 1)) {
            tc_model_free(m);
            return hl_fail(err, HL_ENOMEM, "内存不足");
        }
        pred[i] = g.label;
    }
    double t2 = text_now(), c2 = cpu_now(), n = (double)(test->t.rows ? test->t.rows : 1);
    fprintf(stderr,
            "训练 %zu 条 %.3f 秒（CPU %.3f 秒），特征 %zu 个；预测 %zu 条，每条 %.3f 毫秒"
            "（CPU %.3f 毫秒）\n",
            train->t.rows, t1 - t0, c1 - c0, tc_model_features(m), test->t.rows,
            (t2 - t1) * 1e3 / n, (c2 - c1) * 1e3 / n);
    tc_model_free(m);
    return HL_OK;
}

static int eval(cli_env *env, int argc, char **argv)
{
    const char *train_path = NULL, *test_path = NULL, *folds = NULL, *config = NULL;
    cli_opt opts[] = {{"--train", &train_path}, {"--test", &test_path}, {"--cv", &folds},
                      {"--config", &config}};
    hl_err err;
    tc_params p;
    if (cli_parse_opts(argc, argv, opts, 4, &err))
        return cli_fail(&err);
    if (!train_path || !test_path == !folds)
        return cli_usage(&cmd_text);
    if (text_params(env, config, &p, &err))
        return cli_fail(&err);
    if (folds && ((p.cv_folds = atoi(folds)) < 2 || p.cv_folds > 100)) {
        fprintf(stderr, "hotline: --cv 应为 2..100\n");
        return CLI_EXIT_USAGE;
    }
    labeled train = {0}, test = {0};
    const char **names = NULL;
    size_t n_names = 0, cap = 0, n_train_names = 0;
    int *pred = NULL, *gold = NULL;
    hl_rc rc = read_labeled(train_path, &train, &names, &n_names, &cap, &err);
    n_train_names = n_names;
    if (!rc && test_path)
        rc = read_labeled(test_path, &test, &names, &n_names, &cap, &err);
    const labeled *scored = test_path ? &test : &train;
    if (!rc && (!(pred = calloc(scored->t.rows, sizeof *pred)) ||
                !(gold = calloc(scored->t.rows, sizeof *gold))))
        rc = hl_fail(&err, HL_ENOMEM, "内存不足");
    if (!rc && test_path)
        rc = holdout(&p, &train, &test, names, n_train_names, pred, &err);
    else if (!rc)
        rc = tc_cross_validate(&p, train.docs, train.t.rows, n_names, pred, &err);
    tc_eval e = {0};
    for (size_t i = 0; !rc && i < scored->t.rows; i++)
        gold[i] = scored->docs[i].label;
    if (!rc && (rc = tc_eval_score(gold, pred, scored->t.rows, n_names, &e)))
        hl_fail(&err, rc, "内存不足");
    if (!rc)
        print_eval(&e, names);
    tc_eval_free(&e);
    free(pred), free(gold), free(names), free(train.docs), free(test.docs);
    text_table_free(&train.t);
    text_table_free(&test.t);
    return rc ? cli_fail(&err) : 0;
}

static int run(cli_env *env, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "eval") == 0)
        return eval(env, argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "train") == 0)
        return text_train(env, argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "hotspots") == 0)
        return text_hotspots(env, argc - 1, argv + 1);
    return cli_usage(&cmd_text);
}

const cli_cmd cmd_text = {
    "text", run,
    "text eval|train|hotspots …", "智能派单：分类器训练与评测、热点问题挖掘",
    "text eval --train TRAIN.tsv (--test TEST.tsv | --cv K) [--config FILE]\n"
    "    在留言文件（列：id user subject time text label）上训练并评测一级分类：\n"
    "    各类别的精确率、召回率、F1，最后一行 macro-F1 与 accuracy；\n"
    "    --cv K 在训练文件上做 K 折分层交叉验证。参数取自数据目录的 text.json。\n"
    "text hotspots --input FILE.tsv [--top N] [--detail DETAIL.tsv]\n"
    "    热点问题挖掘（列：留言编号 留言用户 留言主题 留言时间 留言详情 反对数 点赞数）：\n"
    "    输出热点问题表（热度排名 问题ID 热度指数 时间范围 地点/人群 问题描述），\n"
    "    --detail 另写热点问题留言明细表。\n"
    "text train [--holdout F]\n"
    "    用数据库中的历史训练诉求类型与承办单位的推荐模型并保存到数据库；\n"
    "    --holdout F 先留出比例 F 的历史，报告首选与前三正确率。\n"};
