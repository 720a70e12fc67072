/* model_io.c — a model as bytes, for the store: "HLTC" version 1, the
 * parameters, the labels, then per feature its hash and idf and per label
 * its weights.  Little-endian, as every host this runs on; a model is
 * trained again rather than moved between machines of other byte orders. */
#include <stdlib.h>
#include <string.h>

#include "classify_int.h"

#define MAGIC "HLTC"
#define VERSION 1u
#define LABELS_MAX 100000
#define FEATURES_MAX 100000000

static hl_rc put(hl_buf *b, const void *p, size_t n) { return hl_buf_add(b, p, n); }

static hl_rc put_u64(hl_buf *b, uint64_t v) { return put(b, &v, sizeof v); }

hl_rc tc_model_save(const tc_model *m, hl_buf *out)
{
    hl_rc rc = put(out, MAGIC, 4);
    uint32_t v = VERSION;
    if (!rc)
        rc = put(out, &v, sizeof v);
    if (!rc)
        rc = put(out, &m->p, sizeof m->p);
    if (!rc)
        rc = put_u64(out, m->n_labels);
    if (!rc)
        rc = put_u64(out, m->n_feat);
    for (size_t i = 0; i < m->n_labels && !rc; i++) {
        size_t n = strlen(m->labels[i]);
        if (!(rc = put_u64(out, n)))
            rc = put(out, m->labels[i], n);
    }
    if (!rc)
        rc = put(out, m->hash, m->n_feat * sizeof *m->hash);
    if (!rc)
        rc = put(out, m->idf, m->n_feat * sizeof *m->idf);
    if (!rc)
        rc = put(out, m->w, m->n_labels * (m->n_feat + 1) * sizeof *m->w);
    return rc;
}

typedef struct {
    const unsigned char *p;
    size_t left;
} reader;

static int take(reader *r, void *out, size_t n)
{
    if (r->left < n)
        return -1;
    memcpy(out, r->p, n);
    r->p += n;
    r->left -= n;
    return 0;
}

static hl_rc corrupt(tc_model *m, hl_err *err)
{
    tc_model_free(m);
    return hl_fail(err, HL_EINVAL, "分类模型数据损坏");
}

hl_rc tc_model_load(const void *data, size_t len, tc_model **out, hl_err *err)
{
    reader r = {data, len};
    char magic[4];
    uint32_t v;
    uint64_t n_labels, n_feat;
    *out = NULL;
    tc_model *m = calloc(1, sizeof *m);
    if (!m)
        return hl_fail(err, HL_ENOMEM, "内存不足");
    hl_imap_init(&m->index);
    if (take(&r, magic, 4) || memcmp(magic, MAGIC, 4) || take(&r, &v, sizeof v) ||
        v != VERSION || take(&r, &m->p, sizeof m->p) || take(&r, &n_labels, 8) ||
        take(&r, &n_feat, 8) || n_labels > LABELS_MAX || n_feat > FEATURES_MAX ||
        m->p.ngram_min < 1 || m->p.ngram_max > TC_NGRAM_MAX || m->p.ngram_min > m->p.ngram_max ||
        !(m->p.temperature > 0))
        return corrupt(m, err);
    if (tc_model_alloc(m, (size_t)n_feat, NULL, (size_t)n_labels)) {
        tc_model_free(m);
        return hl_fail(err, HL_ENOMEM, "内存不足");
    }
    for (size_t i = 0; i < m->n_labels; i++) {
        uint64_t n;
        if (take(&r, &n, 8) || n >= TC_LABEL_MAX || !(m->labels[i] = calloc(1, n + 1)) ||
            take(&r, m->labels[i], n))
            return corrupt(m, err);
    }
    if (take(&r, m->hash, m->n_feat * sizeof *m->hash) ||
        take(&r, m->idf, m->n_feat * sizeof *m->idf) ||
        take(&r, m->w, m->n_labels * (m->n_feat + 1) * sizeof *m->w) || r.left)
        return corrupt(m, err);
    if (tc_model_index(m)) {
        tc_model_free(m);
        return hl_fail(err, HL_ENOMEM, "内存不足");
    }
    *out = m;
    return HL_OK;
}
