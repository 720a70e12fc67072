#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const rc_names[] = {
#define HL_RC_NAME(code, name) name,
    HL_RC_LIST(HL_RC_NAME)
#undef HL_RC_NAME
};

const char *hl_rc_name(hl_rc rc)
{
    if ((unsigned)rc >= HL_RC__COUNT)
        return "unknown_error";
    return rc_names[rc];
}

/* Copy s into err->msg, cutting at a UTF-8 character boundary so that a long
 * message never ends in half a character (it is shown in JSON and HTML). */
static void set_msg(hl_err *err, const char *s)
{
    size_t n = strlen(s);
    if (n >= sizeof err->msg) {
        n = sizeof err->msg - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(err->msg, s, n);
    err->msg[n] = '\0';
}

static void set(hl_err *err, long line, hl_rc rc, const char *fmt, va_list ap)
{
    char tmp[2 * sizeof err->msg];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    set_msg(err, tmp);
    err->rc = rc;
    err->line = line;
}

hl_rc hl_fail(hl_err *err, hl_rc rc, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        set(err, 0, rc, fmt, ap);
        va_end(ap);
    }
    return rc;
}

hl_rc hl_fail_line(hl_err *err, long line, hl_rc rc, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        set(err, line, rc, fmt, ap);
        va_end(ap);
    }
    return rc;
}

void hl_err_prefix(hl_err *err, const char *fmt, ...)
{
    char prefix[128], joined[sizeof prefix + sizeof err->msg + 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    snprintf(joined, sizeof joined, "%s: %s", prefix, err->msg);
    set_msg(err, joined);
}
