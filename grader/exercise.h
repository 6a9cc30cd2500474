/**
 * @file exercise.h
 * @brief Exercise regions (docs/exercises.md): finding them, checking
 *        that they are well formed, and turning the reference into a
 *        lesson's handout text.
 *
 * The reference marks the code a student writes as exercise regions: an
 * EXERCISE line, the solution, a commented-out STUB block, an END EXERCISE
 * line.  These functions are pure: they read text given to them and return
 * text or markers, so the handout generator, the grader (to list the
 * exercises) and the unit tests share one reading of the convention.  Only
 * exercise_scan_tree() touches the file system.
 *
 * Every function that can fail writes "file:line: what is wrong" into
 * @p err (at most @p errcap bytes, always terminated) and returns -1.
 */
#ifndef GRADER_EXERCISE_H
#define GRADER_EXERCISE_H

#include <stdbool.h>
#include <stddef.h>

#define EXERCISE_ID_MAX 48        /**< bytes of an id, its terminating NUL included */
#define EXERCISE_HINT_MAX 512     /**< bytes of a hint, its terminating NUL included (real hints pass 256) */
#define EXERCISE_FILE_MAX 256     /**< bytes of a file name, its terminating NUL included */
#define EXERCISE_POINTS_MAX 1000  /**< the most points one exercise may be worth */
#define EXERCISE_DISTINCT_MIN 12  /**< shortest trimmed solution line the leak check looks for */

/** @brief How markers are written in a file. */
enum exercise_syntax {
    EXERCISE_SYNTAX_NONE, /**< a file that cannot hold regions (copied as it is) */
    EXERCISE_SYNTAX_C,    /**< .c, .h, .S: markers are C comments */
    EXERCISE_SYNTAX_MAKE, /**< .mk and Makefile: markers are # comments */
};

/** @brief One region's opening marker: `EXERCISE ID POINTS "HINT"`. */
struct exercise_marker {
    char id[EXERCISE_ID_MAX];     /**< "NN.name" */
    int lesson;                   /**< NN, the lesson the exercise belongs to */
    int points;                   /**< 1 to EXERCISE_POINTS_MAX */
    char hint[EXERCISE_HINT_MAX]; /**< the text between the quotes */
    char file[EXERCISE_FILE_MAX]; /**< the file the region is in */
    int line;                     /**< the line of the EXERCISE marker (from 1) */
};

/**
 * @brief The marker syntax of @p path, from its name: .c .h .S are C,
 *        .mk and files named Makefile are make, anything else is none.
 */
enum exercise_syntax exercise_syntax_of(const char *path);

/**
 * @brief Find and check every exercise region of one file.
 *
 * @param text    the file's contents (@p len bytes, need not be terminated)
 * @param len     bytes in @p text
 * @param file    its name: picks the syntax (exercise_syntax_of) and is
 *                recorded in the markers and error messages
 * @param out     receives the first @p max regions' opening markers, in
 *                order (may be NULL when @p max is 0, to count them)
 * @param max     room in @p out
 * @param err     receives "file:line: what is wrong" on an error
 * @param errcap  bytes at @p err
 * @return the number of regions in the file (possibly more than @p max),
 *         0 for a file whose name has no marker syntax, or -1 for a
 *         malformed region: unclosed, END with another id, STUB outside a
 *         region or not closed, a second STUB block, a nested region, a
 *         bad id, points or hint, or two regions of one id whose points or
 *         hints differ.  A region without a STUB block is well formed: it
 *         is how a handout's regions look, and the grader scans handouts.
 */
int exercise_scan_text(const char *text, size_t len, const char *file, struct exercise_marker *out, int max,
                       char *err, size_t errcap);

/**
 * @brief Check that all regions of one id in @p m (@p n markers, from any
 *        number of files) agree on points and hint.
 * @return 0, or -1 naming both places.
 */
int exercise_check_agree(const struct exercise_marker *m, int n, char *err, size_t errcap);

/**
 * @brief Scan every .c .h .S .mk file and file named Makefile under the
 *        directories in @p dirs (NULL-terminated), recursively, skipping
 *        folders named build and .git and symbolic links, in name order.
 *
 * File names in the markers are the directory as given, then the path
 * below it.  All regions of one id must agree across files.
 *
 * @param dirs    the folders to scan, NULL-terminated
 * @param out     receives a malloc'd array (free() it), NULL when empty
 * @param n       receives its length
 * @param err     receives "file:line: what is wrong" on an error
 * @param errcap  bytes at @p err
 * @return 0, or -1 (nothing allocated).
 */
int exercise_scan_tree(const char *const *dirs, struct exercise_marker **out, int *n, char *err, size_t errcap);

