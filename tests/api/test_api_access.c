/* placeholder: replaced by the suite's author */
#include "../test.h"

Suite *suite_api_access(void)
{
    return suite_create("api_access");
}
