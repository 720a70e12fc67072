/* cmd_text_train.c — `text train [--holdout F]`: train the category and
 * unit classifiers on the database's history and keep them there; with
 * --holdout, first measure each on a held-out share F of the history
 * (top-1 and top-3 accuracy). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../text/suggest.h"
#include "cmd_text.h"

static hl_rc holdout(cli_env *env, const tc_params *p, double fraction, hl_err *err)
{
    static const char *const what[2] = {"诉求类型", "承办单位"};
    for (int units = 0; units < 2; units++) {
        tx_holdout_stats st;
        hl_rc rc = tx_holdout(env->store, p, units, fraction, &st, err);
        if (rc)
            return rc;
        printf("%s：训练 %zu 条，留出 %zu 条，首选正确率 %.4f，前三正确率 %.4f\n", what[units],
               st.train, st.test, st.top1, st.top3);
    }
    return HL_OK;
}

int text_train(cli_env *env, int argc, char **argv)
{
    const char *frac = NULL, *config = NULL;
    cli_opt opts[] = {{"--holdout", &frac}, {"--config", &config}};
    hl_err err;
    tc_params p;
    if (cli_parse_opts(argc, argv, opts, 2, &err))
        return cli_fail(&err);
    double fraction = frac ? strtod(frac, NULL) : 0;
    if (frac && !(fraction > 0 && fraction < 1)) {
        fprintf(stderr, "hotline: --holdout 应为 0 与 1 之间的比例\n");
        return CLI_EXIT_USAGE;
    }
    if (text_params(env, config, &p, &err) || cli_open(env, &err))
        return cli_fail(&err);
    if (frac && holdout(env, &p, fraction, &err))
        return cli_fail(&err);
    tx_train_stats st;
    if (tx_train(env->store, &p, (int64_t)time(NULL), NULL, &st, &err))
        return cli_fail(&err);
    printf("诉求类型模型：%zu 条、%zu 类，%.2f 秒\n承办单位模型：%zu 条、%zu 个单位，%.2f 秒\n",
           st.docs[0], st.labels[0], st.seconds[0], st.docs[1], st.labels[1], st.seconds[1]);
    return 0;
}
