/* cmd_user.c — `user add NAME --role R [--unit CODE]` (the password is read
 * from stdin, never from argv where `ps` shows it) and `user list`. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../http/http.h"
#include "cli.h"

static hl_rc read_password(char *pw, size_t size, hl_err *err)
{
    if (!fgets(pw, (int)size, stdin))
        return hl_fail(err, HL_EINVAL, "请从标准输入提供口令（一行）");
    pw[strcspn(pw, "\r\n")] = '\0';
    return hl_password_check(pw, err);
}

static hl_rc add_user(cli_env *env, const char *name, const char *role, const char *unit,
                      const char *config, hl_err *err)
{
    http_config cfg;
    store_user u = {0};
    hl_role parsed;
    char pw[256];
    hl_rc rc = hl_user_check(name, role, unit != NULL, &parsed, err);
    if (!rc)
        rc = http_config_load(config, &cfg, err);
    if (!rc && unit && !(u.unit = hl_units_find(&env->units, unit)))
        rc = hl_fail(err, HL_EUNIT_UNKNOWN, "单位 %s 不存在", unit);
    if (!rc)
        rc = read_password(pw, sizeof pw, err);
    if (!rc)
        rc = http_password_hash(&cfg, pw, u.pwhash, sizeof u.pwhash, err);
    if (rc)
        return rc;
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.role, sizeof u.role, "%s", role);
    u.created_at = (int64_t)time(NULL);
    char detail[200];
    snprintf(detail, sizeof detail, "添加用户 %s（%s）", name, role);
    store_audit_row a = {.at = u.created_at, .actor = "cli", .action = "user_add",
                         .detail = detail, .ip = "cli"};
    if ((rc = store_begin(env->store, err)) != 0)
        return rc;
    rc = store_user_add(env->store, &u, err);
    if (!rc)
        rc = store_audit(env->store, &a, err);
    if (!rc)
        rc = store_commit(env->store, err);
    if (rc)
        store_rollback(env->store);
    return rc;
}

static hl_rc print_user(const store_user *u, void *arg)
{
    const hl_units *units = arg;
    const hl_unit *unit = hl_units_get(units, u->unit);
    printf("%s\t%s\t%s\t%s\n", u->name, u->role, unit ? unit->code : "",
           u->disabled ? "disabled" : "active");
    return HL_OK;
}

static int run(cli_env *env, int argc, char **argv)
{
    const char *role = NULL, *unit = NULL, *config = NULL;
    char cfg_path[4200];
    hl_err err = {0};
    if (argc < 2)
        return cli_usage(&cmd_user);
    if (cli_load(env, &err))
        return cli_fail(&err);
    if (strcmp(argv[1], "list") == 0 && argc == 2) {
        printf("name\trole\tunit\tstatus\n");
        return store_users_each(env->store, print_user, &env->units, &err) ? cli_fail(&err) : 0;
    }
    if (strcmp(argv[1], "add") != 0 || argc < 3 || argv[2][0] == '-')
        return cli_usage(&cmd_user);
    cli_opt opts[] = {{"--role", &role}, {"--unit", &unit}, {"--config", &config}};
    if (cli_parse_opts(argc - 2, argv + 2, opts, 3, &err))
        return cli_fail(&err);
    if (!role)
        return cli_usage(&cmd_user);
    if (!config) {
        snprintf(cfg_path, sizeof cfg_path, "%s/server.json", env->data_dir);
        config = cfg_path;
    }
    if (add_user(env, argv[2], role, unit, config, &err))
        return cli_fail(&err);
    printf("已添加用户 %s（%s）\n", argv[2], role);
    return 0;
}

const cli_cmd cmd_user = {
    "user", run, "user add NAME --role R [--unit CODE] | user list", "添加或列出用户",
    "user add NAME --role R [--unit CODE] [--config FILE]\n"
    "  添加用户，口令从标准输入读一行（8–128 字节）。角色：operator dispatcher callback\n"
    "  supervisor unit_handler unit_admin kb_owner manager admin；unit_handler、unit_admin、\n"
    "  kb_owner 须用 --unit 绑定单位。口令散列的代价取自服务器配置（默认 数据目录/server.json）。\n"
    "user list\n  列出用户：name role unit status\n"};
