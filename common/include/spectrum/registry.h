/**
 * @file registry.h
 * @brief Registration tables: the extension points later lessons plug into.
 *
 * A table is a linker section whose name is a C identifier.  Each entry is a
 * const object placed in that section; ld collects the entries of every
 * object file into one array and defines `__start_TABLE` and
 * `__stop_TABLE` around it (GNU ld manual, "Input Section Example" /
 * orphan sections).  A lesson adds a device, an exit handler or a scenario by
 * writing one REGISTER_* line in its own file; no earlier file changes.
 *
 * Entries must have a size that is a multiple of 8 and are aligned to 8 so
 * the section is a dense array (GCC would otherwise over-align large
 * objects and leave holes).
 */
#ifndef SPECTRUM_REGISTRY_H
#define SPECTRUM_REGISTRY_H

/** Attributes of one entry of table @p table. */
#define TABLE_ENTRY(table) __attribute__((used, section(#table), aligned(8)))

/** Declare the bounds of table @p table holding objects of @p type.  Weak,
 *  so that an empty table links and iterates zero times. */
#define TABLE_DECLARE(type, table)                                            \
    extern const type __start_##table[] __attribute__((weak));                \
    extern const type __stop_##table[] __attribute__((weak))

/** Iterate @p it over every entry of @p table. */
#define TABLE_FOREACH(type, table, it)                                        \
    for (const type *it = __start_##table; it && it < __stop_##table; it++)

/** Number of entries in @p table. */
#define TABLE_COUNT(table) ((__start_##table) ? (unsigned long)(__stop_##table - __start_##table) : 0UL)

#endif
