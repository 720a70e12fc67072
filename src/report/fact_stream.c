#include "fact_stream.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 32768

typedef struct {
    hl_fact *v[2];
    size_t n[2];
    int full[2];               /* handed to the consumer, not yet given back */
    int cur;                   /* the batch the reader fills */
    int done, stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* the reader's query and outcome */
    hl_store *s;
    int channel, first_month, last_month;
    int64_t from, asof;
    hl_rc rc;
    hl_err err;
} stream;

/* Hand the filled batch over and wait for the other one to be free. */
static hl_rc hand_over(stream *x)
{
    pthread_mutex_lock(&x->mu);
    x->full[x->cur] = 1;
    pthread_cond_broadcast(&x->cv);
    x->cur ^= 1;
    while (x->full[x->cur] && !x->stop)
        pthread_cond_wait(&x->cv, &x->mu);
    int stop = x->stop;
    pthread_mutex_unlock(&x->mu);
    x->n[x->cur] = 0;
    return stop ? HL_EINVAL : HL_OK; /* any non-zero ends the scan */
}

static hl_rc take(const hl_fact *f, void *arg)
{
    stream *x = arg;
    x->v[x->cur][x->n[x->cur]++] = *f;
    return x->n[x->cur] == BATCH ? hand_over(x) : HL_OK;
}

static void *reader(void *arg)
{
    stream *x = arg;
    x->rc = store_facts_each(x->s, x->channel, x->from, x->asof, x->first_month, x->last_month,
                             take, x, &x->err);
    pthread_mutex_lock(&x->mu);
    if (x->n[x->cur] && !x->stop)
        x->full[x->cur] = 1;
    x->done = 1;
    pthread_cond_broadcast(&x->cv);
    pthread_mutex_unlock(&x->mu);
    return NULL;
}

/* Consume the batches in order until the reader is done or sink fails. */
static hl_rc consume(stream *x, store_fact_fn sink, void *arg)
{
    hl_rc rc = HL_OK;
    for (int i = 0;; i ^= 1) {
        pthread_mutex_lock(&x->mu);
        while (!x->full[i] && !x->done)
            pthread_cond_wait(&x->cv, &x->mu);
        int have = x->full[i];
        pthread_mutex_unlock(&x->mu);
        if (!have)
            return HL_OK;
        for (size_t k = 0; k < x->n[i] && !rc; k++)
            rc = sink(&x->v[i][k], arg);
        pthread_mutex_lock(&x->mu);
        x->full[i] = 0;
        x->stop |= rc != HL_OK;
        pthread_cond_broadcast(&x->cv);
        pthread_mutex_unlock(&x->mu);
        if (rc)
            return rc;
    }
}

hl_rc fact_stream(hl_store *s, int channel, int64_t from, int64_t asof, int first_month,
                  int last_month, store_fact_fn sink, void *arg, hl_err *err)
{
    stream x;
    pthread_t t;
    memset(&x, 0, sizeof x);
    x.s = s;
    x.channel = channel;
    x.from = from;
    x.asof = asof;
    x.first_month = first_month;
    x.last_month = last_month;
    x.v[0] = malloc(BATCH * sizeof(hl_fact));
    x.v[1] = malloc(BATCH * sizeof(hl_fact));
    pthread_mutex_init(&x.mu, NULL);
    pthread_cond_init(&x.cv, NULL);
    hl_rc rc;
    if (!x.v[0] || !x.v[1])
        rc = hl_fail(err, HL_ENOMEM, "内存不足");
    else if (pthread_create(&t, NULL, reader, &x) != 0) /* no thread: read here, in turn */
        rc = store_facts_each(s, channel, from, asof, first_month, last_month, sink, arg, err);
    else {
        rc = consume(&x, sink, arg);
        pthread_join(t, NULL);
        if (!rc && x.rc) {
            *err = x.err;
            rc = x.rc;
        }
    }
    pthread_mutex_destroy(&x.mu);
    pthread_cond_destroy(&x.cv);
    free(x.v[0]);
    free(x.v[1]);
    return rc;
}
