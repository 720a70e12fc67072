/* test_assessment.c — the monthly assessment: exact rounding, rules that
 * change results, the seed's and the demo's months against the bulletin's
 * annexes, the ledger and the month's figures. */
#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/cli/cli.h"
#include "../../src/core/assess.h"
#include "../../src/core/timeutil.h"
#include "../../src/report/assessment.h"
#include "../test.h"

#define FIXTURES HL_SHARED_DIR "/fixtures/bulletin-2024-05"
#define CUTOFF "2024-06-24T00:00:00+08:00"

static hl_rules R;

static void setup(void)
{
    th_rules(&R);
}

/* ---- exact arithmetic ---------------------------------------------------- */

START_TEST(test_rate_rounding)
{
    hl_score s = {.n = {139, 139, 139, 9, 143, 4, 139}};
    hl_score_compute(&R, CH_HOTLINE, &s);
    ck_assert_int_eq(s.rate[RATE_DISSATISFIED], 280); /* 2.797 → 2.80 */
    ck_assert_int_eq(s.rate[RATE_REWORK], 647);       /* 6.4748 → 6.47 */
    ck_assert_int_eq(s.index, 981);                   /* 98.146 → 98.1 (annex 1, 屈原管理区) */
    ck_assert_int_eq(hl_div_round(5, 10), 1);         /* half-up */
    ck_assert_int_eq(hl_div_round(4, 10), 0);
    /* no callbacks: nobody dissatisfied, everybody satisfied */
    hl_score z = {.n = {5, 5, 5, 0, 0, 0, 0}};
    hl_score_compute(&R, CH_MAILBOX, &z);
    ck_assert_int_eq(z.rate[RATE_DISSATISFIED], 0);
    ck_assert_int_eq(z.rate[RATE_SATISFIED], 10000);
    ck_assert_int_eq(z.index, 10000);
    /* nothing due: not graded */
    hl_score none = {.n = {0}};
    hl_score_compute(&R, CH_HOTLINE, &none);
    ck_assert_int_eq(none.grade, -1);
}
END_TEST

START_TEST(test_index_rounding)
{
    /* 0.3·100 + 0.3·100 + 0.2·(100 − 10.25) + 0.2·(100 − 5) = 96.95 → 97.0
     * (in binary floating point 96.95 is 96.9499…, which rounds to 96.9) */
    int64_t a[RATE__COUNT] = {10000, 10000, 1025, 500, 0};
    ck_assert_int_eq(hl_index(&R, CH_HOTLINE, a), 970);
    /* 0.3·99.87 + 30 + 0.2·95 + 20 = 98.961 → 99.0 */
    int64_t b[RATE__COUNT] = {9987, 10000, 500, 0, 0};
    ck_assert_int_eq(hl_index(&R, CH_HOTLINE, b), 990);
    /* mailbox, two decimals: 30 + 0.3·66.67 + 20 + 0.2·100 = 90.001 → 90.00, grade A */
    int64_t c[RATE__COUNT] = {10000, 6667, 0, 0, 10000};
    ck_assert_int_eq(hl_index(&R, CH_MAILBOX, c), 9000);
    ck_assert_str_eq(R.channel[CH_MAILBOX].grade[hl_grade(&R, CH_MAILBOX, 9000)], "A");
    ck_assert_str_eq(R.channel[CH_MAILBOX].grade[hl_grade(&R, CH_MAILBOX, 8999)], "B");
    /* the bulletin's fixed points */
    ck_assert_str_eq(R.channel[CH_HOTLINE].grade[hl_grade(&R, CH_HOTLINE, 900)], "A");
    ck_assert_str_eq(R.channel[CH_HOTLINE].grade[hl_grade(&R, CH_HOTLINE, 892)], "B");
    ck_assert_str_eq(R.channel[CH_HOTLINE].grade[hl_grade(&R, CH_HOTLINE, 800)], "C");
    ck_assert_str_eq(R.channel[CH_HOTLINE].grade[hl_grade(&R, CH_HOTLINE, 706)], "E");
    ck_assert_str_eq(R.channel[CH_HOTLINE].grade[hl_grade(&R, CH_HOTLINE, 583)], "E");
}
END_TEST

