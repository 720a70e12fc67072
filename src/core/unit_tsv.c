#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "unit.h"
#include "utf8.h"

#define UNITS_HEADER "code\tname\tkind\tparent_code"
#define UNITS_MAX_ROWS 100000

/* Split line at tabs into at most 4 fields; returns the count. */
static int split(char *line, char **f)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p; p++) {
        if (*p != '\t')
            continue;
        if (n == 4)
            return 5;
        *p = '\0';
        f[n++] = p + 1;
    }
    return n;
}

static hl_rc parse_line(char *line, long lineno, hl_unit_row *r, hl_err *err)
{
    char *f[4];
    int n = split(line, f);
    if (n < 3 || n > 4)
        return hl_fail_line(err, lineno, HL_EINVAL, "应有 4 列（code、name、kind、parent_code），实有 %d 列", n);
    r->code = f[0];
    r->name = f[1];
    r->kind = f[2];
    r->parent_code = n == 4 ? f[3] : "";
    r->line = lineno;
    return HL_OK;
}

hl_rc hl_units_parse_tsv(char *text, hl_unit_row **rows, size_t *n, hl_err *err)
{
    size_t cap = 0;
    long lineno = 0;
    hl_rc rc = HL_OK;
    *rows = NULL;
    *n = 0;
    for (char *line; !rc && (line = hl_line_next(&text));) {
        size_t len = strlen(line);
        if (!hl_utf8_valid(line, len)) {
            rc = hl_fail_line(err, lineno + 1, HL_EINVAL, "不是有效的 UTF-8 文本");
            break;
        }
        if (++lineno == 1) {
            if (strcmp(line, UNITS_HEADER) != 0)
                rc = hl_fail_line(err, 1, HL_EINVAL, "表头应为 code、name、kind、parent_code（制表符分隔）");
            continue;
        }
        if (!len)
            continue;
        if (*n == UNITS_MAX_ROWS) {
            rc = hl_fail_line(err, lineno, HL_ETOOBIG, "单位文件过大（至多 %d 行）", UNITS_MAX_ROWS);
            break;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            cap = cap > UNITS_MAX_ROWS ? UNITS_MAX_ROWS : cap;
            hl_unit_row *v = realloc(*rows, cap * sizeof *v);
            if (!v) {
                rc = hl_fail(err, HL_ENOMEM, "内存不足");
                break;
            }
            *rows = v;
        }
        rc = parse_line(line, lineno, &(*rows)[*n], err);
        if (!rc)
            (*n)++;
    }
    if (!rc && lineno == 0)
        rc = hl_fail(err, HL_EINVAL, "单位文件为空");
    if (rc) {
        free(*rows);
        *rows = NULL;
        *n = 0;
    }
    return rc;
}
