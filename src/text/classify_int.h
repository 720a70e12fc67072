/* classify_int.h — the model's layout, shared by classify.c, model_io.c
 * and svm.c (not part of the interface). */
#ifndef HL_CLASSIFY_INT_H
#define HL_CLASSIFY_INT_H

#include "../core/map.h"
#include "classify.h"

struct tc_model {
    tc_params p;
    size_t n_feat, n_labels;
    uint64_t *hash;       /* [n_feat]: feature i's hash */
    hl_imap index;        /* hash → i + 1 */
    float *idf;           /* [n_feat] */
    float *w;             /* [n_labels][n_feat + 1]: weights, then the intercept */
    char **labels;        /* [n_labels], owned */
};

/* A sparse tf-idf vector, L2-normalised. */
typedef struct {
    uint32_t *idx;
    float *val;
    size_t n;
} tc_vec;

/* Index the model's hashes (m->hash[0..n_feat)) into m->index. */
hl_rc tc_model_index(tc_model *m);

/* Allocate labels, idf and weights for n_feat features (hash too). */
hl_rc tc_model_alloc(tc_model *m, size_t n_feat, const char *const *labels, size_t n_labels);

/* One-vs-rest L2-loss linear SVM on the rows x[0..n) for label `label`:
 * weights and intercept into w[0..n_feat].  Row i costs cost[i] times C. */
hl_rc tc_svm_train(const tc_params *p, const tc_vec *x, const int *y, size_t n, int label,
                   const double *cost, size_t n_feat, float *w);

#endif
