/* ingest_batch.c — a whole events file: parse one batch ahead on a second
 * thread.
 *
 * Why: parsing (JSON, fields, enums, times) is a third of an import's CPU
 * and needs nothing but the line, while applying an event needs the order
 * state and the store, strictly in order.  So a worker parses batch k+1
 * while this thread applies batch k; on two cores that hides most of the
 * parsing.  Errors stay exact: a batch records its first bad line, and the
 * lines are applied in order up to it. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"

#define BATCH_LINES 4096
#define LINE_MAX_BYTES (256u << 10)

typedef struct {
    const char *line[BATCH_LINES];
    size_t len[BATCH_LINES];
    long lineno[BATCH_LINES];
    hl_event ev[BATCH_LINES];
    size_t n;          /* lines in the batch (blank lines are skipped) */
    size_t n_ok;       /* lines parsed before the first error */
    hl_err err;        /* that error, when n_ok < n */
    hj_doc doc;        /* strings of all events of the batch */
} batch;

typedef struct {
    const char *p, *end;
    long lineno;
} cursor;

/* Take the next lines into b; a line over the limit ends the batch with an
 * error of its own. */
static void fill(batch *b, cursor *c)
{
    size_t total = 0;
    b->n = b->n_ok = 0;
    while (b->n < BATCH_LINES && c->p < c->end) {
        const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
        size_t len = (size_t)((nl ? nl : c->end) - c->p);
        c->lineno++;
        if (len && c->p[len - 1] == '\r')
            len--;
        if (len) {
            b->line[b->n] = c->p;
            b->len[b->n] = len;
            b->lineno[b->n] = c->lineno;
            total += HJ_ARENA_NEED(len);
            b->n++;
        }
        c->p = nl ? nl + 1 : c->end;
    }
    b->err.rc = hj_batch_begin(&b->doc, total + 1);
}

static void *parse_batch(void *arg)
{
    batch *b = arg;
    if (b->err.rc) {
        hl_fail(&b->err, b->err.rc, "内存不足");
        return NULL;
    }
    for (; b->n_ok < b->n; b->n_ok++) {
        size_t i = b->n_ok;
        if (b->len[i] > LINE_MAX_BYTES) {
            hl_fail(&b->err, HL_ETOOBIG, "行过长（上限 %u 字节）", LINE_MAX_BYTES);
            break;
        }
        if (hj_parse_next(&b->doc, b->line[i], b->len[i], &b->err) ||
            hl_event_parse(&b->doc, &b->ev[i], &b->err))
            break;
    }
    return NULL;
}

/* Apply a parsed batch in order; stop at its first bad line. */
static hl_rc apply_batch(ingest *in, batch *b, const char *name, hl_err *err)
{
    for (size_t i = 0; i < b->n; i++) {
        hl_rc rc;
        if (i == b->n_ok) {
            *err = b->err;
            rc = err->rc;
        } else {
            rc = ingest_apply(in, &b->ev[i], err);
        }
        if (rc) {
            hl_err_prefix(err, "%s:%ld", name, b->lineno[i]);
            return rc;
        }
    }
    return HL_OK;
}

hl_rc ingest_buffer(ingest *in, const char *data, size_t size, const char *name, hl_err *err)
{
    batch *b[2] = {calloc(1, sizeof(batch)), calloc(1, sizeof(batch))};
    cursor c = {data, data + size, 0};
    hl_rc rc = HL_OK;
    if (!b[0] || !b[1] || hj_init(&b[0]->doc, HL_EVENT_MAX_NODES) ||
        hj_init(&b[1]->doc, HL_EVENT_MAX_NODES)) {
        rc = hl_fail(err, HL_ENOMEM, "内存不足");
        goto out;
    }
    fill(b[0], &c);
    parse_batch(b[0]);
    while (!rc && b[0]->n) {
        pthread_t worker;
        int threaded;
        fill(b[1], &c);
        threaded = b[1]->n && pthread_create(&worker, NULL, parse_batch, b[1]) == 0;
        if (b[1]->n && !threaded)
            parse_batch(b[1]); /* no thread to be had: parse here, in turn */
        rc = apply_batch(in, b[0], name, err);
        if (threaded)
            pthread_join(worker, NULL);
        batch *t = b[0];
        b[0] = b[1];
        b[1] = t;
    }
out:
    for (int i = 0; i < 2; i++) {
        if (b[i])
            hj_free(&b[i]->doc);
        free(b[i]);
    }
    return rc;
}
