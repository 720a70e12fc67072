#include "privacy.h"

#include <stdio.h>
#include <string.h>

void hl_mask_name(const char *s, char *out, size_t size)
{
    size_t n = strlen(s), first = 1;
    if (!n) {
        snprintf(out, size, "%s", "");
        return;
    }
    while (first < n && ((unsigned char)s[first] & 0xC0) == 0x80)
        first++;
    snprintf(out, size, "%.*s*", (int)first, s);
}

void hl_mask_phone(const char *s, char *out, size_t size)
{
    size_t n = strlen(s);
    if (n >= 11)
        snprintf(out, size, "%.3s****%s", s, s + n - 4);
    else if (n >= 6)
        snprintf(out, size, "******%s", s + n - 2);
    else
        snprintf(out, size, "****");
}
