/* test_hotspot.c — hot spots (src/text/hotspot.h): a small made-up set,
 * then `text hotspots` on messages-hotspot.tsv against the five hot issues
 * of a prize-winning team (hotspot-reference-*.tsv): each must be matched by
 * one of our top 10 with a member Jaccard of at least 0.5. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/text/hotspot.h"
#include "../test.h"

#define DATA HL_SHARED_DIR "/data/tipdm2020c/"
#define JACCARD_MIN 0.5
#define REF_ISSUES 5
#define DAY 86400

static hs_params params(void)
{
    char *cfg = th_read(HL_DATA_DIR "/text.json", NULL);
    hs_params p;
    hl_err err;
    ck_assert_ptr_nonnull(cfg);
    ck_assert_msg(hs_params_parse(&p, cfg, &err) == HL_OK, "%s", err.msg);
    free(cfg);
    return p;
}

START_TEST(places_crowds_and_time)
{
    hs_params p = params();
    p.min_members = 3;
    static const char *const subjects[] = {
        "A2区丽发新城搅拌站噪音扰民", "投诉丽发新城附近搅拌站", "丽发新城小区旁建搅拌站",
        "丽发新城搅拌站粉尘大",       "咨询A市人才购房补贴",   "A市人才补贴何时发放",
        "A市人才补贴申请不通过",      "某路灯坏了",             "幼儿园收费",
        "幼儿园收费高",               "幼儿园乱收费",           "丽发新城搅拌站又开工",
    };
    hs_msg m[12];
    for (int i = 0; i < 12; i++)
        m[i] = (hs_msg){subjects[i], (int64_t)i * DAY, i == 1 ? 100 : 0, 0};
    m[11].time = 400 * DAY; /* long after the rest: not in the first spot */
    hs_spots s = {0};
    hl_err err;
    ck_assert_int_eq(hs_find(&p, m, 12, 400 * DAY, 10, &s, &err), HL_OK);
    ck_assert_uint_eq(s.n, 2); /* 幼儿园 is a kind of place, not a place */
    ck_assert_str_eq(s.v[0].place, "丽发新城");
    ck_assert_str_eq(s.v[0].matter, "搅拌站");
    ck_assert_uint_eq(s.v[0].n, 4);
    ck_assert_uint_eq(s.v[0].members[0], 0);
    ck_assert_uint_eq(s.v[0].members[3], 3);
    ck_assert_int_eq(s.v[0].first, 0);
    ck_assert_int_eq(s.v[0].last, 3 * DAY);
    ck_assert_str_eq(s.v[1].place, "A市人才");
    ck_assert(s.v[1].crowd && !s.v[0].crowd);
    ck_assert_str_eq(s.v[1].matter, "补贴");
    ck_assert(s.v[0].heat > s.v[1].heat);
    hs_spots_free(&s);
    /* top bounds the answer */
    ck_assert_int_eq(hs_find(&p, m, 12, 400 * DAY, 1, &s, &err), HL_OK);
    ck_assert_uint_eq(s.n, 1);
    hs_spots_free(&s);
}
END_TEST

/* problem id → the set of message ids, from a detail table (问题ID 留言编号 …). */
typedef struct {
    char **id;
    int *problem;
    size_t n;
} members;

static void read_members(const char *path, members *m)
{
    char *text = th_read(path, NULL);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    m->n = 0;
    m->id = NULL;
    m->problem = NULL;
    size_t cap = 0;
    char *line = strchr(text, '\n');
    while (line && *++line) {
        if (m->n == cap) {
            cap = cap ? cap * 2 : 256;
            m->id = realloc(m->id, cap * sizeof *m->id);
            m->problem = realloc(m->problem, cap * sizeof *m->problem);
        }
        m->problem[m->n] = atoi(line);
        const char *f = strchr(line, '\t');
        ck_assert_ptr_nonnull(f);
        m->id[m->n++] = strndup(f + 1, strcspn(f + 1, "\t\n"));
        line = strchr(line, '\n');
    }
    free(text);
}

