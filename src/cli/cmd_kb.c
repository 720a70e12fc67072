/* cmd_kb.c — `kb import|search|remind|reminders|answer`: the knowledge base.
 *
 *   kb import ARTICLES.tsv     columns id title body category owner_unit
 *                              valid_from valid_to review_days (a header line
 *                              starting with "id" is skipped); one
 *                              transaction, a bad line names its number
 *   kb search [--limit K] [--batch QUERIES.txt] [--all] [QUERY]
 *                              TSV: query_no rank article_id score snippet
 *   kb remind [--now T]        send the reminders that fell due
 *   kb reminders [--open]      list them
 *   kb answer ID confirmed|updated */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/timeutil.h"
#include "../core/utf8.h"
#include "../text/search.h"
#include "cli.h"

#define KB_FILE_MAX ((size_t)1 << 30)
#define KB_LIMIT_MAX TEXT_KB_LIMIT_MAX
#define N_COLS 8

static const char *const actor = "cli";

/* "YYYY-MM-DD" (local) → the UTC second its day begins; "" → 0. */
static hl_rc local_date(const cli_env *env, const char *s, int64_t *t, hl_err *err)
{
    int64_t days;
    *t = 0;
    if (!*s)
        return HL_OK;
    if (hl_date_parse(s, &days))
        return hl_fail(err, HL_EINVAL, "日期 %.32s 无效（应为 YYYY-MM-DD）", s);
    *t = hl_day_start(days, env->rules.offset_min);
    return HL_OK;
}

/* One article line split in place into its N_COLS fields. */
static hl_rc import_line(cli_env *env, char *line, int64_t now, hl_err *err)
{
    char *f[N_COLS];
    int n = 0;
    for (char *p = line; p; n++) {
        char *tab = strchr(p, '\t');
        if (n < N_COLS)
            f[n] = p;
        if (tab)
            *tab++ = '\0';
        p = tab;
    }
    if (n != N_COLS)
        return hl_fail(err, HL_EINVAL, "应有 %d 列（id title body category owner_unit valid_from "
                       "valid_to review_days），实有 %d 列", N_COLS, n);
    for (int i = 0; i < N_COLS; i++)
        if (!hl_text_is_clean(f[i]))
            return hl_fail(err, HL_EINVAL, "第 %d 列含无效的 UTF-8 或控制字符", i + 1);
    if (!*f[0] || !*f[2])
        return hl_fail(err, HL_EINVAL, "id 和 body 不能为空");
    store_kb_article a = {.id = f[0], .title = f[1], .body = f[2],
                          .category = *f[3] ? f[3] : NULL, .status = "published",
                          .updated_at = now, .updated_by = actor, .note = "导入"};
    hl_rc rc = HL_OK;
    if (*f[4] && !(a.unit = hl_units_find(&env->units, f[4])))
        return hl_fail(err, HL_EUNIT_UNKNOWN, "单位 %.64s 不存在", f[4]);
    if ((rc = local_date(env, f[5], &a.valid_from, err)) ||
        (rc = local_date(env, f[6], &a.valid_to, err)))
        return rc;
    if (*f[7]) {
        char *end;
        long d = strtol(f[7], &end, 10);
        if (*end || d < 1 || d > 3650)
            return hl_fail(err, HL_EINVAL, "review_days 应为 1–3650 的整数");
        a.review_days = (int)d;
        a.next_review = (a.valid_from > now ? a.valid_from : now) + 86400 * (int64_t)d;
    }
    int64_t version;
    return store_kb_put(env->store, &a, -1, &version, err);
}

static int kb_import(cli_env *env, const char *path)
{
    hl_err err = {0};
    hl_buf file;
    hl_buf_init(&file, KB_FILE_MAX);
    hl_rc rc = cli_read_file(path, KB_FILE_MAX, &file, &err);
    int64_t now = (int64_t)time(NULL), lines = 0, articles = 0;
    if (!rc)
        rc = store_begin(env->store, &err);
    char *text = file.data, *p;
    while (!rc && (p = hl_line_next(&text))) {
        lines++;
        if (*p && !(lines == 1 && !strncmp(p, "id\t", 3))) {
            rc = import_line(env, p, now, &err);
            articles++;
            if (rc)
                hl_err_prefix(&err, "%s 第 %lld 行", path, (long long)lines);
        }
    }
    if (!rc)
        rc = store_commit(env->store, &err);
    else if (file.data)
        store_rollback(env->store);
    hl_buf_free(&file);
    if (!rc)
        rc = store_kb_optimize(env->store, &err);
    if (rc)
        return cli_fail(&err);
    fprintf(stderr, "hotline: 导入知识库文章 %lld 篇\n", (long long)articles);
    return 0;
}

/* --- search -------------------------------------------------------------------- */

