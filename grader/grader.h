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
#include <stdio.h>

#include "exercise.h" /* EXERCISE_ID_MAX, EXERCISE_HINT_MAX, exercise ids */

#define MAX_PATTERNS 48  /**< expect or reject lines per test */
#define MAX_MODULES 8    /**< modules per test */
#define MAX_ENGINES 8    /**< engines a test may list */
#define MAX_EXERCISES 16 /**< exercises a test may need */

/** How a test's machine must end.  WANT_ANY: pass or fail, as long as
 *  Spectrum itself ended (the run's status is 0 or 1, not a timeout); for
 *  a test whose guest may end either way (the hostile Linux user space of
 *  lesson 03), its expect lines then prove Spectrum reported it and went on. */
enum want_exit { WANT_PASS, WANT_FAIL, WANT_ANY };

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
    char skip_engine[MAX_ENGINES][16]; /**< engines the test is known not to work on ... */
    char skip_why[MAX_ENGINES][160];   /**< ... and why (reported as the SKIP reason) */
    int skip_count;         /**< entries in skip_engine */
    char exercises[MAX_EXERCISES][EXERCISE_ID_MAX]; /**< exercises it needs (docs/exercises.md) */
    int exercise_count;     /**< entries in exercises */
    int timeout;            /**< seconds per run */
    enum want_exit exit;    /**< expected end of the machine */
    char *expect[MAX_PATTERNS]; /**< regexes that must match, in order */
    int expect_count;       /**< entries in expect */
    char *reject[MAX_PATTERNS]; /**< regexes that must not match */
    int reject_count;       /**< entries in reject */
    const char *file;       /**< spec file it came from */
    int line;               /**< line of its "test" keyword */
};

/**
 * @brief Every engine the grader and grader/spectrum-run know, in the order
 *        they are probed and reported; NULL-terminated.
 *
 * One list for the --engines check, the `engines` keyword of grade.spec
 * and probing, so a new engine is added in one place (and in spectrum-run).
 */
extern const char *const engine_names[];

/** @brief Whether @p name is one of engine_names. */
bool engine_known(const char *name);

