#include "cli.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RULES_MAX (1u << 20)
#define CALENDAR_MAX (1u << 16)

hl_rc cli_open(cli_env *env, hl_err *err)
{
    if (env->store)
        return HL_OK;
    return store_open(env->db_path, &env->store, err);
}

hl_rc cli_read_file(const char *path, size_t max, hl_buf *out, hl_err *err)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t n;
    hl_rc rc = HL_OK;
    if (!f)
        return hl_fail(err, HL_EIO, "无法读取文件 %s", path);
    hl_buf_init(out, max);
    while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = hl_buf_add(out, chunk, n);
    if (!rc && ferror(f))
        rc = hl_fail(err, HL_EIO, "读取文件 %s 出错", path);
    else if (rc == HL_ETOOBIG)
        hl_fail(err, rc, "文件 %s 超过 %zu 字节", path, max);
    else if (rc)
        hl_fail(err, rc, "内存不足");
    fclose(f);
    if (rc)
        hl_buf_free(out);
    return rc;
}

static int is_calendar_file(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".txt") == 0;
}

static hl_rc seed_calendars(cli_env *env, int *years, hl_err *err)
{
    char dir[4096], path[sizeof dir + 300];
    hl_calendar *scratch = malloc(sizeof *scratch);
    snprintf(dir, sizeof dir, "%s/calendar", env->data_dir);
    DIR *d = opendir(dir);
    struct dirent *de;
    hl_rc rc = HL_OK;
    if (!scratch || !d) {
        free(scratch);
        if (d)
            closedir(d);
        return scratch ? hl_fail(err, HL_EIO, "无法打开日历目录 %s", dir)
                       : hl_fail(err, HL_ENOMEM, "内存不足");
    }
    hl_calendar_init(scratch);
    *years = 0;
    while (!rc && (de = readdir(d))) {
        hl_buf text;
        int year;
        if (!is_calendar_file(de->d_name))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if ((rc = cli_read_file(path, CALENDAR_MAX, &text, err)))
            break;
        rc = hl_calendar_load(scratch, hl_buf_str(&text), &year, err);
        if (rc)
            hl_err_prefix(err, "%s", path);
        else if (!(rc = store_calendar_put(env->store, year, hl_buf_str(&text), err)))
            (*years)++;
        hl_buf_free(&text);
    }
    closedir(d);
    free(scratch);
    return rc;
}

hl_rc cli_seed_defaults(cli_env *env, int *years, hl_err *err)
{
    char path[4200];
    hl_buf text;
    hl_rules check;
    snprintf(path, sizeof path, "%s/rules.json", env->data_dir);
    hl_rc rc = cli_read_file(path, RULES_MAX, &text, err);
    if (rc)
        return rc;
    if ((rc = hl_rules_parse(&check, hl_buf_str(&text), err)))
        hl_err_prefix(err, "%s", path);
    if (!rc)
        rc = store_setting_put(env->store, "rules", hl_buf_str(&text), err);
    hl_buf_free(&text);
    return rc ? rc : seed_calendars(env, years, err);
}

hl_rc cli_load(cli_env *env, hl_err *err)
{
    char *rules = NULL;
    int years;
    hl_rc rc = cli_open(env, err);
    if (rc || env->cal)
        return rc;
    rc = store_setting_get(env->store, "rules", &rules, err);
    if (rc == HL_ENOTFOUND) { /* a database never initialised: take the defaults */
        rc = store_begin(env->store, err);
        if (!rc && !(rc = cli_seed_defaults(env, &years, err)))
            rc = store_commit(env->store, err);
        if (rc)
            store_rollback(env->store);
        if (!rc)
            rc = store_setting_get(env->store, "rules", &rules, err);
    }
    if (!rc)
        rc = hl_rules_parse(&env->rules, rules, err);
    free(rules);
    if (!rc && !(env->cal = malloc(sizeof *env->cal)))
        rc = hl_fail(err, HL_ENOMEM, "内存不足");
    if (!rc)
        rc = store_calendar_load(env->store, env->cal, err);
    if (!rc)
        rc = store_units_load(env->store, &env->units, err);
    env->ctx = (hl_ctx){&env->units, env->cal, &env->rules};
    return rc;
}

void cli_env_free(cli_env *env)
{
    store_close(env->store);
    hl_units_free(&env->units);
    free(env->cal);
}

hl_rc cli_parse_opts(int argc, char **argv, const cli_opt *opts, size_t n, hl_err *err)
{
    for (int i = 1; i < argc; i++) {
        size_t k = 0;
        while (k < n && strcmp(argv[i], opts[k].name) != 0)
            k++;
        if (k == n)
            return hl_fail(err, HL_EINVAL, "未知参数 %.60s", argv[i]);
        if (i + 1 == argc)
            return hl_fail(err, HL_EINVAL, "%s 缺少取值", argv[i]);
        *opts[k].value = argv[++i];
    }
    return HL_OK;
}

int cli_fail(const hl_err *err)
{
    fprintf(stderr, "hotline: %s\n", err->msg);
    return CLI_EXIT_FAIL;
}

int cli_usage(const cli_cmd *cmd)
{
    fprintf(stderr, "用法: hotline [--db FILE] %s\n（hotline %s --help 查看说明）\n", cmd->usage,
            cmd->name);
    return CLI_EXIT_USAGE;
}
