/**
 * @file mmio_emul.c
 * @brief mmio_emulate(): the kernel side of MMIO instruction emulation -
 *        instruction bytes, the vCPU's segment bases and paging, and the
 *        machine's memory and MMIO bus behind the core's callbacks
 *        (mmio_emul_core.c does the instruction itself).
 *
 * Guest memory is reached only through the machine's gpm (mem/gpm.h),
 * which checks every GPA against the memory map, and devices only through
 * mmiobus_read()/mmiobus_write(): whatever the instruction bytes or the
 * registers say, nothing outside this guest is touched.
 */
#include "mmio/mmio_emul.h"

#include "machine/pc_machine.h"
#include "mem/gpm.h"
#include "mmio/guest_linear.h"
#include "mmio/mmio_emul_core.h"
#include "spectrum/console.h"
#include "spectrum/exercise.h"
#include "spectrum/fmt.h"
#include "spectrum/x86_bits.h"
#include "vcpu/guest_space.h"
#include "x86/decode.h"

/** What the core's callbacks need. */
struct glue {
    struct vcpu *v;
    struct pc_machine *m;
    bool user;       /* CPL 3: user pages only */
    bool wp;         /* CR0.WP: supervisor writes honour read-only pages */
};

/* Linear -> GPA through the guest's paging, refusing what the CPU would
 * have refused with a #PF (SDM Vol. 3A §5.6): the page-fault exception
 * belongs to the guest, but an emulated access must not do more than the
 * real one could. */
static bool cb_translate(void *ctx, uint64_t linear, bool write, uint64_t *gpa)
{
    struct glue *g = ctx;
    struct guest_walk_result w;
    if (!pc_guest_linear(g->v, linear, &w))
        return false;
    if (g->user && !w.user)
        return false;
    if (write && !w.writable && (g->user || g->wp))
        return false;
    *gpa = w.gpa;
    return true;
}

/* The region kind of [gpa, gpa+size): the core never lets an access cross
 * a 4 KiB page, and regions are 4 KiB aligned, so one region holds it. */
static enum gpm_kind kind_of(const struct glue *g, uint64_t gpa)
{
    const struct gpm_region *r = gpm_find(&g->m->mem, gpa);
    return r ? r->kind : GPM_HOLE;
}

static bool cb_read(void *ctx, uint64_t gpa, unsigned size, uint64_t *value)
{
    struct glue *g = ctx;
    switch (kind_of(g, gpa)) {
    case GPM_MMIO:
        *value = mmiobus_read(&g->m->vm, &g->m->mmio, gpa, size);
        return true;
    case GPM_RAM:
    case GPM_ROM:
        *value = 0;
        return size <= 8 && gpm_read(&g->m->mem, gpa, value, size);   /* x86 is little-endian */
    default:
        return false;
    }
}

static bool cb_write(void *ctx, uint64_t gpa, unsigned size, uint64_t value)
{
    struct glue *g = ctx;
    switch (kind_of(g, gpa)) {
    case GPM_MMIO:
        mmiobus_write(&g->m->vm, &g->m->mmio, gpa, size, value);
        return true;
    case GPM_RAM:
        return size <= 8 && gpm_write(&g->m->mem, gpa, &value, size);
    default:
        return false;   /* ROM and holes: the nested tables would not let the guest write there either */
    }
}

/* "0f b6 07" for the message. */
static void hex_bytes(char *out, size_t cap, const uint8_t *b, size_t n)
{
    size_t at = 0;
    out[0] = 0;
    for (size_t i = 0; i < n && at + 4 <= cap; i++)
        at += (size_t)fmt_snprintf(out + at, cap - at, i ? " %02x" : "%02x", b[i]);
    if (n == 0)
        fmt_snprintf(out, cap, "(none readable)");
}

static enum exit_action refuse(struct vcpu *v, uint64_t gpa, const uint8_t *b, size_t n, const char *why)
{
    char hex[3 * X86_MAX_INSN_LEN + 16];
    hex_bytes(hex, sizeof hex, b, n);
    vm_stop(v->vm, false, "mmio: cannot emulate the access to GPA %#llx at RIP %#llx [%s]: %s",
            (unsigned long long)gpa, (unsigned long long)v->regs.rip, hex, why);
    return EXIT_ACTION_STOP;
}

