/**
 * @file evt.h
 * @brief The event guest (evt.c, evt_guest.S): the cases it raises and
 *        what its handler records.  Each case k gets an IDT of its own
 *        and a stack of its own, two pages of the image's .rt_lazy
 *        section, which the scenario unmaps from the nested tables before
 *        the guest starts: delivering the event then exits (nested page
 *        fault) on the IDT read and again on the first push, and the
 *        event must be delivered again after each exit (SDM Vol. 3C
 *        §28.2.4 IDT-vectoring information, §27.6.1.1 re-injection; APM
 *        Vol. 2 §15.7.2 EXITINTINFO).
 */
#ifndef SPECTRUM_GUESTS_EVT_H
#define SPECTRUM_GUESTS_EVT_H

#define EVT_CASES    6        /**< events raised, one per case */
#define EVT_VECTORS  49       /**< gates in each IDT: the exceptions and vector 0x30 */
#define EVT_SOFT_VEC 0x30     /**< the INT n case's vector */
#define EVT_PF_ADDR  0x100000000 /**< not mapped by the guest's tables (PDPT entry 4 is empty) */
#define EVT_PAGE     4096     /**< one lazy page */

/* Case numbers (evt_raise's argument). */
#define EVT_BP  0             /**< INT3: a trap */
#define EVT_DE  1             /**< DIV by zero: a fault */
#define EVT_UD  2             /**< UD2: a fault */
#define EVT_PF  3             /**< a write to EVT_PF_ADDR: a fault with error code */
#define EVT_DB  4             /**< single step (TF): a trap after the instruction completed */
#define EVT_INT 5             /**< INT 0x30: a software interrupt */

#endif