/* Set the member at a dotted path ("a.b.0.c") of a JSON document. */
static void set_path(json_t *root, const char *path, json_t *value)
{
    char key[64];
    json_t *o = root;
    while (strchr(path, '.')) {
        size_t n = strcspn(path, ".");
        snprintf(key, sizeof key, "%.*s", (int)n, path);
        o = key[0] >= '0' && key[0] <= '9' ? json_array_get(o, (size_t)atoi(key))
                                           : json_object_get(o, key);
        path += n + 1;
    }
    ck_assert_ptr_nonnull(o);
    json_object_set_new(o, path, value);
}

/* Parse the default rules with up to two values replaced (path NULL: none). */
static hl_rc rules_with(hl_rules *r, hl_err *err, const char *p1, json_t *v1, const char *p2,
                        json_t *v2)
{
    size_t len;
    char *text = th_read(HL_DATA_DIR "/rules.json", &len);
    json_t *root = json_loads(text, 0, NULL);
    if (p1)
        set_path(root, p1, v1);
    if (p2)
        set_path(root, p2, v2);
    char *changed = json_dumps(root, 0);
    hl_rc rc = hl_rules_parse(r, changed, err);
    free(changed);
    free(text);
    json_decref(root);
    return rc;
}

START_TEST(test_rules_change_results)
{
    hl_rules r;
    hl_err err;
    hl_score s = {.n = {139, 139, 139, 9, 143, 4, 139}}; /* 98.1, A by default */
    ck_assert_int_eq(rules_with(&r, &err, "assessment.hotline.grades.0.min", json_string("98.5"),
                                NULL, NULL), HL_OK);
    hl_score_compute(&r, CH_HOTLINE, &s);
    ck_assert_int_eq(s.index, 981);
    ck_assert_str_eq(r.channel[CH_HOTLINE].grade[s.grade], "B");
    /* done 0.2 and rework 0.3: 20 + 30 + 0.3·93.53 + 0.2·97.20 = 97.499 → 97.5 */
    ck_assert_int_eq(rules_with(&r, &err, "assessment.hotline.index.0.weight", json_string("0.2"),
                                "assessment.hotline.index.2.weight", json_string("0.3")), HL_OK);
    hl_score_compute(&r, CH_HOTLINE, &s);
    ck_assert_int_eq(s.index, 975);
    /* ranking floor: an agency with 60 orders is ranked, with a floor of 61 it is not */
    ck_assert_int_eq(rules_with(&r, &err, "assessment.hotline.ranking_min_due.agency",
                                json_integer(61), NULL, NULL), HL_OK);
    ck_assert_int_eq(r.channel[CH_HOTLINE].rank_min_due[UNIT_AGENCY], 61);
    /* weights that do not add up to 1, and bounds out of order, are refused */
    ck_assert_int_eq(rules_with(&r, &err, "assessment.hotline.index.0.weight", json_string("0.2"),
                                NULL, NULL), HL_ECONFIG);
    ck_assert_msg(th_has(err.msg, "权重之和"), "%s", err.msg);
    ck_assert_int_eq(rules_with(&r, &err, "assessment.mailbox.grades.1.min", json_string("95"),
                                NULL, NULL), HL_ECONFIG);
    ck_assert_int_eq(rules_with(&r, &err, "ledger.severe_overdue.points", json_string("-0.3"),
                                NULL, NULL), HL_ECONFIG);
}
END_TEST

/* ---- the seed's and the demo's months against annexes 1 and 2 ----------- */

#define MAX_COLS 16

/* Split a TSV line in place into at most MAX_COLS fields. */
static int split_tsv(char *line, char **f)
{
    int n = 0;
    for (char *p = line; n < MAX_COLS;) {
        f[n++] = p;
        p = strchr(p, '\t');
        if (!p)
            break;
        *p++ = '\0';
    }
    return n;
}

static const char *canonical_unit(const char *name)
{
    /* the annexes spell one unit three ways; the registry has it once */
    if (strncmp(name, "国家金融监督管理总局", strlen("国家金融监督管理总局")) == 0)
        return "国家金融监督管理总局岳阳监管分局";
    return name;
}

