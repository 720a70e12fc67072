#include "ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeutil.h"

hl_rc hl_severely_overdue(const hl_rules *r, const hl_calendar *cal, int64_t deadline, int64_t t,
                          int *severe, hl_err *err)
{
    int64_t day;
    *severe = 0;
    if (t <= deadline) /* not late at all: no calendar needed */
        return HL_OK;
    hl_rc rc = hl_calendar_add_working(cal, hl_local_day(deadline, r->offset_min),
                                       r->overdue_working_days, &day, err);
    if (rc)
        return rc;
    *severe = t > (day + 1) * 86400 - 1 - (int64_t)r->offset_min * 60;
    return HL_OK;
}

void hl_points_format(int64_t tenths, char *out, size_t size)
{
    int64_t a = tenths < 0 ? -tenths : tenths;
    const char *sign = tenths < 0 ? "-" : "+";
    if (a % 10)
        snprintf(out, size, "%s%lld.%lld", sign, (long long)(a / 10), (long long)(a % 10));
    else
        snprintf(out, size, "%s%lld", sign, (long long)(a / 10));
}

hl_rc hl_points_parse(const char *s, int64_t *tenths)
{
    char *end;
    int neg = *s == '-';
    const char *p = s + (*s == '-' || *s == '+');
    if (*p < '0' || *p > '9')
        return HL_EINVAL;
    long long whole = strtoll(p, &end, 10), frac = 0;
    if (*end == '.') {
        if (end[1] < '0' || end[1] > '9' || end[2])
            return HL_EINVAL;
        frac = end[1] - '0';
    } else if (*end) {
        return HL_EINVAL;
    }
    if (whole > 1000 || frac % 5)
        return HL_EINVAL;
    *tenths = (neg ? -1 : 1) * (whole * 10 + frac);
    return *tenths ? HL_OK : HL_EINVAL;
}

hl_rc hl_ledger_detail(const char *tpl, const char *grade, int64_t points, const char *refs,
                       hl_buf *out)
{
    char pts[32];
    hl_points_format(points < 0 ? -points : points, pts, sizeof pts);
    hl_rc rc = HL_OK;
    for (const char *p = tpl; *p && !rc;) {
        const char *value = NULL;
        size_t skip = 0;
        if (strncmp(p, "{grade}", 7) == 0)
            value = grade, skip = 7;
        else if (strncmp(p, "{points}", 8) == 0)
            value = pts + 1, skip = 8; /* without the sign */
        else if (strncmp(p, "{refs}", 6) == 0)
            value = refs, skip = 6;
        if (value) {
            rc = hl_buf_adds(out, value ? value : "");
            p += skip;
        } else {
            rc = hl_buf_addc(out, *p++);
        }
    }
    return rc;
}
