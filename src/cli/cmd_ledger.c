/* cmd_ledger.c — `ledger propose|add|confirm|drop|list`: the bonus/deduction
 * ledger (加扣分).  Every change records who and when, and goes to the audit
 * log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/ledger.h"
#include "../core/timeutil.h"
#include "../report/ledger.h"
#include "cli.h"

typedef struct {
    const char *month, *asof, *by, *unit, *points, *indicator, *detail, *refs, *format;
} ledger_args;

static const char *who(const ledger_args *a)
{
    const char *user = getenv("USER");
    return a->by ? a->by : user ? user : "admin";
}

static hl_rc need_month(const ledger_args *a, int *month, hl_err *err)
{
    if (!a->month || hl_month_parse(a->month, month))
        return hl_fail(err, HL_EINVAL, "需要 --month YYYY-MM");
    return HL_OK;
}

/* Write, audit and commit, or roll back. */
static int finish(cli_env *env, hl_rc rc, const char *by, const char *action, const char *detail,
                  hl_err *err)
{
    store_audit_row a = {.at = (int64_t)time(NULL), .actor = by, .action = action,
                         .detail = detail, .ip = "cli"};
    if (!rc)
        rc = store_audit(env->store, &a, err);
    if (!rc)
        rc = store_commit(env->store, err);
    if (rc) {
        store_rollback(env->store);
        return cli_fail(err);
    }
    return 0;
}

static int do_propose(cli_env *env, const ledger_args *a, hl_err *err)
{
    int month;
    int64_t asof = 0;
    size_t n = 0;
    char detail[128];
    if (need_month(a, &month, err) || (a->asof && hl_time_parse(a->asof, &asof, err)) ||
        store_begin(env->store, err))
        return cli_fail(err);
    hl_rc rc = ledger_propose(env->store, &env->ctx, month, asof, (int64_t)time(NULL), who(a), &n, err);
    snprintf(detail, sizeof detail, "%s：%zu 条待确认", a->month, n);
    if (finish(env, rc, who(a), "ledger_propose", detail, err))
        return CLI_EXIT_FAIL;
    printf("%s 按规则提出 %zu 条加扣分，待确认（hotline ledger list --month %s）\n", a->month, n,
           a->month);
    return 0;
}

static int do_add(cli_env *env, const ledger_args *a, hl_err *err)
{
    int month;
    int64_t points, id;
    int64_t unit = a->unit ? hl_units_find(&env->units, a->unit) : 0;
    if (need_month(a, &month, err))
        return cli_fail(err);
    if (!unit || !a->points || hl_points_parse(a->points, &points) || !a->indicator ||
        !*a->indicator || !a->detail || !*a->detail) {
        hl_fail(err, HL_EINVAL, "需要 --unit（已知单位）、--points（0.5 的倍数，如 -1 或 +0.5）、"
                                "--indicator 和 --detail");
        return cli_fail(err);
    }
    store_ledger_row r = {0, month, unit, points, a->indicator, a->detail, a->refs, "confirmed",
                          NULL, who(a), (int64_t)time(NULL), who(a), (int64_t)time(NULL)};
    if (store_begin(env->store, err))
        return cli_fail(err);
    hl_rc rc = store_ledger_add(env->store, &r, &id, err);
    char detail[600];
    snprintf(detail, sizeof detail, "#%lld %s %s %s", (long long)id, a->unit, a->points, a->indicator);
    if (finish(env, rc, who(a), "ledger_add", detail, err))
        return CLI_EXIT_FAIL;
    printf("已添加加扣分条目 %lld\n", (long long)id);
    return 0;
}

static int do_decide(cli_env *env, const char *status, const char *id_s, const ledger_args *a,
                     hl_err *err)
{
    char *end, detail[64];
    long long id = strtoll(id_s, &end, 10);
    if (*end || id <= 0) {
        hl_fail(err, HL_EINVAL, "条目编号应为正整数");
        return cli_fail(err);
    }
    if (store_begin(env->store, err))
        return cli_fail(err);
    hl_rc rc = store_ledger_decide(env->store, id, status, who(a), (int64_t)time(NULL), err);
    snprintf(detail, sizeof detail, "#%lld %s", id, status);
    if (finish(env, rc, who(a),
               strcmp(status, "confirmed") == 0 ? "ledger_confirm" : "ledger_drop", detail, err))
        return CLI_EXIT_FAIL;
    printf("条目 %lld 已%s\n", id, strcmp(status, "confirmed") == 0 ? "确认" : "作废");
    return 0;
}

