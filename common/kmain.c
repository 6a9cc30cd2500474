/**
 * @file kmain.c
 * @brief The C entry: the boot steps every stage shares, then the lesson's
 *        init hooks, then the scenario the command line asks for.
 */
#include "spectrum/boot.h"

#include "spectrum/console.h"
#include "spectrum/cpu.h"
#include "spectrum/init.h"
#include "spectrum/machine.h"
#include "spectrum/mem.h"
#include "spectrum/options.h"
#include "spectrum/scenario.h"
#include "spectrum/string.h"
#include "spectrum/x86.h"

#ifndef SPECTRUM_STAGE
#error "the Makefile passes -DSPECTRUM_STAGE=\"NN\""
#endif

static struct boot_info boot_info;
static struct cmdline boot_cmdline;

const struct boot_info *boot_info_get(void) { return &boot_info; }
const struct cmdline *boot_cmdline_get(void) { return &boot_cmdline; }

/* CPU vendor and the virtualization extensions CPUID advertises:
 * VMX = CPUID.1:ECX[5] (SDM Vol. 3C §24.6), SVM = CPUID.80000001h:ECX[2]
 * (APM Vol. 2 §15.4), and their nested paging: EPT for VMX (the allowed
 * 1-setting of "enable EPT" in IA32_VMX_PROCBASED_CTLS2, which exists when
 * "activate secondary controls" may be 1; SDM Vol. 3D Appendix A.3.2-3),
 * NPT for SVM (CPUID 8000_000Ah EDX[0]).  The runner reads this line to
 * tell whether an engine (notably QEMU+KVM) really offers nested
 * virtualization. */

/* The two VMX capability MSRs this needs (SDM Vol. 4 Table 2-2); in both,
 * bits 63:32 are the allowed 1-settings of the control field's bits 31:0
 * (SDM Vol. 3D Appendix A.3.2, A.3.3).  The VMX back end of lesson 02 has
 * its own names; common code cannot include them. */
#define MSR_IA32_VMX_PROCBASED_CTLS  0x482
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x48b
#define VMX_MAY1_SECONDARY_CONTROLS (1ull << 63)  /* A.3.2: "activate secondary controls" (bit 31) may be 1 */
#define VMX_MAY1_ENABLE_EPT         (1ull << 33)  /* A.3.3: "enable EPT" (bit 1) may be 1 */

static void print_cpu(void)
{
    struct cpuid_regs r = cpuid(0, 0);
    char vendor[13];
    memcpy(vendor + 0, &r.ebx, 4);
    memcpy(vendor + 4, &r.edx, 4);
    memcpy(vendor + 8, &r.ecx, 4);
    vendor[12] = '\0';
    bool vmx = cpuid(1, 0).ecx & (1u << 5);
    bool svm = false, npt = false, ept = false;
    if (cpuid(0x80000000, 0).eax >= 0x8000000a) {
        svm = cpuid(0x80000001, 0).ecx & (1u << 2);
        if (svm)
            npt = cpuid(0x8000000a, 0).edx & 1u; /* APM Vol. 3 Appendix E.4.9 */
    }
    if (vmx && (rdmsr(MSR_IA32_VMX_PROCBASED_CTLS) & VMX_MAY1_SECONDARY_CONTROLS))
        ept = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2) & VMX_MAY1_ENABLE_EPT;
    if (vmx)
        kprintf("cpu: %s, vmx=yes svm=%s ept=%s\n", vendor, svm ? "yes" : "no", ept ? "yes" : "no");
    else
        kprintf("cpu: %s, vmx=no svm=%s npt=%s\n", vendor, svm ? "yes" : "no", npt ? "yes" : "no");
}

static void print_boot_info(void)
{
    const struct boot_info *bi = &boot_info;
    kprintf("boot: multiboot%d from '%s', cmdline '%s'\n", bi->protocol,
            bi->loader[0] ? bi->loader : "unknown loader", bi->cmdline);
    kprintf("memory map (%d entries):\n", bi->region_count);
    for (int i = 0; i < bi->region_count; i++) {
        const struct mem_region *r = &bi->region[i];
        kprintf("  [0x%012lx-0x%012lx] %9lu KiB %s\n", (unsigned long)r->base,
                (unsigned long)(r->base + r->len - 1), (unsigned long)(r->len >> 10),
                mem_type_name(r->type));
    }
    kprintf("modules (%d):\n", bi->module_count);
    for (int i = 0; i < bi->module_count; i++) {
        const struct boot_module *m = &bi->module[i];
        kprintf("  [0x%08lx-0x%08lx] %8lu bytes '%s'\n", (unsigned long)m->start,
                (unsigned long)m->end, (unsigned long)(m->end - m->start), m->cmdline);
    }
    if (bi->dropped)
        kprintf("boot: %d malformed boot-information entries ignored\n", bi->dropped);
    kprintf("mem: %lu KiB free for allocation\n", (unsigned long)(mem_free_bytes() >> 10));
}

void kmain(uint32_t magic, uint32_t info)
{
    console_init();
    kprintf("\nSpectrum stage " SPECTRUM_STAGE " - an educational hypervisor\n");
    gdt_init();
    idt_init();
    print_cpu();

    enum bootinfo_status st = multiboot_parse(&boot_info, magic, info, &mem_identity_reader);
    if (st != BOOTINFO_OK)
        panic("cannot use the boot information (magic %#x, info %#x): error %d", magic, info, st);
    if (!cmdline_parse(&boot_cmdline, boot_info.cmdline, sizeof boot_info.cmdline))
        kprintf("cmdline: some options were cut or dropped\n");
    options_check(&boot_cmdline);
    mem_init(&boot_info);
    print_boot_info();

    init_run_all();
    machine_exit(scenario_run(&boot_cmdline));
}
