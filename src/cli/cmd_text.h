/* cmd_text.h — shared by the files of `text` (cmd_text*.c). */
#ifndef HL_CMD_TEXT_H
#define HL_CMD_TEXT_H

#include "../text/classify.h"
#include "cli.h"

/* Seconds on the monotonic clock. */
double text_now(void);

/* The classifier's parameters from config (a file) or data_dir/text.json. */
hl_rc text_params(const cli_env *env, const char *config, tc_params *p, hl_err *err);

/* `text hotspots` (cmd_text_hot.c); argv[0] is "hotspots". */
int text_hotspots(cli_env *env, int argc, char **argv);

/* `text train` (cmd_text_train.c); argv[0] is "train". */
int text_train(cli_env *env, int argc, char **argv);

#endif
