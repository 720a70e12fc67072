/* cache.c — answers of order lists and order pages kept for the next
 * identical request.
 *
 * A unit's inbox is the page its staff refresh all day; computing it is a
 * count and a sort over the unit's open orders (bench/http: ≈ 0.4 ms).  An
 * answer is kept with the history's last seq and the registry's reload
 * generation it was computed at: a request inside a read snapshot whose
 * last seq is the same sees exactly the same orders (every change of an
 * order appends an event in the same transaction), so the kept answer is
 * the answer.  An order's page is kept at the order's version the same way.
 * "overdue" depends on the clock, so an answer also expires
 * after HTTP_CACHE_TTL_MS.  A lasting answer does not expire: it is kept
 * with a mark, and its caller decides from it whether the answer still
 * holds (an assessment as of a past cut-off: the last seq it is known good
 * at; the hot spots: the instant they were found).
 * Direct-mapped, bounded in entries and bytes. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/map.h"
#include "http.h"

#define SLOTS 256
#define ENTRY_MAX (128u << 10)   /* bytes of one kept answer */
#define HTTP_CACHE_TTL_MS 2000

typedef struct {
    char *key;
    char *body;
    size_t len;
    int64_t seq;               /* a lasting answer's mark */
    unsigned gen;
    int lasting;
    int64_t at_ms;
} entry;

struct http_cache {
    pthread_mutex_t lock;
    entry slot[SLOTS];
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

http_cache *http_cache_new(void)
{
    http_cache *c = calloc(1, sizeof *c);
    if (c)
        pthread_mutex_init(&c->lock, NULL);
    return c;
}

static void drop(entry *e)
{
    free(e->key);
    free(e->body);
    memset(e, 0, sizeof *e);
}

void http_cache_free(http_cache *c)
{
    if (!c)
        return;
    for (int i = 0; i < SLOTS; i++)
        drop(&c->slot[i]);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* The entry for key, a lasting one or not, copied into out: a plain one only
 * at *seq and while fresh; a lasting one gives its mark in *seq. */
static int lookup(http_cache *c, const char *key, unsigned gen, int lasting, int64_t *seq,
                  hl_buf *out)
{
    entry *e = &c->slot[hl_hash_str(key) % SLOTS];
    int hit = 0;
    pthread_mutex_lock(&c->lock);
    if (e->key && strcmp(e->key, key) == 0 && e->gen == gen && e->lasting == lasting &&
        (lasting || (e->seq == *seq && now_ms() - e->at_ms < HTTP_CACHE_TTL_MS))) {
        hl_buf_reset(out);
        hit = hl_buf_add(out, e->body, e->len) == HL_OK;
        *seq = e->seq;
    }
    pthread_mutex_unlock(&c->lock);
    return hit;
}

int http_cache_get(http_cache *c, const char *key, int64_t seq, unsigned gen, hl_buf *out)
{
    return lookup(c, key, gen, 0, &seq, out);
}

int http_cache_get_lasting(http_cache *c, const char *key, unsigned gen, int64_t *mark,
                           hl_buf *out)
{
    return lookup(c, key, gen, 1, mark, out);
}

static void put(http_cache *c, const char *key, int64_t seq, unsigned gen, int lasting,
                const hl_buf *body)
{
    if (body->len > ENTRY_MAX)
        return;
    entry n = {strdup(key), malloc(body->len + 1), body->len, seq, gen, lasting, now_ms()};
    if (!n.key || !n.body) {
        drop(&n);
        return;
    }
    memcpy(n.body, body->data, body->len);
    entry *e = &c->slot[hl_hash_str(key) % SLOTS];
    pthread_mutex_lock(&c->lock);
    entry old = *e;
    *e = n;
    pthread_mutex_unlock(&c->lock);
    drop(&old);
}

void http_cache_put(http_cache *c, const char *key, int64_t seq, unsigned gen,
                    const hl_buf *body)
{
    put(c, key, seq, gen, 0, body);
}

void http_cache_put_lasting(http_cache *c, const char *key, int64_t mark, unsigned gen,
                            const hl_buf *body)
{
    put(c, key, mark, gen, 1, body);
}