static void free_members(members *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->id[i]);
    free(m->id);
    free(m->problem);
}

static double jaccard(const members *a, int pa, const members *b, int pb)
{
    size_t na = 0, nb = 0, both = 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->problem[i] == pa) {
            na++;
            for (size_t j = 0; j < b->n; j++)
                if (b->problem[j] == pb && strcmp(a->id[i], b->id[j]) == 0) {
                    both++;
                    break;
                }
        }
    for (size_t j = 0; j < b->n; j++)
        nb += b->problem[j] == pb;
    return na + nb - both ? (double)both / (double)(na + nb - both) : 0;
}

START_TEST(reference_top5_jaccards)
{
    char *dir = th_tmpdir(), *detail = th_path(dir, "detail.tsv");
    th_proc p;
    ck_assert_int_eq(TH_CLI(&p, NULL, "text", "hotspots", "--input", DATA "messages-hotspot.tsv",
                            "--top", "10", "--detail", detail),
                     0);
    ck_assert(th_has(p.out, "热度排名\t问题ID\t热度指数\t时间范围\t地点/人群\t问题描述\n"));
    members ref, mine;
    read_members(DATA "hotspot-reference-detail.tsv", &ref);
    read_members(detail, &mine);
    printf("text: hot spots vs the reference top 5, best member Jaccard in our top 10:");
    for (int r = 1; r <= REF_ISSUES; r++) {
        double best = 0;
        for (int k = 1; k <= 10; k++) {
            double j = jaccard(&ref, r, &mine, k);
            best = j > best ? j : best;
        }
        printf(" %.3f", best);
        ck_assert_msg(best >= JACCARD_MIN, "reference issue %d: best Jaccard %.3f", r, best);
    }
    printf("\n");
    free_members(&ref);
    free_members(&mine);
    th_proc_free(&p);
    free(detail);
    th_rmtree(dir);
}
END_TEST

START_TEST(cli_bad_input)
{
    char *dir = th_tmpdir(), *bad = th_path(dir, "bad.tsv");
    th_proc p;
    th_write(bad, "留言编号\t留言用户\t留言主题\t留言时间\t留言详情\t反对数\t点赞数\n"
                  "1\tu\t停水\t2019-01-01 10:00:00\t停水\t0\t0\n"
                  "2\tu\t停电\t2019-13-01 10:00:00\t停电\t0\t0\n");
    ck_assert_int_eq(TH_CLI(&p, NULL, "text", "hotspots", "--input", bad), 1);
    ck_assert_msg(th_has(p.err, "bad.tsv:3") && th_has(p.err, "留言时间"), "%s", p.err);
    th_proc_free(&p);
    th_write(bad, "留言编号\t留言用户\t留言主题\t留言时间\t留言详情\t反对数\t点赞数\n"
                  "1\tu\t停水\t2019-01-01 10:00:00\t停水\t0\t-4\n");
    ck_assert_int_eq(TH_CLI(&p, NULL, "text", "hotspots", "--input", bad), 1);
    ck_assert_msg(th_has(p.err, "bad.tsv:2"), "%s", p.err);
    th_proc_free(&p);
    ck_assert_int_eq(TH_CLI(&p, NULL, "text", "hotspots", "--input", bad, "--top", "0"), 2);
    th_proc_free(&p);
    ck_assert_int_eq(TH_CLI(&p, NULL, "text", "hotspots", "--input", bad, "--top", "x"), 2);
    th_proc_free(&p);
    free(bad);
    th_rmtree(dir);
}
END_TEST

Suite *suite_hotspot(void)
{
    Suite *s = suite_create("hotspot");
    TCase *tc = tcase_create("hotspot");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, places_crowds_and_time);
    tcase_add_test(tc, reference_top5_jaccards);
    tcase_add_test(tc, cli_bad_input);
    suite_add_tcase(s, tc);
    return s;
}
