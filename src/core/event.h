/* event.h — the events of an appeal's and a work order's history.
 *
 * An event is what `interchange.md` calls one line of events.jsonl.  Parsing
 * (event_codec.c) fills an hl_event whose strings are borrowed from the
 * decoded JSON document; the lifecycle (order.c) decides whether it fits;
 * hl_event_write() gives its canonical JSON, which is what the store keeps and
 * what export writes, so export → import → export is byte-identical. */
#ifndef HL_EVENT_H
#define HL_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "json.h"

#define HL_ENUM_NONE (-1)

typedef enum {
    OP_APPEAL, OP_DISPATCH, OP_SIGN, OP_SUBDISPATCH, OP_RETURN_REQUEST,
    OP_RETURN_DECISION, OP_EXTENSION_REQUEST, OP_EXTENSION_DECISION, OP_REPLY,
    OP_REVIEW, OP_CALLBACK, OP_VERIFY, OP_SUPERVISE, OP_RECTIFIED, OP_REOPEN,
    OP__COUNT
} hl_op;

typedef enum { CH_HOTLINE, CH_MAILBOX, CH__COUNT } hl_channel;
typedef enum { LINE_GENERAL, LINE_NPC, LINE_ENTERPRISE, LINE_TOURISM, LINE__COUNT } hl_line;
typedef enum {
    NATURE_CONSULT, NATURE_HELP, NATURE_COMPLAINT, NATURE_REPORT, NATURE_SUGGESTION,
    NATURE_PRAISE, NATURE__COUNT
} hl_nature;
typedef enum { URGENCY_NORMAL, URGENCY_URGENT, URGENCY__COUNT } hl_urgency;
/* merge (并单): a duplicate appeal linked to an existing open order, which
 * its "order" names; it creates no order (docs/architecture.md) */
typedef enum { HANDLING_DIRECT, HANDLING_ORDER, HANDLING_MERGE, HANDLING__COUNT } hl_handling;
typedef enum { REVIEW_ACCEPT, REVIEW_RETURN, REVIEW__COUNT } hl_review;
typedef enum {
    CB_SATISFIED, CB_BASICALLY_SATISFIED, CB_DISSATISFIED, CB_UNREACHABLE, CB__COUNT
} hl_callback_result;
typedef enum { VERIFY_UPHELD, VERIFY_EXCLUDED, VERIFY__COUNT } hl_verify;

/* Name tables: the interchange spelling of each enum value. */
typedef struct {
    const char *const *names;  /* interchange spelling: "dissatisfied" */
    const char *const *labels; /* for staff: "不满意" */
    int count;
} hl_enum;

extern const hl_enum hl_op_enum, hl_channel_enum, hl_line_enum, hl_nature_enum,
    hl_urgency_enum, hl_handling_enum, hl_review_enum, hl_callback_enum, hl_verify_enum;

int hl_enum_parse(const hl_enum *e, const char *s); /* HL_ENUM_NONE when unknown */
const char *hl_enum_name(const hl_enum *e, int v);
const char *hl_enum_label(const hl_enum *e, int v);
const char *hl_op_label(hl_op op); /* Chinese label for staff: 派单, 签收 … */

#define HL_ORDER_NUMBER_MAX 64
#define HL_EVENT_MAX_NODES 128 /* JSON values of one event line (an event has ~30) */
#define HL_KB_MAX 32

typedef struct {
    hl_op op;
    int64_t at;              /* UTC seconds */
    int64_t seq;             /* position in the store's history, set by the caller */
    const char *order;       /* order number; NULL for a direct-answer appeal; a merged
                              * appeal's: the existing order it joins */
    const char *actor, *note;

    /* appeal */
    const char *appeal_id, *source, *category, *content, *location;
    const char *citizen_name, *citizen_phone;
    int channel, line, nature, urgency, handling;
    size_t n_kb;                    /* kb_text/kb_num below */

    /* dispatch, subdispatch */
    const char *unit_ref;    /* code or name as given */
    int64_t unit;            /* resolved unit id */
    int has_deadline;
    int64_t deadline;        /* dispatch: deadline (computed by the lifecycle when absent) */
    int64_t until;           /* extension_request */

    int approved;            /* return_decision, extension_decision */
    int result;              /* review, callback, verify (their enums) */
    const char *text;        /* reply */
    const char *reason;      /* return_request/decision, extension_request, review, reopen */

    int64_t ref;             /* verify: seq of the callback it applies to (set by lifecycle) */

    /* last, and only the first n_kb are meaningful: parsing does not clear
     * them (half a kilobyte per event) */
    const char *kb_text[HL_KB_MAX]; /* article ids as given: a string, or NULL … */
    int64_t kb_num[HL_KB_MAX];      /* … when the id is an integer */
} hl_event;

/* A category names its top level first: "城市管理类 › 噪音扰民".  The
 * length in bytes of the top level ("城市管理类"), the whole when no
 * separator. */
#define HL_CATEGORY_SEP " › "
size_t hl_category_top_len(const char *category);

/* Parse the event held by a parsed JSON document.  Strings in *e are
 * borrowed from the document. */
hl_rc hl_event_parse(const hj_doc *doc, hl_event *e, hl_err *err);

/* Parse one line (UTF-8 JSON) into a reusable document (the fast path). */
hl_rc hl_event_parse_into(hj_doc *doc, const char *line, size_t len, hl_event *e, hl_err *err);

/* The same with a document of its own: *doc receives it, and the caller
 * releases it with hl_event_doc_free() once done with *e. */
hl_rc hl_event_parse_line(const char *line, size_t len, hl_event *e, void **doc,
                          hl_err *err);
void hl_event_doc_free(void *doc);

/* Canonical JSON of e (no trailing newline), times at offset_min, the unit
 * written as unit_code.  Key order: op, at, order, then the rest. */
hl_rc hl_event_write(const hl_event *e, int offset_min, const char *unit_code, hl_buf *out);

/* The members after op, at and order, without braces ("" when none): what
 * the store keeps beside its op, at and order columns. */
hl_rc hl_event_write_rest(const hl_event *e, int offset_min, const char *unit_code,
                          hl_buf *out);

/* A canonical line from the stored parts (order NULL for a direct answer). */
hl_rc hl_event_join(hl_op op, int64_t at, const char *order, const char *rest, int offset_min,
                    hl_buf *out);

#endif
