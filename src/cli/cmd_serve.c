/* cmd_serve.c — `serve`: the HTTP server until SIGTERM or SIGINT, then a
 * graceful stop (requests in flight finish, the database is closed). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../http/http.h"
#include "cli.h"

static int parse_listen(const char *s, char *host, size_t size, int *port)
{
    const char *colon = strrchr(s, ':');
    char *end;
    if (!colon || (size_t)(colon - s) >= size)
        return -1;
    long p = strtol(colon + 1, &end, 10);
    if (*end || p < 0 || p > 65535 || colon[1] == '\0')
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    *port = (int)p;
    return 0;
}

static int run(cli_env *env, int argc, char **argv)
{
    const char *listen = "127.0.0.1:8080", *web = NULL, *log = "-", *config = NULL;
    const char *port_file = NULL;
    cli_opt opts[] = {{"--listen", &listen}, {"--web", &web}, {"--access-log", &log},
                      {"--config", &config}, {"--port-file", &port_file}};
    char host[64], cfg_path[4200];
    int port, bound;
    hl_err err = {0};
    http_app app;
    http_server *srv = NULL;
    if (cli_parse_opts(argc, argv, opts, sizeof opts / sizeof opts[0], &err))
        return cli_fail(&err);
    if (parse_listen(listen, host, sizeof host, &port)) {
        fprintf(stderr, "hotline: --listen 应为 主机:端口，如 127.0.0.1:8080\n");
        return CLI_EXIT_USAGE;
    }
    if (!config) {
        snprintf(cfg_path, sizeof cfg_path, "%s/server.json", env->data_dir);
        config = cfg_path;
    }
    /* seed rules and calendars into a new database before the threads start */
    if (cli_load(env, &err))
        return cli_fail(&err);
    /* SIGTERM and SIGINT are taken by sigwait below, in this thread only */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (http_app_init(&app, env->db_path, config, &err)) {
        http_app_free(&app);
        return cli_fail(&err);
    }
    app.web_dir = web;
    app.data_dir = env->data_dir;
    if (strcmp(log, "-") == 0)
        app.access_log = stderr;
    else if (strcmp(log, "none") != 0 && !(app.access_log = fopen(log, "a"))) {
        fprintf(stderr, "hotline: 无法写访问日志 %s\n", log);
        http_app_free(&app);
        return CLI_EXIT_FAIL;
    }
    if (http_server_start(&app, host, port, &srv, &bound, &err)) {
        http_app_free(&app);
        return cli_fail(&err);
    }
    if (port_file) {
        FILE *f = fopen(port_file, "w");
        if (f) {
            fprintf(f, "%d\n", bound);
            fclose(f);
        }
    }
    printf("hotline: 服务已启动 http://%s:%d/\n", host, bound);
    fflush(stdout);
    int sig;
    sigwait(&sigs, &sig);
    fprintf(stderr, "hotline: 收到信号 %d，正在停止…\n", sig);
    http_server_stop(srv);
    if (app.access_log && app.access_log != stderr)
        fclose(app.access_log);
    http_app_free(&app);
    fprintf(stderr, "hotline: 已停止\n");
    return 0;
}

const cli_cmd cmd_serve = {
    "serve", run, "serve [--listen HOST:PORT] [--web DIR]", "启动 HTTP 服务（API、网页、Open311）",
    "启动 HTTP 服务：/api/v1 下的 JSON API、/open311/v2 下的 Open311 GeoReport v2、\n"
    "以及 --web 目录中的网页应用。收到 SIGTERM 或 SIGINT 后停止接收新连接，\n"
    "等待进行中的请求完成，再关闭数据库。\n\n"
    "  --listen HOST:PORT   监听地址（默认 127.0.0.1:8080；端口 0 表示任选空闲端口）\n"
    "  --web DIR            网页应用目录（vite build 的输出）\n"
    "  --access-log FILE    访问日志（每行一个 JSON；- 为标准错误，none 为不记录）\n"
    "  --config FILE        服务器配置（默认 数据目录/server.json）\n"
    "  --port-file FILE     启动后把实际端口写入此文件\n"};
