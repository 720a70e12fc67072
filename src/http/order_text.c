/* order_text.c — orders and appeals as JSON text, written straight into the
 * response buffer.  Lists and the order page are the busiest reads; building
 * them as jansson trees and dumping them was half their time (measured),
 * and a stored event body is already canonical JSON members that can be
 * copied as they are.  Only a body whose citizen must be masked is parsed. */
#include <stdlib.h>
#include <string.h>

#include "../core/privacy.h"
#include "../core/timeutil.h"
#include "orders.h"

/* ,"key": */
static hl_rc key(hl_buf *b, const char *k)
{
    return hl_buf_printf(b, ",\"%s\":", k);
}

static hl_rc str_member(hl_buf *b, const char *k, const char *v)
{
    hl_rc rc = key(b, k);
    if (rc)
        return rc;
    return v ? hl_buf_add_json_str(b, v) : hl_buf_adds(b, "null");
}

static hl_rc time_member(http_req *r, hl_buf *b, const char *k, int64_t t)
{
    char s[HL_TIME_STRLEN];
    if (!t)
        return str_member(b, k, NULL);
    hl_time_format(t, r->app->rules.offset_min, s);
    return str_member(b, k, s);
}

static hl_rc enum_member(hl_buf *b, const char *k, const hl_enum *e, int v)
{
    return str_member(b, k, v >= 0 && v < e->count ? hl_enum_name(e, v) : NULL);
}

static hl_rc int_member(hl_buf *b, const char *k, int64_t v)
{
    return key(b, k) || hl_buf_printf(b, "%lld", (long long)v) ? HL_ENOMEM : HL_OK;
}

static hl_rc bool_member(hl_buf *b, const char *k, int v)
{
    return key(b, k) || hl_buf_adds(b, v ? "true" : "false") ? HL_ENOMEM : HL_OK;
}

hl_rc http_unit_member(http_req *r, hl_buf *b, const char *k, int64_t id)
{
    const hl_unit *u = hl_units_get(&r->app->units, id);
    if (!u)
        return str_member(b, k, NULL);
    if (key(b, k) || hl_buf_adds(b, "{\"code\":") || hl_buf_add_json_str(b, u->code) ||
        hl_buf_adds(b, ",\"name\":") || hl_buf_add_json_str(b, u->name) || hl_buf_addc(b, '}'))
        return HL_ENOMEM;
    return HL_OK;
}

/* An open order's working days left until its deadline's day: 0 when due
 * today, -n when n working days late.  null when the order is not open, has
 * no deadline, or a day between has no calendar (never a guess). */
static hl_rc days_left_member(http_req *r, hl_buf *b, const hl_order *o, int open)
{
    enum { SPAN_MAX = 400 };   /* days looked at; farther is no deadline a unit works to */
    int64_t today = hl_local_day(r->now, r->app->rules.offset_min);
    int64_t due = hl_local_day(o->deadline, r->app->rules.offset_min);
    int64_t lo = due < today ? due : today, hi = due < today ? today : due;
    int n = 0, working = 0, known = open && o->deadline && hi - lo <= SPAN_MAX;
    hl_err err = {0};
    for (int64_t d = lo + 1; known && d <= hi; d++) {
        known = hl_calendar_is_working(r->app->cal, d, &working, &err) == HL_OK;
        n += working;
    }
    if (!known)
        return key(b, "working_days_left") || hl_buf_adds(b, "null") ? HL_ENOMEM : HL_OK;
    return int_member(b, "working_days_left", due < today ? -n : n);
}

