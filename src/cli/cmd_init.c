/* cmd_init.c — create or upgrade the database and load the default rules
 * and working-day calendars from the data directory. */
#include <stdio.h>

#include "cli.h"

static int run(cli_env *env, int argc, char **argv)
{
    hl_err err;
    int years = 0;
    (void)argv;
    if (argc != 1)
        return cli_usage(&cmd_init);
    if (cli_open(env, &err) || store_begin(env->store, &err))
        return cli_fail(&err);
    if (cli_seed_defaults(env, &years, &err)) {
        store_rollback(env->store);
        return cli_fail(&err);
    }
    if (store_commit(env->store, &err))
        return cli_fail(&err);
    printf("数据库 %s 已就绪（结构版本 %d），已载入规则和 %d 个年度的工作日历（%s）\n",
           env->db_path, store_schema_version(env->store), years, env->data_dir);
    return 0;
}

const cli_cmd cmd_init = {
    "init", run, "init", "创建或升级数据库，载入默认规则和工作日历",
    "创建数据库（已存在则升级到当前结构），并从数据目录载入默认规则 rules.json\n"
    "和工作日历 calendar/*.txt。重复执行是安全的：规则和日历以数据目录为准更新。\n"};
