/**
 * @file test_files.h
 * @brief For the grader's check tests: write a file below a folder,
 *        making the folders on its way (mkdir -p), with a mode.
 */
#ifndef GRADER_TEST_FILES_H
#define GRADER_TEST_FILES_H

#include <check.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/**
 * @brief Write @p text to @p root/@p rel with mode @p mode, creating the
 *        folders between them; fails the test when it cannot.
 */
static inline void test_put(const char *root, const char *rel, const char *text, int mode)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (char *s = path + strlen(root) + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            mkdir(path, 0755);
            *s = '/';
        }
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    chmod(path, (mode_t)mode);
}

#endif