/* 97.85% → 9785, 97 → 9700: both sides have at most two decimals. */
static long hundredths(const char *s)
{
    return lround(strtod(s, NULL) * 100);
}

/* Every fixture row (each unit once) equals our row in every column. */
static void equals_annex(const char *ours, const char *fixture)
{
    size_t len;
    char *fx = th_read(fixture, &len), *mine = strdup(ours), *hf[MAX_COLS], *hm[MAX_COLS];
    char *save1 = NULL, *save2 = NULL;
    char *line = strtok_r(fx, "\n", &save1);
    int nf = split_tsv(line, hf), checked = 0;
    int nm = split_tsv(strtok_r(mine, "\n", &save2), hm);
    char *rows[256];
    int nrows = 0;
    while ((line = strtok_r(NULL, "\n", &save2)) && nrows < 256)
        rows[nrows++] = line;
    char seen[8192] = "";
    while ((line = strtok_r(NULL, "\n", &save1))) {
        char *f[MAX_COLS], *m[MAX_COLS], tag[256];
        split_tsv(line, f);
        const char *unit = canonical_unit(f[1]);
        snprintf(tag, sizeof tag, "|%s|", unit);
        if (strstr(seen, tag))
            continue;
        strncat(seen, tag, sizeof seen - strlen(seen) - 1);
        int found = 0;
        for (int r = 0; r < nrows && !found; r++) {
            char copy[1024];
            snprintf(copy, sizeof copy, "%s", rows[r]);
            split_tsv(copy, m);
            if (strcmp(m[1], unit) != 0)
                continue;
            found = 1;
            for (int c = 0; c < nf; c++) {
                const char *col = strcmp(hf[c], "callbacks_derived") == 0 ? "callbacks" : hf[c];
                int k = 0;
                while (k < nm && strcmp(hm[k], col) != 0)
                    k++;
                ck_assert_msg(k < nm, "column %s missing", col);
                if (c == 1 || !*f[c])
                    continue; /* unit; a blank callbacks_derived fixes nothing */
                if (c == 0 || strcmp(col, "grade") == 0)
                    ck_assert_msg(strcmp(f[c], m[k]) == 0, "%s %s: %s ≠ %s", unit, col, f[c], m[k]);
                else
                    ck_assert_msg(hundredths(f[c]) == hundredths(m[k]), "%s %s: %s ≠ %s", unit,
                                  col, f[c], m[k]);
            }
        }
        ck_assert_msg(found, "%s: not in our assessment", unit);
        checked++;
    }
    ck_assert_int_eq(checked, nrows); /* and no graded unit more than the annex */
    free(fx);
    free(mine);
}

static char *assess(const char *db, const char *channel, const char *asof)
{
    th_proc p;
    if (asof)
        TH_CLI(&p, db, "assess", "--channel", channel, "--month", "2024-05", "--as-of", asof);
    else
        TH_CLI(&p, db, "assess", "--channel", channel, "--month", "2024-05");
    ck_assert_msg(p.status == 0, "assess failed: %s", p.err);
    char *out = strdup(p.out);
    th_proc_free(&p);
    return out;
}

/* Both channels, as of the bulletin's cut-off and as of now. */
static void month_equals_annexes(const char *db)
{
    static const char *const ch[] = {"hotline", "mailbox"};
    for (int i = 0; i < 2; i++) {
        char fixture[512];
        snprintf(fixture, sizeof fixture, "%s/%s-assessment.tsv", FIXTURES, ch[i]);
        char *past = assess(db, ch[i], CUTOFF), *now = assess(db, ch[i], NULL);
        equals_annex(past, fixture);
        ck_assert_msg(strcmp(past, now) == 0, "%s: as of now differs from as of the cut-off", ch[i]);
        free(past);
        free(now);
    }
}

