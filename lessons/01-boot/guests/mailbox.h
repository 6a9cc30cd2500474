/**
 * @file mailbox.h
 * @brief The mailbox port: how a test guest gets its parameters from the
 *        hypervisor and hands its results back, so that the hypervisor can
 *        check a computed answer against its own.
 *
 * One 32-bit I/O port (the device is scenarios/emulate_mailbox.c):
 *  - IN  returns the next parameter the scenario queued, in order; once
 *        they are used up, 0xFFFFFFFF (what an empty ISA bus returns, so a
 *        guest behaves the same where no mailbox exists);
 *  - OUT appends one result word (at most ::MAILBOX_MAX_WORDS are kept).
 *
 * The port sits in the unassigned 0x0600 range of the PC I/O map.  Only
 * constants live here, so both the guests and the hypervisor include it.
 */
#ifndef SPECTRUM_GUESTS_MAILBOX_H
#define SPECTRUM_GUESTS_MAILBOX_H

/** The mailbox's I/O port (32-bit IN/OUT). */
#define MAILBOX_PORT 0x0600

/** Parameters and results the mailbox holds, each. */
#define MAILBOX_MAX_WORDS 8

/** What IN returns when no parameter is left. */
#define MAILBOX_EMPTY 0xFFFFFFFFu

#endif
