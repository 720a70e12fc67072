/* text_tsv.c — message files as tables of fields. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/utf8.h"
#include "cli.h"
#include "text_tsv.h"

#define TSV_MAX ((size_t)1 << 30)
#define CONFIG_MAX ((size_t)1 << 20)

void text_table_free(text_table *t)
{
    hl_buf_free(&t->text);
    free(t->cell);
    memset(t, 0, sizeof *t);
}

/* Split one line into t's next row. */
static hl_rc split(text_table *t, char *line, long no, size_t *cap, hl_err *err)
{
    if (hl_grow(&t->cell, cap, t->rows, t->cols * sizeof *t->cell, 1024)) /* cap in rows */
        return hl_fail(err, HL_ENOMEM, "内存不足");
    size_t n = 0;
    for (char *p = line; p; n++) {
        char *tab = strchr(p, '\t');
        if (tab)
            *tab++ = '\0';
        if (n < t->cols)
            t->cell[t->rows * t->cols + n] = p;
        if (!hl_text_is_clean(p))
            return hl_fail_line(err, no, HL_EINVAL, "第 %zu 列含无效的 UTF-8 或控制字符", n + 1);
        p = tab;
    }
    if (n != t->cols)
        return hl_fail_line(err, no, HL_EINVAL, "应有 %zu 列，实有 %zu 列", t->cols, n);
    t->rows++;
    return HL_OK;
}

hl_rc text_table_read(const char *path, const char *first, size_t cols, text_table *t,
                      hl_err *err)
{
    memset(t, 0, sizeof *t);
    t->cols = cols;
    hl_rc rc = cli_read_file(path, TSV_MAX, &t->text, err);
    if (rc)
        return rc;
    size_t cap = 0;
    long no = 0;
    char *text = t->text.data, *p;
    if (text && strncmp(text, "\xEF\xBB\xBF", 3) == 0) /* a byte-order mark some editors write */
        text += 3;
    while (!rc && (p = hl_line_next(&text))) {
        no++;
        if (no == 1) {
            size_t f = strlen(first);
            if (strncmp(p, first, f) != 0 || (p[f] != '\t' && p[f] != '\0'))
                rc = hl_fail_line(err, no, HL_EINVAL, "表头应以 %s 开头", first);
        } else if (*p) {
            rc = split(t, p, no, &cap, err);
        }
    }
    if (!rc && !t->rows)
        rc = hl_fail(err, HL_EINVAL, "文件 %s 没有数据行", path);
    if (rc) {
        if (err->line)
            hl_err_prefix(err, "%s:%ld", path, err->line);
        text_table_free(t);
    }
    return rc;
}

hl_rc text_config_read(const char *data_dir, hl_buf *out, hl_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/text.json", data_dir);
    return cli_read_file(path, CONFIG_MAX, out, err);
}
