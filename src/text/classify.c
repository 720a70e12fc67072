/* classify.c — tf-idf vectors over the training vocabulary, one-vs-rest
 * SVMs (svm.c), and the suggestions: the labels by decision value with
 * softmax scores. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classify_int.h"

hl_rc tc_model_alloc(tc_model *m, size_t n_feat, const char *const *labels, size_t n_labels)
{
    m->n_feat = n_feat;
    m->n_labels = n_labels;
    m->hash = malloc((n_feat ? n_feat : 1) * sizeof *m->hash);
    m->idf = malloc((n_feat ? n_feat : 1) * sizeof *m->idf);
    m->w = calloc(n_labels * (n_feat + 1), sizeof *m->w);
    if (!m->labels)
        m->labels = calloc(n_labels ? n_labels : 1, sizeof *m->labels);
    if (!m->hash || !m->idf || !m->w || !m->labels)
        return HL_ENOMEM;
    for (size_t i = 0; i < n_labels; i++)
        if (labels && !(m->labels[i] = strdup(labels[i])))
            return HL_ENOMEM;
    return HL_OK;
}

hl_rc tc_model_index(tc_model *m)
{
    for (size_t i = 0; i < m->n_feat; i++)
        if (hl_imap_put(&m->index, (int64_t)m->hash[i], (int64_t)i + 1))
            return HL_ENOMEM;
    return HL_OK;
}

void tc_model_free(tc_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; m->labels && i < m->n_labels; i++)
        free(m->labels[i]);
    free(m->labels);
    free(m->hash);
    free(m->idf);
    free(m->w);
    hl_imap_free(&m->index);
    free(m);
}

size_t tc_model_labels(const tc_model *m) { return m->n_labels; }
const char *tc_model_label(const tc_model *m, size_t i) { return m->labels[i]; }
const tc_params *tc_model_params(const tc_model *m) { return &m->p; }
size_t tc_model_features(const tc_model *m) { return m->n_feat; }

/* The tf-idf vector of t over m's vocabulary (v's arrays sized t->n). */
static void vectorize(const tc_model *m, const tc_terms *t, tc_vec *v)
{
    double norm = 0;
    v->n = 0;
    for (size_t i = 0; i < t->n; i++) {
        int64_t j;
        if (!hl_imap_get(&m->index, (int64_t)t->v[i].h, &j))
            continue;
        double tf = m->p.sublinear_tf ? 1.0 + log(t->v[i].w) : t->v[i].w;
        if (tf <= 0)
            continue;
        double x = tf * m->idf[j - 1];
        v->idx[v->n] = (uint32_t)(j - 1);
        v->val[v->n++] = (float)x;
        norm += x * x;
    }
    norm = norm > 0 ? 1.0 / sqrt(norm) : 0;
    for (size_t i = 0; i < v->n; i++)
        v->val[i] = (float)(v->val[i] * norm);
}