/**
 * @brief The handout text of one file for lesson @p lesson.
 *
 * Regions of lesson @p lesson keep their EXERCISE and END EXERCISE lines;
 * their solution lines and the STUB / STUB END lines are dropped; the stub
 * lines are written in their place (in make syntax without their leading
 * "# " or "#"), every `EXERCISE_TODO()` in them becoming
 * `EXERCISE_TODO("ID", "HINT")`.  Every other line, regions of other
 * lessons included, is copied byte for byte.
 *
 * @param text    the reference text of the file
 * @param len     bytes in @p text
 * @param file    the file's name, for error messages
 * @param syntax  how its markers are written; EXERCISE_SYNTAX_NONE copies
 * @param lesson  the handout's lesson
 * @param only    NULL (every region of the lesson), or the ids, comma-
 *                separated, of the only exercises to stub (a handout of
 *                a few exercises: the others keep their solutions)
 * @param out     receives the malloc'd text (free() it; NUL-terminated
 *                for convenience, the NUL not counted in @p outlen)
 * @param outlen  receives its length
 * @param err     receives "file:line: what is wrong" on an error
 * @param errcap  bytes at @p err
 * @return 0, or -1 for a malformed region (as exercise_scan_text).
 */
int exercise_transform(const char *text, size_t len, const char *file, enum exercise_syntax syntax, int lesson,
                       const char *only, char **out, size_t *outlen, char *err, size_t errcap);

/**
 * @brief Whether region @p m is one a handout of lesson @p lesson stubs:
 *        its lesson is @p lesson and, when @p only is not NULL, its id is
 *        one of the comma-separated ids in @p only.
 */
bool exercise_picked(const struct exercise_marker *m, int lesson, const char *only);

/** @brief Whether @p id is a well-formed exercise id: NN.name (NN not 00), name of a-z, 0-9 and '-'. */
bool exercise_id_valid(const char *id);

/** @brief Whether @p id is one of the comma-separated ids in @p list. */
bool exercise_in_list(const char *list, const char *id);

/**
 * @brief The handout text of one Markdown file for lesson @p lesson.
 *
 * A line that is only `<!-- lesson NN -->` opens a block that a line that
 * is only `<!-- /lesson -->` closes; a line that ends with
 * `<!-- lesson NN -->` is gated alone.  Blocks and lines of a lesson after
 * @p lesson are dropped; in the text kept, the markers are removed.
 * Markers inside fenced code blocks are text (they show the convention).
 *
 * @param text    the reference text of the file
 * @param len     bytes in @p text
 * @param file    the file's name, for error messages
 * @param lesson  the handout's lesson
 * @param out     receives the malloc'd text (free() it), as exercise_transform
 * @param outlen  receives its length
 * @param err     receives "file:line: what is wrong" on an error
 * @param errcap  bytes at @p err
 * @return 0, or -1 for a nested or unclosed block, a stray close, or a
 *         marker whose lesson is not two digits.
 */
int markdown_transform(const char *text, size_t len, const char *file, int lesson, char **out, size_t *outlen,
                       char *err, size_t errcap);

/** @brief One reference file given to exercise_distinctive_lines(). */
struct exercise_source {
    const char *file; /**< its path: picks the marker syntax */
    const char *text; /**< its contents */
    size_t len;       /**< bytes in text */
};

/** @brief A solution line the handout must not contain. */
struct exercise_line {
    char *text;                   /**< the line without leading and trailing blanks (malloc'd) */
    char id[EXERCISE_ID_MAX];     /**< the exercise it solves */
    char file[EXERCISE_FILE_MAX]; /**< where it is in the reference */
    int line;                     /**< its line there (from 1) */
};

/**
 * @brief Collect the distinctive solution lines of lesson @p lesson's
 *        regions in the reference files @p src (@p nsrc of them).
 *
 * A solution line is distinctive when, without its leading and trailing
 * blanks, it is at least EXERCISE_DISTINCT_MIN bytes long and occurs
 * nowhere else in @p src: not in any text outside lesson @p lesson's
 * solutions (files without marker syntax included), not in any stub line
 * (as written in the reference or in the handout), not in a marker line.
 * So none of them can be in a correct handout, and finding one there means
 * the solution leaked.  Each text is listed once, at its first place.
 *
 * @param src     the reference files
 * @param nsrc    how many
 * @param lesson  the handout's lesson
 * @param only    NULL, or the only exercises stubbed (as exercise_transform())
 * @param out     receives a malloc'd array (exercise_lines_free() it)
 * @param n       receives its length
 * @param err     receives "file:line: what is wrong" on an error
 * @param errcap  bytes at @p err
 * @return 0, or -1 for a malformed region or no memory.
 */
int exercise_distinctive_lines(const struct exercise_source *src, int nsrc, int lesson, const char *only,
                               struct exercise_line **out, int *n, char *err, size_t errcap);

/** @brief Free what exercise_distinctive_lines() returned. */
void exercise_lines_free(struct exercise_line *lines, int n);

/**
 * @brief Look for the distinctive lines @p lines (@p n of them) in @p text,
 *        starting with the one at index @p from.
 * @param lines    the distinctive lines
 * @param n        how many
 * @param from     the first index to look for
 * @param text     the text to search (a file of the handout)
 * @param len      bytes in @p text
 * @param at_line  receives the line of @p text (from 1) where it occurs
 * @return the index of the first line from @p from on that occurs in
 *         @p text, anywhere in one of its lines, or -1.
 */
int exercise_find_leak(const struct exercise_line *lines, int n, int from, const char *text, size_t len,
                       int *at_line);

#endif