/* Propose, confirm, drop, add; proposing again leaves decisions alone. */
static void ledger_workflow(const char *db)
{
    th_proc p;
    TH_CLI(&p, db, "ledger", "propose", "--month", "2024-05", "--as-of", CUTOFF, "--by", "李四");
    ck_assert_msg(p.status == 0, "%s", p.err);
    /* 7 grade points (B, C, E units of both annexes) and the units whose
     * orders are still open 5 working days past their deadline */
    int proposed = atoi(strstr(p.out, "提出 ") + strlen("提出 "));
    ck_assert_msg(proposed > 7, "%s", p.out);
    th_proc_free(&p);
    TH_CLI(&p, db, "ledger", "confirm", "1", "--by", "李四");
    ck_assert_int_eq(p.status, 0);
    th_proc_free(&p);
    TH_CLI(&p, db, "ledger", "drop", "2");
    ck_assert_int_eq(p.status, 0);
    th_proc_free(&p);
    TH_CLI(&p, db, "ledger", "drop", "2");
    ck_assert_int_eq(p.status, 1); /* already decided */
    th_proc_free(&p);
    TH_CLI(&p, db, "ledger", "add", "--month", "2024-05", "--unit", "平江县", "--points", "0.3",
           "--indicator", "信息报送", "--detail", "x");
    ck_assert_int_eq(p.status, 1); /* not a multiple of 0.5 */
    th_proc_free(&p);
    TH_CLI(&p, db, "ledger", "add", "--month", "2024-05", "--unit", "平江县", "--points", "+1",
           "--indicator", "信息报送", "--detail", "市级及以上主流媒体刊登 2 篇典型案例");
    ck_assert_msg(p.status == 0, "%s", p.err);
    th_proc_free(&p);
    TH_CLI(&p, db, "ledger", "propose", "--month", "2024-05", "--as-of", CUTOFF);
    ck_assert_msg(p.status == 0, "%s", p.err);
    ck_assert_int_eq(atoi(strstr(p.out, "提出 ") + strlen("提出 ")), proposed - 2);
    th_proc_free(&p);
    TH_CLI(&p, db, "ledger", "list", "--month", "2024-05");
    ck_assert_msg(th_has(p.out, "\tconfirmed\t李四\t") && th_has(p.out, "平江县\t+1\t信息报送"),
                  "%s", p.out);
    ck_assert(!th_has(p.out, "\tdropped\t") && !th_has(p.out, "\tproposed\t"));
    th_proc_free(&p);
}

START_TEST(test_seed_month)
{
    char *dir = th_tmpdir(), cmd[1024], *db = th_path(dir, "seed.db");
    th_proc p;
    snprintf(cmd, sizeof cmd, "python3 '%s/tools/seed-events.py' '%s' >/dev/null", HL_SHARED_DIR, dir);
    ck_assert_int_eq(system(cmd), 0);
    char *units = th_path(dir, "units.tsv"), *events = th_path(dir, "events.jsonl");
    TH_CLI(&p, db, "import", units, events);
    ck_assert_msg(p.status == 0, "%s", p.err);
    th_proc_free(&p);
    month_equals_annexes(db);
    ledger_workflow(db);
    free(units);
    free(events);
    free(db);
    free(dir);
}
END_TEST

/* Orders appealed in April imported after the rest: the history is out of
 * time order in the store, and the assessment must not care. */
START_TEST(test_history_out_of_order)
{
    char *dir = th_tmpdir(), cmd[2048], *db = th_path(dir, "ooo.db");
    th_proc p;
    snprintf(cmd, sizeof cmd,
             "python3 '%s/tools/seed-events.py' '%s' >/dev/null && cd '%s' && python3 -c \""
             "import json; L=open('events.jsonl').read().splitlines(); "
             "A={json.loads(l)['order'] for l in L if '\\\"appeal\\\"' in l and '\\\"2024-04' in l}; "
             "open('late.jsonl','w').write(''.join(l+chr(10) for l in L if json.loads(l).get('order') not in A)); "
             "open('early.jsonl','w').write(''.join(l+chr(10) for l in L if json.loads(l).get('order') in A))\"",
             HL_SHARED_DIR, dir, dir);
    ck_assert_int_eq(system(cmd), 0);
    char *units = th_path(dir, "units.tsv"), *late = th_path(dir, "late.jsonl"),
         *early = th_path(dir, "early.jsonl");
    TH_CLI(&p, db, "import", units, late);
    ck_assert_msg(p.status == 0, "%s", p.err);
    th_proc_free(&p);
    TH_CLI(&p, db, "import", units, early);
    ck_assert_msg(p.status == 0 && !th_has(p.out, "新增 0 条"), "%s%s", p.out, p.err);
    th_proc_free(&p);
    month_equals_annexes(db);
    free(units);
    free(late);
    free(early);
    free(db);
    free(dir);
}
END_TEST

