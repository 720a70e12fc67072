/* cmd_text_hot.c — `text hotspots --input FILE.tsv [--top N] [--detail FILE]`
 * on messages-hotspot.tsv's columns (留言编号 留言用户 留言主题 留言时间
 * 留言详情 反对数 点赞数): the official table 1 on stdout (热度排名 问题ID
 * 热度指数 时间范围 地点/人群 问题描述) and, with --detail, table 2 (问题ID,
 * then each member's 留言编号 留言用户 留言主题 留言时间 留言详情 点赞数
 * 反对数) into FILE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/timeutil.h"
#include "../text/hotspot.h"
#include "cmd_text.h"
#include "text_tsv.h"

#define HOT_COLS 7
#define TOP_MAX 1000
enum { C_ID, C_USER, C_SUBJECT, C_TIME, C_TEXT, C_DISLIKES, C_LIKES };

/* "YYYY-MM-DD HH:MM:SS" as seconds (the file's local time, kept local). */
static int parse_time(const char *s, int64_t *t)
{
    char date[11];
    int h, m, sec;
    char end;
    int64_t days;
    if (strlen(s) != 19 || s[10] != ' ' ||
        sscanf(s + 11, "%2d:%2d:%2d%c", &h, &m, &sec, &end) != 3 || h > 23 || m > 59 || sec > 60)
        return -1;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (hl_date_parse(date, &days))
        return -1;
    *t = days * 86400 + h * 3600 + m * 60 + sec;
    return 0;
}

static int parse_count(const char *s, int64_t *v)
{
    char *end;
    long long x = strtoll(s, &end, 10);
    if (!*s || *end || x < 0)
        return -1;
    *v = x;
    return 0;
}

static hl_rc read_msgs(const char *path, text_table *t, hs_msg **out, int64_t *now, hl_err *err)
{
    hl_rc rc = text_table_read(path, "留言编号", HOT_COLS, t, err);
    if (rc)
        return rc;
    hs_msg *m = calloc(t->rows, sizeof *m);
    if (!m)
        return hl_fail(err, HL_ENOMEM, "内存不足");
    *out = m;
    *now = 0;
    for (size_t i = 0; i < t->rows; i++) {
        m[i].subject = text_cell(t, i, C_SUBJECT);
        if (parse_time(text_cell(t, i, C_TIME), &m[i].time))
            return hl_fail(err, HL_EINVAL, "%s:%zu: 留言时间应为 YYYY-MM-DD HH:MM:SS", path, i + 2);
        if (parse_count(text_cell(t, i, C_LIKES), &m[i].likes) ||
            parse_count(text_cell(t, i, C_DISLIKES), &m[i].dislikes))
            return hl_fail(err, HL_EINVAL, "%s:%zu: 点赞数、反对数应为非负整数", path, i + 2);
        if (m[i].time > *now)
            *now = m[i].time;
    }
    return HL_OK;
}

static void print_spots(const hs_spots *s, const text_table *t)
{
    printf("热度排名\t问题ID\t热度指数\t时间范围\t地点/人群\t问题描述\n");
    for (size_t i = 0; i < s->n; i++) {
        const hs_spot *h = &s->v[i];
        printf("%zu\t%zu\t%.3f\t%s 至 %s\t%s\t%s%s\n", i + 1, i + 1, h->heat,
               text_cell(t, h->members[0], C_TIME), text_cell(t, h->members[h->n - 1], C_TIME),
               h->place, h->place, h->matter);
    }
}

static hl_rc write_detail(const char *path, const hs_spots *s, const text_table *t, hl_err *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return hl_fail(err, HL_EIO, "无法写入文件 %s", path);
    fprintf(f, "问题ID\t留言编号\t留言用户\t留言主题\t留言时间\t留言详情\t点赞数\t反对数\n");
    for (size_t i = 0; i < s->n; i++)
        for (size_t j = 0; j < s->v[i].n; j++) {
            size_t r = s->v[i].members[j];
            fprintf(f, "%zu\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", i + 1, text_cell(t, r, C_ID),
                    text_cell(t, r, C_USER), text_cell(t, r, C_SUBJECT), text_cell(t, r, C_TIME),
                    text_cell(t, r, C_TEXT), text_cell(t, r, C_LIKES), text_cell(t, r, C_DISLIKES));
        }
    if (fclose(f))
        return hl_fail(err, HL_EIO, "写入文件 %s 出错", path);
    return HL_OK;
}

int text_hotspots(cli_env *env, int argc, char **argv)
{
    const char *input = NULL, *top_s = "5", *detail = NULL;
    cli_opt opts[] = {{"--input", &input}, {"--top", &top_s}, {"--detail", &detail}};
    hl_err err;
    if (cli_parse_opts(argc, argv, opts, 3, &err))
        return cli_fail(&err);
    char *end;
    long top = strtol(top_s, &end, 10);
    if (!input || *end || top < 1 || top > TOP_MAX) {
        fprintf(stderr, "hotline: --input 必填，--top 应为 1..%d\n", TOP_MAX);
        return CLI_EXIT_USAGE;
    }
    hl_buf cfg;
    hs_params p;
    if (text_config_read(env->data_dir, &cfg, &err))
        return cli_fail(&err);
    hl_rc rc = hs_params_parse(&p, hl_buf_str(&cfg), &err);
    hl_buf_free(&cfg);
    if (rc)
        return cli_fail(&err);
    text_table t;
    hs_msg *msgs = NULL;
    hs_spots spots = {0};
    int64_t now = 0;
    rc = read_msgs(input, &t, &msgs, &now, &err);
    if (!rc)
        rc = hs_find(&p, msgs, t.rows, now, (size_t)top, &spots, &err);
    if (!rc && detail)
        rc = write_detail(detail, &spots, &t, &err);
    if (!rc)
        print_spots(&spots, &t);
    hs_spots_free(&spots);
    free(msgs);
    text_table_free(&t);
    return rc ? cli_fail(&err) : 0;
}
