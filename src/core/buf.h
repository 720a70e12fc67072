/* buf.h — a growable byte buffer with a hard size cap (after curl's dynbuf).
 *
 * Every string the program assembles from outside data goes through one of
 * these, so no input can make us allocate without bound.  The buffer owns its
 * memory; hl_buf_free() releases it.  The content is always NUL-terminated. */
#ifndef HL_BUF_H
#define HL_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef struct {
    char *data;   /* NUL-terminated when len > 0 or after any append */
    size_t len;
    size_t cap;   /* allocated bytes */
    size_t max;   /* hard cap on len */
} hl_buf;

void hl_buf_init(hl_buf *b, size_t max);
void hl_buf_free(hl_buf *b);
void hl_buf_reset(hl_buf *b); /* len = 0, memory kept */

hl_rc hl_buf_add(hl_buf *b, const void *p, size_t n);
hl_rc hl_buf_adds(hl_buf *b, const char *s);
hl_rc hl_buf_addc(hl_buf *b, char c);
hl_rc hl_buf_printf(hl_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Append s as a JSON string literal (quotes included).  s must be valid
 * UTF-8; non-ASCII is written as is, control characters escaped. */
hl_rc hl_buf_add_json_str(hl_buf *b, const char *s);

/* Room for one more element in a growable array: *(T **)pv holds n of
 * *cap elements of `size` bytes; when full it doubles (starting at
 * `first`).  On HL_ENOMEM the array is as it was. */
hl_rc hl_grow(void *pv, size_t *cap, size_t n, size_t size, size_t first);

/* Hand the content over (caller frees; never NULL unless out of memory) and
 * leave b empty. */
char *hl_buf_detach(hl_buf *b);

/* The content as a C string ("" when empty); borrowed. */
const char *hl_buf_str(const hl_buf *b);

/* The next line of a text read into memory (a TSV file, a query list):
 * cut in place at its newline, a trailing CR dropped; *p moves past it
 * (NULL after the last).  NULL when the text is used up: *p NULL or at
 * the text's end, so a final newline gives no empty line. */
char *hl_line_next(char **p);

#endif
