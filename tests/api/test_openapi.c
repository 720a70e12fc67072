/* test_openapi.c — docs/openapi.yaml describes exactly the server's routes.
 *
 * A small line-based reader (no YAML library) takes the `paths:` section of
 * the document: path keys at an indent of 2 spaces, HTTP method keys at 4
 * spaces under each.  The set of (method, path) is compared with
 * http_routes[] both ways, and every difference is named: a route missing
 * from the document, a documented route the router does not have. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../src/core/buf.h"
#include "../../src/http/http.h"
#include "../test.h"

#define OPENAPI_PATH HL_DATA_DIR "/../docs/openapi.yaml"

typedef struct {
    char method[8];   /* upper case: "GET" */
    char path[256];
} oa_route;

typedef struct {
    oa_route *v;
    size_t n, cap;
} oa_routes;

static void oa_free(oa_routes *r)
{
    free(r->v);
    memset(r, 0, sizeof *r);
}

static void oa_add(oa_routes *r, const char *method, const char *path)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 32;
        r->v = realloc(r->v, r->cap * sizeof *r->v);
        if (!r->v)
            ck_abort_msg("out of memory");
    }
    oa_route *x = &r->v[r->n++];
    size_t i = 0;
    for (; method[i] && i + 1 < sizeof x->method; i++)
        x->method[i] = (char)(method[i] >= 'a' && method[i] <= 'z' ? method[i] - 'a' + 'A'
                                                                   : method[i]);
    x->method[i] = '\0';
    size_t n = strlen(path) < sizeof x->path ? strlen(path) : sizeof x->path - 1;
    memcpy(x->path, path, n);
    x->path[n] = '\0';
}

/* --- the reader ------------------------------------------------------------- */

/* The key of a mapping line "KEY: …" or "KEY:" (a plain or quoted key),
 * into out; -1 when the line is no mapping key. */
static int line_key(const char *s, size_t n, char *out, size_t size)
{
    const char *end = s + n, *k = s, *k_end;
    if (n && (*s == '"' || *s == '\'')) {
        k = s + 1;
        k_end = memchr(k, *s, (size_t)(end - k));
        if (!k_end || k_end + 1 >= end || k_end[1] != ':')
            return -1;
    } else {
        for (s = k; s < end && !(*s == ':' && (s + 1 == end || s[1] == ' ' || s[1] == '\r'));
             s++)
            ;
        if (s == end)
            return -1;
        k_end = s;
        while (k_end > k && k_end[-1] == ' ')
            k_end--;
    }
    size_t len = (size_t)(k_end - k);
    if (!len || len >= size)
        return -1;
    memcpy(out, k, len);
    out[len] = '\0';
    return 0;
}

static int is_method(const char *k)
{
    static const char *const methods[] = {"get", "put", "post", "patch",
                                          "delete", "head", "options", "trace"};
    for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
        if (strcmp(k, methods[i]) == 0)
            return 1;
    return 0;
}

/* Every (method, path) of the `paths:` section of text into out. */
static void oa_parse(const char *text, oa_routes *out)
{
    char path[256] = "", key[256];
    int in_paths = 0;
    for (const char *s = text; *s;) {
        const char *eol = strchr(s, '\n');
        size_t n = eol ? (size_t)(eol - s) : strlen(s);
        size_t indent = strspn(s, " ");
        int blank = indent >= n || s[indent] == '#' || s[indent] == '\r';
        if (!blank && indent == 0) {
            in_paths = line_key(s, n, key, sizeof key) == 0 && strcmp(key, "paths") == 0;
            path[0] = '\0';
        } else if (!blank && in_paths && indent == 2) {
            if (line_key(s + 2, n - 2, path, sizeof path) != 0)
                path[0] = '\0';
        } else if (!blank && in_paths && indent == 4 && path[0] &&
                   line_key(s + 4, n - 4, key, sizeof key) == 0 && is_method(key)) {
            oa_add(out, key, path);
        }
        s += n + (eol != NULL);
    }
}

