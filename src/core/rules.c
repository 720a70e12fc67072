#include <stdio.h>
#include <string.h>

#include "event.h"
#include "rules_int.h"
#include "timeutil.h"

static hl_rc parse_offset(const char *s, int *out, hl_err *err)
{
    int h, m;
    char sign, end;
    if (!s || strlen(s) != 6 || strspn(s + 1, "0123456789:") != 5 || s[3] != ':' ||
        sscanf(s, "%c%2d:%2d%c", &sign, &h, &m, &end) != 3 || (sign != '+' && sign != '-') ||
        h > 14 || m > 59)
        return hl_fail(err, HL_ECONFIG, "规则 utc_offset 应形如 +08:00");
    *out = (sign == '-' ? -1 : 1) * (h * 60 + m);
    return HL_OK;
}

static hl_rc parse_when(json_t *when, hl_time_limit *l, size_t i, hl_err *err)
{
    static const struct {
        const char *key;
        const hl_enum *en;
        size_t off;
    } keys[] = {{"channel", &hl_channel_enum, offsetof(hl_time_limit, channel)},
                {"nature", &hl_nature_enum, offsetof(hl_time_limit, nature)},
                {"urgency", &hl_urgency_enum, offsetof(hl_time_limit, urgency)}};
    const char *key;
    json_t *v;
    l->channel = l->nature = l->urgency = HL_ENUM_NONE;
    if (!json_is_object(when))
        return hl_fail(err, HL_ECONFIG, "规则 time_limits[%zu].when 应为对象", i);
    json_object_foreach(when, key, v) {
        size_t k = 0;
        while (k < 3 && strcmp(keys[k].key, key) != 0)
            k++;
        int x = k < 3 && json_is_string(v) ? hl_enum_parse(keys[k].en, json_string_value(v))
                                           : HL_ENUM_NONE;
        if (x == HL_ENUM_NONE)
            return hl_fail(err, HL_ECONFIG, "规则 time_limits[%zu].when.%s 无效", i, key);
        *(int *)((char *)l + keys[k].off) = x;
    }
    return HL_OK;
}

static hl_rc parse_limits(json_t *arr, hl_rules *r, hl_err *err)
{
    size_t i;
    json_t *x;
    if (!json_is_array(arr) || json_array_size(arr) == 0 ||
        json_array_size(arr) > HL_RULES_MAX_LIMITS)
        return hl_fail(err, HL_ECONFIG, "规则 time_limits 应为 1–%d 条的数组", HL_RULES_MAX_LIMITS);
    json_array_foreach(arr, i, x) {
        hl_time_limit *l = &r->limits[i];
        json_t *hours = json_object_get(x, "hours"), *days = json_object_get(x, "working_days");
        if (parse_when(json_object_get(x, "when"), l, i, err))
            return err->rc;
        json_int_t h = json_is_integer(hours) ? json_integer_value(hours) : 0,
                   w = json_is_integer(days) ? json_integer_value(days) : 0;
        if ((hours != NULL) == (days != NULL) || h < 0 || w < 0 || h + w <= 0 || h > 24 * 366 ||
            w > 250)
            return hl_fail(err, HL_ECONFIG,
                           "规则 time_limits[%zu] 须且只须有 hours（至多 8784）或 working_days（至多 250）",
                           i);
        l->hours = (int)h; /* range checked above, before narrowing */
        l->working_days = (int)w;
    }
    r->n_limits = json_array_size(arr);
    const hl_time_limit *last = &r->limits[r->n_limits - 1];
    if (last->channel != HL_ENUM_NONE || last->nature != HL_ENUM_NONE ||
        last->urgency != HL_ENUM_NONE)
        return hl_fail(err, HL_ECONFIG, "规则 time_limits 的最后一条应不带条件（兜底时限）");
    return HL_OK;
}

/* A misspelt section would otherwise be stored and silently ignored. */
static hl_rc known_sections(json_t *root, hl_err *err)
{
    static const char *const known[] = {"utc_offset", "time_limits", "assessment", "ledger",
                                        "figures", "comment"};
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        size_t i = 0;
        while (i < sizeof known / sizeof known[0] && strcmp(known[i], key) != 0)
            i++;
        if (i == sizeof known / sizeof known[0])
            return hl_fail(err, HL_ECONFIG, "规则文件中有未知的项 %.64s", key);
    }
    return HL_OK;
}

hl_rc hl_rules_parse(hl_rules *r, const char *text, hl_err *err)
{
    json_error_t jerr;
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    memset(r, 0, sizeof *r);
    if (!root)
        return hl_fail(err, HL_ECONFIG, "规则文件 JSON 格式错误（第 %d 行）：%s", jerr.line, jerr.text);
    hl_rc rc = HL_OK;
    if (!json_is_object(root))
        rc = hl_fail(err, HL_ECONFIG, "规则文件应为 JSON 对象");
    if (!rc)
        rc = known_sections(root, err);
    if (!rc)
        rc = parse_offset(json_string_value(json_object_get(root, "utc_offset")), &r->offset_min, err);
    if (!rc)
        rc = parse_limits(json_object_get(root, "time_limits"), r, err);
    if (!rc)
        rc = hl_rules_parse_assessment(r, root, err);
    json_decref(root);
    return rc;
}

int hl_rules_provincial(const hl_rules *r, const char *source)
{
    for (size_t i = 0; i < r->n_provincial; i++)
        if (strcmp(r->provincial[i], source) == 0)
            return 1;
    return 0;
}

static int matches(int want, int have)
{
    return want == HL_ENUM_NONE || want == have;
}

hl_rc hl_rules_deadline(const hl_rules *r, const hl_calendar *cal, int channel, int nature,
                        int urgency, int64_t at, int64_t *deadline, hl_err *err)
{
    for (size_t i = 0; i < r->n_limits; i++) {
        const hl_time_limit *l = &r->limits[i];
        if (!matches(l->channel, channel) || !matches(l->nature, nature) ||
            !matches(l->urgency, urgency))
            continue;
        if (l->hours) {
            *deadline = at + (int64_t)l->hours * 3600;
            return HL_OK;
        }
        int64_t day;
        hl_rc rc = hl_calendar_add_working(cal, hl_local_day(at, r->offset_min), l->working_days,
                                           &day, err);
        if (rc)
            return rc;
        /* 23:59:59 local time of that day */
        *deadline = (day + 1) * 86400 - 1 - (int64_t)r->offset_min * 60;
        return HL_OK;
    }
    return hl_fail(err, HL_ECONFIG, "没有匹配的办理时限规则");
}