enum exit_action mmio_emulate(struct vcpu *v, uint64_t gpa, const struct vm_exit *e)
{
    struct pc_machine *m = pc_machine_of(v->vm);
    uint8_t bytes[X86_MAX_INSN_LEN] = { 0 };
    if (!m)
        return refuse(v, gpa, bytes, 0, "the VM has no guest-physical memory map");
    struct mmio_emul_stats *st = mmio_emul_stats(&m->mmio);
    unsigned bits = v->ops->code_bits(v);
    struct glue g = {
        .v = v, .m = m,
        .user = v->ops->get_ctl(v, CTL_CPL) == 3,
        .wp = v->ops->get_ctl(v, CTL_CR0) & CR0_WP,
    };
    struct mmio_env env = {
        .ctx = &g, .code_bits = bits, .gpa = gpa, .rep_max = MMIO_REP_MAX,
        .translate = cb_translate, .read = cb_read, .write = cb_write,
    };
    env.seg_base[X86_SEG_ES] = v->ops->get_ctl(v, CTL_ES_BASE);
    env.seg_base[X86_SEG_CS] = v->ops->get_ctl(v, CTL_CS_BASE);
    env.seg_base[X86_SEG_SS] = v->ops->get_ctl(v, CTL_SS_BASE);
    env.seg_base[X86_SEG_DS] = v->ops->get_ctl(v, CTL_DS_BASE);
    env.seg_base[X86_SEG_FS] = v->ops->get_ctl(v, CTL_FS_BASE);
    env.seg_base[X86_SEG_GS] = v->ops->get_ctl(v, CTL_GS_BASE);

    /* The instruction: 64-bit code ignores the CS base (SDM Vol. 1
     * §3.3.7.1), other code forms a 32-bit linear address. */
    uint64_t linear = bits == 64 ? v->regs.rip : (env.seg_base[X86_SEG_CS] + v->regs.rip) & 0xffffffffull;
    size_t n = mmio_assist_bytes(v, bytes);
    bool assisted = n > 0;
    if (!assisted)
        n = guest_space_fetch(v, linear, bytes, sizeof bytes);
    if (n == 0)
        return refuse(v, gpa, bytes, 0, "the instruction cannot be fetched");

    struct mmio_core_result res;
    struct vcpu_regs regs = v->regs;
    mmio_core_emulate(&env, &regs, bytes, n, &res);
    if (res.status == MMIO_CORE_FAIL && res.length == 0 && assisted) {
        /* The CPU may have fetched fewer bytes than the instruction has
         * (§15.33.4: up to a page boundary it could not cross). */
        n = guest_space_fetch(v, linear, bytes, sizeof bytes);
        assisted = false;
        regs = v->regs;
        mmio_core_emulate(&env, &regs, bytes, n, &res);
    }
    if (res.status == MMIO_CORE_FAIL)
        return refuse(v, gpa, bytes, res.length ? res.length : n, res.why);
    if (!vm_running(v->vm))
        return EXIT_ACTION_STOP;   /* a device stopped the VM */

    st->insns++;
    st->assisted += assisted;
    st->elements += res.iterations;
    /* EXERCISE 03.mmio-decode 10 "Perform a decoded MOV on the bus: register or immediate to memory, memory to register (narrow writes keep the other bits, 32-bit ones zero-extend), then advance RIP by the decoded length (SDM Vol. 2B MOV; Vol. 1 3.4.1.1)" */
    v->regs = regs;
    if (res.status == MMIO_CORE_DONE) {
        struct vm_exit done = *e;
        done.insn_len = (uint8_t)res.length;
        vcpu_skip_insn(v, &done);
    } else {
        st->resumed++;
    }
    /* STUB
    EXERCISE_TODO();
    (void)e;
    (void)regs;
    vm_stop(v->vm, false, "mmio: the emulated instruction was not completed");
    return EXIT_ACTION_STOP;
    STUB END */
    /* END EXERCISE 03.mmio-decode */
    return vm_running(v->vm) ? EXIT_ACTION_RESUME : EXIT_ACTION_STOP;
}
