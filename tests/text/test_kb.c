/* test_kb.c — the knowledge base end to end: search on the real citizen
 * messages of ../shared/data (exactness against a substring scan, width
 * folding, ranking quality on the replies), and the review-reminder flow
 * through the CLI with a fake clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/store/store.h"
#include "../../src/text/search.h"
#include "../../src/text/text.h"
#include "../test.h"

#define DATA HL_SHARED_DIR "/data/tipdm2020c/"
#define OK(call) ck_assert_msg((call) == HL_OK, "%s failed: %s", #call, E.msg)

static char *dir, *db_path;
static hl_store *S;
static hl_err E;

static void setup(void)
{
    dir = th_tmpdir();
    db_path = th_path(dir, "kb.db");
    memset(&E, 0, sizeof E);
    OK(store_open(db_path, &S, &E));
}

static void teardown(void)
{
    store_close(S);
    free(db_path);
    th_rmtree(dir);
}

/* Field `col` (0-based) of a TSV line, copied (caller frees). */
static char *field(const char *line, int col)
{
    for (int i = 0; i < col && line; i++)
        if ((line = strchr(line, '\t')))
            line++;
    if (!line)
        return strdup("");
    size_t n = strcspn(line, "\t\n");
    return strndup(line, n);
}

/* Put one article per data line of file (id, title, body columns), all in
 * one transaction.  Returns how many. */
static size_t load(const char *file, int id_col, int title_col, int body_col)
{
    char *text = th_read(file, NULL);
    ck_assert_msg(text != NULL, "cannot read %s", file);
    size_t n = 0;
    OK(store_begin(S, &E));
    char *line = strchr(text, '\n'); /* the header */
    while (line && *++line) {
        char *id = field(line, id_col), *title = title_col >= 0 ? field(line, title_col) : NULL,
             *body = field(line, body_col);
        store_kb_article a = {.id = id, .title = title, .body = body, .status = "published",
                              .updated_at = 1, .updated_by = "test"};
        int64_t v;
        OK(store_kb_put(S, &a, -1, &v, &E));
        n++;
        free(id);
        free(title);
        free(body);
        line = strchr(line, '\n');
    }
    OK(store_commit(S, &E));
    free(text);
    return n;
}

/* --- exactness ------------------------------------------------------------------ */

typedef struct {
    char **ids;
    size_t n;
} idset;

static hl_rc keep_id(const store_kb_hit *h, void *arg)
{
    idset *s = arg;
    s->ids = realloc(s->ids, (s->n + 1) * sizeof *s->ids);
    s->ids[s->n++] = strdup(h->id);
    return HL_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ids the index (the trigram one when asked) finds for q as an exact
 * query, sorted. */
static idset found_in(const char *q, int trigram)
{
    hl_buf m;
    idset s = {NULL, 0};
    hl_buf_init(&m, 1 << 16);
    ck_assert_int_gt(hl_text_query(q, HL_QUERY_EXACT, NULL, &m, NULL), 0);
    store_kb_query kq = {.match = hl_buf_str(&m), .title_weight = 1, .k1 = 1.2, .b = 0.75,
                         .idf_power = 1, .limit = 1000000, .trigram = trigram};
    OK(store_kb_search(S, &kq, keep_id, &s, &E));
    hl_buf_free(&m);
    if (s.n)
        qsort(s.ids, s.n, sizeof *s.ids, cmp_str);
    return s;
}

static idset found(const char *q)
{
    return found_in(q, 0);
}

/* The ids of articles whose normalised title or body contains the
 * normalised q: a plain scan, read straight from the table. */
static hl_rc scan_one(const store_kb_article *a, void *arg)
{
    idset *s = ((void **)arg)[0];
    const char *q = ((void **)arg)[1];
    hl_buf t;
    hl_buf_init(&t, 1 << 24);
    hl_text_norm(a->title, strlen(a->title), &t);
    hl_buf_addc(&t, '\n');
    hl_text_norm(a->body, strlen(a->body), &t);
    if (strstr(hl_buf_str(&t), q))
        keep_id(&(store_kb_hit){.id = a->id}, s);
    hl_buf_free(&t);
    return HL_OK;
}

static idset scanned(const char *q)
{
    hl_buf nq;
    idset s = {NULL, 0};
    int64_t total;
    hl_buf_init(&nq, 1 << 16);
    hl_text_norm(q, strlen(q), &nq);
    void *arg[2] = {&s, (void *)hl_buf_str(&nq)};
    OK(store_kb_list(S, NULL, 0, 0, 1000000, scan_one, arg, &total, &E));
    hl_buf_free(&nq);
    if (s.n)
        qsort(s.ids, s.n, sizeof *s.ids, cmp_str);
    return s;
}

static void idset_free(idset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->ids[i]);
    free(s->ids);
}

