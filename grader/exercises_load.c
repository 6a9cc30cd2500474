/**
 * @file exercises_load.c
 * @brief The exercises of the graded lessons, read from their EXERCISE
 *        markers (exercise.h) into the grader's struct exercise_info.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exercise.h"
#include "grader.h"

static int by_id(const void *a, const void *b)
{
    return strcmp(((const struct exercise_info *)a)->id, ((const struct exercise_info *)b)->id);
}

int exercises_load(const char *stage, struct exercise_info **out)
{
    /* common/ and every lessons/NN-* folder up to the stage. */
    const char *dirs[40];
    char names[38][300];
    int nd = 0;
    dirs[nd++] = "common";
    DIR *d = opendir("lessons");
    struct dirent *e;
    while (d && (e = readdir(d)) && nd < 39) {
        const char *s = e->d_name;
        if (s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] == '-' && strncmp(s, stage, 2) <= 0) {
            snprintf(names[nd - 1], sizeof names[0], "lessons/%s", s);
            dirs[nd] = names[nd - 1];
            nd++;
        }
    }
    if (d)
        closedir(d);
    dirs[nd] = NULL;

    struct exercise_marker *m = NULL;
    int nm = 0;
    char err[512];
    if (exercise_scan_tree(dirs, &m, &nm, err, sizeof err) != 0) {
        fprintf(stderr, "grader: %s\n", err);
        return -1;
    }
    struct exercise_info *ex = calloc((size_t)nm + 1, sizeof *ex);
    int n = 0;
    for (int i = 0; i < nm; i++) {
        bool seen = false;
        for (int k = 0; k < n && !seen; k++)
            seen = strcmp(ex[k].id, m[i].id) == 0;
        if (seen)
            continue;   /* another region of the same exercise (they agree: scan_tree checked) */
        snprintf(ex[n].id, sizeof ex[n].id, "%s", m[i].id);
        ex[n].points = m[i].points;
        snprintf(ex[n].hint, sizeof ex[n].hint, "%s", m[i].hint);
        snprintf(ex[n].where, sizeof ex[n].where, "%s:%d", m[i].file, m[i].line);
        n++;
    }
    free(m);
    qsort(ex, (size_t)n, sizeof *ex, by_id);
    *out = ex;
    return n;
}
