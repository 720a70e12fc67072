/* main.c — `hotline [--db FILE] [--data DIR] COMMAND …`: global options and
 * the command table; each command lives in its own cmd_*.c. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifndef HL_DATA_DIR
#define HL_DATA_DIR "data"
#endif

static const cli_cmd *const commands[] = {&cmd_init, &cmd_import, &cmd_export, &cmd_units,
                                          &cmd_order, &cmd_assess, &cmd_demo, &cmd_ledger,
                                          &cmd_figures, &cmd_serve, &cmd_user, &cmd_kb,
                                          &cmd_text, &cmd_bulletin};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    fprintf(out, "hotline — 12345 政务服务热线与市长信箱平台\n\n"
                 "用法: hotline [--db FILE] [--data DIR] 命令 [参数]\n\n"
                 "  --db FILE    数据库文件（默认 $HOTLINE_DB 或 hotline.db）\n"
                 "  --data DIR   默认规则与工作日历目录（默认 $HOTLINE_DATA 或 %s）\n\n命令:\n",
            HL_DATA_DIR);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-32s %s\n", commands[i]->usage, commands[i]->brief);
    fprintf(out, "\n每个命令都可加 --help 查看说明。\n");
}

static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    cli_env env = {0};
    /* libsodium's random source and hashing are set up once, before threads */
    if (sodium_init() < 0) {
        fprintf(stderr, "hotline: 无法初始化 libsodium\n");
        return CLI_EXIT_FAIL;
    }
    env.db_path = getenv("HOTLINE_DB") ? getenv("HOTLINE_DB") : "hotline.db";
    env.data_dir = getenv("HOTLINE_DATA") ? getenv("HOTLINE_DATA") : HL_DATA_DIR;
    hl_units_init(&env.units);
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (i + 1 < argc && strcmp(argv[i], "--db") == 0)
            env.db_path = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--data") == 0)
            env.data_dir = argv[++i];
        else {
            fprintf(stderr, "hotline: 未知选项 %s\n", argv[i]);
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (i == argc) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    for (size_t c = 0; c < N_COMMANDS; c++) {
        const cli_cmd *cmd = commands[c];
        if (strcmp(argv[i], cmd->name) != 0)
            continue;
        if (wants_help(argc - i, argv + i)) {
            printf("用法: hotline [--db FILE] %s\n\n%s", cmd->usage, cmd->help);
            return 0;
        }
        int code = cmd->run(&env, argc - i, argv + i);
        cli_env_free(&env);
        return code;
    }
    fprintf(stderr, "hotline: 未知命令 %s\n", argv[i]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
