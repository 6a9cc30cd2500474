/**
 * @file evt.c
 * @brief Guest "evt": exceptions whose delivery itself exits.  For each
 *        case (guests/evt.h) it raises one event with an IDT and a stack
 *        on pages the hypervisor has not mapped yet, and checks that the
 *        handler ran once, on that stack, with the right vector, error
 *        code, return RIP (the faulting instruction for a fault, the next
 *        one for a trap, SDM Vol. 3A §7.5) and CR2.
 *
 * A fault that the hypervisor dropped instead of delivering it again
 * would simply happen again when the instruction re-executes; the traps
 * show a lost event: the single-step #DB comes after an instruction that
 * has completed, so nothing raises it a second time.  Exit status: the
 * number of cases that went wrong.  The count of delivered events goes
 * to the mailbox.
 */
#include "evt.h"

#include "guest/guest.h"
#include "guests/mailbox.h"
#include "rt_guest.h"

void evt_raise(unsigned k);
extern volatile uint64_t evt_seen_vector, evt_seen_error, evt_seen_rip, evt_seen_cr2, evt_seen_rsp, evt_seen_count;
extern char evt_lazy[];
extern const char evt_insn_bp[], evt_insn_de[], evt_insn_ud[], evt_insn_pf[], evt_insn_db[], evt_insn_int[];

struct evt_case {
    const char *name;
    uint64_t vector;
    uint64_t error;          /* what the CPU pushes (the stub pushes 0 for none) */
    const char *insn;        /* the raising instruction */
    unsigned rip_after;      /* 0: a fault, RIP = insn; else a trap, RIP = insn + this */
};

static const struct evt_case cases[EVT_CASES] = {
    [EVT_BP] = { "#BP (int3)", 3, 0, evt_insn_bp, 1 },
    [EVT_DE] = { "#DE (div by 0)", 0, 0, evt_insn_de, 0 },
    [EVT_UD] = { "#UD (ud2)", 6, 0, evt_insn_ud, 0 },
    [EVT_PF] = { "#PF (write)", 14, 2, evt_insn_pf, 0 },
    [EVT_DB] = { "#DB (single step)", 1, 0, evt_insn_db, 1 },
    [EVT_INT] = { "INT 0x30", EVT_SOFT_VEC, 0, evt_insn_int, 2 },
};

int guest_main(void)
{
    unsigned failed = 0, delivered = 0;
    for (unsigned k = 0; k < EVT_CASES; k++) {
        const struct evt_case *c = &cases[k];
        unsigned long idt = (unsigned long)evt_lazy + k * 2 * EVT_PAGE, stack = idt + EVT_PAGE;
        uint64_t before = evt_seen_count;
        evt_raise(k);
        uint64_t times = evt_seen_count - before;
        unsigned long want_rip = (unsigned long)c->insn + c->rip_after;
        bool ok = times == 1 && evt_seen_vector == c->vector && evt_seen_error == c->error &&
                  evt_seen_rip == want_rip && evt_seen_rsp >= stack && evt_seen_rsp < stack + EVT_PAGE &&
                  (k != EVT_PF || evt_seen_cr2 == EVT_PF_ADDR);
        delivered += times == 1;
        if (ok) {
            guest_printf("evt: %s: IDT page %#lx, stack page %#lx: delivered once, vector %lu, error %#lx, RIP %#lx%s\n",
                         c->name, idt, stack, (unsigned long)c->vector, (unsigned long)c->error, want_rip,
                         k == EVT_PF ? ", CR2" : "");
        } else {
            guest_printf("evt: %s: WRONG: %lu deliveries, vector %ld, error %#lx, RIP %#lx (expected %lu, %#lx, %#lx)\n",
                         c->name, (unsigned long)times, (long)evt_seen_vector, (unsigned long)evt_seen_error,
                         (unsigned long)evt_seen_rip, (unsigned long)c->vector, (unsigned long)c->error, want_rip);
            guest_printf("evt: %s: CR2 %#lx, handler RSP %#lx (stack page %#lx)\n", c->name,
                         (unsigned long)evt_seen_cr2, (unsigned long)evt_seen_rsp, stack);
            failed++;
        }
    }
    guest_outl(MAILBOX_PORT, delivered);
    guest_printf("evt: %u of %u events delivered through pages mapped on first touch\n", delivered, EVT_CASES);
    return (int)failed;
}
