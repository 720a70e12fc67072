/* hotspot.h — 热点发现: appeals grouped by place (or crowd) and matter
 * within a window of time, each group with a heat score.
 *
 * A group's anchor is a phrase repeated in the subjects of at least
 * min_members appeals that names a place (it ends with a place suffix of
 * the configuration: 街道, 小区, 新城 …, after at least min_name_units CJK
 * characters, and is not one of the generic names: 幼儿园 …) or a crowd
 * (it contains one of the configured crowds: 人才 …).
 * A phrase gives way to a longer one that keeps closed_ratio of its
 * appeals (泉塘街道 → A7县泉塘街道), so the anchor is the fullest name.  An
 * anchor's appeals are cut where more than gap_days pass without one.
 *
 * heat = Σ over appeals (1 + like_weight × ln(1 + likes) + dislike_weight × ln(1 + dislikes))
 *        × (1 + growth_weight × share of the appeals in the last growth_days)
 *
 * Groups are taken hottest first; one that shares more than max_overlap of
 * its appeals with a hotter group is left out.  Its matter is the phrase
 * most typical of its appeals: count in the group × ln(N / count overall),
 * in at least matter_min of them.
 *
 * Pure C: the callers read the messages and write the tables. */
#ifndef HL_HOTSPOT_H
#define HL_HOTSPOT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"

#define HS_WORDS_MAX 64    /* configured suffixes or crowds */
#define HS_WORD_MAX 32     /* bytes of one */
#define HS_PHRASE_MAX 160  /* bytes of an anchor or matter phrase */

typedef struct {
    int min_members;
    int max_units;         /* anchors have at most this many units (characters, words) */
    int min_name_units;    /* units before a place suffix */
    double closed_ratio;
    double gap_days;
    double like_weight, dislike_weight;
    double growth_weight, growth_days;
    double max_overlap;
    int matter_units;      /* matter phrases: 2 .. this many units, … */
    int matter_min;        /* … in at least this many of the spot's subjects */
    /* the live system (GET /api/v1/hotspots): appeals of the last window_days
     * (at most scan_max, newest first), each as its location and the first
     * subject_chars characters of its content */
    double window_days;
    int scan_max, subject_chars;
    int refresh_minutes;   /* the live answer is found again at most this often (0: always) */
    char suffix[HS_WORDS_MAX][HS_WORD_MAX];
    size_t n_suffix;
    char crowd[HS_WORDS_MAX][HS_WORD_MAX];
    size_t n_crowd;
    char generic[HS_WORDS_MAX][HS_WORD_MAX];  /* kinds of place, not places: 幼儿园 */
    size_t n_generic;
} hs_params;

/* Parse the "hotspots" object of data/text.json (the whole file's text). */
hl_rc hs_params_parse(hs_params *p, const char *json, hl_err *err);

typedef struct {
    const char *subject;   /* borrowed */
    int64_t time;          /* seconds */
    int64_t likes, dislikes;
} hs_msg;

typedef struct {
    char place[HS_PHRASE_MAX];   /* the anchor as written (ASCII capitals restored) */
    char matter[HS_PHRASE_MAX];  /* "" when none stands out */
    int crowd;                   /* 1: the anchor names a crowd, not a place */
    double heat;
    int64_t first, last;         /* times of the first and last appeal */
    size_t *members;             /* indices into the messages, in time order */
    size_t n;
} hs_spot;

typedef struct {
    hs_spot *v;
    size_t n, cap;
} hs_spots;

/* The hot spots of msgs[0..n), hottest first, at most top of them; now is
 * the end of the growth window.  *out (zeroed by the caller) is freed with
 * hs_spots_free. */
hl_rc hs_find(const hs_params *p, const hs_msg *msgs, size_t n, int64_t now, size_t top,
              hs_spots *out, hl_err *err);
void hs_spots_free(hs_spots *s);

#endif
