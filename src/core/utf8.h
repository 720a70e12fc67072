/* utf8.h — UTF-8 validation for anything that comes from outside. */
#ifndef HL_UTF8_H
#define HL_UTF8_H

#include <stddef.h>

/* Length of the well-formed UTF-8 sequence at s (avail bytes readable, at
 * least 1), or 0 when it is not one (overlong, surrogate, truncated …). */
size_t hl_utf8_next(const char *s, size_t avail);

/* The length of the longest well-formed prefix of s[0..n). */
size_t hl_utf8_valid_prefix(const char *s, size_t n);
/* Characters (code points) of valid UTF-8 s[0..n). */
size_t hl_utf8_count(const char *s, size_t n);

/* 1 when p[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
int hl_utf8_valid(const char *p, size_t n);

/* 1 when s is valid UTF-8 without control characters (tab included): what a
 * name, a code or a TSV field may hold. */
int hl_text_is_clean(const char *s);

#endif
