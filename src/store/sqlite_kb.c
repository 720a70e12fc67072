/* sqlite_kb.c — knowledge-base articles, their versions, search and review
 * reminders (schema: migration 4 of sqlite_schema.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"

#define ARTICLE_COLS                                                                         \
    "a.id, a.title, a.body, a.category, a.status, a.unit_id, a.valid_from, a.valid_to,"     \
    " a.next_review, a.review_days, a.version, a.updated_at, a.uses, a.updated_by"

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static void article_from_row(sqlite3_stmt *st, store_kb_article *a)
{
    memset(a, 0, sizeof *a);
    a->id = col_text(st, 0);
    a->title = col_text(st, 1);
    a->body = col_text(st, 2);
    a->category = col_text(st, 3);
    a->status = col_text(st, 4);
    a->unit = sqlite3_column_int64(st, 5);
    a->valid_from = sqlite3_column_int64(st, 6);
    a->valid_to = sqlite3_column_int64(st, 7);
    a->next_review = sqlite3_column_int64(st, 8);
    a->review_days = sqlite3_column_int(st, 9);
    a->version = sqlite3_column_int64(st, 10);
    a->updated_at = sqlite3_column_int64(st, 11);
    a->uses = sqlite3_column_int64(st, 12);
    a->updated_by = col_text(st, 13);
}

typedef struct {
    store_kb_fn fn;
    void *arg;
} article_cb;

static hl_rc article_row(sqlite3_stmt *st, void *arg)
{
    article_cb *c = arg;
    store_kb_article a;
    article_from_row(st, &a);
    return c->fn(&a, c->arg);
}

/* Bind the article's columns as ?1..?12 (id, title, body, category, unit,
 * valid_from, valid_to, review_days, next_review, status, updated_at,
 * updated_by). */
static void bind_article(sqlite3_stmt *st, const store_kb_article *a)
{
    sq_bind_text(st, 1, a->id);
    sqlite3_bind_text(st, 2, a->title ? a->title : "", -1, SQLITE_STATIC);
    sq_bind_text(st, 3, a->body);
    sq_bind_text(st, 4, a->category);
    sq_bind_opt(st, 5, a->unit);
    sq_bind_opt(st, 6, a->valid_from);
    sq_bind_opt(st, 7, a->valid_to);
    sq_bind_opt(st, 8, a->review_days);
    sq_bind_opt(st, 9, a->next_review);
    sq_bind_text(st, 10, a->status);
    sqlite3_bind_int64(st, 11, a->updated_at);
    sq_bind_text(st, 12, a->updated_by);
}

/* The current row's number and version (0, 0 when absent), and whether its
 * content equals a's. */
static hl_rc current(hl_store *s, const store_kb_article *a, int64_t *n, int64_t *version,
                     int *same, hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(
        s,
        "SELECT n, version, title IS ?2 AND body IS ?3 AND category IS ?4 AND unit_id IS ?5"
        " AND valid_from IS ?6 AND valid_to IS ?7 AND review_days IS ?8"
        " AND next_review IS ?9 AND status IS ?10 FROM kb_articles WHERE id = ?1",
        err);
    if (!st)
        return err->rc;
    bind_article(st, a);
    sqlite3_bind_null(st, 11);
    *n = *version = 0;
    *same = 0;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *n = sqlite3_column_int64(st, 0);
        *version = sqlite3_column_int64(st, 1);
        *same = sqlite3_column_int(st, 2);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? HL_OK : sq_fail(s, err, "读取知识库文章");
}