hl_rc http_order_text(http_req *r, const hl_order *o, hl_buf *b)
{
    int open = o->state == ST_DISPATCHED || o->state == ST_SIGNED;
    hl_rc rc = hl_buf_adds(b, "{\"number\":") || hl_buf_add_json_str(b, o->number) ? HL_ENOMEM
                                                                                    : HL_OK;
    rc = rc ? rc : int_member(b, "version", o->version);
    rc = rc ? rc : str_member(b, "state", hl_state_name(o->state));
    rc = rc ? rc : str_member(b, "state_label", hl_state_label(o->state));
    rc = rc ? rc : enum_member(b, "channel", &hl_channel_enum, o->channel);
    rc = rc ? rc : enum_member(b, "line", &hl_line_enum, o->line);
    rc = rc ? rc : enum_member(b, "nature", &hl_nature_enum, o->nature);
    rc = rc ? rc : enum_member(b, "urgency", &hl_urgency_enum, o->urgency);
    rc = rc ? rc : time_member(r, b, "created_at", o->created_at);
    rc = rc ? rc : http_unit_member(r, b, "unit", o->unit);
    rc = rc ? rc : http_unit_member(r, b, "handler", o->handler);
    rc = rc ? rc : time_member(r, b, "dispatched_at", o->dispatched_at);
    rc = rc ? rc : time_member(r, b, "deadline", o->deadline);
    rc = rc ? rc : bool_member(b, "overdue", open && o->deadline && o->deadline < r->now);
    rc = rc ? rc : days_left_member(r, b, o, open);
    rc = rc ? rc : bool_member(b, "pending_return", o->pending_return);
    rc = rc ? rc : bool_member(b, "pending_extension", o->pending_extension);
    rc = rc ? rc : time_member(r, b, "pending_until", o->pending_until);
    rc = rc ? rc : int_member(b, "reworks", o->reworks);
    rc = rc ? rc : time_member(r, b, "reply_at", o->reply_at);
    rc = rc ? rc : time_member(r, b, "closed_at", o->closed_at);
    rc = rc ? rc : int_member(b, "callbacks", o->callbacks);
    rc = rc ? rc : bool_member(b, "dissatisfied_open", o->dissatisfied_open);
    rc = rc ? rc : int_member(b, "supervisions_open", o->supervisions_open);
    return rc ? rc : time_member(r, b, "last_at", o->last_at);
}

hl_rc http_order_object(http_req *r, const hl_order *o, hl_buf *b)
{
    hl_rc rc = http_order_text(r, o, b);
    return rc ? rc : hl_buf_addc(b, '}') ? HL_ENOMEM : HL_OK;
}

/* The end of the JSON value at p (valid JSON: the store wrote it). */
static const char *skip_value(const char *p)
{
    int depth = 0;
    do {
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++)
                if (*p == '\\' && p[1])
                    p++;
        } else if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            depth--;
        } else if (!depth) {
            while (*p && *p != ',' && *p != '}' && *p != ']')
                p++;
            return p;
        }
        if (*p)
            p++;
    } while (*p && depth > 0);
    return p;
}

/* Write the citizen object text c[0..n) with name and phone masked. */
static hl_rc masked_citizen(const char *c, size_t n, hl_buf *b)
{
    json_t *j = json_loadb(c, n, 0, NULL);
    const char *name = json_string_value(json_object_get(j, "name"));
    const char *phone = json_string_value(json_object_get(j, "phone"));
    char mn[HL_MASK_MAX], mp[HL_MASK_MAX];
    hl_rc rc = hl_buf_addc(b, '{');
    if (name) {
        hl_mask_name(name, mn, sizeof mn);
        rc = rc ? rc : hl_buf_adds(b, "\"name\":");
        rc = rc ? rc : hl_buf_add_json_str(b, mn);
    }
    if (phone) {
        hl_mask_phone(phone, mp, sizeof mp);
        rc = rc ? rc : hl_buf_adds(b, name ? ",\"phone\":" : "\"phone\":");
        rc = rc ? rc : hl_buf_add_json_str(b, mp);
    }
    json_decref(j);
    return rc ? rc : hl_buf_addc(b, '}');
}

hl_rc http_body_members(const char *body, int masked, hl_buf *b)
{
    static const char key[] = "\"citizen\":";
    const char *p = body;
    if (!masked)
        return hl_buf_adds(b, body);
    /* walk the top-level members: only the citizen's value is rewritten */
    while (*p) {
        const char *colon = skip_value(p); /* the key */
        const char *end = skip_value(colon + 1);
        hl_rc rc;
        if ((size_t)(colon + 1 - p) == sizeof key - 1 && memcmp(p, key, sizeof key - 1) == 0)
            rc = hl_buf_add(b, p, sizeof key - 1) || masked_citizen(colon + 1, (size_t)(end - colon - 1), b)
                     ? HL_ENOMEM : HL_OK;
        else
            rc = hl_buf_add(b, p, (size_t)(end - p));
        if (rc || (*end == ',' && (rc = hl_buf_addc(b, ','))))
            return rc ? rc : HL_ENOMEM;
        p = *end ? end + 1 : end;
    }
    return HL_OK;
}
