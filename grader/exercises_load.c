/**
 * @file exercises_load.c
 * @brief The exercises of the graded lessons, read from their EXERCISE
 *        markers (exercise.h) into the grader's struct exercise_info.
 */
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
    char **lessons = NULL;
    int nl = lessons_find(&lessons);
    const char **dirs = calloc((size_t)nl + 2, sizeof *dirs);
    int nd = 0;
    dirs[nd++] = "common";
    for (int i = 0; i < nl; i++)
        if (strncmp(lessons[i], stage, 2) <= 0) {
            char *path = malloc(strlen(lessons[i]) + sizeof "lessons/");
            sprintf(path, "lessons/%s", lessons[i]);
            dirs[nd++] = path;
        }
    dirs[nd] = NULL;

    struct exercise_marker *m = NULL;
    int nm = 0;
    char err[512];
    int rc = exercise_scan_tree(dirs, &m, &nm, err, sizeof err);
    for (int i = 1; i < nd; i++)
        free((char *)dirs[i]);
    free(dirs);
    for (int i = 0; i < nl; i++)
        free(lessons[i]);
    free(lessons);
    if (rc != 0) {
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
