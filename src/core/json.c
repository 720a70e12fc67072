#include "json.h"

#include "utf8.h"

#include <stdlib.h>
#include <string.h>

#define HJ_MAX_DEPTH 8

typedef struct {
    hj_doc *d;
    const char *start, *p, *end;
    hj_node *stack;   /* children of open containers */
    size_t sp;
    hl_err *err;
} parser;

hl_rc hj_init(hj_doc *d, size_t max_nodes)
{
    memset(d, 0, sizeof *d);
    d->nodes = malloc(2 * max_nodes * sizeof *d->nodes); /* nodes + scratch stack */
    if (!d->nodes)
        return HL_ENOMEM;
    d->cap = max_nodes;
    return HL_OK;
}

void hj_free(hj_doc *d)
{
    free(d->nodes);
    free(d->strs);
    memset(d, 0, sizeof *d);
}

static hl_rc fail(parser *ps, const char *what)
{
    return hl_fail(ps->err, HL_EINVAL, "JSON 格式错误（第 %ld 个字节）：%s",
                   (long)(ps->p - ps->start) + 1, what);
}

static void skip_ws(parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static char *put_utf8(char *o, unsigned c)
{
    if (c < 0x80) {
        *o++ = (char)c;
    } else if (c < 0x800) {
        *o++ = (char)(0xC0 | (c >> 6));
        *o++ = (char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        *o++ = (char)(0xE0 | (c >> 12));
        *o++ = (char)(0x80 | ((c >> 6) & 0x3F));
        *o++ = (char)(0x80 | (c & 0x3F));
    } else {
        *o++ = (char)(0xF0 | (c >> 18));
        *o++ = (char)(0x80 | ((c >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((c >> 6) & 0x3F));
        *o++ = (char)(0x80 | (c & 0x3F));
    }
    return o;
}

/* \uXXXX (and its low surrogate when it is a high one) at ps->p. */
static hl_rc unicode_escape(parser *ps, char **o)
{
    unsigned c, lo;
    if (ps->end - ps->p < 4 || hex4(ps->p, &c))
        return fail(ps, "\\u 后应有 4 位十六进制数");
    ps->p += 4;
    if (c >= 0xDC00 && c <= 0xDFFF)
        return fail(ps, "孤立的 UTF-16 低代理项");
    if (c >= 0xD800 && c <= 0xDBFF) {
        if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u' || hex4(ps->p + 2, &lo) ||
            lo < 0xDC00 || lo > 0xDFFF)
            return fail(ps, "孤立的 UTF-16 高代理项");
        ps->p += 6;
        c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
    }
    if (c == 0)
        return fail(ps, "字符串中不允许 \\u0000");
    *o = put_utf8(*o, c);
    return HL_OK;
}

/* A string at ps->p (after the opening quote), decoded into the arena. */
static hl_rc string(parser *ps, const char **out, size_t *len)
{
    char *start = ps->d->strs + ps->d->strs_len, *o = start;
    for (;;) {
        if (ps->p >= ps->end)
            return fail(ps, "字符串没有结束");
        unsigned char c = (unsigned char)*ps->p++;
        if (c == '"')
            break;
        if (c < 0x20)
            return fail(ps, "字符串中有未转义的控制字符");
        if (c >= 0x80) { /* UTF-8 is checked here, where it can occur */
            size_t n = hl_utf8_next(ps->p - 1, (size_t)(ps->end - ps->p) + 1);
            if (!n) {
                ps->p--;
                return fail(ps, "不是有效的 UTF-8 文本");
            }
            memcpy(o, ps->p - 1, n);
            o += n;
            ps->p += n - 1;
            continue;
        }
        if (c != '\\') {
            *o++ = (char)c;
            continue;
        }
        if (ps->p >= ps->end)
            return fail(ps, "字符串没有结束");
        c = (unsigned char)*ps->p++;
        switch (c) {
        case '"': case '\\': case '/': *o++ = (char)c; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u':
            if (unicode_escape(ps, &o))
                return ps->err ? ps->err->rc : HL_EINVAL;
            break;
        default:
            return fail(ps, "无效的转义字符");
        }
    }
    *o = '\0';
    *out = start;
    *len = (size_t)(o - start);
    ps->d->strs_len += *len + 1;
    return HL_OK;
}

static hl_rc number(parser *ps, hj_node *n)
{
    const char *s = ps->p;
    int is_int = 1;
    if (ps->p < ps->end && *ps->p == '-')
        ps->p++;
    if (ps->p < ps->end && *ps->p == '0')
        ps->p++;
    else if (ps->p < ps->end && *ps->p >= '1' && *ps->p <= '9')
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
            ps->p++;
    else
        return fail(ps, "无效的值");
    if (ps->p < ps->end && *ps->p == '.') {
        is_int = 0;
        if (++ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
            return fail(ps, "无效的数值");
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
            ps->p++;
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        is_int = 0;
        if (++ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
            ps->p++;
        if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
            return fail(ps, "无效的数值");
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
            ps->p++;
    }
    size_t len = (size_t)(ps->p - s);
    char *copy = ps->d->strs + ps->d->strs_len;
    memcpy(copy, s, len);
    copy[len] = '\0';
    ps->d->strs_len += len + 1;
    n->type = HJ_NUMBER;
    n->str = copy;
    n->len = len;
    if (is_int && len <= 18) { /* 18 digits always fit in int64 */
        n->is_int = 1;
        n->num = strtoll(copy, NULL, 10);
    }
    return HL_OK;
}

static int literal(parser *ps, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return 0;
    ps->p += n;
    return 1;
}

static hl_rc value(parser *ps, hj_node *n, int depth);

/* Push a child onto the scratch stack. */
static hj_node *push(parser *ps)
{
    if (ps->sp >= ps->d->cap)
        return NULL;
    hj_node *n = &ps->stack[ps->sp++];
    memset(n, 0, sizeof *n);
    return n;
}

/* Move the top `count` stack entries into one contiguous block of nodes. */
static hl_rc close_container(parser *ps, hj_node *n, size_t base)
{
    size_t count = ps->sp - base;
    if (ps->d->n + count > ps->d->cap)
        return fail(ps, "值过多");
    memcpy(&ps->d->nodes[ps->d->n], &ps->stack[base], count * sizeof *n);
    n->first = (uint32_t)ps->d->n;
    n->count = (uint32_t)count;
    ps->d->n += count;
    ps->sp = base;
    return HL_OK;
}

static int duplicate_key(parser *ps, size_t base, const hj_node *kid)
{
    for (size_t i = base; i + 1 < ps->sp; i++)
        if (ps->stack[i].key_len == kid->key_len &&
            memcmp(ps->stack[i].key, kid->key, kid->key_len) == 0)
            return 1;
    return 0;
}

static hl_rc container(parser *ps, hj_node *n, int depth, int is_object)
{
    size_t base = ps->sp;
    char close = is_object ? '}' : ']';
    n->type = is_object ? HJ_OBJECT : HJ_ARRAY;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return close_container(ps, n, base);
    }
    for (;;) {
        hj_node *kid = push(ps);
        if (!kid)
            return fail(ps, "值过多");
        skip_ws(ps);
        if (is_object) {
            if (ps->p >= ps->end || *ps->p++ != '"')
                return fail(ps, "应为成员名（字符串）");
            if (string(ps, &kid->key, &kid->key_len))
                return HL_EINVAL;
            if (duplicate_key(ps, base, kid))
                return fail(ps, "成员名重复");
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p++ != ':')
                return fail(ps, "成员名后应为冒号");
        }
        if (value(ps, kid, depth + 1))
            return HL_EINVAL;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            return close_container(ps, n, base);
        }
        return fail(ps, is_object ? "应为逗号或 }" : "应为逗号或 ]");
    }
}

static hl_rc value(parser *ps, hj_node *n, int depth)
{
    if (depth > HJ_MAX_DEPTH)
        return fail(ps, "嵌套过深");
    skip_ws(ps);
    if (ps->p >= ps->end)
        return fail(ps, "内容不完整");
    switch (*ps->p) {
    case '{':
    case '[':
        return container(ps, n, depth, *ps->p++ == '{');
    case '"':
        ps->p++;
        n->type = HJ_STRING;
        return string(ps, &n->str, &n->len);
    case 't':
        n->type = HJ_TRUE;
        return literal(ps, "true") ? HL_OK : fail(ps, "无效的值");
    case 'f':
        n->type = HJ_FALSE;
        return literal(ps, "false") ? HL_OK : fail(ps, "无效的值");
    case 'n':
        n->type = HJ_NULL;
        return literal(ps, "null") ? HL_OK : fail(ps, "无效的值");
    default:
        return number(ps, n);
    }
}


hl_rc hj_batch_begin(hj_doc *d, size_t total)
{
    if (d->strs_cap < total) {
        char *s = realloc(d->strs, total);
        if (!s)
            return HL_ENOMEM;
        d->strs = s;
        d->strs_cap = total;
    }
    d->strs_len = 0;
    return HL_OK;
}

hl_rc hj_parse(hj_doc *d, const char *text, size_t len, hl_err *err)
{
    if (hj_batch_begin(d, HJ_ARENA_NEED(len)))
        return hl_fail(err, HL_ENOMEM, "内存不足");
    return hj_parse_next(d, text, len, err);
}

hl_rc hj_parse_next(hj_doc *d, const char *text, size_t len, hl_err *err)
{
    parser ps = {d, text, text, text + len, d->nodes + d->cap, 0, err};
    if (d->strs_cap - d->strs_len < HJ_ARENA_NEED(len))
        return hl_fail(err, HL_ENOMEM, "JSON 字符串区不足");
    d->n = 1; /* nodes[0]: the root */
    memset(&d->nodes[0], 0, sizeof d->nodes[0]);
    if (value(&ps, &d->nodes[0], 0))
        return err ? err->rc : HL_EINVAL;
    skip_ws(&ps);
    if (ps.p != ps.end)
        return fail(&ps, "文档之后还有多余内容");
    return HL_OK;
}

const hj_node *hj_get(const hj_doc *d, const hj_node *o, const char *key)
{
    if (o->type != HJ_OBJECT)
        return NULL;
    for (uint32_t i = 0; i < o->count; i++)
        if (strcmp(d->nodes[o->first + i].key, key) == 0)
            return &d->nodes[o->first + i];
    return NULL;
}
