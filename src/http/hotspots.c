/* hotspots.c — GET /api/v1/hotspots: the hot spots (热点焦点) of the
 * appeals received in a window, for the manager's dashboard and the
 * bulletin's proposals (text/hotspot.h; each appeal read as its location
 * and the start of its content). */
#include <stdlib.h>
#include <string.h>

#include "../text/hotspot.h"
#include "routes.h"

#define TOP_MAX 50
#define MEMBERS_SHOWN 20
#define UNITS_SHOWN 5

typedef struct {
    char *subject, *id, *number, *unit;  /* owned */
} row;

typedef struct {
    row *rows;
    hs_msg *msgs;          /* msgs[i].subject is rows[i].subject */
    size_t n, cap, cap_msgs;
    int subject_chars;
} window;

static void window_free(window *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->rows[i].subject), free(w->rows[i].id), free(w->rows[i].number),
            free(w->rows[i].unit);
    free(w->rows), free(w->msgs);
}

/* "location：content" cut to subject_chars characters of content. */
static char *subject_of(const store_text_recent_item *it, int chars)
{
    const char *c = it->content ? it->content : "";
    size_t n = 0;
    for (int k = 0; c[n] && k < chars; k++)
        do
            n++;
        while (((unsigned char)c[n] & 0xC0) == 0x80);
    size_t l = it->location ? strlen(it->location) : 0;
    char *s = malloc(l + n + 4);
    if (s) {
        memcpy(s, it->location ? it->location : "", l);
        memcpy(s + l, "：", 3);
        memcpy(s + l + 3, c, n);
        s[l + n + 3] = '\0';
    }
    return s;
}

static hl_rc add(const store_text_recent_item *it, void *arg)
{
    window *w = arg;
    if (hl_grow(&w->rows, &w->cap, w->n, sizeof *w->rows, 1024) ||
        hl_grow(&w->msgs, &w->cap_msgs, w->n, sizeof *w->msgs, 1024))
        return HL_ENOMEM;
    row *x = &w->rows[w->n++];
    *x = (row){subject_of(it, w->subject_chars), strdup(it->appeal_id), strdup(it->order_number),
               strdup(it->unit ? it->unit : "")};
    if (!x->subject || !x->id || !x->number || !x->unit)
        return HL_ENOMEM;
    w->msgs[w->n - 1] = (hs_msg){x->subject, it->at, 0, 0};
    return HL_OK;
}

/* The units of a spot's orders, most orders first. */
static json_t *units_json(http_req *r, const window *w, const hs_spot *s)
{
    const char *code[UNITS_SHOWN * 4];
    size_t count[UNITS_SHOWN * 4], n = 0;
    for (size_t j = 0; j < s->n; j++) {
        const char *u = w->rows[s->members[j]].unit;
        size_t k = 0;
        while (k < n && strcmp(code[k], u) != 0)
            k++;
        if (!*u || (k == n && n == UNITS_SHOWN * 4))
            continue;
        if (k == n)
            code[n] = u, count[n++] = 0;
        count[k]++;
    }
    json_t *a = json_array();
    for (size_t shown = 0; a && shown < UNITS_SHOWN && n; shown++) {
        size_t best = 0;
        for (size_t k = 1; k < n; k++)
            if (count[k] > count[best])
                best = k;
        if (!count[best])
            break;
        int64_t id = hl_units_find(&r->app->units, code[best]);
        const hl_unit *u = id ? hl_units_get(&r->app->units, id) : NULL;
        json_array_append_new(a, json_pack("{s:s, s:s, s:I}", "code", code[best], "name",
                                           u ? u->name : "", "count", (json_int_t)count[best]));
        count[best] = 0;
    }
    return a;
}

