/* cmd_export.c — `export DIR`: units.tsv and events.jsonl in the interchange
 * format.  Files are written under temporary names and renamed, so a failed
 * export never leaves a half file under the real name. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

typedef struct {
    FILE *f;
    long long n;
    int offset_min;
    hl_buf line;
} export_ctx;

static hl_rc write_event(const store_event_row *row, void *arg)
{
    export_ctx *x = arg;
    hl_buf_reset(&x->line);
    hl_rc rc = hl_event_join((hl_op)row->op, row->at, row->order, row->body, x->offset_min,
                             &x->line);
    if (rc)
        return rc;
    x->n++;
    return fputs(hl_buf_str(&x->line), x->f) < 0 || fputc('\n', x->f) < 0 ? HL_EIO : HL_OK;
}

static hl_rc write_units(const hl_units *u, FILE *f)
{
    int bad = fputs("code\tname\tkind\tparent_code\n", f) < 0;
    for (size_t i = 0; i < u->n && !bad; i++) {
        const hl_unit *x = &u->v[i], *p = hl_units_get(u, x->parent);
        bad = fprintf(f, "%s\t%s\t%s\t%s\n", x->code, x->name, hl_unit_kind_name(x->kind),
                      p ? p->code : "") < 0;
    }
    return bad ? HL_EIO : HL_OK;
}

static hl_rc export_file(cli_env *env, const char *dir, const char *name, long long *n,
                         hl_err *err)
{
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    export_ctx x = {fopen(tmp, "w"), 0, env->rules.offset_min, {0}};
    if (!x.f)
        return hl_fail(err, HL_EIO, "无法写入 %s：%s", tmp, strerror(errno));
    hl_buf_init(&x.line, 4u << 20);
    hl_rc rc = strcmp(name, "units.tsv") == 0
                   ? write_units(&env->units, x.f)
                   : store_events_each(env->store, 0, write_event, &x, err);
    hl_buf_free(&x.line);
    if (fclose(x.f) != 0 && !rc)
        rc = HL_EIO;
    if (!rc && rename(tmp, path) != 0)
        rc = HL_EIO;
    if (rc) {
        remove(tmp);
        if (rc == HL_EIO)
            hl_fail(err, rc, "写入 %s 失败：%s", path, strerror(errno));
        return rc;
    }
    *n = strcmp(name, "units.tsv") == 0 ? (long long)env->units.n : x.n;
    return HL_OK;
}

static int run(cli_env *env, int argc, char **argv)
{
    hl_err err;
    long long units, events;
    if (argc != 2)
        return cli_usage(&cmd_export);
    if (mkdir(argv[1], 0755) != 0 && errno != EEXIST) {
        hl_fail(&err, HL_EIO, "无法创建目录 %s：%s", argv[1], strerror(errno));
        return cli_fail(&err);
    }
    /* one read transaction: both files show the same moment */
    if (cli_load(env, &err) || store_begin_read(env->store, &err))
        return cli_fail(&err);
    hl_rc rc = export_file(env, argv[1], "units.tsv", &units, &err);
    if (!rc)
        rc = export_file(env, argv[1], "events.jsonl", &events, &err);
    store_rollback(env->store);
    if (rc)
        return cli_fail(&err);
    printf("已导出 %lld 个单位、%lld 条事件到 %s/\n", units, events, argv[1]);
    return 0;
}

const cli_cmd cmd_export = {
    "export", run, "export DIR", "导出单位名录和事件历史",
    "把单位名录和全部事件历史导出为 DIR/units.tsv 和 DIR/events.jsonl（格式见\n"
    "interchange.md），事件按时间排序。导出的文件导入空数据库后，得到相同的数据和考核结果。\n"};
