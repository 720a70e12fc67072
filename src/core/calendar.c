#include "calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeutil.h"

void hl_calendar_init(hl_calendar *c)
{
    memset(c, 0, sizeof *c);
}

static int year_slot(int year)
{
    return year >= HL_CAL_FIRST_YEAR && year < HL_CAL_FIRST_YEAR + HL_CAL_YEARS
               ? year - HL_CAL_FIRST_YEAR
               : -1;
}

/* "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD" → [from, to] in days. */
static int parse_range(char *s, int64_t *from, int64_t *to)
{
    char *dots = strstr(s, "..");
    if (dots) {
        *dots = '\0';
        return hl_date_parse(s, from) || hl_date_parse(dots + 2, to) || *to < *from;
    }
    if (hl_date_parse(s, from))
        return -1;
    *to = *from;
    return 0;
}

/* Weekday of a day count: 0 = Monday (1970-01-01 was a Thursday). */
static int weekday(int64_t day)
{
    return (int)(((day % 7) + 7 + 3) % 7);
}

static hl_rc apply_line(unsigned char *days, int year, char *line, int lineno, hl_err *err)
{
    char word[16], arg[64], extra[2];
    int n = sscanf(line, "%15s %63s %1s", word, arg, extra);
    int64_t from, to, jan1 = hl_days_from_civil(year, 1, 1);
    int is_holiday = strcmp(word, "holiday") == 0;
    if (n != 2 || (!is_holiday && strcmp(word, "workday") != 0) || parse_range(arg, &from, &to))
        return hl_fail(err, HL_ECONFIG, "日历第 %d 行无法识别：%.60s", lineno, line);
    for (int64_t d = from; d <= to; d++) {
        int y, m, dd;
        hl_civil_from_days(d, &y, &m, &dd);
        if (y != year)
            return hl_fail(err, HL_ECONFIG, "日历第 %d 行：日期不属于 %d 年", lineno, year);
        days[d - jan1] = (unsigned char)!is_holiday;
    }
    return HL_OK;
}

hl_rc hl_calendar_load(hl_calendar *c, const char *text, int *year_out, hl_err *err)
{
    unsigned char days[366];
    int year = 0, lineno = 0;
    char *copy = strdup(text), *save = NULL;
    hl_rc rc = copy ? HL_OK : HL_ENOMEM;
    for (char *line = copy ? strtok_r(copy, "\n", &save) : NULL; line && !rc;
         line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        if (strspn(line, " \t\r") == strlen(line))
            continue;
        if (!year) {
            if (sscanf(line, "year %d", &year) != 1 || year_slot(year) < 0) {
                rc = hl_fail(err, HL_ECONFIG, "日历第 %d 行：应以“year YYYY”开头", lineno);
                break;
            }
            int64_t jan1 = hl_days_from_civil(year, 1, 1);
            int len = (int)(hl_days_from_civil(year + 1, 1, 1) - jan1);
            for (int i = 0; i < len; i++)
                days[i] = weekday(jan1 + i) < 5;
            continue;
        }
        rc = apply_line(days, year, line, lineno, err);
    }
    free(copy);
    if (!rc && !year)
        rc = hl_fail(err, HL_ECONFIG, "日历文件为空：缺少“year YYYY”");
    if (rc)
        return rc;
    int s = year_slot(year);
    memcpy(c->working[s], days, sizeof days);
    c->loaded[s] = 1;
    if (year_out)
        *year_out = year;
    return HL_OK;
}

hl_rc hl_calendar_is_working(const hl_calendar *c, int64_t day, int *working, hl_err *err)
{
    int y, m, d;
    hl_civil_from_days(day, &y, &m, &d);
    int s = year_slot(y);
    if (s < 0 || !c->loaded[s])
        return hl_fail(err, HL_ENOCALENDAR, "缺少 %d 年的工作日历，无法计算办理时限（请管理员导入 %d 年节假日安排）", y, y);
    *working = c->working[s][day - hl_days_from_civil(y, 1, 1)];
    return HL_OK;
}

hl_rc hl_calendar_add_working(const hl_calendar *c, int64_t day, int n, int64_t *out,
                              hl_err *err)
{
    while (n > 0) {
        int w;
        day++;
        hl_rc rc = hl_calendar_is_working(c, day, &w, err);
        if (rc)
            return rc;
        n -= w;
    }
    *out = day;
    return HL_OK;
}
