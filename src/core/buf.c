#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hl_buf_init(hl_buf *b, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max;
}

void hl_buf_free(hl_buf *b)
{
    free(b->data);
    hl_buf_init(b, b->max);
}

void hl_buf_reset(hl_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static hl_rc grow(hl_buf *b, size_t extra)
{
    if (extra > b->max - b->len)
        return HL_ETOOBIG;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return HL_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return HL_ENOMEM;
    b->data = p;
    b->cap = cap;
    return HL_OK;
}

hl_rc hl_buf_add(hl_buf *b, const void *p, size_t n)
{
    hl_rc rc = grow(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return HL_OK;
}

hl_rc hl_buf_adds(hl_buf *b, const char *s)
{
    return hl_buf_add(b, s, strlen(s));
}

hl_rc hl_buf_addc(hl_buf *b, char c)
{
    return hl_buf_add(b, &c, 1);
}

hl_rc hl_buf_printf(hl_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return HL_EINVAL;
    hl_rc rc = grow(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return HL_OK;
}

hl_rc hl_buf_add_json_str(hl_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    hl_rc rc = hl_buf_addc(b, '"');
    const char *run = s; /* start of the pending run of plain bytes */
    for (const unsigned char *p = (const unsigned char *)s; !rc && *p; p++) {
        char esc[7];
        size_t n = 2;
        esc[0] = '\\';
        switch (*p) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        default:
            if (*p >= 0x20)
                continue;
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[*p >> 4];
            esc[5] = hex[*p & 15];
            n = 6;
        }
        rc = hl_buf_add(b, run, (size_t)((const char *)p - run));
        if (!rc)
            rc = hl_buf_add(b, esc, n);
        run = (const char *)p + 1;
    }
    if (!rc)
        rc = hl_buf_adds(b, run);
    if (!rc)
        rc = hl_buf_addc(b, '"');
    return rc;
}

hl_rc hl_grow(void *pv, size_t *cap, size_t n, size_t size, size_t first)
{
    void *v, *p;
    if (n < *cap)
        return HL_OK;
    size_t c = *cap ? *cap * 2 : first;
    if (c > SIZE_MAX / size)
        return HL_ENOMEM;
    memcpy(&v, pv, sizeof v); /* pv points to a T *: copy, do not alias it */
    if (!(p = realloc(v, c * size)))
        return HL_ENOMEM;
    memcpy(pv, &p, sizeof p);
    *cap = c;
    return HL_OK;
}

const char *hl_buf_str(const hl_buf *b)
{
    return b->data ? b->data : "";
}

char *hl_buf_detach(hl_buf *b)
{
    char *d = b->data ? b->data : calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

char *hl_line_next(char **p)
{
    char *line = *p;
    if (!line || !*line)
        return NULL;
    char *nl = strchr(line, '\n');
    if (nl)
        *nl = '\0';
    *p = nl ? nl + 1 : NULL;
    size_t len = strlen(line);
    if (len && line[len - 1] == '\r')
        line[len - 1] = '\0';
    return line;
}
