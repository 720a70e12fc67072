/* cmd_import.c — `import UNITS.tsv EVENTS.jsonl`: one transaction; the first
 * bad line stops it with its number and reason and nothing is kept. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "../store/ingest.h"

#define UNITS_FILE_MAX (16u << 20)

/* A registered unit that changed parent must have no history in its
 * subtree: its orders count for its first-level unit, and the per-month
 * counts already credited would no longer add up. */
static hl_rc check_moves(cli_env *env, const int64_t *old_parent, size_t n_old,
                         const hl_unit_row *rows, size_t n_rows, hl_err *err)
{
    const hl_units *u = &env->units;
    for (size_t i = 0; i < n_old; i++) {
        if (u->v[i].parent == old_parent[i])
            continue;
        for (size_t k = 0; k < u->n; k++) {
            int used;
            if (!hl_units_within(u, u->v[k].id, u->v[i].id))
                continue;
            if (store_unit_used(env->store, u->v[k].id, &used, err))
                return err->rc;
            for (size_t r = 0; used && r < n_rows; r++)
                if (strcmp(rows[r].code, u->v[i].code) == 0)
                    return hl_fail_line(err, rows[r].line, HL_EINVAL,
                                        "单位 %s 已有工单，不能更改其上级（工单按原上级单位统计）",
                                        u->v[i].code);
        }
    }
    return HL_OK;
}

static hl_rc import_units(cli_env *env, const char *path, size_t *n, hl_err *err)
{
    hl_buf text;
    hl_unit_row *rows = NULL;
    hl_rc rc = cli_read_file(path, UNITS_FILE_MAX, &text, err);
    if (rc)
        return rc;
    if (text.len && memchr(text.data, '\0', text.len)) {
        hl_buf_free(&text);
        return hl_fail(err, HL_EINVAL, "%s 含 NUL 字节，不是文本文件", path);
    }
    size_t n_old = env->units.n;
    int64_t *old_parent = calloc(n_old + 1, sizeof *old_parent);
    for (size_t i = 0; old_parent && i < n_old; i++)
        old_parent[i] = env->units.v[i].parent;
    rc = old_parent ? hl_units_parse_tsv(text.data ? text.data : (char *)"", &rows, n, err)
                    : hl_fail(err, HL_ENOMEM, "内存不足");
    if (!rc)
        rc = hl_units_merge(&env->units, rows, *n, err);
    if (!rc)
        rc = check_moves(env, old_parent, n_old, rows, *n, err);
    free(old_parent);
    if (!rc)
        rc = store_units_save(env->store, &env->units, err);
    else if (rc != HL_ENOMEM && err->line)
        hl_err_prefix(err, "%s:%ld", path, err->line);
    else if (rc != HL_ENOMEM)
        hl_err_prefix(err, "%s", path);
    free(rows);
    hl_buf_free(&text);
    return rc;
}

static hl_rc import_events(cli_env *env, const char *path, ingest *in, hl_err *err)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        return hl_fail(err, HL_EIO, fd < 0 ? "无法读取文件 %s" : "%s 不是普通文件（请先保存为文件再导入）",
                       path);
    }
    hl_rc rc = ingest_init(in, env->store, &env->ctx, err);
    if (!rc && st.st_size > 0) {
        void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            rc = hl_fail(err, HL_EIO, "无法映射文件 %s", path);
        } else {
            rc = ingest_buffer(in, map, (size_t)st.st_size, path, err);
            munmap(map, (size_t)st.st_size);
        }
    }
    close(fd);
    return rc ? rc : ingest_finish(in, err);
}

hl_rc cli_import(cli_env *env, const char *units, const char *events, cli_import_stats *st,
                 hl_err *err)
{
    ingest in;
    memset(&in, 0, sizeof in);
    memset(st, 0, sizeof *st);
    if (cli_load(env, err) || store_begin(env->store, err))
        return err->rc;
    /* the registry as of this transaction: another writer may have changed
     * it while we waited for the lock */
    hl_units_free(&env->units);
    hl_rc rc = store_units_load(env->store, &env->units, err);
    if (!rc)
        rc = import_units(env, units, &st->units, err);
    if (!rc)
        rc = import_events(env, events, &in, err);
    if (!rc)
        rc = store_commit(env->store, err);
    st->applied = in.applied;
    st->duplicates = in.duplicates;
    ingest_free(&in);
    if (rc)
        store_rollback(env->store);
    return rc;
}

static int run(cli_env *env, int argc, char **argv)
{
    hl_err err;
    cli_import_stats st;
    struct timespec t0, t1;
    if (argc != 3)
        return cli_usage(&cmd_import);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (cli_import(env, argv[1], argv[2], &st, &err)) {
        cli_fail(&err);
        fprintf(stderr, "hotline: 导入已取消，数据库保持原样。\n");
        return CLI_EXIT_FAIL;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("导入完成：单位 %zu 个；事件新增 %lld 条，已存在而跳过 %lld 条；用时 %.2f 秒\n", st.units,
           (long long)st.applied, (long long)st.duplicates, secs);
    return 0;
}

const cli_cmd cmd_import = {
    "import", run, "import UNITS.tsv EVENTS.jsonl", "导入单位名录和事件历史（一个事务）",
    "导入单位名录和事件历史（格式见 interchange.md）。\n"
    "整个导入是一个事务：任何一行不符合格式或工单流转规则，导入即停止，\n"
    "报告文件、行号和原因，数据库保持导入前的样子。\n"
    "再次导入同一文件不会改变任何数据：已记录的事件按内容和位置识别并跳过。\n"};
