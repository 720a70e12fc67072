/* cmd_figures.c — `figures --month YYYY-MM [--as-of T] [--format json|text]`. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../core/timeutil.h"
#include "../report/figures.h"
#include "cli.h"

static int run(cli_env *env, int argc, char **argv)
{
    hl_err err = {0};
    const char *month_s = NULL, *asof_s = NULL, *format = "text";
    const cli_opt opts[] = {{"--month", &month_s}, {"--as-of", &asof_s}, {"--format", &format}};
    int month;
    int64_t asof = 0;
    hl_figures f;
    if (cli_parse_opts(argc, argv, opts, 3, &err) || !month_s || hl_month_parse(month_s, &month) ||
        (asof_s && hl_time_parse(asof_s, &asof, &err)) ||
        (strcmp(format, "json") != 0 && strcmp(format, "text") != 0)) {
        if (asof_s && err.rc)
            cli_fail(&err);
        return cli_usage(&cmd_figures);
    }
    if (cli_load(env, &err) || store_begin_read(env->store, &err))
        return cli_fail(&err);
    hl_rc rc = figures_run(env->store, &env->ctx, month, asof, (int64_t)time(NULL), &f, &err);
    store_rollback(env->store);
    if (rc)
        return cli_fail(&err);
    if (strcmp(format, "json") == 0) {
        json_t *j = figures_json(&f, &env->ctx);
        rc = j && json_dumpf(j, stdout, JSON_INDENT(2)) == 0 ? HL_OK : HL_EIO;
        putchar('\n');
        json_decref(j);
    } else {
        rc = figures_write_text(&f, &env->ctx, stdout);
    }
    figures_free(&f);
    return rc ? (hl_fail(&err, rc, "输出失败"), cli_fail(&err)) : 0;
}

const cli_cmd cmd_figures = {
    "figures", run, "figures --month YYYY-MM [--as-of T] [--format json|text]", "月度运行数据（通报第二、三部分）",
    "计算某月的运行数据：来电与来信量、直接答复与工单量、办结率、按期办结率、满意率，\n"
    "诉求类型及占比，各专线的受理、按期办结、回访与满意情况，回访核实与督办整改，\n"
    "市长信箱来源及省平台派发信件的办结情况。\n"
    "  --as-of T    截止时刻（RFC 3339），默认当前\n"
    "  --format F   text（默认，通报正文的写法）或 json\n"};