hl_rc store_kb_put(hl_store *s, const store_kb_article *a, int64_t expect, int64_t *version,
                   hl_err *err)
{
    int64_t n, v;
    int same;
    hl_rc rc = current(s, a, &n, &v, &same, err);
    if (rc)
        return rc;
    if (expect >= 0 && expect != v)
        return hl_fail(err, HL_ECONFLICT, "文章 %s 已被他人修改（当前版本 %lld，您看到的是 %lld）",
                       a->id, (long long)v, (long long)expect);
    *version = v;
    if (n && same)
        return HL_OK;
    sqlite3_stmt *st = sq_prepare_cached(
        s,
        n ? "UPDATE kb_articles SET title = ?2, body = ?3, category = ?4, unit_id = ?5,"
            " valid_from = ?6, valid_to = ?7, review_days = ?8, next_review = ?9, status = ?10,"
            " updated_at = ?11, updated_by = ?12, version = version + 1 WHERE id = ?1"
          : "INSERT INTO kb_articles(id, title, body, category, unit_id, valid_from, valid_to,"
            " review_days, next_review, status, updated_at, updated_by, version)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1)",
        err);
    if (!st)
        return err->rc;
    bind_article(st, a);
    if ((rc = sq_done(s, st, err, "保存知识库文章")))
        return rc;
    st = sq_prepare_cached(
        s,
        "INSERT INTO kb_versions(article, version, at, actor, note, title, body, category,"
        " unit_id, valid_from, valid_to, review_days, next_review, status)"
        " SELECT n, version, updated_at, updated_by, ?13, title, body, category, unit_id,"
        " valid_from, valid_to, review_days, next_review, status FROM kb_articles WHERE id = ?1",
        err);
    if (!st)
        return err->rc;
    bind_article(st, a);
    sq_bind_text(st, 13, a->note);
    *version = v + 1;
    return sq_done(s, st, err, "保存文章版本");
}

hl_rc store_kb_get(hl_store *s, const char *id, store_kb_fn fn, void *arg, hl_err *err)
{
    sqlite3_stmt *st =
        sq_prepare_cached(s, "SELECT " ARTICLE_COLS " FROM kb_articles a WHERE a.id = ?1", err);
    if (!st)
        return err->rc;
    sq_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    hl_rc r = HL_OK;
    if (rc == SQLITE_ROW) {
        store_kb_article a;
        article_from_row(st, &a);
        r = fn(&a, arg);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return hl_fail(err, HL_ENOTFOUND, "知识库文章 %.64s 不存在", id);
    return rc == SQLITE_ROW ? r : sq_fail(s, err, "读取知识库文章");
}

hl_rc store_kb_versions(hl_store *s, const char *id, store_kb_fn fn, void *arg, hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(
        s,
        "SELECT k.id, v.title, v.body, v.category, v.status, v.unit_id, v.valid_from,"
        " v.valid_to, v.next_review, v.review_days, v.version, v.at, k.uses, v.actor, v.note"
        " FROM kb_versions v JOIN kb_articles k ON k.n = v.article WHERE k.id = ?1"
        " ORDER BY v.version DESC",
        err);
    if (!st)
        return err->rc;
    sq_bind_text(st, 1, id);
    hl_rc r = HL_OK;
    int rc;
    while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_kb_article a;
        article_from_row(st, &a);
        a.note = col_text(st, 14);
        r = fn(&a, arg);
    }
    sqlite3_reset(st);
    return r ? r : rc == SQLITE_DONE ? HL_OK : sq_fail(s, err, "读取文章版本");
}

hl_rc store_kb_list(hl_store *s, const char *status, int64_t unit, int64_t offset, int64_t limit,
                    store_kb_fn fn, void *arg, int64_t *total, hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(
        s,
        "SELECT count(*) FROM kb_articles a WHERE (?1 IS NULL OR a.status = ?1)"
        " AND (?2 IS NULL OR a.unit_id = ?2)",
        err);
    if (!st)
        return err->rc;
    sq_bind_text(st, 1, status);
    sq_bind_opt(st, 2, unit);
    *total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    st = sq_prepare_cached(s,
                           "SELECT " ARTICLE_COLS " FROM kb_articles a"
                           " WHERE (?1 IS NULL OR a.status = ?1) AND (?2 IS NULL OR a.unit_id = ?2)"
                           " ORDER BY a.id LIMIT ?3 OFFSET ?4",
                           err);
    if (!st)
        return err->rc;
    sq_bind_text(st, 1, status);
    sq_bind_opt(st, 2, unit);
    sqlite3_bind_int64(st, 3, limit);
    sqlite3_bind_int64(st, 4, offset);
    article_cb c = {fn, arg};
    return sq_rows(s, st, article_row, &c, err, "列出知识库文章");
}