static int by_idx(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Sum the entries of equal index and normalise (v's pairs sorted by index
 * through a scratch array of packed pairs). */
static void merge_vec(tc_vec *v)
{
    if (!v->n)
        return;
    uint32_t *pair = malloc(v->n * 2 * sizeof *pair);
    if (!pair)
        return; /* left unmerged: still a valid vector */
    for (size_t i = 0; i < v->n; i++) {
        pair[2 * i] = v->idx[i];
        memcpy(&pair[2 * i + 1], &v->val[i], sizeof(float));
    }
    qsort(pair, v->n, 2 * sizeof *pair, by_idx);
    size_t o = 0;
    double norm = 0;
    for (size_t i = 0; i < v->n; i++) {
        float x;
        memcpy(&x, &pair[2 * i + 1], sizeof x);
        if (o && v->idx[o - 1] == pair[2 * i]) {
            v->val[o - 1] += x;
        } else {
            v->idx[o] = pair[2 * i];
            v->val[o++] = x;
        }
    }
    v->n = o;
    for (size_t i = 0; i < o; i++)
        norm += (double)v->val[i] * v->val[i];
    norm = norm > 0 ? 1.0 / sqrt(norm) : 0;
    for (size_t i = 0; i < o; i++)
        v->val[i] = (float)(v->val[i] * norm);
    free(pair);
}

/* The vector of a document into v (arrays allocated here, freed by the
 * caller): one tf-idf vector of subject and body together, or with
 * field_norm each field's vector normalised on its own, the subject's
 * scaled by title_weight, summed and normalised again (a long body then
 * does not drown the subject). */
static hl_rc doc_vector(const tc_model *m, const char *title, const char *body, tc_vec *v)
{
    tc_terms t = {0}, u = {0};
    tc_params one = m->p;
    one.title_weight = 1;
    hl_rc rc = m->p.field_norm ? tc_terms_of(&one, NULL, title, &t) : tc_terms_of(&m->p, title, body, &t);
    if (!rc && m->p.field_norm)
        rc = tc_terms_of(&one, NULL, body, &u);
    size_t c = t.n + u.n ? t.n + u.n : 1;
    v->idx = malloc(c * sizeof *v->idx);
    v->val = malloc(c * sizeof *v->val);
    v->n = 0;
    if (!rc && (!v->idx || !v->val))
        rc = HL_ENOMEM;
    if (!rc) {
        vectorize(m, &t, v);
        if (m->p.field_norm) {
            tc_vec b = {v->idx + v->n, v->val + v->n, 0};
            for (size_t i = 0; i < v->n; i++)
                v->val[i] = (float)(v->val[i] * m->p.title_weight);
            vectorize(m, &u, &b);
            v->n += b.n;
            merge_vec(v);
        }
    }
    tc_terms_free(&t);
    tc_terms_free(&u);
    return rc;
}

/* The documents' terms, and the vocabulary: features in at least min_df of
 * them, with smooth idf ln((1 + n) / (1 + df)) + 1. */
static hl_rc build_vocab(tc_model *m, tc_terms *terms, const uint32_t *mult, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += mult[i];
    hl_imap df;
    hl_imap_init(&df);
    hl_rc rc = HL_OK;
    size_t n_feat = 0;
    for (size_t i = 0; i < n && !rc; i++)
        for (size_t j = 0; j < terms[i].n && !rc; j++) {
            int64_t c = 0;
            hl_imap_get(&df, (int64_t)terms[i].v[j].h, &c);
            if (c < m->p.min_df && c + mult[i] >= m->p.min_df)
                n_feat++;
            rc = hl_imap_put(&df, (int64_t)terms[i].v[j].h, c + mult[i]);
        }
    if (!rc)
        rc = tc_model_alloc(m, n_feat, NULL, m->n_labels);
    size_t k = 0;
    for (size_t s = 0; !rc && s < df.cap; s++) {
        if (!df.keys[s] || df.vals[s] < m->p.min_df)
            continue;
        m->hash[k] = (uint64_t)df.keys[s];
        m->idf[k++] = (float)(log((1.0 + (double)total) / (1.0 + (double)df.vals[s])) + 1.0);
    }
    hl_imap_free(&df);
    return rc ? rc : tc_model_index(m);
}

static void free_rows(tc_vec *x, tc_terms *terms, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (x) {
            free(x[i].idx);
            free(x[i].val);
        }
        if (terms)
            tc_terms_free(&terms[i]);
    }
    free(x);
    free(terms);
}

static hl_rc rows(tc_model *m, const tc_doc *docs, const uint32_t *mult, size_t n, tc_vec **xo,
                  int **yo)
{
    tc_terms *terms = calloc(n ? n : 1, sizeof *terms);
    tc_vec *x = calloc(n ? n : 1, sizeof *x);
    int *y = malloc((n ? n : 1) * sizeof *y);
    hl_rc rc = terms && x && y ? HL_OK : HL_ENOMEM;
    for (size_t i = 0; i < n && !rc; i++) {
        rc = tc_terms_of(&m->p, docs[i].title, docs[i].body, &terms[i]);
        y[i] = docs[i].label;
    }
    if (!rc)
        rc = build_vocab(m, terms, mult, n);
    for (size_t i = 0; i < n && !rc; i++)
        rc = doc_vector(m, docs[i].title, docs[i].body, &x[i]);
    free_rows(NULL, terms, terms ? n : 0);
    if (rc) {
        free_rows(x, NULL, x ? n : 0);
        free(y);
        return rc;
    }
    *xo = x;
    *yo = y;
    return HL_OK;
}

/* Row i's cost: its label's balance weight, times its multiplicity. */
static double *costs(const tc_params *p, const int *y, const uint32_t *mult, size_t n,
                     size_t n_labels)
{
    double *cw = calloc(n_labels ? n_labels : 1, sizeof *cw);
    double *cost = malloc((n ? n : 1) * sizeof *cost);
    if (!cw || !cost) {
        free(cw), free(cost);
        return NULL;
    }
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        cw[y[i]] += mult[i];
        total += mult[i];
    }
    for (size_t c = 0; c < n_labels; c++) /* (n / (k n_c))^balance */
        cw[c] = cw[c] > 0 ? pow(total / ((double)n_labels * cw[c]), p->balance) : 1;
    for (size_t i = 0; i < n; i++)
        cost[i] = cw[y[i]] * mult[i];
    free(cw);
    return cost;
}

static uint64_t str_hash(uint64_t h, const char *s)
{
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001B3ULL;
    return (h ^ 0xFF) * 0x100000001B3ULL; /* the end of the string counts */
}

static int same_doc(const tc_doc *a, const tc_doc *b)
{
    return a->label == b->label && strcmp(a->title ? a->title : "", b->title ? b->title : "") == 0 &&
           strcmp(a->body ? a->body : "", b->body ? b->body : "") == 0;
}

/* The distinct documents of docs[0..n) into u, each with its count: a
 * document k times is one row of k times the cost (the loss is a sum),
 * and the history repeats itself (the same complaint, word for word). */
