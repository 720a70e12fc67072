/* pool.c — the report pool: routes that may take seconds (an assessment
 * as of a past cut-off folds the history, a bulletin renders a PDF) run on
 * a few threads of their own, while their connection is suspended.
 *
 * libmicrohttpd gives each connection to one thread of its pool for good,
 * and a thread serves its connections one request at a time: a report run
 * there would hold up every other connection of that thread.  With the
 * reports here, the daemon needs only about a thread per core, which
 * serves the short requests best (bench/http: intake 7,800 req/s at 170 µs
 * of CPU each with 4 threads, against 6,900 at 194 µs with 32). */
#include <microhttpd.h>
#include <stdlib.h>

#include "http.h"

typedef struct task {
    http_req *r;
    void (*run)(http_req *r);
    struct task *next;
} task;

struct http_pool {
    pthread_mutex_t lock;
    pthread_cond_t ready;      /* a task queued, or stop */
    pthread_cond_t done;       /* a task finished */
    task *head, *tail;
    int pending;               /* queued or running */
    int closed;                /* no more runs (http_pool_close) */
    int stop;
    int n;
    pthread_t threads[];
};

static void *pool_loop(void *arg)
{
    http_pool *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->head && !p->stop)
            pthread_cond_wait(&p->ready, &p->lock);
        task *t = p->head;
        if (!t)
            break;
        if (!(p->head = t->next))
            p->tail = NULL;
        pthread_mutex_unlock(&p->lock);
        t->run(t->r);
        MHD_resume_connection(t->r->conn);
        free(t);
        pthread_mutex_lock(&p->lock);
        p->pending--;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL; /* the thread's store is closed by the store key's destructor */
}

http_pool *http_pool_new(int threads, hl_err *err)
{
    http_pool *p = calloc(1, sizeof *p + (size_t)threads * sizeof(pthread_t));
    if (!p) {
        hl_fail(err, HL_ENOMEM, "内存不足");
        return NULL;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->ready, NULL);
    pthread_cond_init(&p->done, NULL);
    for (; p->n < threads; p->n++)
        if (pthread_create(&p->threads[p->n], NULL, pool_loop, p)) {
            http_pool_free(p);
            hl_fail(err, HL_ENOMEM, "无法启动报表线程");
            return NULL;
        }
    return p;
}

void http_pool_run(http_pool *p, http_req *r, void (*run)(http_req *r))
{
    task *t = malloc(sizeof *t);
    if (!t) {
        run(r); /* on the request's own thread, as before the pool */
        return;
    }
    pthread_mutex_lock(&p->lock);
    if (p->closed) { /* the server stops: nothing is suspended any more */
        pthread_mutex_unlock(&p->lock);
        free(t);
        http_unavailable(r);
        return;
    }
    *t = (task){r, run, NULL};
    r->pooled = 1;
    MHD_suspend_connection(r->conn); /* before a pool thread can resume it */
    if (p->tail)
        p->tail->next = t;
    else
        p->head = t;
    p->tail = t;
    p->pending++;
    pthread_cond_signal(&p->ready);
    pthread_mutex_unlock(&p->lock);
}

void http_pool_close(http_pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->closed = 1;
    while (p->pending > 0)
        pthread_cond_wait(&p->done, &p->lock);
    pthread_mutex_unlock(&p->lock);
}

void http_pool_free(http_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stop = 1;
    pthread_cond_broadcast(&p->ready);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->n; i++)
        pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->ready);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