static void print_clean(const char *s)
{
    for (; s && *s; s++)
        putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

static hl_rc search_one(cli_env *env, const char *q, long no, int limit, int all, hl_err *err)
{
    text_kb_req req = {.q = q, .valid_only = !all, .now = (int64_t)time(NULL), .limit = limit};
    text_kb_hits hits = {0};
    hl_rc rc = text_kb_search(env->store, &env->rules, &req, &hits, err);
    for (size_t i = 0; !rc && i < hits.n; i++) {
        printf("%ld\t%zu\t%s\t%.4f\t", no, i + 1, hits.v[i].id, hits.v[i].score);
        print_clean(hits.v[i].snippet);
        putchar('\n');
    }
    text_kb_hits_free(&hits);
    return rc;
}

static int kb_search(cli_env *env, int argc, char **argv)
{
    const char *limit_s = "10", *batch = NULL, *query = NULL;
    int all = 0;
    hl_err err = {0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--limit") && i + 1 < argc)
            limit_s = argv[++i];
        else if (!strcmp(argv[i], "--batch") && i + 1 < argc)
            batch = argv[++i];
        else if (!strcmp(argv[i], "--all"))
            all = 1;
        else if (argv[i][0] != '-' && !query)
            query = argv[i];
        else
            return cli_usage(&cmd_kb);
    }
    char *end;
    long limit = strtol(limit_s, &end, 10);
    if (*end || limit < 1 || limit > KB_LIMIT_MAX || (!batch == !query))
        return cli_usage(&cmd_kb);
    if (query) {
        if (!hl_text_is_clean(query))
            return hl_fail(&err, HL_EINVAL, "查询含无效字符"), cli_fail(&err);
        return search_one(env, query, 1, (int)limit, all, &err) ? cli_fail(&err) : 0;
    }
    hl_buf file;
    hl_buf_init(&file, KB_FILE_MAX);
    hl_rc rc = cli_read_file(batch, KB_FILE_MAX, &file, &err);
    long no = 0;
    char *text = file.data, *p;
    while (!rc && (p = hl_line_next(&text))) {
        no++;
        if (!hl_utf8_valid(p, strlen(p)))
            rc = hl_fail(&err, HL_EINVAL, "%s 第 %ld 行：无效的 UTF-8", batch, no);
        else
            rc = search_one(env, p, no, (int)limit, all, &err);
    }
    hl_buf_free(&file);
    return rc ? cli_fail(&err) : 0;
}

/* --- reminders ------------------------------------------------------------------ */

static hl_rc print_reminder(const store_kb_reminder *r, void *arg)
{
    const cli_env *env = arg;
    const hl_unit *u = hl_units_get(&env->units, r->unit);
    char due[HL_TIME_STRLEN];
    hl_time_format(r->due_at, env->rules.offset_min, due);
    printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)r->id, r->article, u ? u->code : "", due,
           r->answer ? r->answer : "open", r->answered_by ? r->answered_by : "");
    return HL_OK;
}

static int kb_remind(cli_env *env, int argc, char **argv)
{
    const char *now_s = NULL;
    hl_err err = {0};
    cli_opt opts[] = {{"--now", &now_s}};
    int64_t now = (int64_t)time(NULL), made = 0;
    if (cli_parse_opts(argc, argv, opts, 1, &err) ||
        (now_s && hl_time_parse(now_s, &now, &err)))
        return cli_fail(&err);
    if (!env->rules.kb_answer_days) {
        hl_fail(&err, HL_ECONFIG, "规则未设置 ledger.knowledge_base.answer_days，不发送复核提醒");
        return cli_fail(&err);
    }
    hl_rc rc = store_begin(env->store, &err);
    if (!rc)
        rc = store_kb_remind(env->store, now, env->rules.kb_answer_days, &made, &err);
    rc = rc ? (store_rollback(env->store), rc) : store_commit(env->store, &err);
    if (rc)
        return cli_fail(&err);
    fprintf(stderr, "hotline: 发送复核提醒 %lld 条\n", (long long)made);
    return 0;
}

static int kb_answer(cli_env *env, int argc, char **argv)
{
    hl_err err = {0};
    char *end;
    if (argc != 3 || (strcmp(argv[2], "confirmed") && strcmp(argv[2], "updated")))
        return cli_usage(&cmd_kb);
    long long id = strtoll(argv[1], &end, 10);
    if (*end || id <= 0)
        return cli_usage(&cmd_kb);
    hl_rc rc = store_begin(env->store, &err);
    if (!rc)
        rc = store_kb_answer(env->store, id, argv[2], actor, (int64_t)time(NULL), &err);
    rc = rc ? (store_rollback(env->store), rc) : store_commit(env->store, &err);
    return rc ? cli_fail(&err) : 0;
}

static int run(cli_env *env, int argc, char **argv)
{
    hl_err err = {0};
    if (argc < 2)
        return cli_usage(&cmd_kb);
    if (cli_load(env, &err))
        return cli_fail(&err);
    const char *sub = argv[1];
    if (!strcmp(sub, "import") && argc == 3)
        return kb_import(env, argv[2]);
    if (!strcmp(sub, "search"))
        return kb_search(env, argc - 1, argv + 1);
    if (!strcmp(sub, "remind"))
        return kb_remind(env, argc - 1, argv + 1);
    if (!strcmp(sub, "answer"))
        return kb_answer(env, argc - 1, argv + 1);
    if (!strcmp(sub, "reminders") && (argc == 2 || (argc == 3 && !strcmp(argv[2], "--open")))) {
        printf("id\tarticle\tunit\tdue\tanswer\tby\n");
        return store_kb_reminders(env->store, 0, argc == 3, print_reminder, env, &err)
                   ? cli_fail(&err)
                   : 0;
    }
    return cli_usage(&cmd_kb);
}

const cli_cmd cmd_kb = {
    "kb", run,
    "kb import ARTICLES.tsv | search [--limit K] [--batch FILE] [--all] [QUERY] | "
    "remind [--now T] | reminders [--open] | answer ID confirmed|updated",
    "知识库：导入文章、检索、复核提醒",
    "import: TSV with columns id title body category owner_unit valid_from valid_to\n"
    "  review_days (dates YYYY-MM-DD; empty allowed except id and body).\n"
    "search: prints query_no rank article_id score snippet (TSV); --batch reads one\n"
    "  query per line; --all includes drafts and articles out of their validity.\n"
    "remind: sends a reminder to the owning unit of each article whose review fell due;\n"
    "  unanswered after ledger.knowledge_base.answer_days it becomes a ledger proposal.\n"};
