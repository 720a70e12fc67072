/* suggest.h — 智能派单 over the store: training the category and unit
 * classifiers from the center's history, measuring them on a held-out
 * share of it, and the likely duplicates of a new appeal.
 *
 *   suggest.c     training, held-out figures
 *   duplicate.c   likely duplicates: the same caller, or the same place
 *                 with a similar content, within a window of days */
#ifndef HL_SUGGEST_H
#define HL_SUGGEST_H

#include <pthread.h>

#include "../store/store.h"
#include "classify.h"

/* The models' names in the store. */
#define TX_MODEL_CATEGORIES "categories"
#define TX_MODEL_UNITS "units"

/* "suggestions" of data/text.json. */
typedef struct {
    int top;                 /* categories and units suggested */
    double dup_days;         /* duplicates: appeals of the last this many days … */
    int dup_scan;            /* … at most this many of them, newest first … */
    double dup_similarity;   /* … the same place needs this content similarity (bigram Jaccard) */
    int dup_max;             /* … at most this many shown */
    int nightly_hour;        /* the server retrains after this local hour each day (-1: never) */
} tx_params;

hl_rc tx_params_parse(tx_params *p, const char *json, hl_err *err);

typedef struct {
    size_t docs[2];          /* training texts: categories, units */
    size_t labels[2];
    double seconds[2];
} tx_train_stats;

/* Train both models on the store's history and keep them in the store
 * (trained_at = now), in one transaction, holding write_lock (NULL: none)
 * for it.  A model with fewer than two labels in the history is not
 * trained (docs 0). */
hl_rc tx_train(hl_store *s, const tc_params *p, int64_t now, pthread_mutex_t *write_lock,
               tx_train_stats *st, hl_err *err);

/* Hold out every k-th text (k = round(1 / fraction)) of the history of
 * categories (units 0) or units (1), train on the rest and count how often
 * the right label is first, or among the first three. */
typedef struct {
    size_t train, test;
    double top1, top3;
} tx_holdout_stats;
hl_rc tx_holdout(hl_store *s, const tc_params *p, int units, double fraction,
                 tx_holdout_stats *st, hl_err *err);

/* --- duplicates (duplicate.c) -------------------------------------------- */

typedef struct {
    char appeal_id[64], number[64];
    const char *reason;      /* static: "同一来电人" or "同一地点的相似诉求" */
    double similarity;
    int64_t at;
} tx_dup;

/* The likely duplicates of a new appeal (location and phone may be NULL)
 * into out[0..p->dup_max), newest first; *n how many. */
hl_rc tx_duplicates(hl_store *s, const tx_params *p, const char *content, const char *location,
                    const char *phone, int64_t now, tx_dup *out, size_t *n, hl_err *err);

/* Character-bigram Jaccard similarity of two texts (0..1). */
double tx_similarity(const char *a, const char *b);

#endif
