/**
 * @file main.c
 * @brief The autograder: for every engine, run each lesson's tests
 *        (declared in lessons/NN-x/grade.spec) on the image of the
 *        lesson's own stage and on the newest stage graded (--stage),
 *        judge them, print scores and a summary line.
 *
 * usage: grader [--stage NN] [--engines a,b] [--test NAME[,NAME]]
 *               [--part PART[,PART]] [--filter REGEX] [--jobs N]
 *               [--json FILE] [--list] [--every-stage | --stage-only]
 *
 * Which stages: a lesson's tests prove its own stage (what a student of
 * that lesson builds) and the newest one (that later lessons broke
 * nothing).  The stages in between differ from those two only by lessons
 * whose own tests run on them, so by default they are not run again: with
 * four lessons that is 5 stage runs of old tests instead of 9, which keeps
 * `make test` inside CI's budget.  --every-stage runs every lesson's tests
 * on every stage from its own up, as before; --stage-only only on the
 * newest (the handout round trip uses it: a lesson's handout differs from
 * the reference only in that lesson's code, which older stages lack).
 *
 * Runs happen through grader/spectrum-run (the same script `make run`
 * uses), so what the grader sees is what a student sees.  Exit status 1 if
 * any run failed, 2 on a usage or spec error (an unknown engine, test or
 * part included), 3 if no test ran at all (everything skipped or nothing
 * selected: a run that checked nothing must not look like a success),
 * else 0.
 */
#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "grader.h"

#define MAX_ENGINE_SLOTS 16

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void mkdirs(const char *path)
{
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(tmp, 0755);
            *p = '/';
        }
    mkdir(tmp, 0755);
}

/* Whether @p name is one of the comma-separated names in @p list (NULL:
 * no list, everything matches). */
static bool in_list(const char *list, const char *name)
{
    return !list || exercise_in_list(list, name);
}

/* Call @p fn on each comma-separated word of @p list; stop at the first
 * nonzero return and pass it on.  An empty word is passed as "". */
static int for_each_word(const char *list, int (*fn)(const char *word, void *ctx), void *ctx)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", list);
    char *p = buf;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        int rc = fn(p, ctx);
        if (rc || !comma)
            return rc;
        p = comma + 1;
    }
}

static int check_engine(const char *w, void *ctx)
{
    (void)ctx;
    if (engine_known(w))
        return 0;
    fprintf(stderr, "grader: unknown engine '%s'; the engines are:", w);
    for (int i = 0; engine_names[i]; i++)
        fprintf(stderr, " %s", engine_names[i]);
    fprintf(stderr, " (ENGINES=a,b)\n");
    return 2;
}

/* What --test/--part are checked against. */
struct selection_ctx {
    const struct test *tests;
    int ntests;
    const char *stage;   /* the newest stage graded */
    bool part;           /* checking --part names (else --test) */
};

static int check_selected(const char *w, void *vctx)
{
    const struct selection_ctx *c = vctx;
    const char *kind = c->part ? "part" : "test";
    const char *later = NULL;
    for (int i = 0; i < c->ntests; i++) {
        const struct test *t = &c->tests[i];
        if (strcmp(c->part ? t->part : t->name, w) != 0)
            continue;
        if (strcmp(t->stage, c->stage) <= 0)
            return 0;
        later = t->lesson;
    }
    if (later)
        fprintf(stderr, "grader: %s '%s' belongs to lesson %s, after stage %s (STAGE=%.2s grades it)\n", kind, w,
                later, c->stage, later);
    else
        fprintf(stderr, "grader: unknown %s '%s'\n", kind, w);
    fprintf(stderr, "the %ss of stages up to %s are:\n", kind, c->stage);
    for (int i = 0; i < c->ntests; i++) {
        const struct test *t = &c->tests[i];
        if (strcmp(t->stage, c->stage) > 0)
            continue;
        if (c->part) {
            bool seen = false;   /* a part has many tests: name it once */
            for (int k = 0; k < i; k++)
                seen |= strcmp(c->tests[k].part, t->part) == 0 && strcmp(c->tests[k].stage, c->stage) <= 0;
            if (!seen)
                fprintf(stderr, "  %-24s (lesson %s)\n", t->part, t->lesson);
        } else {
            fprintf(stderr, "  %-24s (lesson %s, part %s)\n", t->name, t->lesson, t->part);
        }
    }
    return 2;
}

