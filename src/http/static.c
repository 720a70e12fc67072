/* static.c — the web application's files under --web DIR.  Paths are
 * checked segment by segment (no "..", no hidden files); an unknown path
 * that is not a file gets index.html, so the single-page app's own routes
 * load it. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "routes.h"

static const char *mime_of(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".json", "application/json"},
        {".svg", "image/svg+xml"},             {".png", "image/png"},
        {".ico", "image/x-icon"},              {".woff2", "font/woff2"},
        {".woff", "font/woff"},                {".txt", "text/plain; charset=utf-8"},
        {".map", "application/json"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

/* An absolute path (the server may be handed "../x" as a request target)
 * of short segments, none hidden or "..", no backslash or control byte. */
static int path_safe(const char *p)
{
    if (p[0] != '/' || strlen(p) > 512)
        return 0;
    for (const char *s = p; *s; s++)
        if ((s[0] == '/' && s[1] == '.') || s[0] == '\\' || (unsigned char)s[0] < 0x20)
            return 0;
    return 1;
}

/* 1 when path is a regular file inside root (both resolved: no symlink or
 * odd name leads out of the web directory). */
static int file_within(const char *root, const char *path)
{
    struct stat st;
    char real[PATH_MAX];
    size_t n = strlen(root);
    if (!realpath(path, real) || stat(real, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    return strncmp(real, root, n) == 0 && real[n] == '/';
}

void h_static(http_req *r)
{
    char path[PATH_MAX + 600], root[PATH_MAX];
    const char *p = r->path;
    if (!path_safe(p) || !realpath(r->app->web_dir, root)) {
        http_error(r, 404, "not_found", "没有这个地址");
        return;
    }
    snprintf(path, sizeof path, "%s%s", root, p);
    if (strcmp(p, "/") == 0 || !file_within(root, path))
        snprintf(path, sizeof path, "%s/index.html", root);
    if (!file_within(root, path)) {
        http_error(r, 404, "not_found", "网页应用未构建（缺少 %s）", "index.html");
        return;
    }
    if (!(r->file_path = strdup(path))) {
        http_error(r, 500, "out_of_memory", "内存不足");
        return;
    }
    r->content_type = mime_of(path);
    /* Vite names each built file by its content's hash (/assets/…): it
     * never changes, so browsers keep it (and their compiled code) and a
     * page load fetches only index.html, which is revalidated each time */
    if (strncmp(p, "/assets/", 8) == 0 && strcmp(path + strlen(root), p) == 0)
        snprintf(r->cache, sizeof r->cache, "public, max-age=%ld, immutable",
                 r->app->cfg.static_max_age_s);
    else
        snprintf(r->cache, sizeof r->cache, "no-cache");
    r->status = 200;
}
