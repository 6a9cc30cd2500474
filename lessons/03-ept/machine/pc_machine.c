/**
 * @file pc_machine.c
 * @brief Creating, running and destroying a lesson-03 virtual PC
 *        (layout and contract: pc_machine.h).
 */
#include "machine/pc_machine.h"

#include "apic/apic.h"
#include "machine/canary.h"
#include "machine/io_profile.h"
#include "machine/pc_port_device.h"
#include "mmio/mmio_emul.h"
#include "vdev/legacy.h"
#include "spectrum/console.h"
#include "spectrum/fmt.h"
#include "spectrum/mem.h"
#include "spectrum/string.h"
#include "spectrum/tsc.h"
#include "spectrum/x86.h"
#include "vcpu/loop.h"

/* The guest's physical-address width is the host's (CPUID 8000_0008h
 * EAX[7:0], SDM Vol. 2A CPUID; APM Vol. 3 Appendix E.4.7): guest page
 * tables may name any GPA below it, and nothing above it can be mapped. */
static unsigned host_phys_bits(void)
{
    if (cpuid(0x80000000, 0).eax >= 0x80000008)
        return cpuid(0x80000008, 0).eax & 0xff;
    return 36;
}

static bool add(struct pc_machine *m, uint64_t base, uint64_t size, enum gpm_kind kind, const char *name)
{
    char why[160];
    if (gpm_add(&m->mem, base, size, kind, name, why, sizeof why))
        return true;
    vm_stop(&m->vm, false, "machine: %s", why);
    return false;
}

bool pc_machine_create(struct pc_machine *m, const char *name, uint64_t ram_bytes)
{
    memset(m, 0, sizeof *m);
    vm_init(&m->vm, name, 0);
    m->vm.ext = m;
    TABLE_FOREACH(struct port_device, spectrum_pc_portdev, d) {
        if (!portbus_add(&m->vm.io, &m->vm, d)) {
            vm_stop(&m->vm, false, "machine: no room on the port bus for device %s", d->name);
            return false;
        }
    }
    gpm_init(&m->mem, host_phys_bits());
    ram_bytes = (ram_bytes + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    if (ram_bytes < 2 * PC_HIGH_RAM_BASE || ram_bytes > PC_RAM_MAX_LOW) {
        vm_stop(&m->vm, false, "machine: %llu KiB of RAM: give between 2 MiB and 3 GiB",
                (unsigned long long)(ram_bytes >> 10));
        return false;
    }
    m->ram_bytes = ram_bytes;
    cmos_set_memory_size(&m->vm, ram_bytes);
    m->tsc_khz = tsc_hz() / 1000;
    if (!add(m, 0, PC_LOW_RAM_END, GPM_RAM, "low ram") ||
        !add(m, PC_OPTROM_BASE, PC_BIOS_BASE - PC_OPTROM_BASE, GPM_ROM, "option roms") ||
        !add(m, PC_BIOS_BASE, PC_HIGH_RAM_BASE - PC_BIOS_BASE, GPM_ROM, "bios") ||
        !add(m, PC_HIGH_RAM_BASE, ram_bytes - PC_HIGH_RAM_BASE, GPM_RAM, "ram"))
        return false;
    if (!mmiobus_init(&m->mmio, &m->vm)) {
        vm_stop(&m->vm, false, "machine: too many MMIO devices, or their state does not fit");
        return false;
    }
    io_profile_start(m);     /* without memory for the counters, no profile: not an error */
    for (int i = 0; i < m->mmio.count; i++) {
        const struct mmio_device *d = m->mmio.dev[i];
        if (!add(m, d->base, d->size, GPM_MMIO, d->name))
            return false;
    }
    if (!pc_machine_ext_init(m)) {
        vm_stop(&m->vm, false, "machine: too many extensions, or their state does not fit");
        return false;
    }
    return true;
}

void pc_machine_destroy(struct pc_machine *m)
{
    io_profile_stop(m);
    gpm_destroy(&m->mem);
    vm_destroy(&m->vm);
    m->vm.ext = 0;
}

bool pc_machine_run(struct pc_machine *m, struct exit_stats *out)
{
    struct vm *vm = &m->vm;
    const struct vcpu_ops *ops = vcpu_backend();
    canary_arm();
    if (!ops) {
        vm_stop(vm, false, "needs hardware virtualization: %s", vcpu_backend_why());
        return false;
    }
    if (!vm_running(vm))
        return false;
    struct pc_nested_config nc = { m, m->start };
    struct vcpu_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.mode = VCPU_MODE_PROT32_PAGED;   /* lesson 02's default VMCS/VMCB; the attach replaces the state */
    cfg.nested = &nc;
    struct vcpu *v = ops->create(vm, &cfg);
    if (!v) {
        vm_stop(vm, false, "%s: could not create a vCPU with nested paging", ops->name);
        canary_check(vm->name);
        return false;
    }
    static const char *const mode_name[] = { "real mode", "32-bit protected mode", "64-bit mode" };
    kprintf("pc: %s: %s guest at %#llx:%#llx, %llu KiB of RAM, %s\n", vm->name,
            mode_name[m->start.mode <= HVM_START_LONG64 ? m->start.mode : 0],
            (unsigned long long)m->start.cs_sel, (unsigned long long)m->start.rip,
            (unsigned long long)(m->ram_bytes >> 10), ops->name);
    struct exit_stats st;
    memset(&st, 0, sizeof st);
    vcpu_loop(v, &st);
    exit_stats_print(&st);
    if (m->lazy_maps)
        kprintf("pc: %s: %llu pages mapped on first touch\n", vm->name, (unsigned long long)m->lazy_maps);
    io_profile_print(m);
    legacy_stats_print(vm);
    apic_print_stats(vm);
    pc_machine_ext_report(m);
    const struct mmio_emul_stats *ms = mmio_emul_stats(&m->mmio);
    if (ms->insns)
        kprintf("pc: %s: %llu MMIO instructions emulated (%llu string elements)\n", vm->name,
                (unsigned long long)ms->insns, (unsigned long long)ms->elements);
    ops->destroy(v);
    canary_check(vm->name);
    if (out)
        *out = st;
    return vm->passed;
}