static json_t *spot_json(http_req *r, const window *w, const hs_spot *s, size_t rank)
{
    json_t *members = json_array();
    for (size_t j = 0; members && j < s->n && j < MEMBERS_SHOWN; j++) {
        size_t m = s->members[s->n - 1 - j]; /* newest first */
        json_array_append_new(members, json_pack("{s:s, s:s}", "appeal_id", w->rows[m].id,
                                                 "number", w->rows[m].number));
    }
    char desc[2 * HS_PHRASE_MAX];
    snprintf(desc, sizeof desc, "%s%s", s->place, s->matter);
    pthread_rwlock_rdlock(&r->app->ctx_lock);
    json_t *units = units_json(r, w, s);
    pthread_rwlock_unlock(&r->app->ctx_lock);
    return json_pack("{s:I, s:f, s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:o, s:o}", "rank",
                     (json_int_t)rank, "heat", s->heat, "place", s->place, "kind",
                     s->crowd ? "crowd" : "place", "matter", s->matter, "description", desc,
                     "first", http_time(r, s->first), "last", http_time(r, s->last), "count",
                     (json_int_t)s->n, "appeals", members, "units", units);
}

/* The window and size asked: 0, or -1 with the error answered. */
static int hotspot_query(http_req *r, hs_params *p, int64_t *from, int64_t *to, int64_t *top)
{
    static const char *const params[] = {"from", "to", "top"};
    const char *from_s = http_query(r, "from"), *to_s = http_query(r, "to");
    *to = r->now + 1; /* default: up to now, inclusive */
    if (http_reach(r, ACT_ASSESS) != REACH_ALL) {
        http_error(r, 403, "forbidden", "只有管理人员可以查看热点");
        return -1;
    }
    if (http_query_only(r, params, 3) || http_query_int(r, "top", 1, TOP_MAX, 10, top) ||
        (to_s && http_parse_time(r, "to", to_s, to)))
        return -1;
    if (http_text_hotspot_params(r->app, p, &r->err)) {
        http_fail(r, &r->err);
        return -1;
    }
    *from = *to - (int64_t)(p->window_days * 86400);
    if ((from_s && http_parse_time(r, "from", from_s, from)))
        return -1;
    if (*from >= *to) {
        http_error(r, 400, "invalid_input", "from 应早于 to");
        return -1;
    }
    return 0;
}

static void find_spots(http_req *r, const hs_params *p, int64_t from, int64_t to, int64_t top)
{
    window w = {.subject_chars = p->subject_chars};
    hs_spots spots = {0};
    hl_rc rc = store_begin_read(r->store, &r->err);
    if (!rc) {
        rc = store_text_window(r->store, from, to, p->scan_max, add, &w, &r->err);
        store_rollback(r->store);
        if (rc == HL_ENOMEM)
            hl_fail(&r->err, rc, "内存不足");
    }
    if (!rc)
        rc = hs_find(p, w.msgs, w.n, to, (size_t)top, &spots, &r->err);
    if (rc) {
        window_free(&w);
        http_fail(r, &r->err);
        return;
    }
    json_t *a = json_array();
    for (size_t i = 0; a && i < spots.n; i++)
        json_array_append_new(a, spot_json(r, &w, &spots.v[i], i + 1));
    http_json(r, 200, json_pack("{s:o, s:o, s:I, s:o}", "from", http_time(r, from), "to",
                                http_time(r, to), "appeals", (json_int_t)w.n, "hotspots", a));
    hs_spots_free(&spots);
    window_free(&w);
}

/* The live hot spots (no from, no to: the dashboard's, opened all day) take
 * seconds of CPU at a province's scale: found again at most every
 * refresh_minutes, the answer saying the window it covers. */
void h_hotspots(http_req *r)
{
    hs_params p;
    int64_t from, to, top, found;
    if (hotspot_query(r, &p, &from, &to, &top))
        return;
    int live = !http_query(r, "from") && !http_query(r, "to") && p.refresh_minutes > 0;
    char key[48];
    snprintf(key, sizeof key, "hotspots\x1f%lld", (long long)top);
    if (live && http_cache_get_lasting(r->app->lists, key, r->app->reload_gen, &found, &r->out) &&
        r->now - found < (int64_t)p.refresh_minutes * 60) {
        r->status = 200;
        return;
    }
    find_spots(r, &p, from, to, top);
    if (live && r->status == 200)
        http_cache_put_lasting(r->app->lists, key, r->now, r->app->reload_gen, &r->out);
}