static void same_ids(const char *q, const char *index, const idset *a, const idset *b)
{
    ck_assert_msg(a->n == b->n, "%s: %s %zu, scan %zu", q, index, a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        ck_assert_str_eq(a->ids[i], b->ids[i]);
}

/* Both indexes find what the scan finds (the trigram one when it can
 * answer q). */
static void same_as_scan(const char *q, size_t at_least)
{
    idset a = found(q), b = scanned(q);
    ck_assert_msg(b.n >= at_least, "%s: only %zu articles contain it", q, b.n);
    same_ids(q, "bigram index", &a, &b);
    if (hl_text_query_trigram(q)) {
        idset t = found_in(q, 1);
        same_ids(q, "trigram index", &t, &b);
        idset_free(&t);
    }
    printf("kb: %s found in %zu articles, as the scan\n", q, a.n);
    idset_free(&a);
    idset_free(&b);
}

typedef struct {
    char *ids[20];
    double scores[20];
    int n;
} ranking;

static hl_rc keep_ranked(const store_kb_hit *h, void *arg)
{
    ranking *r = arg;
    r->ids[r->n] = strdup(h->id);
    r->scores[r->n++] = h->score;
    return HL_OK;
}

/* The trigram index ranks q's matches as the bigram index does: the same
 * document lengths give the same scores. */
static void same_ranking(const char *q)
{
    hl_buf m;
    ranking r[2];
    memset(r, 0, sizeof r);
    hl_buf_init(&m, 1 << 16);
    ck_assert_int_gt(hl_text_query(q, HL_QUERY_EXACT, NULL, &m, NULL), 0);
    ck_assert(hl_text_query_trigram(q));
    for (int i = 0; i < 2; i++) {
        store_kb_query kq = {.match = hl_buf_str(&m), .title_weight = 2, .k1 = 1.2, .b = 0.75,
                             .idf_power = 1.7, .limit = 20, .trigram = i};
        OK(store_kb_search(S, &kq, keep_ranked, &r[i], &E));
    }
    ck_assert_int_gt(r[0].n, 1);
    ck_assert_int_eq(r[0].n, r[1].n);
    for (int k = 0; k < r[0].n; k++) {
        ck_assert_str_eq(r[0].ids[k], r[1].ids[k]);
        ck_assert_double_eq_tol(r[0].scores[k], r[1].scores[k], 1e-9);
        free(r[0].ids[k]);
        free(r[1].ids[k]);
    }
    hl_buf_free(&m);
}

START_TEST(short_queries_find_every_article)
{
    size_t n = load(DATA "messages-labeled.tsv", 0, 2, 4);
    n += load(DATA "messages-unlabeled.tsv", 0, 2, 4);
    ck_assert_uint_gt(n, 3000);
    same_as_scan("积水", 5);
    same_as_scan("噪音", 20);
    same_as_scan("停电", 5);
    same_as_scan("物业管理", 20);
    same_as_scan("学校", 50);
    same_as_scan("不作为", 50);
    same_as_scan("业主委员会", 5);
    same_as_scan("拖欠工资", 5);
    same_ranking("物业管理");
    same_ranking("不作为 相关部门");
}
END_TEST

START_TEST(full_and_half_width_match)
{
    OK(store_begin(S, &E));
    static const char *const bodies[] = {"ＡＴＭ机吞卡，客服电话１２３４５打不通", "atm机故障 12345热线",
                                         "ＰＭ２．５超标"};
    for (int i = 0; i < 3; i++) {
        char id[16];
        snprintf(id, sizeof id, "W%d", i);
        store_kb_article a = {.id = id, .title = "", .body = bodies[i], .status = "published",
                              .updated_at = 1, .updated_by = "test"};
        int64_t v;
        OK(store_kb_put(S, &a, -1, &v, &E));
    }
    OK(store_commit(S, &E));
    idset a = found("ATM机"), b = found("１２３４５"), c = found("pm2.5");
    ck_assert_uint_eq(a.n, 2);
    ck_assert_uint_eq(b.n, 2);
    ck_assert_uint_eq(c.n, 1);
    idset_free(&a);
    idset_free(&b);
    idset_free(&c);
}
END_TEST

/* The best few are the head of the whole ranking: the search stops reading
 * candidates once none left can come in (sqlite_kb.c), which freshness,
 * filters, title weight and lengths here all bear on. */
static ranking ranked(const char *q, const char *category, int limit)
{
    hl_buf m;
    ranking r;
    memset(&r, 0, sizeof r);
    hl_buf_init(&m, 1 << 16);
    ck_assert_int_gt(hl_text_query(q, HL_QUERY_EXACT, NULL, &m, NULL), 0);
    store_kb_query kq = {.match = hl_buf_str(&m), .category = category, .valid_only = 1,
                         .now = 365 * 86400, .title_weight = 3, .fresh_weight = 0.5,
                         .fresh_days = 365, .k1 = 1.2, .b = 0.95, .idf_power = 1.7,
                         .limit = limit, .trigram = hl_text_query_trigram(q)};
    OK(store_kb_search(S, &kq, keep_ranked, &r, &E));
    hl_buf_free(&m);
    return r;
}

START_TEST(best_hits_head_the_whole_ranking)
{
    static const char filler[] = "这是一段用于改变文章长度的文字内容没有别的意思只是占一些位置而已请勿在意谢谢";
    OK(store_begin(S, &E));
    for (int i = 0; i < 20; i++) {
        char id[16], body[512];
        snprintf(id, sizeof id, "R%02d", i);
        snprintf(body, sizeof body, "%s%.*s小区积水严重。", i % 3 ? "小区积水严重，" : "",
                 (i * 7) % 40 * 3, filler);
        store_kb_article a = {.id = id, .title = i % 5 ? "" : "积水严重", .body = body,
                              .category = i % 4 ? "城乡建设" : "环境保护",
                              .status = i % 9 ? "published" : "draft",
                              .updated_at = 86400 * (i * 37 % 365), .updated_by = "test"};
        int64_t v;
        OK(store_kb_put(S, &a, -1, &v, &E));
    }
    OK(store_commit(S, &E));
    static const char *const queries[] = {"积水严重", "积水"};
    static const char *const categories[] = {NULL, "城乡建设"};
    for (int qi = 0; qi < 2; qi++)
        for (int ci = 0; ci < 2; ci++) {
            ranking all = ranked(queries[qi], categories[ci], 20);
            ck_assert_int_gt(all.n, 10);
            for (int limit = 1; limit <= 10; limit += 3) {
                ranking head = ranked(queries[qi], categories[ci], limit);
                ck_assert_int_eq(head.n, limit);
                for (int k = 0; k < limit; k++) {
                    ck_assert_str_eq(head.ids[k], all.ids[k]);
                    ck_assert_double_eq_tol(head.scores[k], all.scores[k], 1e-12);
                    free(head.ids[k]);
                }
            }
            for (int k = 0; k < all.n; k++)
                free(all.ids[k]);
        }
}
END_TEST

/* --- quality --------------------------------------------------------------------- */

#define REPLIES_TARGET 0.72

START_TEST(replies_rank_their_message)
{
    size_t n = load(DATA "messages-replies.tsv", 0, -1, 5), top5 = 0, queries = 0;
    hl_rules rules;
    th_rules(&rules);
    char *text = th_read(DATA "messages-replies.tsv", NULL);
    char *line = strchr(text, '\n');
    while (line && *++line) {
        char *id = field(line, 0), *subject = field(line, 2);
        text_kb_req req = {.q = subject, .now = 1, .limit = 5};
        text_kb_hits hits = {0};
        OK(text_kb_search(S, &rules, &req, &hits, &E));
        for (size_t i = 0; i < hits.n; i++)
            top5 += strcmp(hits.v[i].id, id) == 0;
        queries++;
        text_kb_hits_free(&hits);
        free(id);
        free(subject);
        line = strchr(line, '\n');
    }
    free(text);
    double rate = (double)top5 / (double)queries;
    printf("kb: the message's own reply in the top 5 for %zu of %zu subjects (%.2f %%; "
           "target %.0f %%)\n", top5, queries, 100 * rate, 100 * REPLIES_TARGET);
    ck_assert_uint_eq(queries, n);
    ck_assert_msg(rate >= REPLIES_TARGET, "top-5 rate %.4f below %.2f", rate, REPLIES_TARGET);
}
END_TEST

/* --- reminders ------------------------------------------------------------------- */

#define UNITS "code\tname\tkind\tparent_code\nC1\t一区\tcounty\t\nC1-1\t一区一街道\tcounty\tC1\n" \
              "C2\t二区\tcounty\t\n"
#define ARTICLES                                                                          \
    "id\ttitle\tbody\tcategory\towner_unit\tvalid_from\tvalid_to\treview_days\n"          \
    "K1\t停电报修\t小区停电请拨打供电服务热线。\t城乡建设\tC1-1\t2030-01-01\t\t30\n"      \
    "K2\t积水处理\t道路积水请联系市政。\t城乡建设\tC2\t2030-01-01\t\t30\n"                \
    "K3\t无复核\t不需要复核的文章。\t\tC2\t\t\t\n"

static void cli_ok(const char *what, th_proc *p, int status)
{
    ck_assert_msg(status == 0, "%s: exit %d\n%s%s", what, status, p->out, p->err);
}

#define RUN(...)                                                                          \
    do {                                                                                  \
        th_proc p_;                                                                       \
        cli_ok(#__VA_ARGS__, &p_, TH_CLI(&p_, db_path, __VA_ARGS__));                      \
        th_proc_free(&p_);                                                                \
    } while (0)

/* The month's ledger proposals as "unit points indicator refs" lines. */
static char *proposals(int month)
{
    char q[256];
    snprintf(q, sizeof q,
             "SELECT u.code, l.points, l.indicator, l.refs FROM ledger l JOIN units u"
             " ON u.id = l.unit_id WHERE l.month = %d ORDER BY u.code", month);
    hl_store *x;
    OK(store_open(db_path, &x, &E));
    store_close(x);
    th_proc p;
    const char *argv[] = {"/usr/bin/sqlite3", "-separator", " ", db_path, q, NULL};
    ck_assert_int_eq(th_run(&p, argv), 0);
    char *out = strdup(p.out);
    th_proc_free(&p);
    return out;
}

START_TEST(reminder_lapses_into_the_ledger)
{
    store_close(S);
    S = NULL;
    char *u = th_path(dir, "units.tsv"), *e = th_path(dir, "events.jsonl"),
         *k = th_path(dir, "articles.tsv");
    th_write(u, UNITS);
    th_write(e, "");
    th_write(k, ARTICLES);
    RUN("init");
    RUN("import", u, e);
    RUN("kb", "import", k);
    /* not due yet: no reminder */
    RUN("kb", "remind", "--now", "2030-01-15T09:00:00+08:00");
    /* K1 and K2 fell due on 31 January; the answer is due 10 days later */
    RUN("kb", "remind", "--now", "2030-02-01T09:00:00+08:00");
    RUN("kb", "remind", "--now", "2030-02-02T09:00:00+08:00"); /* no second reminder */
    RUN("kb", "answer", "2", "confirmed"); /* C2 answers; C1's street does not */
    RUN("ledger", "propose", "--month", "2030-01", "--as-of", "2030-01-31T23:00:00+08:00");
    RUN("ledger", "propose", "--month", "2030-02", "--as-of", "2030-02-28T23:00:00+08:00");
    char *jan = proposals(203001), *feb = proposals(203002);
    ck_assert_str_eq(jan, "");
    /* charged to the first-level unit of the street that owns K1 */
    ck_assert_str_eq(feb, "C1 -5 知识库管理 K1\n");
    free(jan);
    free(feb);
    th_proc p;
    ck_assert_int_eq(TH_CLI(&p, db_path, "kb", "reminders"), 0);
    ck_assert_msg(th_has(p.out, "\tK1\tC1-1\t2030-02-11T09:00:00+08:00\topen"), "%s", p.out);
    ck_assert_msg(th_has(p.out, "\tK2\tC2\t2030-02-11T09:00:00+08:00\tconfirmed\tcli"), "%s",
                  p.out);
    th_proc_free(&p);
    /* answering twice is refused */
    ck_assert_int_ne(TH_CLI(&p, db_path, "kb", "answer", "2", "updated"), 0);
    ck_assert_msg(th_has(p.err, "已答复"), "%s", p.err);
    th_proc_free(&p);
    free(u);
    free(e);
    free(k);
    OK(store_open(db_path, &S, &E));
}
END_TEST

Suite *suite_kb(void)
{
    Suite *s = suite_create("kb");
    TCase *tc = tcase_create("kb");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, short_queries_find_every_article);
    tcase_add_test(tc, full_and_half_width_match);
    tcase_add_test(tc, best_hits_head_the_whole_ranking);
    tcase_add_test(tc, replies_rank_their_message);
    tcase_add_test(tc, reminder_lapses_into_the_ledger);
    suite_add_tcase(s, tc);
    return s;
}
