/* cmd_demo.c — `demo --month YYYY-MM [--scale N] [--out DIR]`: generate the
 * demo history (demo.h) and import it, or only write it to DIR. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"
#include "cli.h"

#define UNITS_FILE_MAX (1u << 20)

static hl_rc write_file(const char *path, const hl_buf *b, hl_err *err)
{
    FILE *f = fopen(path, "w");
    int bad = !f || fwrite(b->data, 1, b->len, f) != b->len;
    if (f && fclose(f) != 0)
        bad = 1;
    return bad ? hl_fail(err, HL_EIO, "无法写入 %s", path) : HL_OK;
}

/* Generate into dir: units.tsv (the demo registry) and events.jsonl. */
static hl_rc generate(cli_env *env, int month, int scale, const char *dir, size_t *events,
                      hl_err *err)
{
    char src[4200], dst[4200];
    hl_buf text;
    hl_unit_row *rows = NULL;
    size_t n;
    hl_units units;
    demo d;
    hl_units_init(&units);
    memset(&d, 0, sizeof d);
    snprintf(src, sizeof src, "%s/demo/units.tsv", env->data_dir);
    snprintf(dst, sizeof dst, "%s/units.tsv", dir);
    hl_rc rc = cli_read_file(src, UNITS_FILE_MAX, &text, err);
    if (rc)
        return rc;
    if (!(rc = write_file(dst, &text, err)) &&
        !(rc = hl_units_parse_tsv(text.data, &rows, &n, err)))
        rc = hl_units_merge(&units, rows, n, err);
    hl_ctx ctx = {&units, env->cal, &env->rules};
    snprintf(src, sizeof src, "%s/demo", env->data_dir);
    snprintf(dst, sizeof dst, "%s/events.jsonl", dir);
    if (!rc && !(rc = demo_load(&d, src, month, scale, &ctx, err)) && !(rc = demo_plan(&d, err)) &&
        !(rc = demo_assign(&d, err)))
        rc = demo_emit(&d, dst, err);
    *events = d.events;
    demo_free(&d);
    free(rows);
    hl_buf_free(&text);
    hl_units_free(&units);
    return rc;
}

static int run(cli_env *env, int argc, char **argv)
{
    hl_err err;
    const char *month_s = NULL, *scale_s = "1", *out = NULL;
    const cli_opt opts[] = {{"--month", &month_s}, {"--scale", &scale_s}, {"--out", &out}};
    int month, scale = atoi(scale_s);
    char tmp[] = "/tmp/hotline-demo.XXXXXX", units[200], events[200];
    size_t n = 0;
    if (cli_parse_opts(argc, argv, opts, 3, &err))
        return cli_fail(&err), cli_usage(&cmd_demo);
    scale = atoi(scale_s);
    if (!month_s || hl_month_parse(month_s, &month) || scale < 1 || scale > 1000) {
        hl_fail(&err, HL_EINVAL, "需要 --month YYYY-MM，--scale 为 1–1000 的整数");
        return cli_fail(&err), cli_usage(&cmd_demo);
    }
    if (cli_load(env, &err))
        return cli_fail(&err);
    const char *dir = out ? out : mkdtemp(tmp);
    if (!dir || generate(env, month, scale, dir, &n, &err))
        return dir ? cli_fail(&err) : (fprintf(stderr, "hotline: 无法创建临时目录\n"), 1);
    if (out) {
        printf("已生成 %zu 条事件到 %s/\n", n, out);
        return 0;
    }
    cli_import_stats st;
    snprintf(units, sizeof units, "%s/units.tsv", dir);
    snprintf(events, sizeof events, "%s/events.jsonl", dir);
    hl_rc rc = cli_import(env, units, events, &st, &err);
    unlink(units);
    unlink(events);
    rmdir(dir);
    if (rc)
        return cli_fail(&err);
    printf("演示数据已导入 %s：单位 %zu 个，事件 %lld 条（新增）\n", env->db_path, st.units,
           (long long)st.applied);
    return 0;
}

const cli_cmd cmd_demo = {
    "demo", run, "demo --month YYYY-MM [--scale N] [--out DIR]", "生成并导入演示数据",
    "按 data/demo/ 中的数据生成一个月的演示历史并导入数据库：种子通报（岳阳市 2024 年 5 月）\n"
    "附件 1、2 的单位和各单位办理结果，来电与来信量、来源、专线、诉求类型，回访、核实与督办，\n"
    "以及中文诉求内容。生成的历史经过与 import 相同的校验；其考核结果由数据计算得出。\n"
    "  --scale N   所有数量乘以 N（比率与考核结果不变），--scale 30 约为一个省的月度规模\n"
    "  --out DIR   只写出 DIR/units.tsv 和 DIR/events.jsonl，不导入\n"};