/* month_volumes as one string, in key order. */
static char *volumes_of(const char *db_path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_open(db_path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db,
                                        "SELECT count(*), group_concat(channel || ' ' || month || ' ' "
                                        "|| line || ' ' || handling || ' ' || source || ' ' || "
                                        "top_category || ' ' || n, char(10)) FROM month_volumes",
                                        -1, &st, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_int_gt(sqlite3_column_int(st, 0), 10);
    char *v = strdup((const char *)sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* The volumes ingest kept equal those migration 9 (and a rebuild) compute
 * from the appeals, in SQL, at the rules' utc_offset. */
static void volumes_rebuilt_alike(const char *dir, const char *db_path)
{
    /* appeals with sub-categories next to month ends, local and UTC apart */
    static const char *const extra[] = {
        "2024-05-01T07:00:00+08:00\", \"category\": \"城市管理类 › 噪音扰民",
        "2024-06-01T07:30:00+08:00\", \"category\": \"城市管理类 › 占道经营",
        "2024-06-01T07:40:00+08:00\", \"category\": \"城市管理类"};
    char *exp = th_path(dir, "exp"), *units = th_path(dir, "exp/units.tsv"),
         *events = th_path(dir, "extra.jsonl");
    FILE *f = fopen(events, "w");
    ck_assert_ptr_nonnull(f);
    for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
        fprintf(f, "{\"op\": \"appeal\", \"id\": \"XV%zu\", \"channel\": \"hotline\", "
                   "\"source\": \"电话\", \"line\": \"general\", \"nature\": \"complaint\", "
                   "\"urgency\": \"normal\", \"content\": \"测试\", \"handling\": \"direct\", "
                   "\"at\": \"%s\"}\n", i, extra[i]);
    fclose(f);
    th_proc p;
    TH_CLI(&p, db_path, "export", exp);
    ck_assert_msg(p.status == 0, "%s", p.err);
    th_proc_free(&p);
    TH_CLI(&p, db_path, "import", units, events);
    ck_assert_msg(p.status == 0, "%s", p.err);
    th_proc_free(&p);
    char *kept = volumes_of(db_path);
    ck_assert_msg(th_has(kept, "\n0 202406 0 0 电话 城市管理类 2\n"), "%s", kept);
    hl_store *s;
    hl_err e = {0};
    ck_assert_msg(store_open(db_path, &s, &e) == HL_OK && store_begin(s, &e) == HL_OK &&
                      store_volumes_rebuild(s, &e) == HL_OK && store_commit(s, &e) == HL_OK,
                  "%s", e.msg);
    store_close(s);
    char *rebuilt = volumes_of(db_path);
    ck_assert_msg(th_has(kept, " › ") == 0 && th_has(kept, "类 "), "%.400s", kept);
    ck_assert_str_eq(kept, rebuilt);
    free(kept);
    free(rebuilt);
    free(exp);
    free(units);
    free(events);
}

START_TEST(test_demo_month)
{
    char *dir = th_tmpdir(), *db = th_path(dir, "demo.db");
    th_proc p;
    TH_CLI(&p, db, "demo", "--month", "2024-05");
    ck_assert_msg(p.status == 0, "%s", p.err);
    th_proc_free(&p);
    month_equals_annexes(db);

    /* the month's figures: the seed bulletin's section 二 and 三 */
    TH_CLI(&p, db, "figures", "--month", "2024-05", "--as-of", CUTOFF);
    ck_assert_msg(p.status == 0, "%s", p.err);
    static const char *const want[] = {
        "来电 65452 件", "直接答复咨询 48024 件", "承办工单 17428 件", "群众满意率 91.54%",
        "人力资源和社会保障类 9173 件，占比 20.06%", "环境保护类 1951 件，占比 4.27%",
        "1、人大代表专线办理情况。市 12345 热线平台共受理人大代表专线来电 81 件，其中，话务员在线直接答复咨询 22 件，"
        "相关责任单位承办工单 59 件。", "满意率 88.89%",
        "2、政企通专线办理情况。市 12345 热线平台共受理政企通专线来电 999 件，其中，话务员在线直接答复咨询 828 件，"
        "相关责任单位承办工单 171 件。", "满意率 98.83%",
        "核实不满意热线工单 1560 件", "1054 件已进行督办", "487 件已整改到位",
        "326 件经整改被评价为满意", "群众来信 1779 件", "12345热线微信公众号 365 件",
        "省长信箱 95 件", "均在期限内办结"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(th_has(p.out, want[i]), "figures lack “%s”:\n%s", want[i], p.out);
    th_proc_free(&p);

    volumes_rebuilt_alike(dir, db);

    /* the ledger's proposals: grade points and 严重超期 (annex 3) */
    TH_CLI(&p, db, "ledger", "propose", "--month", "2024-05", "--as-of", CUTOFF, "--by", "王科长");
    ck_assert_msg(p.status == 0, "%s", p.err);
    th_proc_free(&p);
    TH_CLI(&p, db, "ledger", "list", "--month", "2024-05", "--show", "all");
    ck_assert(th_has(p.out, "市国资委\t-6\t热线办理综合考评\t热线月度考评 E 类"));
    ck_assert(th_has(p.out, "市供销联社\t-2\t信箱办理综合考评"));
    ck_assert(th_has(p.out, "岳阳楼区\t-1\t热线办理质量"));
    ck_assert(th_has(p.out, "国网岳阳供电公司\t-1\t热线办理质量"));
    ck_assert(th_has(p.out, "王科长"));
    th_proc_free(&p);
    free(db);
    free(dir);
}
END_TEST

START_TEST(test_assess_refuses_bad_arguments)
{
    char *dir = th_tmpdir(), *db = th_path(dir, "x.db");
    th_proc p;
    TH_CLI(&p, db, "assess", "--channel", "phone", "--month", "2024-05");
    ck_assert_int_eq(p.status, 2);
    th_proc_free(&p);
    TH_CLI(&p, db, "assess", "--channel", "hotline", "--month", "2024-13");
    ck_assert_int_eq(p.status, 2);
    th_proc_free(&p);
    TH_CLI(&p, db, "assess", "--channel", "hotline", "--month", "2024-05", "--as-of", "2024-06-01");
    ck_assert_int_eq(p.status, 2);
    th_proc_free(&p);
    /* an empty month: nothing graded, a header all the same; xlsx is a zip */
    TH_CLI(&p, db, "assess", "--channel", "hotline", "--month", "2024-05");
    ck_assert_msg(p.status == 0 && th_has(p.out, "kind\tunit\tdue"), "%s", p.err);
    th_proc_free(&p);
    char *xlsx = th_path(dir, "a.xlsx");
    TH_CLI(&p, db, "assess", "--channel", "mailbox", "--month", "2024-05", "--format", "xlsx",
           "--out", xlsx);
    ck_assert_msg(p.status == 0, "%s", p.err);
    size_t len;
    char *bytes = th_read(xlsx, &len);
    ck_assert(len > 4 && memcmp(bytes, "PK", 2) == 0);
    free(bytes);
    free(xlsx);
    th_proc_free(&p);
    free(db);
    free(dir);
}
END_TEST

Suite *suite_assessment(void)
{
    Suite *s = suite_create("assessment");
    TCase *math = tcase_create("math");
    tcase_add_checked_fixture(math, setup, NULL);
    tcase_add_test(math, test_rate_rounding);
    tcase_add_test(math, test_index_rounding);
    tcase_add_test(math, test_rules_change_results);
    suite_add_tcase(s, math);
    TCase *months = tcase_create("months");
    tcase_set_timeout(months, 300);
    tcase_add_test(months, test_seed_month);
    tcase_add_test(months, test_demo_month);
    tcase_add_test(months, test_history_out_of_order);
    tcase_add_test(months, test_assess_refuses_bad_arguments);
    suite_add_tcase(s, months);
    return s;
}