typedef struct {
    cli_env *env;
    int sign;                  /* -1 deductions, +1 bonuses */
    int all;                   /* also proposed and dropped entries */
    size_t n;
} list_ctx;

static hl_rc print_entry(const store_ledger_row *r, void *arg)
{
    list_ctx *x = arg;
    char pts[16], at[HL_TIME_STRLEN];
    if ((r->points < 0 ? -1 : 1) != x->sign || (!x->all && strcmp(r->status, "confirmed") != 0))
        return HL_OK;
    hl_points_format(r->points, pts, sizeof pts);
    hl_time_format(r->decided_at ? r->decided_at : r->created_at, x->env->rules.offset_min, at);
    printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)r->id,
           hl_units_get(&x->env->units, r->unit)->name, pts, r->indicator, r->detail, r->refs,
           r->status, r->decided_by ? r->decided_by : r->created_by, at);
    x->n++;
    return HL_OK;
}

static int do_list(cli_env *env, const ledger_args *a, hl_err *err)
{
    int month;
    list_ctx x = {env, -1, a->format && strcmp(a->format, "all") == 0, 0};
    if (need_month(a, &month, err) || store_begin_read(env->store, err))
        return cli_fail(err);
    printf("id\tunit\tpoints\tindicator\tdetail\trefs\tstatus\tby\tat\n");
    hl_rc rc = store_ledger_each(env->store, month, print_entry, &x, err); /* 附件 3 扣分 */
    x.sign = 1;
    if (!rc)
        rc = store_ledger_each(env->store, month, print_entry, &x, err); /* 附件 4 加分 */
    store_rollback(env->store);
    return rc ? cli_fail(err) : 0;
}

static int run(cli_env *env, int argc, char **argv)
{
    hl_err err;
    ledger_args a = {0};
    const cli_opt opts[] = {{"--month", &a.month},   {"--as-of", &a.asof},
                            {"--by", &a.by},         {"--unit", &a.unit},
                            {"--points", &a.points}, {"--indicator", &a.indicator},
                            {"--detail", &a.detail}, {"--refs", &a.refs},
                            {"--show", &a.format}};
    int has_id = argc > 2 && argv[2][0] != '-';
    if (argc < 2)
        return cli_usage(&cmd_ledger);
    if (cli_parse_opts(argc - has_id - 1, argv + has_id + 1, opts, sizeof opts / sizeof opts[0],
                       &err))
        return cli_fail(&err), cli_usage(&cmd_ledger);
    if (cli_load(env, &err))
        return cli_fail(&err);
    if (strcmp(argv[1], "propose") == 0 && !has_id)
        return do_propose(env, &a, &err);
    if (strcmp(argv[1], "add") == 0 && !has_id)
        return do_add(env, &a, &err);
    if (strcmp(argv[1], "list") == 0 && !has_id)
        return do_list(env, &a, &err);
    if ((strcmp(argv[1], "confirm") == 0 || strcmp(argv[1], "drop") == 0) && has_id)
        return do_decide(env, argv[1][0] == 'c' ? "confirmed" : "dropped", argv[2], &a, &err);
    return cli_usage(&cmd_ledger);
}

const cli_cmd cmd_ledger = {
    "ledger", run, "ledger propose|add|confirm ID|drop ID|list --month YYYY-MM …",
    "加扣分台账（附件 3、4）",
    "  ledger propose --month M [--as-of T]   按规则提出当月加扣分（等级扣分、严重超期），待确认；\n"
    "                                         重复执行只替换尚未确认的提议\n"
    "  ledger add --month M --unit U --points P --indicator I --detail D [--refs R]\n"
    "                                         管理人员添加条目（如信息报送 +0.5、表扬信件 +1）\n"
    "  ledger confirm ID | ledger drop ID     确认或作废一条提议\n"
    "  ledger list --month M [--show all]     列出当月已确认的扣分（附件 3）和加分（附件 4）\n"
    "所有命令可加 --by NAME 记录操作人（默认 $USER）；每次变更写入审计日志。\n"};
