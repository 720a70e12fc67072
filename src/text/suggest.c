/* suggest.c — the category and unit classifiers trained from the store's
 * history, and their held-out figures (suggest.h). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "suggest.h"
#include "tconfig.h"

#define F(name, kind, lo, hi) {#name, kind, offsetof(tx_params, name), lo, hi}
static const tcf_field fields[] = {
    F(top, TCF_INT, 1, 20),          F(dup_days, TCF_DOUBLE, 0, 3650),
    F(dup_scan, TCF_INT, 1, 10000),  F(dup_similarity, TCF_DOUBLE, 0, 1),
    F(dup_max, TCF_INT, 1, 50),      F(nightly_hour, TCF_INT, -1, 23),
};
#undef F

hl_rc tx_params_parse(tx_params *p, const char *json, hl_err *err)
{
    memset(p, 0, sizeof *p);
    return tcf_parse(json, "suggestions", fields, sizeof fields / sizeof fields[0], NULL, 0, 0, 0,
                     p, err);
}

/* The history's texts with their labels (all strings owned). */
typedef struct {
    tc_doc *docs;
    size_t n, cap;
    char **labels;
    size_t n_labels, cap_labels;
} history;

static void history_free(history *h)
{
    for (size_t i = 0; i < h->n; i++) {
        free((char *)h->docs[i].title);
        free((char *)h->docs[i].body);
    }
    for (size_t i = 0; i < h->n_labels; i++)
        free(h->labels[i]);
    free(h->docs);
    free(h->labels);
    memset(h, 0, sizeof *h);
}

/* Labels are few (categories, units): a linear search is enough. */
static int label_index(history *h, const char *label)
{
    for (size_t i = 0; i < h->n_labels; i++)
        if (strcmp(h->labels[i], label) == 0)
            return (int)i;
    if (strlen(label) >= TC_LABEL_MAX ||
        hl_grow(&h->labels, &h->cap_labels, h->n_labels, sizeof *h->labels, 16) ||
        !(h->labels[h->n_labels] = strdup(label)))
        return -1;
    return (int)h->n_labels++;
}

static hl_rc add_doc(const store_text_doc *d, void *arg)
{
    history *h = arg;
    int label = label_index(h, d->label);
    if (label < 0 || hl_grow(&h->docs, &h->cap, h->n, sizeof *h->docs, 1024))
        return HL_ENOMEM;
    tc_doc *x = &h->docs[h->n];
    x->title = strdup(d->location ? d->location : "");
    x->body = strdup(d->content);
    x->label = label;
    if (!x->title || !x->body) {
        free((char *)x->title);
        free((char *)x->body);
        return HL_ENOMEM;
    }
    h->n++;
    return HL_OK;
}

static hl_rc load(hl_store *s, int units, history *h, hl_err *err)
{
    memset(h, 0, sizeof *h);
    hl_rc rc = store_text_docs(s, units, add_doc, h, err);
    if (rc == HL_ENOMEM)
        hl_fail(err, rc, "内存不足");
    return rc;
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Train one model from the history into b (left empty when the history
 * has fewer than two labels). */
static hl_rc train_one(hl_store *s, const tc_params *p, int units, hl_buf *b, tx_train_stats *st,
                       hl_err *err)
{
    history h;
    hl_rc rc = load(s, units, &h, err);
    st->labels[units] = h.n_labels;
    if (rc || h.n_labels < 2) {
        history_free(&h);
        return rc;
    }
    double t0 = seconds();
    tc_model *m = NULL;
    rc = tc_train(p, h.docs, h.n, (const char *const *)h.labels, h.n_labels, &m, err);
    if (!rc && tc_model_save(m, b))
        rc = hl_fail(err, HL_ENOMEM, "内存不足");
    st->seconds[units] = seconds() - t0;
    st->docs[units] = rc ? 0 : h.n;
    tc_model_free(m);
    history_free(&h);
    return rc;
}

/* Keep the trained models (b[i] empty: none) in one transaction. */
static hl_rc save(hl_store *s, int64_t now, const hl_buf b[2], const tx_train_stats *st,
                  hl_err *err)
{
    static const char *const names[2] = {TX_MODEL_CATEGORIES, TX_MODEL_UNITS};
    hl_rc rc = store_begin(s, err);
    for (int i = 0; i < 2 && !rc; i++)
        if (b[i].len)
            rc = store_text_model_put(s, names[i], now, (int64_t)st->docs[i], b[i].data,
                                      b[i].len, err);
    if (!rc)
        return store_commit(s, err);
    store_rollback(s);
    return rc;
}

hl_rc tx_train(hl_store *s, const tc_params *p, int64_t now, pthread_mutex_t *write_lock,
               tx_train_stats *st, hl_err *err)
{
    hl_buf b[2];
    memset(st, 0, sizeof *st);
    hl_buf_init(&b[0], (size_t)1 << 31);
    hl_buf_init(&b[1], (size_t)1 << 31);
    /* trained outside the write transaction (and lock): it would hold
     * every writer */
    hl_rc rc = train_one(s, p, 0, &b[0], st, err);
    if (!rc)
        rc = train_one(s, p, 1, &b[1], st, err);
    if (!rc) {
        if (write_lock)
            pthread_mutex_lock(write_lock);
        rc = save(s, now, b, st, err);
        if (write_lock)
            pthread_mutex_unlock(write_lock);
    }
    hl_buf_free(&b[0]);
    hl_buf_free(&b[1]);
    return rc;
}

hl_rc tx_holdout(hl_store *s, const tc_params *p, int units, double fraction,
                 tx_holdout_stats *st, hl_err *err)
{
    memset(st, 0, sizeof *st);
    if (!(fraction > 0 && fraction < 1))
        return hl_fail(err, HL_EINVAL, "留出比例应在 0 与 1 之间");
    history h;
    hl_rc rc = load(s, units, &h, err);
    size_t k = (size_t)(1 / fraction + 0.5), n_train = 0;
    tc_doc *train = malloc((h.n ? h.n : 1) * sizeof *train);
    if (!rc && !train)
        rc = hl_fail(err, HL_ENOMEM, "内存不足");
    for (size_t i = 0; !rc && i < h.n; i++)
        if (i % k != k - 1)
            train[n_train++] = h.docs[i];
    tc_model *m = NULL;
    if (!rc && h.n_labels >= 2)
        rc = tc_train(p, train, n_train, (const char *const *)h.labels, h.n_labels, &m, err);
    size_t hit1 = 0, hit3 = 0;
    for (size_t i = k - 1; !rc && m && i < h.n; i += k) {
        tc_guess g[3];
        size_t got = tc_suggest(m, h.docs[i].title, h.docs[i].body, g, 3);
        for (size_t j = 0; j < got; j++)
            if (g[j].label == h.docs[i].label) {
                hit1 += j == 0;
                hit3++;
            }
        st->test++;
    }
    st->train = n_train;
    st->top1 = st->test ? (double)hit1 / (double)st->test : 0;
    st->top3 = st->test ? (double)hit3 / (double)st->test : 0;
    tc_model_free(m);
    free(train);
    history_free(&h);
    return rc;
}
