/* run.c — the test runner: every suite, Check's normal output, and a
 * non-zero exit status when any test fails. */
#include <stdlib.h>

#include "test.h"

int main(void)
{
    SRunner *sr = srunner_create(suite_time());
    srunner_add_suite(sr, suite_calendar());
    srunner_add_suite(sr, suite_json());
    srunner_add_suite(sr, suite_event());
    srunner_add_suite(sr, suite_order());
    srunner_add_suite(sr, suite_unit());
    srunner_add_suite(sr, suite_text());
    srunner_add_suite(sr, suite_kb());
    srunner_add_suite(sr, suite_buf());
    srunner_add_suite(sr, suite_store());
    srunner_add_suite(sr, suite_import());
    srunner_add_suite(sr, suite_assessment());
    srunner_add_suite(sr, suite_bulletin());
    srunner_add_suite(sr, suite_random_histories());
    srunner_add_suite(sr, suite_openapi());
    srunner_add_suite(sr, suite_api_flow());
    srunner_add_suite(sr, suite_api_access());
    srunner_add_suite(sr, suite_api_server());
    srunner_add_suite(sr, suite_api_matrix());
    srunner_add_suite(sr, suite_api_input());
    srunner_add_suite(sr, suite_api_public());
    srunner_add_suite(sr, suite_api_kb());
    srunner_add_suite(sr, suite_classify());
    srunner_add_suite(sr, suite_hotspot());
    srunner_add_suite(sr, suite_api_suggest());
    srunner_add_suite(sr, suite_api_merge());
    srunner_add_suite(sr, suite_merge());
    srunner_add_suite(sr, suite_api_bulletin());
    th_begin_run();
    srunner_run_all(sr, CK_NORMAL);
    th_end_run();
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