hl_rc store_kb_used(hl_store *s, const char *id, hl_err *err)
{
    sqlite3_stmt *st =
        sq_prepare_cached(s, "UPDATE kb_articles SET uses = uses + 1 WHERE id = ?1", err);
    if (!st)
        return err->rc;
    sq_bind_text(st, 1, id);
    return sq_done(s, st, err, "记录知识库文章使用");
}

/* --- search ------------------------------------------------------------------ */

/* hlrank (sqlite_rank.c: BM25 with per-phrase weights; higher is better)
 * scaled up by freshness: an article changed at `now` by 1 + fresh_weight,
 * falling linearly to 1 at fresh_days of age.
 *
 * Ranking costs a few microseconds per matching article, and a common
 * bigram (我们) is in half of a million articles: 1–4 s.  With a candidate
 * cap the index hands over only the newest `candidates` matches (FTS5 reads
 * its doclist backwards and stops), which are ranked; the filters apply to
 * those.
 *
 * The index is kb_fts or kb_trigram (same columns and document lengths, so
 * the same scores).  Freshness can raise a score by 1 + fresh_weight at
 * most, so the candidates are taken by hlrank, best first, and each one's
 * filters and age are read (from kb_rank_cols, a small index: its article
 * row would be a page read each) only until the limit-th best score so far
 * beats what any candidate left could reach; the articles' text is read
 * for the hits alone. */
#define KB_CANDIDATES(T)                                                                     \
    "SELECT rowid, hlrank(" T ", ?2, ?3, ?4, ?5, ?6) FROM " T " WHERE " T " MATCH ?1"         \
    " ORDER BY rowid DESC LIMIT ?7"

typedef struct {
    int64_t n;
    double score; /* hlrank, then times freshness */
} kb_cand;

typedef struct {
    kb_cand *v;
    size_t n, cap;
} kb_cands;

/* Best first; equal scores by article number, as the hits are listed. */
static int better(const kb_cand *a, const kb_cand *b)
{
    return a->score > b->score || (a->score == b->score && a->n < b->n);
}

static int by_score(const void *a, const void *b)
{
    return better(a, b) ? -1 : better(b, a);
}

static hl_rc cand_row(sqlite3_stmt *st, void *arg)
{
    kb_cands *c = arg;
    if (hl_grow(&c->v, &c->cap, c->n, sizeof *c->v, 256))
        return HL_ENOMEM;
    c->v[c->n++] = (kb_cand){sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1)};
    return HL_OK;
}

static hl_rc candidates(hl_store *s, const store_kb_query *q, kb_cands *c, hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(
        s, q->trigram ? KB_CANDIDATES("kb_trigram") : KB_CANDIDATES("kb_fts"), err);
    if (!st)
        return err->rc;
    sq_bind_text(st, 1, q->match);
    sqlite3_bind_double(st, 2, q->k1);
    sqlite3_bind_double(st, 3, q->b);
    sqlite3_bind_double(st, 4, q->idf_power);
    sqlite3_bind_double(st, 5, q->title_weight);
    sqlite3_bind_text(st, 6, q->weights ? q->weights : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, q->candidates > 0 ? q->candidates : -1);
    hl_rc rc = sq_rows(s, st, cand_row, c, err, "检索知识库");
    return rc == HL_ENOMEM ? hl_fail(err, rc, "内存不足") : rc;
}

/* Candidate x's score with freshness into *score; 0 when the filters drop
 * it. */
