/* classify.h — 智能派单: a text classifier trained from the center's history
 * (categories from appeals, units from orders dispatched and not returned).
 *
 *   features.c   a document (subject + body) → hashed features: character
 *                n-grams of the CJK runs and words of letters and digits,
 *                cut by text.h's tokens (the same normalisation as search)
 *   classify.c   tf-idf vectors and a one-vs-rest linear SVM (L2-loss, dual
 *                coordinate descent as in LIBLINEAR), top-k suggestions
 *   model_io.c   the model as bytes, for the store
 *   tconfig.c    the hyper-parameters (data/text.json), never literals
 *   eval.c       per-class precision/recall/F1 and stratified k-fold CV
 *
 * Pure C: no I/O; the CLI and the server load the data and the model. */
#ifndef HL_CLASSIFY_H
#define HL_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/err.h"

/* The classifier's hyper-parameters ("classifier" in data/text.json). */
typedef struct {
    int ngram_min, ngram_max;  /* CJK character n-grams, 1 ≤ min ≤ max ≤ TC_NGRAM_MAX */
    int words;                 /* words of letters and digits are features too */
    double title_weight;       /* a subject's feature counts this many times a body's */
    int field_norm;            /* 1: subject and body normalised apart, then summed
                                * (the subject's × title_weight) */
    int min_df;                /* features in fewer training documents are dropped */
    int sublinear_tf;          /* tf → 1 + ln tf */
    double c;                  /* the SVM's cost: larger fits the training set closer */
    double bias;               /* the constant feature's value (0: no intercept) */
    double balance;            /* a label's cost × (n / (labels × its count))^balance */
    int max_iter;              /* coordinate-descent passes */
    double eps;                /* stop when the projected gradient's spread is below this */
    double temperature;        /* suggestion scores: softmax of decision values / this */
    uint64_t seed;             /* the order of coordinate descent and of CV folds */
    int cv_folds;              /* k of the cross-validation the test reports */
} tc_params;

#define TC_NGRAM_MAX 4
#define TC_LABEL_MAX 128       /* bytes of one label (category or unit code) */

/* Parse the "classifier" object of data/text.json (the whole file's text). */
hl_rc tc_params_parse(tc_params *p, const char *json, hl_err *err);

/* --- features ------------------------------------------------------------- */

typedef struct {
    uint64_t h;   /* the feature's hash (never 0) */
    float w;      /* its weighted count in the document */
} tc_term;
typedef struct {
    tc_term *v;
    size_t n, cap;
    uint32_t *slot;       /* scratch: the table that merges equal hashes */
    size_t slot_cap;
} tc_terms;

/* The features of a document, each hash once with its counts summed; title or
 * body may be NULL.  *t (zeroed by the caller, reused across calls) is
 * freed with tc_terms_free. */
hl_rc tc_terms_of(const tc_params *p, const char *title, const char *body, tc_terms *t);
void tc_terms_free(tc_terms *t);

/* --- the model ------------------------------------------------------------ */

typedef struct tc_model tc_model;

/* One training document: subject (may be NULL), body, label index. */
typedef struct {
    const char *title, *body;
    int label;
} tc_doc;

/* Train on docs (labels in 0..n_labels); labels[i] names label i (copied).
 * *out is freed with tc_model_free. */
hl_rc tc_train(const tc_params *p, const tc_doc *docs, size_t n, const char *const *labels,
               size_t n_labels, tc_model **out, hl_err *err);
void tc_model_free(tc_model *m);


size_t tc_model_labels(const tc_model *m);
const char *tc_model_label(const tc_model *m, size_t i);
const tc_params *tc_model_params(const tc_model *m);
size_t tc_model_features(const tc_model *m);

/* The decision value of every label for a document into scores[0..labels). */
hl_rc tc_decide(const tc_model *m, const char *title, const char *body, double *scores);

typedef struct {
    int label;
    double score;   /* softmax of the decision values: 0..1, summing to 1 over all labels */
} tc_guess;

/* The k best labels (k ≤ labels), best first, into out[0..k); returns how many. */
size_t tc_suggest(const tc_model *m, const char *title, const char *body, tc_guess *out,
                  size_t k);

/* The model as bytes (appended to out), and back. */
hl_rc tc_model_save(const tc_model *m, hl_buf *out);
hl_rc tc_model_load(const void *data, size_t len, tc_model **out, hl_err *err);

/* --- evaluation ----------------------------------------------------------- */

typedef struct {
    size_t n_labels;
    size_t *confusion;  /* [gold * n_labels + predicted] */
    double *precision, *recall, *f1;   /* per label */
    size_t *support;
    double macro_f1, accuracy;
} tc_eval;

/* Score predictions against gold labels; *e is freed with tc_eval_free. */
hl_rc tc_eval_score(const int *gold, const int *pred, size_t n, size_t n_labels, tc_eval *e);
void tc_eval_free(tc_eval *e);

/* Stratified k-fold cross-validation (p->cv_folds, folds drawn with p->seed):
 * pred[i] is the label the model trained without doc i's fold gives it. */
hl_rc tc_cross_validate(const tc_params *p, const tc_doc *docs, size_t n, size_t n_labels,
                        int *pred, hl_err *err);

#endif
