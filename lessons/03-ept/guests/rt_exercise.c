/**
 * @file rt_exercise.c
 * @brief exercise_todo() for guests (spectrum/exercise.h): an unfinished
 *        exercise in guest code says so on COM1, where the grader finds
 *        the line behind the "[vm-name] " prefix.
 */
#include "guest/guest.h"
#include "spectrum/exercise.h"

void exercise_todo(const char *id, const char *hint)
{
    guest_printf("EXERCISE %s: not done (%s)\n", id, hint);
}
