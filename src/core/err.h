/* err.h — return codes shared by every layer.
 *
 * Every function that can fail returns an hl_rc.  HL_OK is zero so that
 * `if (rc) return rc;` propagates.  Domain refusals (a step the lifecycle does
 * not allow) have their own codes so that the API and the CLI can report them
 * distinctly; hl_rc_name() gives the stable identifier used in JSON errors. */
#ifndef HL_ERR_H
#define HL_ERR_H

#include <stddef.h>

#define HL_RC_LIST(X)                                                        \
    X(HL_OK, "ok")                                                          \
    X(HL_ENOMEM, "out_of_memory")                                           \
    X(HL_EIO, "io_error")                                                   \
    X(HL_ESTORE, "store_error")                                             \
    X(HL_EINVAL, "invalid_input")                                           \
    X(HL_ETOOBIG, "too_large")                                              \
    X(HL_ENOTFOUND, "not_found")                                            \
    X(HL_ECONFIG, "invalid_config")                                         \
    X(HL_ENOCALENDAR, "calendar_missing")                                   \
    X(HL_EUNIT_UNKNOWN, "unit_unknown")                                     \
    X(HL_EUNIT_CYCLE, "unit_cycle")                                         \
    X(HL_EORDER_UNKNOWN, "order_unknown")                                   \
    X(HL_EORDER_EXISTS, "order_exists")                                     \
    X(HL_EAPPEAL_EXISTS, "appeal_exists")                                   \
    X(HL_ETIME_ORDER, "time_out_of_order")                                  \
    X(HL_ENOT_NEW, "order_not_new")                                         \
    X(HL_ENOT_DISPATCHED, "order_not_dispatched")                           \
    X(HL_ENOT_SIGNED, "order_not_signed")                                   \
    X(HL_ENOT_REPLIED, "order_not_replied")                                 \
    X(HL_ENOT_CLOSED, "order_not_closed")                                   \
    X(HL_ENOT_ASSIGNED, "order_not_assigned")                               \
    X(HL_EALREADY_REPLIED, "order_already_replied")                         \
    X(HL_EREQUEST_PENDING, "request_pending")                               \
    X(HL_ENO_RETURN_REQUEST, "no_return_request")                           \
    X(HL_ENO_EXTENSION_REQUEST, "no_extension_request")                     \
    X(HL_EEXTENSION_EARLIER, "extension_not_later")                         \
    X(HL_EDEADLINE_EARLIER, "deadline_before_dispatch")                     \
    X(HL_ENOT_IN_SUBTREE, "unit_outside_subtree")                           \
    X(HL_ENO_DISSATISFIED, "no_dissatisfied_callback")                      \
    X(HL_ENO_SUPERVISION, "no_supervision_open")                           \
    X(HL_EEXISTS, "already_exists")                                         \
    X(HL_EAUTH, "unauthenticated")                                          \
    X(HL_EDENIED, "forbidden")                                              \
    X(HL_ECONFLICT, "version_conflict")                                     \
    X(HL_ELIMIT, "rate_limited")                                            \
    X(HL_EORDER_CLOSED, "order_closed")

typedef enum {
#define HL_RC_ENUM(code, name) code,
    HL_RC_LIST(HL_RC_ENUM)
#undef HL_RC_ENUM
    HL_RC__COUNT
} hl_rc;

/* Stable identifier ("order_not_signed"); never NULL. */
const char *hl_rc_name(hl_rc rc);

/* A refusal or failure with a human-readable message (Chinese for staff,
 * since it is shown to them).  Fixed-size so it can live on the stack. */
typedef struct {
    hl_rc rc;
    long line;      /* the input line at fault, 0 when none (see hl_fail_line) */
    char msg[512];
} hl_err;

/* Set err (if non-NULL) to rc and a printf-style message; returns rc so that
 * callers can write `return hl_fail(err, HL_EINVAL, "...")`. */
hl_rc hl_fail(hl_err *err, hl_rc rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The same for input with lines: also records the line, which the caller
 * prints the way its interface does (CLI: "FILE:LINE: message"). */
hl_rc hl_fail_line(hl_err *err, long line, hl_rc rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Prefix err->msg with "PREFIX: " (e.g. a line number). */
void hl_err_prefix(hl_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
