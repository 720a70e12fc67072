/* json.h — a small strict JSON reader for the hot path (one event per line).
 *
 * Why not jansson here: importing a million events spent a quarter of its
 * time in jansson's per-value allocations.  This reader parses one document
 * into a caller-owned arena (nodes and decoded strings), allocating nothing
 * per document once the arena is large enough, and rejects what RFC 8259
 * rejects: bad escapes, control characters in strings, trailing garbage,
 * lone surrogates, malformed UTF-8.  Duplicate keys in an object are refused
 * too. */
#ifndef HL_JSON_H
#define HL_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef enum { HJ_NULL, HJ_FALSE, HJ_TRUE, HJ_NUMBER, HJ_STRING, HJ_ARRAY, HJ_OBJECT } hj_type;

typedef struct hj_node {
    hj_type type;
    const char *key;     /* member name when inside an object (decoded, NUL-terminated) */
    size_t key_len;
    const char *str;     /* HJ_STRING: decoded, NUL-terminated; HJ_NUMBER: source text */
    size_t len;          /* bytes of str */
    int64_t num;         /* HJ_NUMBER when is_int */
    int is_int;
    uint32_t first, count; /* HJ_ARRAY/HJ_OBJECT: children are nodes[first .. first+count) */
} hj_node;

typedef struct {
    hj_node *nodes;      /* nodes[0] is the root */
    size_t n, cap;       /* cap bounds the nodes of one document */
    char *strs;          /* decoded strings */
    size_t strs_len, strs_cap;
} hj_doc;

/* max_nodes bounds the values of one document (an event has ~30). */
hl_rc hj_init(hj_doc *d, size_t max_nodes);
void hj_free(hj_doc *d);

/* Parse text[0..len) into d (its previous content is discarded).  Strings
 * in d stay valid until the next parse or hj_free. */
hl_rc hj_parse(hj_doc *d, const char *text, size_t len, hl_err *err);

/* Batch mode, for parsing many documents whose strings must all stay valid:
 * hj_batch_begin() sizes the string arena for `total` bytes of input, then
 * each hj_parse_next() parses one document (its nodes replace the previous
 * document's; its strings are kept) until the next hj_batch_begin. */
hl_rc hj_batch_begin(hj_doc *d, size_t total);

/* Arena bytes one document of len bytes may need.  Decoded strings never
 * outgrow their source: each string or number gives back at least one byte
 * (a quote or a delimiter) for its NUL; the 2 cover a number ending the input. */
#define HJ_ARENA_NEED(len) ((len) + 2)
hl_rc hj_parse_next(hj_doc *d, const char *text, size_t len, hl_err *err);

/* Member `key` of object node o, or NULL. */
const hj_node *hj_get(const hj_doc *d, const hj_node *o, const char *key);

static inline const hj_node *hj_child(const hj_doc *d, const hj_node *n, size_t i)
{
    return &d->nodes[n->first + i];
}

#endif
