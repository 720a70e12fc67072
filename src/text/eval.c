/* eval.c — per-label precision, recall and F1, and stratified k-fold
 * cross-validation with a fixed seed. */
#include <stdlib.h>
#include <string.h>

#include "classify.h"

void tc_eval_free(tc_eval *e)
{
    free(e->confusion);
    free(e->precision);
    free(e->recall);
    free(e->f1);
    free(e->support);
    memset(e, 0, sizeof *e);
}

hl_rc tc_eval_score(const int *gold, const int *pred, size_t n, size_t n_labels, tc_eval *e)
{
    size_t k = n_labels ? n_labels : 1;
    memset(e, 0, sizeof *e);
    e->n_labels = n_labels;
    e->confusion = calloc(k * k, sizeof *e->confusion);
    e->precision = calloc(k, sizeof *e->precision);
    e->recall = calloc(k, sizeof *e->recall);
    e->f1 = calloc(k, sizeof *e->f1);
    e->support = calloc(k, sizeof *e->support);
    if (!e->confusion || !e->precision || !e->recall || !e->f1 || !e->support) {
        tc_eval_free(e);
        return HL_ENOMEM;
    }
    size_t right = 0;
    for (size_t i = 0; i < n; i++) {
        if (gold[i] < 0 || (size_t)gold[i] >= n_labels || pred[i] < 0 ||
            (size_t)pred[i] >= n_labels) {
            tc_eval_free(e);
            return HL_EINVAL;
        }
        e->confusion[(size_t)gold[i] * n_labels + (size_t)pred[i]]++;
        right += gold[i] == pred[i];
    }
    for (size_t c = 0; c < n_labels; c++) {
        size_t tp = e->confusion[c * n_labels + c], predicted = 0;
        for (size_t g = 0; g < n_labels; g++) {
            e->support[c] += e->confusion[c * n_labels + g];
            predicted += e->confusion[g * n_labels + c];
        }
        e->precision[c] = predicted ? (double)tp / (double)predicted : 0;
        e->recall[c] = e->support[c] ? (double)tp / (double)e->support[c] : 0;
        double s = e->precision[c] + e->recall[c];
        e->f1[c] = s > 0 ? 2 * e->precision[c] * e->recall[c] / s : 0;
        e->macro_f1 += e->f1[c] / (double)n_labels;
    }
    e->accuracy = n ? (double)right / (double)n : 0;
    return HL_OK;
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* fold[i]: each label's documents shuffled, then dealt to the folds in turn. */
static void assign_folds(const tc_doc *docs, size_t n, size_t n_labels, int k, uint64_t seed,
                         size_t *order, int *fold)
{
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t r = (size_t)(xorshift(&seed) % i), t = order[i - 1];
        order[i - 1] = order[r];
        order[r] = t;
    }
    for (size_t c = 0; c < n_labels; c++) {
        int next = (int)(c % (size_t)k); /* spread the small labels' remainders */
        for (size_t j = 0; j < n; j++)
            if ((size_t)docs[order[j]].label == c) {
                fold[order[j]] = next;
                next = (next + 1) % k;
            }
    }
}

hl_rc tc_cross_validate(const tc_params *p, const tc_doc *docs, size_t n, size_t n_labels,
                        int *pred, hl_err *err)
{
    int k = p->cv_folds;
    if (k < 2 || (size_t)k > n)
        return hl_fail(err, HL_EINVAL, "交叉验证折数 %d 无效（2..%zu）", k, n);
    size_t *order = malloc(n * sizeof *order);
    int *fold = malloc(n * sizeof *fold);
    tc_doc *train = malloc(n * sizeof *train);
    const char **names = calloc(n_labels ? n_labels : 1, sizeof *names);
    hl_rc rc = order && fold && train && names ? HL_OK : hl_fail(err, HL_ENOMEM, "内存不足");
    for (size_t c = 0; c < n_labels; c++)
        names[c] = "";
    if (!rc)
        assign_folds(docs, n, n_labels, k, p->seed ? p->seed : 1, order, fold);
    double *s = malloc((n_labels ? n_labels : 1) * sizeof *s);
    if (!rc && !s)
        rc = hl_fail(err, HL_ENOMEM, "内存不足");
    for (int f = 0; f < k && !rc; f++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (fold[i] != f)
                train[m++] = docs[i];
        tc_model *model;
        if ((rc = tc_train(p, train, m, names, n_labels, &model, err)))
            break;
        for (size_t i = 0; i < n && !rc; i++) {
            if (fold[i] != f)
                continue;
            if ((rc = tc_decide(model, docs[i].title, docs[i].body, s)))
                hl_fail(err, rc, "内存不足");
            size_t best = 0;
            for (size_t c = 1; c < n_labels; c++)
                if (s[c] > s[best])
                    best = c;
            pred[i] = (int)best;
        }
        tc_model_free(model);
    }
    free(s), free(order), free(fold), free(train), free(names);
    return rc;
}
