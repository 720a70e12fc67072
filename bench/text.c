/* bench/text — the 智能派单 classifier's training and prediction time
 * (issue 8: training < 1 s, one prediction < 1 ms) on the 963 labelled
 * messages of ../shared/data/tipdm2020c (BENCH_DATA overrides; read at run
 * time, never copied), with data/text.json's parameters, against the
 * baseline of the standard tool's setting (tf-idf of character 1–2-grams,
 * raw tf, subject as body text, C = 1, no label balance) measured in the
 * same run.  Each side is trained ROUNDS times; the best and the median of
 * CPU time and wall time are printed, then the mean time of one prediction
 * over every message (CPU and wall).
 *
 *   bench_text
 *   BENCH_DATA=DIR   the tipdm2020c directory */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/cli/text_tsv.h"
#include "../src/text/classify.h"
#include "bench.h"

#ifndef HL_DATA_DIR
#define HL_DATA_DIR "data"
#endif
#define ROUNDS 7
#define LABELS_MAX 64

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "bench_text: %s: %s\n", what, msg);
    exit(1);
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void run(const char *name, const tc_params *p, const tc_doc *docs, size_t n,
                const char *const *labels, size_t n_labels)
{
    double cpu[ROUNDS], wall[ROUNDS];
    tc_model *m = NULL;
    hl_err err;
    for (int r = 0; r < ROUNDS; r++) {
        tc_model_free(m);
        double c0 = cpu_now(), w0 = bench_now();
        if (tc_train(p, docs, n, labels, n_labels, &m, &err))
            die("train", err.msg);
        cpu[r] = cpu_now() - c0;
        wall[r] = bench_now() - w0;
    }
    qsort(cpu, ROUNDS, sizeof *cpu, by_double);
    qsort(wall, ROUNDS, sizeof *wall, by_double);
    double c0 = cpu_now(), w0 = bench_now();
    size_t right = 0;
    for (size_t i = 0; i < n; i++) {
        tc_guess g;
        if (!tc_suggest(m, docs[i].title, docs[i].body, &g, 1))
            die("predict", "out of memory");
        right += g.label == docs[i].label;
    }
    double pc = (cpu_now() - c0) / (double)n * 1e3, pw = (bench_now() - w0) / (double)n * 1e3;
    printf("%-10s train %zu msgs: CPU best %.3f s median %.3f s, wall best %.3f s median %.3f s;"
           " %zu features; predict one: CPU %.3f ms, wall %.3f ms (training-set accuracy %.3f)\n",
           name, n, cpu[0], cpu[ROUNDS / 2], wall[0], wall[ROUNDS / 2], tc_model_features(m), pc,
           pw, (double)right / (double)n);
    tc_model_free(m);
}

int main(void)
{
    const char *dir = getenv("BENCH_DATA");
    char path[4096];
    snprintf(path, sizeof path, "%s/messages-labeled.tsv",
             dir ? dir : HL_DATA_DIR "/../../shared/data/tipdm2020c");
    text_table t;
    hl_err err;
    if (text_table_read(path, "id", 6, &t, &err))
        die(path, err.msg);
    hl_buf cfg;
    tc_params p;
    if (text_config_read(HL_DATA_DIR, &cfg, &err) || tc_params_parse(&p, hl_buf_str(&cfg), &err))
        die("data/text.json", err.msg);
    hl_buf_free(&cfg);
    tc_doc *docs = calloc(t.rows, sizeof *docs);
    const char *labels[LABELS_MAX];
    size_t n_labels = 0;
    for (size_t i = 0; docs && i < t.rows; i++) {
        const char *l = text_cell(&t, i, 5);
        size_t c = 0;
        while (c < n_labels && strcmp(labels[c], l) != 0)
            c++;
        if (c == n_labels && n_labels == LABELS_MAX)
            die(path, "too many labels");
        if (c == n_labels)
            labels[n_labels++] = l;
        docs[i] = (tc_doc){text_cell(&t, i, 2), text_cell(&t, i, 4), (int)c};
    }
    if (!docs)
        die("docs", "out of memory");
    tc_params base = p;
    base.ngram_min = 1, base.ngram_max = 2, base.words = 0, base.title_weight = 1;
    base.field_norm = 0, base.sublinear_tf = 0, base.c = 1, base.balance = 0;
    run("baseline", &base, docs, t.rows, labels, n_labels);
    run("ours", &p, docs, t.rows, labels, n_labels);
    free(docs);
    text_table_free(&t);
    return 0;
}
