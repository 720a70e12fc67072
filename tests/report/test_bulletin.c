/* test_bulletin.c — the monthly bulletin on the seed's history: the annex
 * tables read back from annexes.xlsx, bulletin.docx and bulletin.pdf equal
 * the fixtures, the pdf's Chinese text is drawn (ink where the text layer
 * says text is), and LibreOffice opens the docx and converts it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../test.h"

#define FIXTURES HL_SHARED_DIR "/fixtures/bulletin-2024-05"
#define CUTOFF "2024-06-24T00:00:00+08:00"
#define READER "python3 '" HL_DATA_DIR "/../tests/tools/bulletin_read.py'"
#define MAX_CELLS 16
#define MAX_ROWS 512

/* The seed spells some units otherwise than the registry (its annexes and
 * ledger were typed by hand); the registry has each once. */
static const char *canonical(const char *name)
{
    static const char *const alias[][2] = {
        {"国家金融监督管理总局", "国家金融监督管理总局岳阳监管分局"},
        {"国家金融监督管理总局 岳阳监管分局", "国家金融监督管理总局岳阳监管分局"},
        {"经开区", "岳阳经开区"},
        {"市国网供电公司", "国网岳阳供电公司"},
        {"市华润燃气公司", "岳阳华润燃气公司"}};
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (strcmp(name, alias[i][0]) == 0)
            return alias[i][1];
    return name;
}

typedef struct {
    int table, kind; /* kind: the group (unit kind) a row of annex 1 or 2 is under */
    int n;
    char *cell[MAX_CELLS];
} row;

typedef struct {
    char *text; /* the reader's output, cut up in place */
    row rows[MAX_ROWS];
    int n;
    const char *raw; /* pdf: the text without spaces, in drawing order */
} tables;

static const char *const kinds[] = {"县市区", "行政事业单位", "公共服务企业"};
static const char *const kind_names[] = {"county", "agency", "enterprise"};

static int split(char *line, char **f, int max)
{
    int n = 0;
    for (char *p = line; p && n < max;) {
        f[n++] = p;
        if ((p = strchr(p, '\t')))
            *p++ = '\0';
    }
    return n;
}

/* Run the reader on a file; data rows of every table, group headings and
 * column headings dropped, each data row of annexes 1–2 with its group. */