/* --- the comparison ----------------------------------------------------------- */

static int oa_has(const oa_routes *doc, const char *method, const char *path)
{
    for (size_t i = 0; i < doc->n; i++)
        if (strcasecmp(doc->v[i].method, method) == 0 && strcmp(doc->v[i].path, path) == 0)
            return 1;
    return 0;
}

static int router_has(const http_route *routes, size_t n, const oa_route *x)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(http_method_name(routes[i].method), x->method) == 0 &&
            strcmp(routes[i].pattern, x->path) == 0)
            return 1;
    return 0;
}

/* Name every difference between doc and routes in report, one a line;
 * returns how many there are. */
static size_t oa_compare(const oa_routes *doc, const http_route *routes, size_t n,
                         hl_buf *report)
{
    size_t diffs = 0;
    for (size_t i = 0; i < n; i++)
        if (!oa_has(doc, http_method_name(routes[i].method), routes[i].pattern)) {
            hl_buf_printf(report, "route missing from docs/openapi.yaml: %s %s\n",
                          http_method_name(routes[i].method), routes[i].pattern);
            diffs++;
        }
    for (size_t i = 0; i < doc->n; i++) {
        if (!router_has(routes, n, &doc->v[i])) {
            hl_buf_printf(report, "documented route not in http_routes[]: %s %s\n",
                          doc->v[i].method, doc->v[i].path);
            diffs++;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(doc->v[i].method, doc->v[j].method) == 0 &&
                strcmp(doc->v[i].path, doc->v[j].path) == 0) {
                hl_buf_printf(report, "route documented twice: %s %s\n", doc->v[i].method,
                              doc->v[i].path);
                diffs++;
            }
    }
    return diffs;
}

/* --- tests -------------------------------------------------------------------- */

START_TEST(test_openapi_matches_router)
{
    size_t len;
    char *text = th_read(OPENAPI_PATH, &len);
    ck_assert_msg(text != NULL, "cannot read %s", OPENAPI_PATH);
    oa_routes doc = {0};
    oa_parse(text, &doc);
    ck_assert_msg(doc.n > 0, "no route found under paths: in %s", OPENAPI_PATH);
    hl_buf report;
    hl_buf_init(&report, (size_t)1 << 20);
    size_t diffs = oa_compare(&doc, http_routes, http_n_routes, &report);
    ck_assert_msg(diffs == 0, "%zu difference(s) between docs/openapi.yaml and the router:\n%s",
                  diffs, hl_buf_str(&report));
    ck_assert_uint_eq(doc.n, http_n_routes);
    hl_buf_free(&report);
    oa_free(&doc);
    free(text);
}
END_TEST

/* "get" for "GET" (out: 8 bytes). */
static void lower(const char *m, char *out)
{
    size_t i = 0;
    for (; m[i] && i < 7; i++)
        out[i] = (char)(m[i] >= 'A' && m[i] <= 'Z' ? m[i] - 'A' + 'a' : m[i]);
    out[i] = '\0';
}

/* A document of the router's routes without routes[skip], plus one route
 * the router lacks, plus decoys the reader must not take. */