static hl_rc distinct(const tc_doc *docs, size_t n, tc_doc *u, uint32_t *mult, size_t *nu)
{
    hl_imap seen;
    hl_imap_init(&seen);
    *nu = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t h = str_hash(str_hash(0xCBF29CE484222325ULL ^ (uint64_t)docs[i].label,
                                       docs[i].title), docs[i].body);
        int64_t at;
        h = h ? h : 1;
        if (hl_imap_get(&seen, (int64_t)h, &at) && same_doc(&u[at - 1], &docs[i])) {
            mult[at - 1]++;
            continue;
        }
        if (hl_imap_put(&seen, (int64_t)h, (int64_t)*nu + 1)) {
            hl_imap_free(&seen);
            return HL_ENOMEM;
        }
        u[*nu] = docs[i];
        mult[(*nu)++] = 1;
    }
    hl_imap_free(&seen);
    return HL_OK;
}

/* Train m (params and labels set) on docs[0..n). */
static hl_rc fit(tc_model *m, const tc_doc *all, size_t n_all)
{
    tc_vec *x = NULL;
    int *y = NULL;
    double *cost = NULL;
    tc_doc *docs = malloc((n_all ? n_all : 1) * sizeof *docs);
    uint32_t *mult = malloc((n_all ? n_all : 1) * sizeof *mult);
    size_t n = 0;
    hl_rc rc = docs && mult ? distinct(all, n_all, docs, mult, &n) : HL_ENOMEM;
    if (!rc)
        rc = rows(m, docs, mult, n, &x, &y);
    if (!rc && !(cost = costs(&m->p, y, mult, n, m->n_labels)))
        rc = HL_ENOMEM;
    for (size_t c = 0; c < m->n_labels && !rc; c++)
        rc = tc_svm_train(&m->p, x, y, n, (int)c, cost, m->n_feat, m->w + c * (m->n_feat + 1));
    if (x)
        free_rows(x, NULL, n);
    free(y), free(cost), free(docs), free(mult);
    return rc;
}

static tc_model *model_new(const tc_params *p, const char *const *labels, size_t n_labels)
{
    tc_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->p = *p;
    m->n_labels = n_labels;
    hl_imap_init(&m->index);
    if (!(m->labels = calloc(n_labels ? n_labels : 1, sizeof *m->labels)))
        goto fail;
    for (size_t i = 0; i < n_labels; i++)
        if (!(m->labels[i] = strdup(labels[i])))
            goto fail;
    return m;
fail:
    tc_model_free(m);
    return NULL;
}

hl_rc tc_train(const tc_params *p, const tc_doc *docs, size_t n, const char *const *labels,
               size_t n_labels, tc_model **out, hl_err *err)
{
    *out = NULL;
    for (size_t i = 0; i < n; i++)
        if (docs[i].label < 0 || (size_t)docs[i].label >= n_labels)
            return hl_fail(err, HL_EINVAL, "第 %zu 条训练文本的类别无效", i + 1);
    tc_model *m = model_new(p, labels, n_labels);
    if (!m)
        return hl_fail(err, HL_ENOMEM, "内存不足");
    if (fit(m, docs, n)) {
        tc_model_free(m);
        return hl_fail(err, HL_ENOMEM, "训练失败：内存不足");
    }
    *out = m;
    return HL_OK;
}

hl_rc tc_decide(const tc_model *m, const char *title, const char *body, double *scores)
{
    tc_vec v;
    hl_rc rc = doc_vector(m, title, body, &v);
    for (size_t l = 0; !rc && l < m->n_labels; l++) {
        const float *w = m->w + l * (m->n_feat + 1);
        double d = m->p.bias * w[m->n_feat];
        for (size_t j = 0; j < v.n; j++)
            d += (double)w[v.idx[j]] * v.val[j];
        scores[l] = d;
    }
    free(v.idx);
    free(v.val);
    return rc;
}

size_t tc_suggest(const tc_model *m, const char *title, const char *body, tc_guess *out,
                  size_t k)
{
    size_t n = m->n_labels;
    double *s = malloc((n ? n : 1) * sizeof *s);
    if (!s || !n || tc_decide(m, title, body, s)) {
        free(s);
        return 0;
    }
    double top = -INFINITY, sum = 0;
    for (size_t i = 0; i < n; i++)
        top = fmax(top, s[i]);
    for (size_t i = 0; i < n; i++)
        sum += exp((s[i] - top) / m->p.temperature);
    if (k > n)
        k = n;
    for (size_t r = 0; r < k; r++) { /* selection: k is small */
        size_t best = 0;
        for (size_t i = 1; i < n; i++)
            if (s[i] > s[best])
                best = i;
        out[r] = (tc_guess){(int)best, exp((s[best] - top) / m->p.temperature) / sum};
        s[best] = -INFINITY;
    }
    free(s);
    return k;
}
