/* cmd_bulletin.c — `bulletin --month YYYY-MM [--as-of T] [--issue N] --out DIR`:
 * the month's bulletin as bulletin.docx, bulletin.pdf and annexes.xlsx. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../core/timeutil.h"
#include "../report/bulletin.h"
#include "cli.h"

typedef struct {
    int month, issue;
    int64_t asof;
    const char *out;
} bulletin_args;

static hl_rc parse_args(int argc, char **argv, bulletin_args *x, hl_err *err)
{
    const char *month = NULL, *asof = NULL, *issue = NULL;
    const cli_opt opts[] = {{"--month", &month}, {"--as-of", &asof}, {"--issue", &issue},
                            {"--out", &x->out}};
    char *end = NULL;
    memset(x, 0, sizeof *x);
    if (cli_parse_opts(argc, argv, opts, sizeof opts / sizeof opts[0], err))
        return err->rc;
    if (!month || hl_month_parse(month, &x->month))
        return hl_fail(err, HL_EINVAL, "--month 应形如 2024-05");
    if (asof && hl_time_parse(asof, &x->asof, err)) {
        hl_err_prefix(err, "--as-of");
        return err->rc;
    }
    if (issue && ((x->issue = (int)strtol(issue, &end, 10)) < 1 || *end || x->issue > 9999))
        return hl_fail(err, HL_EINVAL, "--issue 应为 1 到 9999 的整数");
    if (!x->out || !*x->out)
        return hl_fail(err, HL_EINVAL, "需要 --out 目录");
    return HL_OK;
}

static int run(cli_env *env, int argc, char **argv)
{
    hl_err err = {0};
    bulletin_args x;
    bl_config cfg;
    bl_doc d;
    char path[4096];
    if (parse_args(argc, argv, &x, &err)) {
        cli_fail(&err);
        return cli_usage(&cmd_bulletin);
    }
    snprintf(path, sizeof path, "%s/bulletin.json", env->data_dir);
    if (bulletin_config_load(path, &cfg, &err))
        return cli_fail(&err);
    struct stat st;
    if (mkdir(x.out, 0777) && errno != EEXIST) {
        hl_fail(&err, HL_EIO, "无法创建目录 %s：%s", x.out, strerror(errno));
        return cli_fail(&err);
    }
    if (stat(x.out, &st) || !S_ISDIR(st.st_mode)) {
        hl_fail(&err, HL_EINVAL, "%s 不是目录", x.out);
        return cli_fail(&err);
    }
    int64_t now = (int64_t)time(NULL);
    bl_input in = {.issue = x.issue, .date = x.asof ? x.asof : now, .config = &cfg};
    if (cli_load(env, &err) || store_begin_read(env->store, &err))
        return cli_fail(&err);
    bl_sections secs;
    hl_rc rc = bulletin_sections_load(env->store, x.month, &secs, &err);
    for (int i = 0; i < BL_SEC__COUNT; i++)
        in.section[i] = secs.text[i];
    if (!rc)
        rc = bulletin_make(env->store, &env->ctx, x.month, x.asof, now, &in, &d, &err);
    store_rollback(env->store);
    bulletin_sections_free(&secs);
    if (!rc)
        rc = bulletin_write_all(&d, x.out, &err);
    bulletin_free(&d);
    if (rc)
        return cli_fail(&err);
    fprintf(stderr, "已写入 %s/bulletin.docx、bulletin.pdf、annexes.xlsx\n", x.out);
    return 0;
}

const cli_cmd cmd_bulletin = {
    "bulletin", run, "bulletin --month YYYY-MM [--as-of T] [--issue N] --out DIR", "月度工作通报",
    "按某月数据生成工作通报：DIR/bulletin.docx（可在 Word、WPS 中编辑）、bulletin.pdf、\n"
    "annexes.xlsx（附件 1–4，每个附件一个工作表）。第二、三部分与附件由数据生成，\n"
    "第一、四、五部分为管理人员在网页中撰写的文字。\n"
    "  --as-of T    截止时刻（RFC 3339），默认当前；通报日期取截止日\n"
    "  --issue N    期号，默认为月份\n"
    "  --out DIR    输出目录（不存在时创建）\n"};
