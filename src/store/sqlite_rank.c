/* sqlite_rank.c — hlrank(), the FTS5 ranking function of the knowledge-base
 * search:
 *
 *   hlrank(kb_fts, k1, b, idf_power, title_weight, 'w0 w1 …')
 *
 * BM25 as FTS5's bm25() computes it (column-weighted hits, one length
 * normalisation over the row), with what bm25() cannot take: k1 and b,
 * an IDF raised to a power (rare terms count for more), and a weight per
 * phrase of the query — a word of Latin letters or digits (a place code
 * such as A2区's "a2", a number) is worth more than one character bigram.
 * The weights come from the query builder, in the order of its phrases;
 * phrases without one weigh 1.  Higher is better (bm25() is negated). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"

#define RANK_PHRASES_MAX 512
/* Document frequencies are counted up to this many rows, then estimated
 * from how far the rowids got (the full count of a common bigram read its
 * whole doclist once more: 20–30 ms on a million articles). */
#define IDF_COUNT_MAX 2000

typedef struct {
    int n;                  /* phrases */
    double avgdl;           /* tokens per row */
    double *idf;            /* per phrase, already raised to the power */
    double *weight;         /* per phrase */
    double *hits;           /* per phrase, scratch for one row */
} rank_data;

static void rank_free(void *p)
{
    rank_data *d = p;
    if (d) {
        free(d->idf);
        free(d->weight);
        free(d->hits);
        free(d);
    }
}

typedef struct {
    sqlite3_int64 n, last_rowid;
} row_count;

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *arg)
{
    row_count *c = arg;
    c->last_rowid = api->xRowid(fts);
    return ++c->n >= IDF_COUNT_MAX ? SQLITE_DONE : SQLITE_OK;
}

/* Rows holding phrase i: counted, or past IDF_COUNT_MAX estimated from
 * the share of rowids seen (rowids run from 1 to about the row count). */
static int phrase_rows(const Fts5ExtensionApi *api, Fts5Context *fts, int i,
                       sqlite3_int64 rows, double *n)
{
    row_count c = {0, 0};
    int rc = api->xQueryPhrase(fts, i, &c, count_row);
    if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    *n = (double)c.n;
    if (c.n >= IDF_COUNT_MAX && c.last_rowid > 0 && rows > c.last_rowid)
        *n = (double)c.n * (double)rows / (double)c.last_rowid;
    if (*n > (double)rows)
        *n = (double)rows;
    return rc;
}

/* Parse "w0 w1 …" into weight[0..n); missing or bad ones stay 1. */
static void parse_weights(const char *s, double *weight, int n)
{
    for (int i = 0; i < n; i++)
        weight[i] = 1.0;
    for (int i = 0; s && *s && i < n; i++) {
        char *end;
        double w = strtod(s, &end);
        if (end == s)
            break;
        if (w >= 0 && w <= 100)
            weight[i] = w;
        s = end;
    }
}

/* The per-query part, computed on the first row and kept as aux data. */
static int rank_setup(const Fts5ExtensionApi *api, Fts5Context *fts, double idf_power,
                      const char *weights, rank_data **out)
{
    rank_data *d = calloc(1, sizeof *d);
    sqlite3_int64 rows = 0, tokens = 0;
    int rc = d ? SQLITE_OK : SQLITE_NOMEM;
    if (rc == SQLITE_OK) {
        d->n = api->xPhraseCount(fts);
        if (d->n > RANK_PHRASES_MAX)
            d->n = RANK_PHRASES_MAX;
        d->idf = calloc((size_t)d->n + 1, sizeof *d->idf);
        d->weight = calloc((size_t)d->n + 1, sizeof *d->weight);
        d->hits = calloc((size_t)d->n + 1, sizeof *d->hits);
        if (!d->idf || !d->weight || !d->hits)
            rc = SQLITE_NOMEM;
    }
    if (rc == SQLITE_OK)
        rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK)
        rc = api->xColumnTotalSize(fts, -1, &tokens);
    /* one phrase: its IDF scales every score alike, so it is not counted */
    for (int i = 0; rc == SQLITE_OK && i < d->n; i++) {
        double n = 0;
        if (d->n > 1)
            rc = phrase_rows(api, fts, i, rows, &n);
        /* Lucene's form: always positive, so a term in most rows still counts */
        double idf = d->n > 1 ? log(1.0 + ((double)rows - n + 0.5) / (n + 0.5)) : 1.0;
        d->idf[i] = pow(idf, idf_power);
    }
    if (rc == SQLITE_OK) {
        d->avgdl = rows ? (double)tokens / (double)rows : 1.0;
        parse_weights(weights, d->weight, d->n);
        rc = api->xSetAuxdata(fts, d, rank_free);
        if (rc == SQLITE_OK) {
            *out = d;
            return SQLITE_OK;
        }
        d = NULL; /* xSetAuxdata freed it */
    }
    rank_free(d);
    return rc;
}

static void hlrank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                   int nval, sqlite3_value **val)
{
    if (nval != 5) {
        sqlite3_result_error(ctx, "hlrank(fts, k1, b, idf_power, title_weight, weights)", -1);
        return;
    }
    double k1 = sqlite3_value_double(val[0]), b = sqlite3_value_double(val[1]);
    double title_weight = sqlite3_value_double(val[3]);
    rank_data *d = api->xGetAuxdata(fts, 0);
    int rc = SQLITE_OK, ninst = 0, dl = 0;
    if (!d)
        rc = rank_setup(api, fts, sqlite3_value_double(val[2]),
                        (const char *)sqlite3_value_text(val[4]), &d);
    if (rc == SQLITE_OK) {
        memset(d->hits, 0, (size_t)d->n * sizeof *d->hits);
        rc = api->xInstCount(fts, &ninst);
    }
    for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
        int phrase, col, off;
        rc = api->xInst(fts, i, &phrase, &col, &off);
        if (rc == SQLITE_OK && phrase < d->n)
            d->hits[phrase] += col == 0 ? title_weight : 1.0;
    }
    if (rc == SQLITE_OK)
        rc = api->xColumnSize(fts, -1, &dl);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    double norm = k1 * (1.0 - b + b * (double)dl / d->avgdl), score = 0;
    for (int i = 0; i < d->n; i++)
        if (d->hits[i] > 0)
            score += d->weight[i] * d->idf[i] * d->hits[i] * (k1 + 1.0) / (d->hits[i] + norm);
    sqlite3_result_double(ctx, score);
}

hl_rc sq_rank_register(hl_store *s, fts5_api *api, hl_err *err)
{
    if (api->xCreateFunction(api, "hlrank", NULL, hlrank, NULL) != SQLITE_OK)
        return sq_fail(s, err, "注册排序函数");
    return HL_OK;
}
