/* rules.h — the configurable rules (data/rules.json): time zone offset and
 * default time limits now; assessment weights and bounds join them later.
 * Nothing here is a literal in code: every value comes from the file. */
#ifndef HL_RULES_H
#define HL_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "err.h"

#define HL_RULES_MAX_LIMITS 32
#define HL_RULES_MAX_TERMS 8
#define HL_RULES_MAX_GRADES 8
#define HL_GRADE_NAME_MAX 8
#define HL_WEIGHT_DIGITS 4        /* weights are exact to 1e-4 */
#define HL_POINTS_DIGITS 1        /* ledger points are exact to 0.1 */

/* The rates of the monthly assessment (assessment.md). */
typedef enum {
    RATE_DONE, RATE_ON_TIME, RATE_REWORK, RATE_DISSATISFIED, RATE_SATISFIED, RATE__COUNT
} hl_rate;
extern const char *const hl_rate_names[RATE__COUNT]; /* "done_rate" … */

typedef struct {
    int channel, nature, urgency; /* HL_ENUM_NONE = any value matches */
    int hours;                    /* calendar hours, or 0 … */
    int working_days;             /* … working days */
} hl_time_limit;

/* index = Σ weight × (rate, or 100 − rate when complement) */
typedef struct {
    hl_rate rate;
    int complement;
    int64_t weight;               /* in 1e-4 */
} hl_index_term;

/* Assessment rules of one channel.  Grades are in descending order of
 * their lower bound; an index below the last bound gets `below`. */
typedef struct {
    int index_decimals;
    hl_index_term terms[HL_RULES_MAX_TERMS];
    size_t n_terms;
    char grade[HL_RULES_MAX_GRADES + 1][HL_GRADE_NAME_MAX]; /* [n_grades] = below */
    int64_t grade_min[HL_RULES_MAX_GRADES];                 /* in 10^-index_decimals */
    size_t n_grades;
    int64_t rank_min_due[3];      /* per unit kind (county, agency, enterprise) */
    int64_t grade_points[HL_RULES_MAX_GRADES + 1];          /* ledger, in 0.1 points */
    char grade_indicator[64];     /* 热线办理综合考评 */
    char overdue_indicator[64];   /* 热线办理质量 */
    char grade_detail[128];       /* "热线月度考评 {grade} 类" */
    char overdue_detail[256];     /* with {points} and {refs} */
} hl_channel_rules;

typedef struct {
    int offset_min;               /* local time = UTC + offset (Asia/Shanghai: 480) */
    hl_time_limit limits[HL_RULES_MAX_LIMITS];
    size_t n_limits;              /* the first match decides */
    int rate_decimals;            /* rates are rounded half-up to this many decimals */
    hl_channel_rules channel[2];  /* by hl_channel */
    int overdue_working_days;     /* 严重超期: this many working days past the deadline */
    int64_t overdue_points;       /* per order, in 0.1 points */
    int64_t kb_points;            /* per unanswered review reminder, in 0.1 points */
    char kb_indicator[64];
    int kb_answer_days;           /* a review reminder is due this many days after it is sent
                                   * (0: reminders never lapse) */
    /* the knowledge-base search's ranking (store/sqlite_rank.c) */
    double kb_title_weight;       /* a title hit counts this many times a body one */
    double kb_fresh_weight;       /* an article changed today ranks this much higher … */
    double kb_fresh_days;         /* … falling to nothing at this age (0: no freshness) */
    double kb_k1, kb_b;           /* BM25's saturation and length normalisation */
    double kb_idf_power;          /* IDF raised to this: rare terms count for more */
    double kb_word_weight;        /* a word of Latin letters or digits vs one bigram */
    double kb_char_weight;        /* a character shared (not as a bigram) vs one bigram */
    double kb_candidates;         /* a keyword search ranks only the newest this many
                                   * matches (a sentence ranks every match) */
    char provincial[16][64];      /* mailbox sources passed down from the provincial platform */
    size_t n_provincial;
    int top_categories;           /* categories a special line's figures name */
} hl_rules;

/* Parse and validate rules JSON text.  On error *r is unspecified. */
/* (the "assessment" and "ledger" sections: rules_assess.c) */
hl_rc hl_rules_parse(hl_rules *r, const char *json_text, hl_err *err);

/* 1 when a mailbox source is one the provincial platform passes down. */
int hl_rules_provincial(const hl_rules *r, const char *source);

/* Deadline of an order dispatched at `at` (first matching limit). */
hl_rc hl_rules_deadline(const hl_rules *r, const hl_calendar *cal, int channel, int nature,
                        int urgency, int64_t at, int64_t *deadline, hl_err *err);

#endif
