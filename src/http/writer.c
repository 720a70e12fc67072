/* writer.c — the group commit: the writes of intake and lifecycle steps,
 * queued by the requests' threads and committed in batches by one writer
 * thread with its own connection (its page cache stays valid between
 * batches, as no other connection writes).
 *
 * A request that queues a write is suspended (MHD_suspend_connection) and
 * its thread goes on serving its other connections.  Blocking it instead
 * let one slow connection hold up the others: libmicrohttpd spreads
 * connections over the pool's threads as they win the accept race, and
 * under bench/http's 64 connections one thread held 14 of them, each
 * request waiting for the previous one's commit (intake p99 40-60 ms at a
 * p50 of 12 ms).  The writer resumes each request after its batch; the
 * request's thread then answers it. */
#include <assert.h>
#include <microhttpd.h>
#include <stdlib.h>

#include "http.h"

struct http_job {
    http_req *r;
    const http_write_ops *ops;
    void *arg;
    hl_rc rc;
    struct http_job *next;
};

/* Run a batch in one transaction on st (the writer's connection), each job
 * in its own savepoint.  The context (rules, units) is read-locked as a
 * request's handler has it. */
static void run_batch(http_app *app, hl_store *st, struct http_job *batch)
{
    hl_err err;
    pthread_rwlock_rdlock(&app->ctx_lock);
    pthread_mutex_lock(&app->write_lock);
    hl_rc rc = store_begin(st, &err);
    for (struct http_job *j = batch; j; j = j->next) {
        hl_store *own = j->r->store;
        j->r->store = st;
        /* events are stamped when written, so that the history stays in
         * time order (the assessment's fast path relies on it) */
        j->r->now = (int64_t)time(NULL);
        j->rc = rc ? rc : store_savepoint(st, &j->r->err);
        if (!j->rc && (j->rc = j->ops->write(j->r, j->arg)) == HL_OK) {
            /* a savepoint that cannot be released leaves the transaction in
             * doubt: the whole batch fails */
            if ((j->rc = store_release(st, &j->r->err)) != HL_OK)
                rc = j->rc, err = j->r->err;
        } else if (!rc) {
            hl_err gone;
            if (store_rollback_to(st, &gone)) /* and the batch's earlier jobs with it */
                rc = j->rc = gone.rc, err = gone;
        }
        j->r->store = own;
        if (rc)
            j->r->err = err;
    }
    if (!rc)
        rc = store_commit(st, &err);
    if (rc) {
        store_rollback(st);
        for (struct http_job *j = batch; j; j = j->next)
            if (!j->rc) {
                j->rc = rc;
                j->r->err = err;
            }
    }
    pthread_mutex_unlock(&app->write_lock);
    pthread_rwlock_unlock(&app->ctx_lock);
}

void http_write_async(http_req *r, const http_write_ops *ops, void *arg)
{
    http_app *app = r->app;
    assert(!r->pooled); /* suspended from the daemon's thread only */
    struct http_job *j = calloc(1, sizeof *j);
    if (!j) {
        hl_fail(&r->err, HL_ENOMEM, "内存不足");
        ops->answer(r, arg, HL_ENOMEM);
        ops->drop(arg);
        return;
    }
    pthread_mutex_lock(&app->group_lock);
    if (app->group_closed) { /* the server stops: nothing is suspended any more */
        pthread_mutex_unlock(&app->group_lock);
        free(j);
        ops->drop(arg);
        http_unavailable(r);
        return;
    }
    *j = (struct http_job){.r = r, .ops = ops, .arg = arg};
    r->job = j;
    /* suspended before the writer can see the job, so that its resume
     * always finds the connection suspended */
    MHD_suspend_connection(r->conn);
    j->next = app->group_queue;
    app->group_queue = j;
    app->group_len++;
    app->group_pending++;
    pthread_cond_signal(&app->group_ready);
    pthread_mutex_unlock(&app->group_lock);
}

int http_write_answer(http_req *r)
{
    struct http_job *j = r->job;
    if (!j)
        return 0;
    j->ops->answer(r, j->arg, j->rc);
    http_write_forget(r);
    return 1;
}

