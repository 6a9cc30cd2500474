/**
 * @file cmdline.h
 * @brief The kernel command line, parsed into key=value options.
 *
 * Syntax (close to Linux's, Documentation/admin-guide/kernel-parameters.rst):
 * options are separated by blanks; an option is "key", "key=value" or
 * key="value with blanks".  A later option with the same key wins.  The
 * parser copies what it keeps, never reads past the terminating NUL or a
 * caller-given bound, and flags input it had to cut.
 */
#ifndef SPECTRUM_CMDLINE_H
#define SPECTRUM_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CMDLINE_MAX_LEN  1024 /**< bytes kept from the raw command line */
#define CMDLINE_MAX_OPTS 48   /**< options kept */

/** @brief A parsed command line.  Keys and values point into @c buf
 *  (a bare flag's value is the constant ""). */
struct cmdline {
    char buf[CMDLINE_MAX_LEN];            /**< the options' storage */
    const char *key[CMDLINE_MAX_OPTS];    /**< option names */
    const char *value[CMDLINE_MAX_OPTS];  /**< values; "" for a bare flag */
    int count;                            /**< number of options kept */
    bool truncated;                       /**< input was longer than we keep */
    bool too_many;                        /**< options were dropped */
    bool unterminated_quote;              /**< a value's closing quote was missing */
};

/**
 * @brief Parse at most @p max bytes of @p s (stopping at NUL) into @p cl.
 * @return true when nothing had to be dropped or repaired.
 */
bool cmdline_parse(struct cmdline *cl, const char *s, size_t max);

/** @brief Value of @p key ("" for a flag), or NULL when absent. */
const char *cmdline_get(const struct cmdline *cl, const char *key);

/** @brief Whether @p key is present, with or without a value. */
bool cmdline_has(const struct cmdline *cl, const char *key);

/**
 * @brief Parse @p key's value as an unsigned number (decimal, or hex with a
 *        0x prefix; a k/m/g suffix multiplies by 2^10/2^20/2^30).
 * @return false when absent, malformed or out of range; @p out untouched.
 */
bool cmdline_get_u64(const struct cmdline *cl, const char *key, uint64_t *out);

/** @brief Parse a whole string as cmdline_get_u64() parses a value. */
bool cmdline_parse_u64(const char *s, uint64_t *out);

/** @brief Something cmdline_audit() reports about one option. */
struct cmdline_problem {
    enum {
        CMDLINE_UNKNOWN,     /**< no part of this image reads the option (a typo?) */
        CMDLINE_REPEATED,    /**< the key appears more than once: only the last counts */
    } kind;                  /**< what is wrong */
    int index;               /**< the option (for REPEATED: its last occurrence, the one used) */
    int times;               /**< REPEATED: how often the key appears */
};

/**
 * @brief Check @p cl against the @p n option names in @p known: call
 *        @p report once for every option no one reads and once for every
 *        key given more than once.  Pure.
 * @return the number of reports
 */
int cmdline_audit(const struct cmdline *cl, const char *const *known, size_t n,
                  void (*report)(void *ctx, const struct cmdline_problem *p), void *ctx);

#endif
