/**
 * @file grader.h
 * @brief The autograder's data model: tests declared in each lesson's
 *        grade.spec, the engines they run on, and the result of each run.
 *
 * The grader knows nothing lesson-specific: every test, its points, its
 * kernel command line and its expectations come from lessons/NN-x/grade.spec.
 */
#ifndef GRADER_H
#define GRADER_H

#include <stdbool.h>
#include <stddef.h>

#define MAX_PATTERNS 48  /**< expect or reject lines per test */
#define MAX_MODULES 8    /**< modules per test */
#define MAX_ENGINES 4    /**< engines a test may list */

/** How a test's machine must end. */
enum want_exit { WANT_PASS, WANT_FAIL };

/** What CPU feature a test needs from its engine. */
enum requirement { REQ_NONE, REQ_VIRT, REQ_VMX, REQ_SVM };

/** @brief One test, as declared in a grade.spec block. */
struct test {
    char lesson[64];        /**< lesson folder name, e.g. "01-boot" */
    char stage[8];          /**< the lesson's number, e.g. "01" */
    char name[64];          /**< test name */
    char part[64];          /**< part of the lesson it grades */
    int points;             /**< points for a pass */
    char cmdline[512];      /**< kernel command line */
    char module[MAX_MODULES][256]; /**< multiboot modules: "path[:args]" */
    int module_count;       /**< entries in module */
    char engines[MAX_ENGINES][16]; /**< engines it may run on; none = all */
    int engine_count;       /**< entries in engines */
    enum requirement requires; /**< CPU feature needed */
    int timeout;            /**< seconds per run */
    enum want_exit exit;    /**< expected end of the machine */
    char *expect[MAX_PATTERNS]; /**< regexes that must match, in order */
    int expect_count;       /**< entries in expect */
    char *reject[MAX_PATTERNS]; /**< regexes that must not match */
    int reject_count;       /**< entries in reject */
    const char *file;       /**< spec file it came from */
    int line;               /**< line of its "test" keyword */
};

/** @brief An engine and what probing it found. */
struct engine {
    const char *name;       /**< qemu-tcg, bochs, qemu-kvm */
    bool available;         /**< it booted a Spectrum image */
    bool vmx;               /**< the guest CPU offers VMX */
    bool svm;               /**< the guest CPU offers SVM */
    char why[256];          /**< why it is unavailable, or its "cpu:" line */
};

/** Outcome of one run. */
enum outcome { OUT_PASS, OUT_FAIL, OUT_SKIP };

/** @brief One test run on one stage and one engine. */
struct result {
    const struct test *test; /**< the test */
    char stage[8];          /**< the stage image it ran on */
    const char *engine;     /**< engine name */
    enum outcome outcome;   /**< pass, fail, skip */
    char reason[256];       /**< skip reason or first failure reason */
    char log[512];          /**< serial log path */
    double seconds;         /**< wall time of the run */
    int run_status;         /**< spectrum-run's exit status */
};

/**
 * @brief Parse @p path, appending tests to @p *tests (grown with realloc).
 * @return 0, or -1 after printing "file:line: message" to stderr.
 */
int spec_parse(const char *path, const char *lesson, struct test **tests, int *count);

/** @brief Whether @p t may run on engine @p name. */
bool test_wants_engine(const struct test *t, const char *name);

/**
 * @brief Judge a finished run: read @p r->log, check the exit status and
 *        every expect/reject pattern, print GOOD/BAD/MISSING details to
 *        @p details (a buffer of @p cap bytes) and set r->outcome/reason.
 */
void match_judge(struct result *r, char *details, size_t cap);

/** @brief Probe @p e by booting @p kernel on it (spectrum-run --probe). */
void engine_probe(struct engine *e, const char *kernel, const char *logdir);

/** @brief Whether engine @p e can run test @p t; if not, why in @p why. */
bool engine_can_run(const struct engine *e, const struct test *t, char *why, size_t cap);

/** @brief Print per-lesson and per-part scores. */
void report_scores(const struct result *res, int n);

/** @brief Write every result as JSON to @p path. @return 0 or -1. */
int report_json(const char *path, const struct result *res, int n);

#endif
