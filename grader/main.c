/**
 * @file main.c
 * @brief The autograder: for every stage up to --stage and every engine,
 *        run each lesson's tests (declared in lessons/NN-x/grade.spec) on
 *        that stage's image, judge them, print scores and a summary line.
 *
 * usage: grader [--stage NN] [--engines a,b] [--filter REGEX] [--jobs N]
 *               [--json FILE] [--list]
 *
 * Runs happen through grader/spectrum-run (the same script `make run`
 * uses), so what the grader sees is what a student sees.  Exit status 1 if
 * any run failed, 2 on a usage or spec error, else 0.
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

static const char *const all_engines[] = { "qemu-tcg", "bochs", "qemu-kvm" };
#define N_ENGINES 3

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

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* lessons/NN-name folders, sorted. */
static int find_lessons(char ***out)
{
    DIR *d = opendir("lessons");
    if (!d)
        return 0;
    int n = 0;
    char **v = NULL;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *s = e->d_name;
        if (s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] == '-') {
            v = realloc(v, sizeof *v * (size_t)(n + 1));
            v[n++] = strdup(s);
        }
    }
    closedir(d);
    qsort(v, (size_t)n, sizeof *v, cmp_str);
    *out = v;
    return n;
}

static bool in_list(const char *list, const char *name)
{
    if (!list)
        return true;
    size_t len = strlen(name);
    for (const char *p = list; (p = strstr(p, name)); p += len)
        if ((p == list || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
            return true;
    return false;
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
        printf("  (%.1fs, %d pts)\n", r->seconds, r->test->points);
    fflush(stdout);
}

static void usage(void)
{
    fprintf(stderr, "usage: grader [--stage NN] [--engines a,b] [--filter REGEX] [--jobs N] "
                    "[--json FILE] [--list]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *stage = NULL, *engines = NULL, *filter = NULL, *json = NULL;
    int jobs = 2;
    bool list = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--stage") == 0 && i + 1 < argc) stage = argv[++i];
        else if (strcmp(argv[i], "--engines") == 0 && i + 1 < argc) engines = argv[++i];
        else if (strcmp(argv[i], "--filter") == 0 && i + 1 < argc) filter = argv[++i];
        else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) json = argv[++i];
        else if (strcmp(argv[i], "--jobs") == 0 && i + 1 < argc) jobs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--list") == 0) list = true;
        else usage();
    }
    if (jobs < 1)
        jobs = 1;

    char **lessons;
    int nlessons = find_lessons(&lessons);
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

    if (list) {
        for (int s = 0; s < nstages; s++)
            for (int i = 0; i < ntests; i++)
                if (strcmp(tests[i].stage, stages[s]) <= 0)
                    printf("stage %s  %s/%s  (%d pts, part %s)\n", stages[s], tests[i].lesson,
                           tests[i].name, tests[i].points, tests[i].part);
        return 0;
    }

    char kernel[128];
    snprintf(kernel, sizeof kernel, "build/%s/spectrum.elf", stages[nstages - 1]);
    for (int s = 0; s < nstages; s++) {
        char k[128];
        snprintf(k, sizeof k, "build/%s/spectrum.elf", stages[s]);
        if (access(k, R_OK) != 0) {
            fprintf(stderr, "grader: %s is missing (make STAGE=%s)\n", k, stages[s]);
            return 2;
        }
    }
    mkdirs("build/grade");

    /* Probe the engines we were asked to use (once, on the newest image). */
    struct engine eng[N_ENGINES];
    int neng = 0;
    for (int i = 0; i < N_ENGINES; i++) {
        if (!in_list(engines, all_engines[i]))
            continue;
        eng[neng].name = all_engines[i];
        engine_probe(&eng[neng], kernel, "build/grade");
        printf("engine %-8s %s: %s\n", eng[neng].name, eng[neng].available ? "available" : "SKIP",
               eng[neng].why);
        neng++;
    }
    fflush(stdout);

    /* Plan every run. */
    int cap = nstages * ntests * (neng ? neng : 1) + 1, n = 0;
    struct result *res = calloc((size_t)cap, sizeof *res);
    for (int s = 0; s < nstages; s++)
        for (int i = 0; i < ntests; i++) {
            const struct test *t = &tests[i];
            if (strcmp(t->stage, stages[s]) > 0)
                continue;   /* lesson newer than this stage */
            if (filter && regexec(&frx, t->name, 0, NULL, 0) != 0)
                continue;
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
    printf("\n");
    report_scores(res, n);
    if (json && report_json(json, res, n) == 0)
        printf("results written to %s\n", json);
    printf("grader: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
    return failed ? 1 : 0;
}
