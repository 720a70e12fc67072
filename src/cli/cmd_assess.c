/* cmd_assess.c — `assess --channel C --month YYYY-MM [--as-of T] [--format F]`. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "../core/timeutil.h"
#include "../report/assessment_out.h"
#include "cli.h"

typedef struct {
    int channel, month;
    int64_t asof;
    const char *format, *out;
} assess_args;

static hl_rc parse_args(int argc, char **argv, assess_args *x, hl_err *err)
{
    const char *channel = NULL, *month = NULL, *asof = NULL;
    const cli_opt opts[] = {{"--channel", &channel}, {"--month", &month}, {"--as-of", &asof},
                            {"--format", &x->format}, {"--out", &x->out}};
    x->format = "tsv";
    x->out = NULL;
    if (cli_parse_opts(argc, argv, opts, sizeof opts / sizeof opts[0], err))
        return err->rc;
    if (!channel || (x->channel = hl_enum_parse(&hl_channel_enum, channel)) < 0)
        return hl_fail(err, HL_EINVAL, "--channel 应为 hotline 或 mailbox");
    if (!month || hl_month_parse(month, &x->month))
        return hl_fail(err, HL_EINVAL, "--month 应形如 2024-05");
    x->asof = 0;
    if (asof && hl_time_parse(asof, &x->asof, err)) {
        hl_err_prefix(err, "--as-of");
        return err->rc;
    }
    if (strcmp(x->format, "tsv") && strcmp(x->format, "json") && strcmp(x->format, "xlsx"))
        return hl_fail(err, HL_EINVAL, "--format 应为 tsv、json 或 xlsx");
    return HL_OK;
}

static int run(cli_env *env, int argc, char **argv)
{
    hl_err err;
    assess_args x;
    hl_assessment a;
    if (parse_args(argc, argv, &x, &err)) {
        cli_fail(&err);
        return cli_usage(&cmd_assess);
    }
    if (cli_load(env, &err) || store_begin_read(env->store, &err))
        return cli_fail(&err);
    hl_rc rc = assessment_run(env->store, &env->ctx, x.channel, x.month, x.asof, &a, &err);
    store_rollback(env->store);
    if (rc)
        return cli_fail(&err);
    if (strcmp(x.format, "tsv") == 0) {
        rc = assessment_write_tsv(&a, &env->ctx, stdout);
    } else if (strcmp(x.format, "json") == 0) {
        json_t *j = assessment_json(&a, &env->ctx);
        rc = j && json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) == 0 ? HL_OK
                                                                                        : HL_EIO;
        putchar('\n');
        json_decref(j);
    } else {
        char path[64];
        snprintf(path, sizeof path, "assess-%04d-%02d-%s.xlsx", x.month / 100, x.month % 100,
                 hl_enum_name(&hl_channel_enum, x.channel));
        rc = assessment_write_xlsx(&a, &env->ctx, x.out ? x.out : path, &err);
        if (!rc)
            fprintf(stderr, "已写入 %s\n", x.out ? x.out : path);
    }
    assessment_free(&a);
    if (rc)
        return cli_fail(&err);
    return 0;
}

const cli_cmd cmd_assess = {
    "assess", run, "assess --channel hotline|mailbox --month YYYY-MM [--as-of T] [--format tsv|json|xlsx]",
    "月度综合评价",
    "按 assessment.md 的规则计算某渠道某月各一级承办单位的综合评价：应办理数、办理数、\n"
    "办结率、按期办理数、按期办结率、返工数、返工率、回访（不）满意数与比率、综合指标值、等级。\n"
    "  --as-of T       截止时刻（RFC 3339）；省略时按当前数据（读取实时累计的月度统计）\n"
    "  --format F      tsv（默认，附件表格的列）、json 或 xlsx\n"
    "  --out FILE      xlsx 的输出文件（默认 assess-YYYY-MM-渠道.xlsx）\n"
    "行按附件顺序：县市区、行政事业单位、公共服务企业；各类内按等级、综合指标值降序、\n"
    "应办理数降序、名称。\n"};