/** @brief An engine and what probing it found. */
struct engine {
    const char *name;       /**< one of engine_names */
    bool available;         /**< it booted a Spectrum image */
    bool vmx;               /**< the guest CPU offers VMX ("cpu:" line) */
    bool svm;               /**< the guest CPU offers SVM ("cpu:" line) */
    char why[256];          /**< why it is unavailable, or its "cpu:" line */
    /** The image printed a "vcpu:" line (stage 02 on): the kernel's own
     *  verdict on hardware virtualization, which overrides vmx/svm. */
    bool vcpu_known;
    /** With vcpu_known: the back end the kernel enabled ("vmx", "svm"),
     *  or "" when it found none usable. */
    char vcpu_backend[16];
    /** With vcpu_known and no back end: the kernel's reason, the text
     *  after "vcpu: no hardware virtualization: ". */
    char vcpu_why[256];
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
    /** Exercises whose "EXERCISE ID: not done" line the run printed. */
    char missing[MAX_EXERCISES][EXERCISE_ID_MAX];
    int missing_count;      /**< entries in missing */
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
 *
 * On a failure the details end with log context: when an expected line is
 * missing, the lines around where the first missing one was expected (just
 * after the GOOD match before it), then the end of the log if the machine
 * stopped further on; otherwise the end of the log.
 */
void match_judge(struct result *r, char *details, size_t cap);

/**
 * @brief Fill @p e from what `spectrum-run --probe` printed (@p output, its
 *        stdout and stderr) and its exit @p status (as from pclose).
 *
 * Available means status 0 and a "cpu:" line.  A "vcpu: using NAME ..."
 * or "vcpu: no hardware virtualization: WHY" line, when present, records
 * the kernel's verdict (see struct engine).  Kept apart from running the
 * probe so that the decision can be unit-tested without booting anything.
 */
void engine_parse_probe(struct engine *e, const char *output, int status);

/** @brief Start probing @p e by booting @p kernel on it with run=list
 *         (spectrum-run --probe); finish with engine_probe_finish.
 *  @return the pipe to read the probe's output from, or NULL. */
FILE *engine_probe_start(const struct engine *e, const char *kernel, const char *logdir);

/** @brief Read the probe started by engine_probe_start from @p p, wait for
 *         it, and fill @p e (engine_parse_probe). */
void engine_probe_finish(struct engine *e, FILE *p);

/** @brief Whether engine @p e can run test @p t; if not, why in @p why. */
bool engine_can_run(const struct engine *e, const struct test *t, char *why, size_t cap);

/** How a test scored over all its runs. */
enum test_verdict {
    TV_EARNED,   /**< ran at least once and passed every run */
    TV_FAILED,   /**< at least one run failed */
    TV_SKIPPED,  /**< never ran: every run skipped, or no engine to run on */
};

/**
 * @brief One test's score.  A test is worth its points once, however many
 *        stages and engines it runs on: it earns them when it ran at
 *        least once and passed every run; otherwise it earns nothing.
 */
struct test_score {
    const struct test *test; /**< the test */
    int possible;           /**< its points */
    int earned;             /**< possible or 0 */
    enum test_verdict verdict; /**< earned, failed or skipped */
    int passed;             /**< runs that passed */
    int failed;             /**< runs that failed */
    int skipped;            /**< runs that were skipped */
    char reason[512];       /**< why it earned nothing: the first failure, or the skip reasons */
    /** Exercises a failed run of it said were not done (union over runs). */
    char missing[MAX_EXERCISES][EXERCISE_ID_MAX];
    int missing_count;      /**< entries in missing */
};

/** @brief One exercise, as its EXERCISE marker in the sources declares it. */
struct exercise_info {
    char id[EXERCISE_ID_MAX];  /**< "02.msr-allow" */
    int points;             /**< its points */
    char hint[EXERCISE_HINT_MAX]; /**< the marker's hint */
    char where[320];        /**< "file:line" of its (first) region */
};

/** @brief How an exercise stands after a grading run. */
enum exercise_verdict {
    EV_EARNED,      /**< every test that needs it passed (and at least one ran) */
    EV_NOT_DONE,    /**< a failed run printed "EXERCISE ID: not done" */
    EV_FAILING,     /**< a test that needs it failed, and no stub was named */
    EV_BLOCKED,     /**< its tests failed only on other exercises' stubs */
    EV_UNTESTED,    /**< no test that needs it ran (skipped, or none lists it) */
};

/** @brief An exercise's score: earned when every test needing it passed. */
struct exercise_score {
    const struct exercise_info *ex; /**< the exercise */
    enum exercise_verdict verdict;  /**< see enum exercise_verdict */
    int earned;             /**< ex->points or 0 */
    int tests;              /**< tests that list it */
    int tests_earned;       /**< of those, tests that earned their points */
    char blocked_by[EXERCISE_ID_MAX]; /**< EV_BLOCKED: the first other exercise named */
};

/** @brief Sums over the tests of one lesson, or one part of a lesson. */
struct score_sum {
    int earned;             /**< points earned */
    int possible;           /**< the fixed total: the sum of the tests' points */
    int tests;              /**< tests counted */
    int tests_earned;       /**< of those, tests that earned their points */
    int tests_failed;       /**< tests that failed somewhere */
    int tests_skipped;      /**< tests that never ran */
};

/**
 * @brief Score each of the @p ntests graded tests @p tests from the @p n
 *        runs in @p res (matched by their test pointer) into @p out
 *        (@p ntests entries, in the same order).
 */
void score_tests(const struct test *const *tests, int ntests, const struct result *res, int n,
                 struct test_score *out);

/**
 * @brief Add up the scores of lesson @p lesson (and of part @p part of it,
 *        unless @p part is NULL) into @p sum.
 */
void score_sum(const struct test_score *s, int n, const char *lesson, const char *part, struct score_sum *sum);

/** @brief Print the score per test, per lesson and per part. */
void report_scores(const struct test_score *s, int n);

/**
 * @brief Score the @p nex exercises @p ex from the test scores @p s into
 *        @p out (one per exercise).  Pure.
 */
void score_exercises(const struct exercise_info *ex, int nex, const struct test_score *s, int ns,
                     struct exercise_score *out);

/** @brief Print the exercise table (nothing when there are no exercises). */
void report_exercises(const struct exercise_score *e, int n);

/**
 * @brief Write every run, every test's score and every exercise's score
 *        as JSON to @p path.
 * @return 0 or -1.
 */
int report_json(const char *path, const struct result *res, int n, const struct test_score *s, int ns,
                const struct exercise_score *e, int ne);

/**
 * @brief Load the exercises of lessons up to @p stage (and of common/)
 *        from their EXERCISE markers into @p *out (malloc'd), one entry
 *        per id, in id order.
 * @return the number of exercises, or -1 after printing why (a malformed
 *         region).
 */
int exercises_load(const char *stage, struct exercise_info **out);

/**
 * @brief Every exercise a test of a lesson up to @p stage lists must have
 *        markers, and every exercise must be needed by some test (or no
 *        test could ever say it is done).
 * @return 0, or -1 after printing what is wrong.
 */
int spec_check_exercises(const struct test *tests, int ntests, const char *stage, const struct exercise_info *ex,
                         int nex);

/**
 * @brief The lesson folders (lessons/NN-name, names only), sorted, into
 *        @p *out (malloc'd, each name strdup'd).
 * @return how many.
 */
int lessons_find(char ***out);

/** @brief Whether test @p t lists exercise @p id in its 'exercises' line. */
bool test_needs_exercise(const struct test *t, const char *id);

/** @brief Add @p id to the set @p set of @p *count ids (of at most MAX_EXERCISES); no duplicates. */
void exercise_set_add(char set[][EXERCISE_ID_MAX], int *count, const char *id);


#endif
