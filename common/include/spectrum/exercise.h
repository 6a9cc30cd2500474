/**
 * @file exercise.h
 * @brief What a student's unfinished exercise does when it is reached.
 *
 * The reference tree holds every solution; `make handout LESSON=NN`
 * replaces lesson NN's exercise regions by their stubs (docs/exercises.md).
 * A stub calls EXERCISE_TODO() - the generator writes the exercise's id and
 * hint into the call - and then stops the VM or returns a safe failure.
 * The line it prints is what the grader looks for to say which exercise a
 * failing test is missing:
 *
 *     EXERCISE 02.msr-allow: not done (Look the MSR up in msr_rules[] ...)
 *
 * The same code is compiled freestanding into the kernel and hosted into
 * the unit tests, so the macro prints with whichever is at hand.
 */
#ifndef SPECTRUM_EXERCISE_H
#define SPECTRUM_EXERCISE_H

#if defined(__STDC_HOSTED__) && __STDC_HOSTED__
#include <stdio.h>
/** Report that exercise @p id (hint @p hint) is not done yet. */
#define EXERCISE_TODO(id, hint) fprintf(stderr, "EXERCISE %s: not done (%s)\n", id, hint)
#else
/** @brief Print "EXERCISE @p id: not done (@p hint)" on the console. */
void exercise_todo(const char *id, const char *hint);
/** Report that exercise @p id (hint @p hint) is not done yet. */
#define EXERCISE_TODO(id, hint) exercise_todo(id, hint)
#endif

#endif