void http_write_forget(http_req *r)
{
    struct http_job *j = r->job;
    if (!j)
        return;
    j->ops->drop(j->arg);
    free(j);
    r->job = NULL;
}

/* Under load, wait for the batch to grow (the group lock held by the
 * caller is released meanwhile): each commit writes every page it touched
 * to the WAL, and the right edges of a dozen indexes are the same pages for
 * one appeal as for ten.  The wait ends when a quarter of write_linger_us
 * passes with no new job, or after write_linger_us.  An idle server
 * (batches of one) does not wait. */
static void linger(http_app *app)
{
    long ns = app->cfg.write_linger_us * 1000L;
    struct timespec until, quiet;
    http_deadline(&until, ns);
    int len;
    do {
        len = app->group_len;
        http_deadline(&quiet, ns / 4);
        if (quiet.tv_sec > until.tv_sec ||
            (quiet.tv_sec == until.tv_sec && quiet.tv_nsec > until.tv_nsec))
            quiet = until;
        while (!app->group_stop && app->group_len == len &&
               pthread_cond_timedwait(&app->group_ready, &app->group_lock, &quiet) == 0)
            ;
    } while (!app->group_stop && app->group_len != len);
}

/* Wake the batch's requests.  A job may be freed as soon as its request
 * resumes, so nothing of it is read after. */
static void resume_batch(http_app *app, struct http_job *batch)
{
    int n = 0;
    for (struct http_job *j = batch, *next; j; j = next) {
        next = j->next;
        MHD_resume_connection(j->r->conn);
        n++;
    }
    pthread_mutex_lock(&app->group_lock);
    app->group_pending -= n;
    pthread_cond_broadcast(&app->group_done);
    pthread_mutex_unlock(&app->group_lock);
}

/* The writer: take every waiting job (in arrival order), commit them, wake
 * their requests.  Jobs queued before a stop are still written. */
static void *writer_loop(void *arg)
{
    http_app *app = arg;
    hl_err err;
    hl_store *st = http_app_store(app, &err);
    if (st) /* what a batch touches: the right edges of the indexes */
        store_set_cache(st, 32768);
    int concurrent = 0; /* the last batch had more than one job */
    pthread_mutex_lock(&app->group_lock);
    for (;;) {
        while (!app->group_queue && !app->group_stop)
            pthread_cond_wait(&app->group_ready, &app->group_lock);
        if (!app->group_queue)
            break;
        if (concurrent)
            linger(app);
        struct http_job *batch = NULL, *j = app->group_queue, *next;
        for (; j; j = next) {
            next = j->next;
            j->next = batch;
            batch = j;
        }
        app->group_queue = NULL;
        app->group_len = 0;
        concurrent = batch->next != NULL;
        pthread_mutex_unlock(&app->group_lock);
        if (st) {
            run_batch(app, st, batch);
        } else {
            for (j = batch; j; j = j->next)
                j->rc = err.rc, j->r->err = err;
        }
        resume_batch(app, batch);
        pthread_mutex_lock(&app->group_lock);
    }
    pthread_mutex_unlock(&app->group_lock);
    return NULL; /* the thread's store is closed by the store key's destructor */
}

void http_writer_close(http_app *app)
{
    pthread_mutex_lock(&app->group_lock);
    app->group_closed = 1;
    while (app->group_pending > 0)
        pthread_cond_wait(&app->group_done, &app->group_lock);
    pthread_mutex_unlock(&app->group_lock);
}

hl_rc http_writer_start(http_app *app, hl_err *err)
{
    if (pthread_create(&app->writer, NULL, writer_loop, app))
        return hl_fail(err, HL_ENOMEM, "无法启动写入线程");
    app->writer_started = 1;
    return HL_OK;
}

void http_writer_stop(http_app *app)
{
    if (!app->writer_started)
        return;
    pthread_mutex_lock(&app->group_lock);
    app->group_stop = 1;
    pthread_cond_signal(&app->group_ready);
    pthread_mutex_unlock(&app->group_lock);
    pthread_join(app->writer, NULL);
    app->writer_started = 0;
}
