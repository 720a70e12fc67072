#include "timeutil.h"

#include <stdio.h>
#include <string.h>

/* Howard Hinnant's days_from_civil / civil_from_days, proleptic Gregorian. */
int64_t hl_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void hl_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int hl_days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return 29;
    return dim[m - 1];
}

/* Read exactly n decimal digits. */
static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

static int expect(const char **p, char c)
{
    if (**p != c)
        return -1;
    (*p)++;
    return 0;
}

static int parse_date(const char **p, int *y, int *mo, int *d)
{
    if (digits(p, 4, y) || expect(p, '-') || digits(p, 2, mo) || expect(p, '-') ||
        digits(p, 2, d))
        return -1;
    if (*mo < 1 || *mo > 12 || *d < 1 || *d > hl_days_in_month(*y, *mo))
        return -1;
    return 0;
}

hl_rc hl_date_parse(const char *s, int64_t *days)
{
    int y, mo, d;
    if (parse_date(&s, &y, &mo, &d) || *s)
        return HL_EINVAL;
    *days = hl_days_from_civil(y, mo, d);
    return HL_OK;
}

hl_rc hl_time_parse(const char *s, int64_t *out, hl_err *err)
{
    const char *p = s;
    int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
    if (parse_date(&p, &y, &mo, &d))
        goto bad;
    if (*p != 'T' && *p != 't' && *p != ' ')
        goto bad;
    p++;
    if (digits(&p, 2, &h) || expect(&p, ':') || digits(&p, 2, &mi) || expect(&p, ':') ||
        digits(&p, 2, &se) || h > 23 || mi > 59 || se > 59)
        goto bad;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            goto bad;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p == '-' ? -1 : 1;
        p++;
        if (digits(&p, 2, &oh) || expect(&p, ':') || digits(&p, 2, &om) || oh > 23 ||
            om > 59)
            goto bad;
    } else {
        return hl_fail(err, HL_EINVAL, "时间“%.40s”缺少时区偏移（应如 2024-05-06T09:30:00+08:00）", s);
    }
    if (*p)
        goto bad;
    if (y < 1000 || y > 9998) /* keeps every local date printable as four digits */
        return hl_fail(err, HL_EINVAL, "时间“%.40s”超出范围（1000–9998 年）", s);
    *out = hl_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
           sign * (oh * 3600 + om * 60);
    return HL_OK;
bad:
    return hl_fail(err, HL_EINVAL, "时间“%.40s”不是 RFC 3339 格式（应如 2024-05-06T09:30:00+08:00）", s);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int64_t hl_local_day(int64_t t, int offset_min)
{
    return floor_div(t + (int64_t)offset_min * 60, 86400);
}

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

void hl_time_format(int64_t t, int offset_min, char *out)
{
    int64_t local = t + (int64_t)offset_min * 60;
    int64_t days = floor_div(local, 86400);
    int64_t secs = local - days * 86400;
    int y, m, d;
    hl_civil_from_days(days, &y, &m, &d);
    int off = offset_min < 0 ? -offset_min : offset_min;
    /* by hand, not snprintf: this runs twice per imported event */
    put2(out, y / 100 % 100);
    put2(out + 2, y % 100);
    out[4] = '-';
    put2(out + 5, m);
    out[7] = '-';
    put2(out + 8, d);
    out[10] = 'T';
    put2(out + 11, (int)(secs / 3600));
    out[13] = ':';
    put2(out + 14, (int)(secs / 60 % 60));
    out[16] = ':';
    put2(out + 17, (int)(secs % 60));
    out[19] = offset_min < 0 ? '-' : '+';
    put2(out + 20, off / 60 % 100);
    out[22] = ':';
    put2(out + 23, off % 60);
    out[HL_TIME_STRLEN - 1] = '\0';
}

int64_t hl_day_start(int64_t day, int offset_min)
{
    return day * 86400 - (int64_t)offset_min * 60;
}