/* Start spectrum-run for @p r; returns the child's pid. */
static pid_t start_run(const struct result *r)
{
    const struct test *t = r->test;
    char kernel[128], timeout[16];
    snprintf(kernel, sizeof kernel, "build/%s/spectrum.elf", r->stage);
    snprintf(timeout, sizeof timeout, "%d", t->timeout);
    char *argv[64];
    int a = 0;
    argv[a++] = "grader/spectrum-run";
    argv[a++] = "--engine";
    argv[a++] = (char *)r->engine;
    argv[a++] = "--timeout";
    argv[a++] = timeout;
    argv[a++] = "--log";
    argv[a++] = (char *)r->log;
    for (int i = 0; i < t->module_count; i++) {
        argv[a++] = "--module";
        argv[a++] = (char *)t->module[i];
    }
    argv[a++] = kernel;
    static char words[sizeof t->cmdline];
    snprintf(words, sizeof words, "%s", t->cmdline);
    for (char *w = strtok(words, " \t"); w && a < 62; w = strtok(NULL, " \t"))
        argv[a++] = w;
    argv[a] = NULL;

    char out[600];
    snprintf(out, sizeof out, "%s.run", r->log);
    pid_t pid = fork();
    if (pid == 0) {
        FILE *f = freopen(out, "w", stdout);
        if (!f)
            _exit(4);
        dup2(fileno(stdout), 2);
        if (!freopen("/dev/null", "r", stdin))
            _exit(4);
        execv(argv[0], argv);
        perror("execv grader/spectrum-run");
        _exit(4);
    }
    return pid;
}

static void print_result(const struct result *r, const char *details)
{
    static const char *const tag[] = { "PASS", "FAIL", "SKIP" };
    printf("%s  [stage %s %-8s] %s/%s", tag[r->outcome], r->stage, r->engine, r->test->lesson,
           r->test->name);
    if (r->outcome == OUT_SKIP)
        printf("  -- %s\n", r->reason);
    else if (r->outcome == OUT_FAIL)
        printf("  (%.1fs) -- %s\n%s", r->seconds, r->reason, details);
    else
        printf("  (%.1fs)\n", r->seconds);
    fflush(stdout);
}

static void usage(void)
{
    fprintf(stderr, "usage: grader [--stage NN] [--engines a,b] [--test NAME[,NAME]] [--part PART[,PART]]\n"
                    "              [--exercise ID[,ID]] [--filter REGEX] [--jobs N] [--json FILE] [--list]\n"
                    "              [--every-stage | --stage-only]\n");
    exit(2);
}

/* Whether test @p t needs an exercise of the comma-separated @p list. */
static bool needs_any(const struct test *t, const char *list)
{
    for (int i = 0; i < t->exercise_count; i++)
        if (in_list(list, t->exercises[i]))
            return true;
    return false;
}

/* Whether @p t is one of the @p n graded tests. */
static bool is_graded(const struct test *const *graded, int n, const struct test *t)
{
    for (int i = 0; i < n; i++)
        if (graded[i] == t)
            return true;
    return false;
}

/* What --exercise is checked against. */
struct exercise_ctx {
    const struct exercise_info *ex;
    int n;
};

static int check_exercise(const char *w, void *vctx)
{
    const struct exercise_ctx *c = vctx;
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->ex[i].id, w) == 0)
            return 0;
    fprintf(stderr, "grader: unknown exercise '%s'; the exercises of the graded lessons are:\n", w);
    for (int i = 0; i < c->n; i++)
        fprintf(stderr, "  %-24s %3d points  %s\n", c->ex[i].id, c->ex[i].points, c->ex[i].where);
    return 2;
}

/* Which stages a test runs on (--every-stage, --stage-only, or neither). */
enum stage_rule { STAGES_OWN_AND_NEWEST, STAGES_EVERY, STAGES_NEWEST };