static void read_back(tables *t, const char *mode, const char *path)
{
    char cmd[2048];
    th_proc p;
    snprintf(cmd, sizeof cmd, READER " %s '%s'", mode, path);
    const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    ck_assert_msg(th_run(&p, argv) == 0, "%s: %s", cmd, p.err);
    memset(t, 0, sizeof *t);
    t->text = p.out;
    free(p.err);
    int kind = -1, table = 0;
    for (char *save = NULL, *line = strtok_r(t->text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char *f[MAX_CELLS + 1];
        int n = split(line, f, MAX_CELLS + 1);
        if (strcmp(f[0], "RAW") == 0) {
            t->raw = n > 1 ? f[1] : "";
            continue;
        }
        int tn = atoi(f[0] + 1);
        if (tn != table)
            kind = -1, table = tn;
        if (n == 2)
            for (int k = 0; k < 3; k++)
                if (strcmp(f[1], kinds[k]) == 0)
                    kind = k;
        if (n == 2 || strcmp(f[1], "部门名称") == 0)
            continue;
        ck_assert_int_lt(t->n, MAX_ROWS);
        row *r = &t->rows[t->n++];
        r->table = tn;
        r->kind = kind;
        r->n = n - 1;
        memcpy(r->cell, f + 1, (size_t)(n - 1) * sizeof *f);
    }
}

/* 97.85% → 9785, 97 → 9700: both sides have at most two decimals. */
static long hundredths(const char *s)
{
    return lround(strtod(s, NULL) * 100);
}

/* Annex 1 or 2 (table) against its fixture: every unit of the fixture (the
 * first time it is listed) under its kind, each column equal; no row more. */
static void annex_equals(const tables *t, int table, const char *fixture, const char *what)
{
    size_t len;
    char *fx = th_read(fixture, &len), seen[8192] = "";
    ck_assert_ptr_nonnull(fx);
    int units = 0, ours = 0;
    for (int i = 0; i < t->n; i++)
        ours += t->rows[i].table == table;
    char *save = NULL, *line = strtok_r(fx, "\n", &save); /* the header */
    while ((line = strtok_r(NULL, "\n", &save))) {
        char *f[MAX_CELLS], tag[256];
        ck_assert_int_eq(split(line, f, MAX_CELLS), 14);
        const char *unit = canonical(f[1]);
        snprintf(tag, sizeof tag, "|%s|", unit);
        if (strstr(seen, tag))
            continue;
        strncat(seen, tag, sizeof seen - strlen(seen) - 1);
        units++;
        const row *r = NULL;
        for (int i = 0; i < t->n && !r; i++)
            if (t->rows[i].table == table && strcmp(t->rows[i].cell[0], unit) == 0)
                r = &t->rows[i];
        ck_assert_msg(r, "%s annex %d: %s missing", what, table, unit);
        ck_assert_msg(r->n == 12, "%s annex %d: %s has %d cells", what, table, unit, r->n);
        ck_assert_msg(r->kind >= 0 && strcmp(kind_names[r->kind], f[0]) == 0,
                      "%s annex %d: %s under the wrong group", what, table, unit);
        /* fixture columns 2–10, 12, 13 are our cells 1–9, 10, 11 */
        for (int c = 2; c < 14; c++) {
            if (c == 11)
                continue; /* callbacks: not a column of the annex */
            const char *mine = r->cell[c < 11 ? c - 1 : c - 2];
            if (c == 13)
                ck_assert_msg(strcmp(f[c], mine) == 0, "%s %s grade: %s ≠ %s", what, unit, f[c], mine);
            else
                ck_assert_msg(hundredths(f[c]) == hundredths(mine) &&
                                  !strchr(f[c], '%') == !strchr(mine, '%'),
                              "%s %s column %d: %s ≠ %s", what, unit, c, f[c], mine);
        }
    }
    ck_assert_msg(units == ours, "%s annex %d: %d rows for %d units", what, table, ours, units);
    free(fx);
}

/* Annexes 3 and 4 against the ledger fixture: deductions, then bonuses, in
 * the fixture's order (the order they were entered). */
static void ledger_equals(const tables *t, const char *what)
{
    size_t len;
    char *fx = th_read(FIXTURES "/ledger.tsv", &len);
    const char *from = t->raw;
    for (int table = 3; table <= 4; table++) {
        int k = 0, expected = 0;
        while (k < t->n && t->rows[k].table != table)
            k++;
        char *copy = strdup(fx), *save = NULL, *line = strtok_r(copy, "\n", &save);
        while ((line = strtok_r(NULL, "\n", &save))) {
            char *f[MAX_CELLS];
            ck_assert_int_eq(split(line, f, MAX_CELLS), 4);
            if ((f[1][0] == '-') != (table == 3))
                continue;
            expected++;
            if (t->raw) { /* the pdf: the row's text in order, spaces aside */
                char want[2048], *w = want;
                snprintf(want, sizeof want, "%s%s%s%s", canonical(f[0]), f[1], f[2], f[3]);
                for (char *q = want; *q; q++)
                    if (*q != ' ')
                        *w++ = *q;
                *w = '\0';
                const char *at = strstr(from, want);
                ck_assert_msg(at, "%s annex %d: %s not found after the previous row", what, table,
                              want);
                from = at + strlen(want);
                continue;
            }
            ck_assert_msg(k < t->n && t->rows[k].table == table, "%s annex %d: row for %s missing",
                          what, table, f[0]);
            const row *r = &t->rows[k++];
            ck_assert_int_eq(r->n, 4);
            ck_assert_str_eq(r->cell[0], canonical(f[0]));
            for (int c = 1; c < 4; c++)
                ck_assert_msg(strcmp(r->cell[c], f[c]) == 0, "%s annex %d %s: %s ≠ %s", what,
                              table, f[0], r->cell[c], f[c]);
        }
        if (!t->raw)
            ck_assert_msg(k == t->n || t->rows[k].table != table, "%s annex %d: rows beyond the fixture",
                          what, table);
        ck_assert_int_gt(expected, 0);
        free(copy);
    }
    free(fx);
}

static void tables_equal(const char *mode, const char *path)
{
    tables *t = malloc(sizeof *t);
    read_back(t, mode, path);
    annex_equals(t, 1, FIXTURES "/hotline-assessment.tsv", mode);
    annex_equals(t, 2, FIXTURES "/mailbox-assessment.tsv", mode);
    ledger_equals(t, mode);
    free(t->text);
    free(t);
}

/* The ledger of annexes 3 and 4, entered as a manager enters it. */
static void enter_ledger(const char *db)
{
    size_t len;
    char *fx = th_read(FIXTURES "/ledger.tsv", &len), *save = NULL;
    strtok_r(fx, "\n", &save);
    for (char *line; (line = strtok_r(NULL, "\n", &save));) {
        char *f[MAX_CELLS];
        th_proc p;
        split(line, f, MAX_CELLS);
        TH_CLI(&p, db, "ledger", "add", "--month", "2024-05", "--unit", canonical(f[0]), "--points",
               f[1], "--indicator", f[2], "--detail", f[3], "--by", "王科长");
        ck_assert_msg(p.status == 0, "%s: %s", f[0], p.err);
        th_proc_free(&p);
    }
    free(fx);
}

/* Every one of the first Chinese words on page 1 has ink in its box. */
static void pdf_has_ink(const char *pdf)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, READER " ink '%s'", pdf);
    const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    th_proc p;
    ck_assert_msg(th_run(&p, argv) == 0, "%s", p.err);
    int words = 0;
    for (char *save = NULL, *line = strtok_r(p.out, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char *f[4];
        ck_assert_int_eq(split(line, f, 4), 3);
        ck_assert_msg(strtod(f[2], NULL) > 0.05, "no ink where “%s” is: %s", f[1], f[2]);
        words++;
    }
    ck_assert_int_ge(words, 3);
    th_proc_free(&p);
}

