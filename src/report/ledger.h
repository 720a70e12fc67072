/* ledger.h — proposing a month's ledger entries from the rules. */
#ifndef HL_REPORT_LEDGER_H
#define HL_REPORT_LEDGER_H

#include "../store/store.h"

/* Replace the month's undecided proposals with the rules' current ones:
 * the grade points of each channel's assessment, and severely overdue
 * orders (严重超期) per unit, and review reminders of knowledge-base
 * articles left unanswered past their due time (知识库管理).  asof 0 = now.  *n receives the number of
 * proposals made.  Decided entries are never touched. */
hl_rc ledger_propose(hl_store *s, const hl_ctx *ctx, int month, int64_t asof, int64_t now,
                     const char *by, size_t *n, hl_err *err);

#endif
