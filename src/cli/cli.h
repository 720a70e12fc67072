/* cli.h — what the subcommands share: the environment (database, data
 * directory, the loaded registry, calendar and rules) and small helpers.
 *
 * Exit codes: 0 success, 1 refused or failed (message on stderr), 2 usage. */
#ifndef HL_CLI_H
#define HL_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/calendar.h"
#include "../core/order.h"
#include "../core/rules.h"
#include "../core/unit.h"
#include "../store/store.h"

#define CLI_EXIT_FAIL 1
#define CLI_EXIT_USAGE 2

typedef struct {
    const char *db_path;
    const char *data_dir;  /* default rules and calendars */
    hl_store *store;
    hl_units units;
    hl_calendar *cal;      /* large: heap */
    hl_rules rules;
    hl_ctx ctx;
} cli_env;

typedef struct {
    const char *name;
    int (*run)(cli_env *env, int argc, char **argv); /* argv[0] is the name */
    const char *usage;  /* "import UNITS.tsv EVENTS.jsonl" */
    const char *brief;  /* one line for the command list */
    const char *help;   /* what it does, options */
} cli_cmd;

extern const cli_cmd cmd_init, cmd_import, cmd_export, cmd_units, cmd_order, cmd_assess, cmd_demo,
    cmd_ledger, cmd_figures, cmd_serve, cmd_user, cmd_kb;
extern const cli_cmd cmd_text;
extern const cli_cmd cmd_bulletin;

/* A long option that takes a value: "--month" → *value. */
typedef struct {
    const char *name;
    const char **value;
} cli_opt;

/* Parse argv[1..] as "--name value" pairs of opts; anything else is an
 * error.  Options not given keep their value. */
hl_rc cli_parse_opts(int argc, char **argv, const cli_opt *opts, size_t n, hl_err *err);

/* Open the store (once). */
hl_rc cli_open(cli_env *env, hl_err *err);

/* Load rules, calendars and the unit registry into env->ctx; a database
 * without rules or calendars gets the defaults from the data directory. */
hl_rc cli_load(cli_env *env, hl_err *err);

/* Store the data directory's rules and calendars (init, or on first use). */
hl_rc cli_seed_defaults(cli_env *env, int *years, hl_err *err);

void cli_env_free(cli_env *env);

typedef struct {
    size_t units;              /* rows in the units file */
    int64_t applied, duplicates;
} cli_import_stats;

/* Import a units file and an events file in one transaction (cmd_import.c);
 * on error nothing is kept and err names the file, the line and the reason. */
hl_rc cli_import(cli_env *env, const char *units, const char *events, cli_import_stats *st,
                 hl_err *err);

/* Read a whole file (at most max bytes) into out. */
hl_rc cli_read_file(const char *path, size_t max, hl_buf *out, hl_err *err);

/* Print "hotline: message" to stderr; returns CLI_EXIT_FAIL. */
int cli_fail(const hl_err *err);

/* Print the usage of cmd to stderr; returns CLI_EXIT_USAGE. */
int cli_usage(const cli_cmd *cmd);

#endif