/* LibreOffice opens the docx and converts it to a pdf that has the annexes. */
static void docx_converts(const char *dir, const char *docx)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && mkdir -p lo && HOME='%s/lo' soffice --headless --norestore "
             "-env:UserInstallation=file://%s/lo/profile --convert-to pdf --outdir lo '%s' "
             ">/dev/null 2>&1 && pdftotext lo/bulletin.pdf - | tr -d ' \\n\\f'",
             dir, dir, dir, docx);
    const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    th_proc p;
    ck_assert_msg(th_run(&p, argv) == 0, "LibreOffice: %s", p.err);
    ck_assert_msg(th_has(p.out, "屈原管理区") && th_has(p.out, "热线月度考评E类") &&
                      th_has(p.out, "政务服务热线工作通报"),
                  "converted pdf lacks the annexes: %.300s", p.out);
    /* the seed's own sentences of 二（三）, generated from the figures */
    static const char *const seed[] = {
        "县（市）区综合指标分值排名前三位的分别是：屈原管理区（98.1分）、临湘市（97.8分）和岳阳县（97.2分）。",
        "工单量100件以上的公共服务企业综合指标分值排名前三位的分别是：市移动公司（98.6分）、市水务集团公司（98.1分）和市公交集团公司（96.4分）。"};
    for (int i = 0; i < 2; i++)
        ck_assert_msg(th_has(p.out, seed[i]), "the bulletin lacks “%s”", seed[i]);
    th_proc_free(&p);
}

START_TEST(test_seed_bulletin)
{
    char *dir = th_tmpdir(), cmd[1024], *db = th_path(dir, "seed.db"), *out = th_path(dir, "out");
    th_proc p;
    snprintf(cmd, sizeof cmd, "python3 '%s/tools/seed-events.py' '%s' >/dev/null", HL_SHARED_DIR, dir);
    ck_assert_int_eq(system(cmd), 0);
    char *units = th_path(dir, "units.tsv"), *events = th_path(dir, "events.jsonl");
    TH_CLI(&p, db, "import", units, events);
    ck_assert_msg(p.status == 0, "%s", p.err);
    th_proc_free(&p);
    enter_ledger(db);
    TH_CLI(&p, db, "bulletin", "--month", "2024-05", "--as-of", CUTOFF, "--out", out);
    ck_assert_msg(p.status == 0, "%s", p.err);
    th_proc_free(&p);
    char *xlsx = th_path(out, "annexes.xlsx"), *docx = th_path(out, "bulletin.docx"),
         *pdf = th_path(out, "bulletin.pdf");
    tables_equal("xlsx", xlsx);
    tables_equal("docx", docx);
    tables_equal("pdf", pdf);
    pdf_has_ink(pdf);
    docx_converts(dir, docx);
    free(xlsx);
    free(docx);
    free(pdf);
    free(units);
    free(events);
    free(out);
    free(db);
    free(dir);
}
END_TEST

START_TEST(test_bulletin_refuses_bad_arguments)
{
    char *dir = th_tmpdir(), *db = th_path(dir, "x.db"), *file = th_path(dir, "file");
    th_proc p;
    th_write(file, "x");
    TH_CLI(&p, db, "bulletin", "--month", "2024-13", "--out", dir);
    ck_assert_int_eq(p.status, 2);
    th_proc_free(&p);
    TH_CLI(&p, db, "bulletin", "--month", "2024-05");
    ck_assert_int_eq(p.status, 2);
    th_proc_free(&p);
    TH_CLI(&p, db, "bulletin", "--month", "2024-05", "--issue", "0", "--out", dir);
    ck_assert_int_eq(p.status, 2);
    th_proc_free(&p);
    TH_CLI(&p, db, "bulletin", "--month", "2024-05", "--out", file);
    ck_assert_msg(p.status == 1 && th_has(p.err, "不是目录"), "%s", p.err);
    th_proc_free(&p);
    free(file);
    free(db);
    free(dir);
}
END_TEST

Suite *suite_bulletin(void)
{
    Suite *s = suite_create("bulletin");
    TCase *tc = tcase_create("seed");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_seed_bulletin);
    tcase_add_test(tc, test_bulletin_refuses_bad_arguments);
    suite_add_tcase(s, tc);
    return s;
}