static hl_rc rescore(hl_store *s, const store_kb_query *q, const kb_cand *x, double *score,
                     int *kept, hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(
        s,
        "SELECT updated_at FROM kb_articles INDEXED BY kb_rank_cols WHERE n = ?1"
        " AND (?2 IS NULL OR category = ?2) AND (?3 IS NULL OR unit_id = ?3)"
        " AND (?4 = 0 OR (status = 'published' AND (valid_from IS NULL OR valid_from <= ?5)"
        "   AND (valid_to IS NULL OR valid_to > ?5)))",
        err);
    if (!st)
        return err->rc;
    sqlite3_bind_int64(st, 1, x->n);
    sq_bind_text(st, 2, q->category);
    sq_bind_opt(st, 3, q->unit);
    sqlite3_bind_int(st, 4, q->valid_only);
    sqlite3_bind_int64(st, 5, q->now);
    int rc = sqlite3_step(st);
    *kept = rc == SQLITE_ROW;
    if (*kept) {
        double age = (double)(q->now - sqlite3_column_int64(st, 0));
        double fresh = 1.0 - age / (86400.0 * q->fresh_days);
        *score = x->score * (1.0 + (q->fresh_days > 0 ? q->fresh_weight * fmax(0.0, fresh) : 0));
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? HL_OK : sq_fail(s, err, "检索知识库");
}

/* The best k of c (sorted by hlrank, best first) into top[0..*n), best
 * first. */
static hl_rc best(hl_store *s, const store_kb_query *q, const kb_cands *c, size_t k,
                  kb_cand *top, size_t *n, hl_err *err)
{
    double most = 1.0 + (q->fresh_days > 0 ? fmax(0.0, q->fresh_weight) : 0.0);
    *n = 0;
    for (size_t i = 0; i < c->n && k; i++) {
        if (*n == k && top[k - 1].score > c->v[i].score * most)
            break; /* no candidate left can come in */
        kb_cand x = c->v[i];
        int kept;
        hl_rc rc = rescore(s, q, &c->v[i], &x.score, &kept, err);
        if (rc)
            return rc;
        if (!kept || (*n == k && !better(&x, &top[k - 1])))
            continue;
        size_t at = *n < k ? (*n)++ : k - 1;
        for (; at > 0 && better(&x, &top[at - 1]); at--)
            top[at] = top[at - 1];
        top[at] = x;
    }
    return HL_OK;
}

/* Hand each hit to fn with its article's text. */
static hl_rc hand_over(hl_store *s, const kb_cand *top, size_t n, store_kb_hit_fn fn, void *arg,
                       hl_err *err)
{
    sqlite3_stmt *st = sq_prepare_cached(
        s, "SELECT id, title, body, category, unit_id FROM kb_articles WHERE n = ?1", err);
    if (!st)
        return err->rc;
    hl_rc r = HL_OK;
    for (size_t i = 0; i < n && !r; i++) {
        sqlite3_bind_int64(st, 1, top[i].n);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            store_kb_hit h = {col_text(st, 0), col_text(st, 1), col_text(st, 2),
                              col_text(st, 3), sqlite3_column_int64(st, 4), top[i].score};
            r = fn(&h, arg);
        } else if (rc != SQLITE_DONE) {
            r = sq_fail(s, err, "检索知识库");
        }
        sqlite3_reset(st);
    }
    return r;
}

hl_rc store_kb_search(hl_store *s, const store_kb_query *q, store_kb_hit_fn fn, void *arg,
                      hl_err *err)
{
    kb_cands c = {0};
    kb_cand *top = NULL;
    size_t n = 0;
    hl_rc rc = candidates(s, q, &c, err);
    /* a negative limit is no limit, as in SQL */
    size_t k = q->limit < 0 || (size_t)q->limit > c.n ? c.n : (size_t)q->limit;
    if (!rc && k && !(top = calloc(k, sizeof *top)))
        rc = hl_fail(err, HL_ENOMEM, "内存不足");
    if (!rc && k) {
        qsort(c.v, c.n, sizeof *c.v, by_score);
        rc = best(s, q, &c, k, top, &n, err);
    }
    if (!rc)
        rc = hand_over(s, top, n, fn, arg, err);
    free(c.v);
    free(top);
    return rc;
}

hl_rc store_kb_optimize(hl_store *s, hl_err *err)
{
    hl_rc rc = store_begin(s, err);
    if (!rc && sqlite3_exec(s->db,
                            "INSERT INTO kb_fts(kb_fts) VALUES ('optimize');"
                            "INSERT INTO kb_trigram(kb_trigram) VALUES ('optimize');",
                            NULL, NULL, NULL) != SQLITE_OK)
        rc = sq_fail(s, err, "整理知识库索引");
    return rc ? (store_rollback(s), rc) : store_commit(s, err);
}
