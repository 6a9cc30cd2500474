/**
 * @file exercise.c
 * @brief The line a stub prints when an unfinished exercise is reached
 *        (spectrum/exercise.h).
 */
#include "spectrum/exercise.h"

#include "spectrum/console.h"

#define EXERCISES_REMEMBERED 64

/* A stub may sit on a hot path (every VM entry): say it once per boot and
 * id, which is all the grader and the student need. */
void exercise_todo(const char *id, const char *hint)
{
    static const char *said[EXERCISES_REMEMBERED];
    static unsigned n;
    for (unsigned i = 0; i < n; i++)
        if (said[i] == id)
            return;
    if (n < EXERCISES_REMEMBERED)
        said[n++] = id;
    kprintf("EXERCISE %s: not done (%s)\n", id, hint);
}
