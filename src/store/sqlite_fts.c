/* sqlite_fts.c — the "hlbigram" and "hltrigram" FTS5 tokenizers:
 * text/tokens.c's cuts (NFKC + casefold; CJK bigrams, or trigrams with each
 * run's closing bigram; words) behind FTS5's interface, and the hlrank()
 * ranking function (sqlite_rank.c).  Registered on every connection before
 * the migrations, which create tables using them. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "sqlite_int.h"

#include "../text/text.h"

typedef struct {
    void *ctx;
    int (*xToken)(void *, int, const char *, int, int, int);
} tok_call;

static int emit(void *arg, hl_token_kind kind, const char *tok, size_t len, size_t start,
                size_t end)
{
    (void)kind;
    tok_call *c = arg;
    return c->xToken(c->ctx, 0, tok, (int)len, (int)start, (int)end);
}

static int tok_create(void *user, const char **args, int nargs, Fts5Tokenizer **out)
{
    (void)args;
    /* no options; the handle is the tokenizer's cut (a static hl_cut) */
    *out = (Fts5Tokenizer *)user;
    return nargs ? SQLITE_ERROR : SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *t)
{
    (void)t;
}

static int tok_run(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int len,
                   int (*xToken)(void *, int, const char *, int, int, int))
{
    hl_cut how = *(const hl_cut *)t;
    if (how == HL_CUT_TRIGRAMS && (flags & FTS5_TOKENIZE_QUERY))
        how = HL_CUT_TRIGRAM_QUERY;
    tok_call c = {ctx, xToken};
    return len > 0 ? hl_text_cut(text, (size_t)len, how, emit, &c) : SQLITE_OK;
}

static fts5_api *fts5_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    return api;
}

hl_rc sq_fts_register(hl_store *s, hl_err *err)
{
    static fts5_tokenizer tok = {tok_create, tok_delete, tok_run};
    static hl_cut bigrams = HL_CUT_BIGRAMS, trigrams = HL_CUT_TRIGRAMS;
    fts5_api *api = fts5_of(s->db);
    if (!api || api->iVersion < 2)
        return hl_fail(err, HL_ESTORE, "SQLite 未启用 FTS5 全文检索");
    if (api->xCreateTokenizer(api, "hlbigram", &bigrams, &tok, NULL) != SQLITE_OK ||
        api->xCreateTokenizer(api, "hltrigram", &trigrams, &tok, NULL) != SQLITE_OK)
        return sq_fail(s, err, "注册分词器");
    return sq_rank_register(s, api, err);
}

/* Each commit to an FTS5 table writes a segment of its own: one per small
 * intake batch made appeals_fts merge (or, with merging off, pile up
 * segments until a crisis merge stalled the writer for 100s of ms).  The
 * recent appeals are indexed in the small appeals_recent instead, and
 * moved here in one segment per upkeep. */
hl_rc store_text_upkeep(hl_store *s, int pages, hl_err *err)
{
    static const char *const steps[] = {
        "SELECT 1 FROM appeals_recent LIMIT 1",
        "INSERT INTO appeals_fts(rowid, content, location)"
        " SELECT seq, content, location FROM appeals_recent",
        "DELETE FROM appeals_recent",
        "INSERT INTO appeals_recent_fts(appeals_recent_fts) VALUES ('delete-all')",
        "INSERT INTO appeals_fts(appeals_fts, rank) VALUES ('merge', ?1)",
    };
    enum { ANY, MERGE = 4, N = 5 };
    sqlite3_stmt *st[N];
    for (int i = 0; i < N; i++)
        if (!(st[i] = sq_prepare_cached(s, steps[i], err)))
            return err->rc;
    sqlite3_bind_int(st[MERGE], 1, pages);
    hl_rc rc = store_begin(s, err);
    int recent = !rc && sqlite3_step(st[ANY]) == SQLITE_ROW;
    sqlite3_reset(st[ANY]);
    for (int i = recent ? ANY + 1 : MERGE; i < N && !rc; i++)
        rc = sq_done(s, st[i], err, "整理检索索引");
    return rc ? (store_rollback(s), rc) : store_commit(s, err);
}

/* --- a server's appeals' text, indexed at commit -------------------------
 *
 * FTS5 writes its pending terms as a segment at every savepoint, and the
 * group commit gives each job one: a batch of ten intakes wrote ten
 * segments.  A server's connection keeps its transaction's appeals' text
 * here and indexes it in appeals_recent at commit.  SQLite 3.40's FTS5
 * also flushes at the end of every statement that writes it (the statement
 * savepoint's release), so the whole stash goes in as ONE statement: a
 * JSON array, "[" then each [seq, content, location] (null when absent
 * or empty) followed by a comma, closed at the flush.  A savepoint rolled
 * back drops what it kept (store_rollback_to cuts the stash at its mark). */
static hl_rc stash_str(hl_buf *b, const char *v)
{
    return v && *v ? hl_buf_add_json_str(b, v) : hl_buf_adds(b, "null");
}

hl_rc sq_text_stash(hl_store *s, int64_t seq, const char *content, const char *location,
                    hl_err *err)
{
    hl_buf *b = &s->text_stash;
    char num[32];
    snprintf(num, sizeof num, "%s[%lld,", b->len ? "" : "[", (long long)seq);
    if (hl_buf_adds(b, num) || stash_str(b, content) || hl_buf_addc(b, ',') ||
        stash_str(b, location) || hl_buf_adds(b, "],"))
        return hl_fail(err, HL_ENOMEM, "内存不足");
    return s->in_tx ? HL_OK : sq_text_flush(s, err); /* no commit will come */
}

hl_rc sq_text_flush(hl_store *s, hl_err *err)
{
    hl_buf *b = &s->text_stash;
    if (!b->len)
        return HL_OK;
    assert(b->data[0] == '[' && b->data[b->len - 1] == ',');
    b->data[b->len - 1] = ']';
    sqlite3_stmt *st = sq_stmt(s, Q_APPEAL_TEXT_RECENT, err);
    hl_rc rc = HL_ESTORE;
    if (st) {
        sqlite3_bind_text(st, 1, b->data, (int)b->len, SQLITE_STATIC);
        rc = sq_done(s, st, err, "写入诉求检索索引");
    }
    if (rc)
        b->data[b->len - 1] = ','; /* as it was, for the rollback that follows */
    else
        hl_buf_reset(b);
    return rc;
}