static void fake_document(hl_buf *b, size_t skip)
{
    hl_buf_adds(b, "openapi: 3.0.3\n# a comment\ninfo:\n  title: t\n"
                   "  /api/v1/in-info:\n    get:\n      summary: not a path\n"
                   "paths:\n\n");
    for (size_t i = 0; i < http_n_routes; i++) {
        int seen = 0;
        for (size_t j = 0; j < i; j++)
            seen |= strcmp(http_routes[j].pattern, http_routes[i].pattern) == 0;
        if (seen)
            continue;
        /* quoted and plain keys both occur in real documents */
        hl_buf_printf(b, i % 2 ? "  \"%s\":   # note\n" : "  %s:\n", http_routes[i].pattern);
        hl_buf_adds(b, "    parameters: []\n");
        for (size_t j = i; j < http_n_routes; j++) {
            if (j == skip || strcmp(http_routes[j].pattern, http_routes[i].pattern) != 0)
                continue;
            char m[8];
            lower(http_method_name(http_routes[j].method), m);
            hl_buf_printf(b, "    %s:\n      summary: s\n      responses:\n", m);
            hl_buf_adds(b, "        \"200\":\n          description: ok\n");
        }
    }
    hl_buf_adds(b, "  /api/v1/not-routed:\n    delete:\n      summary: extra\n"
                   "components:\n  /api/v1/in-components:\n    post:\n      summary: no\n");
}

START_TEST(test_openapi_comparison_fails)
{
    /* the route to leave out: DELETE /api/v1/session, one of several
     * methods of its path */
    size_t skip = http_n_routes;
    for (size_t i = 0; i < http_n_routes; i++)
        if (http_routes[i].method == HM_DELETE && strcmp(http_routes[i].pattern, "/api/v1/session") == 0)
            skip = i;
    ck_assert_uint_lt(skip, http_n_routes);
    hl_buf text, report;
    hl_buf_init(&text, (size_t)1 << 20);
    hl_buf_init(&report, (size_t)1 << 20);
    fake_document(&text, skip);
    oa_routes doc = {0};
    oa_parse(hl_buf_str(&text), &doc);
    ck_assert_uint_eq(doc.n, http_n_routes); /* one left out, one extra */
    size_t diffs = oa_compare(&doc, http_routes, http_n_routes, &report);
    ck_assert_msg(diffs == 2, "expected 2 differences, got %zu:\n%s\n--- document:\n%s", diffs,
                  hl_buf_str(&report), hl_buf_str(&text));
    ck_assert(th_has(hl_buf_str(&report),
                     "route missing from docs/openapi.yaml: DELETE /api/v1/session\n"));
    ck_assert(th_has(hl_buf_str(&report),
                     "documented route not in http_routes[]: DELETE /api/v1/not-routed\n"));
    ck_assert(!th_has(hl_buf_str(&report), "in-info"));
    ck_assert(!th_has(hl_buf_str(&report), "in-components"));
    hl_buf_free(&text);
    hl_buf_free(&report);
    oa_free(&doc);
}
END_TEST

START_TEST(test_openapi_reader)
{
    static const char doc_text[] =
        "openapi: 3.0.3\r\n"
        "paths:\r\n"
        "  /a/{x}:\r\n"
        "    get:\r\n"
        "      summary: 'post:'\r\n"
        "    # put:\r\n"
        "    parameters:\r\n"
        "  '/b.json':  # comment\r\n"
        "\r\n"
        "    post:\r\n"
        "    Patch:\r\n"
        "    delete: {}\r\n"
        "security: []\r\n"
        "    put:\r\n";
    oa_routes doc = {0};
    oa_parse(doc_text, &doc);
    ck_assert_uint_eq(doc.n, 3);
    ck_assert_str_eq(doc.v[0].method, "GET");
    ck_assert_str_eq(doc.v[0].path, "/a/{x}");
    ck_assert_str_eq(doc.v[1].method, "POST");
    ck_assert_str_eq(doc.v[1].path, "/b.json");
    ck_assert_str_eq(doc.v[2].method, "DELETE");
    ck_assert_str_eq(doc.v[2].path, "/b.json");
    oa_free(&doc);
}
END_TEST

Suite *suite_openapi(void)
{
    Suite *s = suite_create("openapi");
    TCase *tc = tcase_create("openapi");
    tcase_add_test(tc, test_openapi_matches_router);
    tcase_add_test(tc, test_openapi_comparison_fails);
    tcase_add_test(tc, test_openapi_reader);
    suite_add_tcase(s, tc);
    return s;
}
