/* sessions.c — sessions and their users as last read from the store, kept
 * for session_cache_s seconds so that most requests read no table to log
 * in.  An intake's session look-up was 15 % of its CPU: each commit of the
 * writer empties every other connection's page cache, so the look-up read
 * its pages from the file again.
 *
 * Logout, a user's update and every other change on this server to
 * sessions or users end all kept entries at once (http_sessions_forget);
 * a change made behind the server's back takes effect within
 * session_cache_s.  Direct-mapped by the token: a collision only costs a
 * read. */
#include <stdlib.h>
#include <string.h>

#include "http.h"

#define SLOTS 1024 /* a power of two; about 0.5 MB */

typedef struct {
    store_session session;     /* session.token is the key; "" when empty */
    store_user user;
    int64_t read_at;           /* when read from the store */
    unsigned gen;              /* the table's generation then */
} slot;

struct http_sessions {
    pthread_mutex_t lock;
    unsigned gen;              /* bumped by every forget */
    slot slots[SLOTS];
};

http_sessions *http_sessions_new(void)
{
    http_sessions *c = calloc(1, sizeof *c);
    if (c)
        pthread_mutex_init(&c->lock, NULL);
    return c;
}

void http_sessions_free(http_sessions *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* The token is the hex of a hash: its first digits are as good as any
 * hash of it. */
static slot *slot_of(http_sessions *c, const char *token)
{
    char head[9] = {0};
    memcpy(head, token, strnlen(token, 8));
    return &c->slots[strtoul(head, NULL, 16) & (SLOTS - 1)];
}

int http_sessions_get(http_sessions *c, const char *token, int64_t now, int ttl_s,
                      store_session *s, store_user *u, unsigned *gen)
{
    int hit = 0;
    pthread_mutex_lock(&c->lock);
    slot *e = slot_of(c, token);
    *gen = c->gen;
    if (e->gen == c->gen && now - e->read_at < ttl_s && now >= e->read_at &&
        strcmp(e->session.token, token) == 0) {
        *s = e->session;
        *u = e->user;
        hit = 1;
    }
    pthread_mutex_unlock(&c->lock);
    return hit;
}

void http_sessions_put(http_sessions *c, unsigned gen, const store_session *s,
                       const store_user *u, int64_t now)
{
    pthread_mutex_lock(&c->lock);
    /* read before a forget: it may be what the forget ended */
    if (gen == c->gen) {
        slot *e = slot_of(c, s->token);
        e->session = *s;
        e->user = *u;
        e->read_at = now;
        e->gen = gen;
    }
    pthread_mutex_unlock(&c->lock);
}

void http_sessions_touch(http_sessions *c, const char *token, int64_t expires_at)
{
    pthread_mutex_lock(&c->lock);
    slot *e = slot_of(c, token);
    if (strcmp(e->session.token, token) == 0)
        e->session.expires_at = expires_at;
    pthread_mutex_unlock(&c->lock);
}

void http_sessions_forget(http_sessions *c)
{
    pthread_mutex_lock(&c->lock);
    c->gen++;
    pthread_mutex_unlock(&c->lock);
}