/* Is a test of lesson stage @p own graded on stage @p s? */
static bool stage_runs(const char *own, const char *s, const char *newest, enum stage_rule rule)
{
    int c = strcmp(own, s);
    bool is_newest = strcmp(s, newest) == 0;
    if (c > 0)
        return false;   /* the lesson is newer than the stage */
    return rule == STAGES_EVERY || is_newest || (rule == STAGES_OWN_AND_NEWEST && c == 0);
}

int main(int argc, char **argv)
{
    const char *stage = NULL, *engines = NULL, *filter = NULL, *json = NULL, *only_tests = NULL,
               *only_parts = NULL, *only_exercises = NULL;
    int jobs = 2;
    bool list = false, every_stage = false, stage_only = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--stage") == 0 && i + 1 < argc) stage = argv[++i];
        else if (strcmp(argv[i], "--engines") == 0 && i + 1 < argc) engines = argv[++i];
        else if (strcmp(argv[i], "--test") == 0 && i + 1 < argc) only_tests = argv[++i];
        else if (strcmp(argv[i], "--part") == 0 && i + 1 < argc) only_parts = argv[++i];
        else if (strcmp(argv[i], "--exercise") == 0 && i + 1 < argc) only_exercises = argv[++i];
        else if (strcmp(argv[i], "--filter") == 0 && i + 1 < argc) filter = argv[++i];
        else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) json = argv[++i];
        else if (strcmp(argv[i], "--jobs") == 0 && i + 1 < argc) jobs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--list") == 0) list = true;
        else if (strcmp(argv[i], "--every-stage") == 0) every_stage = true;
        else if (strcmp(argv[i], "--stage-only") == 0) stage_only = true;
        else usage();
    }
    if (jobs < 1)
        jobs = 1;
    if (every_stage && stage_only)
        usage();
    enum stage_rule rule = every_stage ? STAGES_EVERY : stage_only ? STAGES_NEWEST : STAGES_OWN_AND_NEWEST;
    /* A misspelt engine would otherwise select nothing and "pass". */
    if (engines && for_each_word(engines, check_engine, NULL))
        return 2;

    char **lessons;
    int nlessons = lessons_find(&lessons);
    if (nlessons == 0) {
        fprintf(stderr, "grader: no lessons/NN-* folders (run from the repository root)\n");
        return 2;
    }
    if (!stage)
        stage = strndup(lessons[nlessons - 1], 2);

    /* Every lesson's tests. */
    struct test *tests = NULL;
    int ntests = 0;
    for (int i = 0; i < nlessons; i++) {
        char path[512];
        snprintf(path, sizeof path, "lessons/%s/grade.spec", lessons[i]);
        if (access(path, R_OK) != 0)
            continue;
        if (spec_parse(path, lessons[i], &tests, &ntests) != 0)
            return 2;
    }
    regex_t frx;
    if (filter && regcomp(&frx, filter, REG_EXTENDED | REG_NOSUB)) {
        fprintf(stderr, "grader: bad --filter regex\n");
        return 2;
    }

    /* The stages to grade: every lesson number <= stage. */
    char stages[32][8];
    int nstages = 0;
    for (int i = 0; i < nlessons && nstages < 32; i++)
        if (strncmp(lessons[i], stage, 2) <= 0)
            snprintf(stages[nstages++], 8, "%.2s", lessons[i]);
    if (nstages == 0) {
        fprintf(stderr, "grader: no lesson at or below stage %s\n", stage);
        return 2;
    }
    const char *newest = stages[nstages - 1];

    struct selection_ctx sel = { tests, ntests, newest, false };
    if (only_tests && for_each_word(only_tests, check_selected, &sel))
        return 2;
    sel.part = true;
    if (only_parts && for_each_word(only_parts, check_selected, &sel))
        return 2;

    /* The exercises of the graded lessons, from their EXERCISE markers
     * (docs/exercises.md): points, hint, where. */
    struct exercise_info *exercises = NULL;
    int nexercises = exercises_load(newest, &exercises);
    if (nexercises < 0)
        return 2;
    if (spec_check_exercises(tests, ntests, newest, exercises, nexercises) != 0)
        return 2;
    struct exercise_ctx exc = { exercises, nexercises };
    if (only_exercises && for_each_word(only_exercises, check_exercise, &exc))
        return 2;

    /* The graded tests: lessons up to the stage, in the selection.  Their
     * points make the fixed totals, whatever runs or is skipped. */
    const struct test **graded = calloc((size_t)ntests + 1, sizeof *graded);
    int ngraded = 0;
    for (int i = 0; i < ntests; i++) {
        const struct test *t = &tests[i];
        if (strcmp(t->stage, newest) > 0)
            continue;
        if (only_tests && !in_list(only_tests, t->name))
            continue;
        if (only_parts && !in_list(only_parts, t->part))
            continue;
        if (only_exercises && !needs_any(t, only_exercises))
            continue;
        if (filter && regexec(&frx, t->name, 0, NULL, 0) != 0)
            continue;
        graded[ngraded++] = t;
    }

    /* The exercises scored: those every test of which (up to the stage) is
     * in the selection, so a partial selection never calls one earned on
     * the strength of some of its tests. */
    int nscored = 0, nunscored = 0;
    for (int e = 0; e < nexercises; e++) {
        bool all = !only_exercises || in_list(only_exercises, exercises[e].id);
        for (int i = 0; i < ntests && all; i++)
            if (strcmp(tests[i].stage, newest) <= 0 && test_needs_exercise(&tests[i], exercises[e].id) &&
                !is_graded(graded, ngraded, &tests[i]))
                all = false;
        if (all)
            exercises[nscored++] = exercises[e];
        else
            nunscored++;
    }
    nexercises = nscored;

    if (list) {
        for (int s = 0; s < nstages; s++)
            for (int i = 0; i < ngraded; i++)
                if (stage_runs(graded[i]->stage, stages[s], newest, rule))
                    printf("stage %s  %s/%s  (%d pts, part %s)\n", stages[s], graded[i]->lesson, graded[i]->name,
                           graded[i]->points, graded[i]->part);
        return 0;
    }

    char kernel[128];
    snprintf(kernel, sizeof kernel, "build/%s/spectrum.elf", newest);
    for (int s = 0; s < nstages; s++) {
        char k[128];
        snprintf(k, sizeof k, "build/%s/spectrum.elf", stages[s]);
        if (access(k, R_OK) != 0) {
            fprintf(stderr, "grader: %s is missing (make STAGE=%s)\n", k, stages[s]);
            return 2;
        }
    }
    mkdirs("build/grade");

    /* Probe the engines we were asked to use and some graded test may run
     * on, all at once (a Bochs boot takes seconds), on the newest image. */
    struct engine eng[MAX_ENGINE_SLOTS];
    FILE *probe[MAX_ENGINE_SLOTS];
    const char *unused[MAX_ENGINE_SLOTS];
    int neng = 0, nunused = 0;
    for (int i = 0; engine_names[i] && neng < MAX_ENGINE_SLOTS; i++) {
        if (!in_list(engines, engine_names[i]))
            continue;
        bool wanted = false;
        for (int k = 0; k < ngraded; k++)
            wanted |= test_wants_engine(graded[k], engine_names[i]);
        if (!wanted) {
            unused[nunused++] = engine_names[i];
            continue;
        }
        memset(&eng[neng], 0, sizeof eng[neng]);
        eng[neng].name = engine_names[i];
        probe[neng] = engine_probe_start(&eng[neng], kernel, "build/grade");
        neng++;
    }
    for (int e = 0; e < neng; e++) {
        engine_probe_finish(&eng[e], probe[e]);
        printf("engine %-9s %s: %s", eng[e].name, eng[e].available ? "available" : "SKIP", eng[e].why);
        if (eng[e].available && eng[e].vcpu_known) {
            if (eng[e].vcpu_backend[0])
                printf("; vcpu: %s", eng[e].vcpu_backend);
            else
                printf("; vcpu: no hardware virtualization: %s", eng[e].vcpu_why);
        }
        printf("\n");
    }
    /* Said, so that a new engine no test lists yet is not a mystery. */
    for (int i = 0; i < nunused; i++)
        printf("engine %-9s not probed: no selected test lists it in its grade.spec 'engines'\n", unused[i]);
    fflush(stdout);

    /* Plan every run. */
    int cap = nstages * ngraded * (neng ? neng : 1) + 1, n = 0;
    struct result *res = calloc((size_t)cap, sizeof *res);
    for (int s = 0; s < nstages; s++)
        for (int i = 0; i < ngraded; i++) {
            const struct test *t = graded[i];
            if (!stage_runs(t->stage, stages[s], newest, rule))
                continue;   /* lesson newer than this stage, or a stage in between */
            for (int e = 0; e < neng; e++) {
                if (!test_wants_engine(t, eng[e].name))
                    continue;
                struct result *r = &res[n++];
                r->test = t;
                snprintf(r->stage, sizeof r->stage, "%s", stages[s]);
                r->engine = eng[e].name;
                char dir[256];
                snprintf(dir, sizeof dir, "build/grade/%s/%s", stages[s], eng[e].name);
                mkdirs(dir);
                snprintf(r->log, sizeof r->log, "%s/%s-%s.log", dir, t->lesson, t->name);
                if (!engine_can_run(&eng[e], t, r->reason, sizeof r->reason))
                    r->outcome = OUT_SKIP;
                else
                    r->run_status = -1;   /* to run */
            }
        }

    /* Run them, up to --jobs at once. */
    pid_t *pid = calloc((size_t)n + 1, sizeof *pid);
    double *start = calloc((size_t)n + 1, sizeof *start);
    static char details[16384];
    int next = 0, running = 0;
    for (;;) {
        while (running < jobs && next < n) {
            struct result *r = &res[next];
            if (r->outcome == OUT_SKIP) {
                print_result(r, "");
                next++;
                continue;
            }
            start[next] = now();
            pid[next] = start_run(r);
            running++;
            next++;
        }
        if (running == 0)
            break;
        int st;
        pid_t done = wait(&st);
        if (done < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < next; i++)
            if (pid[i] == done) {
                struct result *r = &res[i];
                r->seconds = now() - start[i];
                r->run_status = WIFEXITED(st) ? WEXITSTATUS(st) : 4;
                match_judge(r, details, sizeof details);
                print_result(r, details);
                pid[i] = 0;
                running--;
            }
    }

    int passed = 0, failed = 0, skipped = 0;
    for (int i = 0; i < n; i++) {
        passed += res[i].outcome == OUT_PASS;
        failed += res[i].outcome == OUT_FAIL;
        skipped += res[i].outcome == OUT_SKIP;
    }
    struct test_score *scores = calloc((size_t)ngraded + 1, sizeof *scores);
    score_tests(graded, ngraded, res, n, scores);
    printf("\n");
    report_scores(scores, ngraded);
    struct exercise_score *ex_scores = calloc((size_t)nexercises + 1, sizeof *ex_scores);
    score_exercises(exercises, nexercises, scores, ngraded, ex_scores);
    report_exercises(ex_scores, nexercises);
    if (nunscored)
        printf("  (%d exercise%s not scored: the selection left out some of the tests that need %s)\n", nunscored,
               nunscored > 1 ? "s" : "", nunscored > 1 ? "them" : "it");
    if (json && report_json(json, res, n, scores, ngraded, ex_scores, nexercises) == 0)
        printf("results written to %s\n", json);
    if (passed + failed == 0) {
        if (ngraded == 0)
            printf("grader: no test ran: no test matches the selection (--test, --part, --exercise and --filter "
                   "together)\n");
        else if (n == 0)
            printf("grader: no test ran: none of the %d selected tests runs on the engines asked for (%s)\n",
                   ngraded, engines ? engines : "all");
        else
            printf("grader: no test ran: all %d runs were skipped (reasons on the SKIP lines above)\n", n);
    }
    printf("grader: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
    return failed ? 1 : passed == 0 ? 3 : 0;
}
