/* cmd_units.c — `units list`: the registry as a tree. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void print_tree(const hl_units *u, int64_t parent, int depth)
{
    for (size_t i = 0; i < u->n; i++) {
        const hl_unit *x = &u->v[i];
        if (x->parent != parent)
            continue;
        printf("%-12s %*s%s（%s）\n", x->code, depth * 2, "", x->name,
               hl_unit_kind_name(x->kind));
        print_tree(u, x->id, depth + 1);
    }
}

static int run(cli_env *env, int argc, char **argv)
{
    hl_err err;
    if (argc != 2 || strcmp(argv[1], "list") != 0)
        return cli_usage(&cmd_units);
    if (cli_load(env, &err))
        return cli_fail(&err);
    print_tree(&env->units, 0, 0);
    size_t first = 0;
    for (size_t i = 0; i < env->units.n; i++)
        first += env->units.v[i].parent == 0;
    printf("共 %zu 个单位，其中一级承办单位 %zu 个\n", env->units.n, first);
    return 0;
}

const cli_cmd cmd_units = {
    "units", run, "units list", "列出单位名录",
    "列出单位名录：代码、名称和类型（county 县市区、agency 行政事业单位、\n"
    "enterprise 公共服务企业），下级单位缩进显示在上级之下。\n"};
