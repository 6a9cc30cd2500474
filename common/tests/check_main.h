/**
 * @file check_main.h
 * @brief Shared main() for the hosted Check unit tests of common/lib/.
 *
 * Every test file defines `static Suite *make_suite(void)` and then writes
 * CHECK_MAIN(make_suite).  The runner prints Check's normal summary line
 * and the process exits non-zero when any test failed, which is what
 * `make unit` and the grader look at.
 */
#ifndef SPECTRUM_TESTS_CHECK_MAIN_H
#define SPECTRUM_TESTS_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

/** @brief Run @p s with CK_NORMAL output; EXIT_FAILURE if any test failed. */
static inline int check_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/** @brief Define main() running the suite built by @p make_suite_fn. */
#define CHECK_MAIN(make_suite_fn)                                                                  \
    int main(void)                                                                                 \
    {                                                                                              \
        return check_run_suite(make_suite_fn());                                                   \
    }

#endif
