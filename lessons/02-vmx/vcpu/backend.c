/**
 * @file backend.c
 * @brief Choose the vCPU back end at boot: probe each registered one, take
 *        the one this CPU supports (or the one "vcpu=" forces), enable it.
 *
 * Intel VT-x is advertised by CPUID.1:ECX.VMX[bit 5] (SDM Vol. 3C §24.6)
 * and AMD-V by CPUID.80000001h:ECX.SVM[bit 2] (APM Vol. 2 §15.4); a real CPU
 * has at most one of them, and each back end's probe() checks its own bit
 * plus whatever the firmware may have locked (IA32_FEATURE_CONTROL,
 * VM_CR.SVMDIS).  Emulators can be odd, so if both probes pass the table
 * order decides and "vcpu=" overrides.
 */
#include "vcpu/backend.h"
#include "spectrum/options.h"

#include "spectrum/boot.h"
#include "spectrum/console.h"
#include "spectrum/fmt.h"
#include "spectrum/init.h"
#include "spectrum/string.h"
#include "spectrum/x86.h"

REGISTER_OPTION(vcpu, "force the vCPU back end: vmx, svm or none");

static const struct vcpu_ops *chosen;
static char none_why[256] = "the vCPU back ends have not been probed yet";

const struct vcpu_ops *vcpu_backend(void) { return chosen; }

const struct vcpu_nested_ext *vcpu_nested_find(const char *name)
{
    TABLE_FOREACH(struct vcpu_nested_ext, spectrum_vcpu_nested, n) {
        if (!strcmp(n->backend, name))
            return n;
    }
    return 0;
}

const char *vcpu_backend_why(void) { return chosen ? "" : none_why; }

/* Append "name: why" to the list of reasons printed when nothing works. */
static void add_reason(char *out, size_t size, const char *name, const char *why)
{
    size_t used = strlen(out);
    if (used < size)
        fmt_snprintf(out + used, size - used, "%s%s: %s", used ? "; " : "", name, why);
}

static void vcpu_backend_init(void)
{
    const char *want = cmdline_get(boot_cmdline_get(), "vcpu");
    char reasons[256] = "";
    char why[128];

    if (want && strcmp(want, "none") == 0) {
        fmt_snprintf(none_why, sizeof none_why, "disabled by vcpu=none");
        kprintf("vcpu: no hardware virtualization: %s\n", none_why);
        return;
    }
    const struct vcpu_backend_entry *pick = 0;
    bool known = false;
    TABLE_FOREACH(struct vcpu_backend_entry, spectrum_vcpu_backend, b) {
        if (want && *want && strcmp(want, b->ops->name) != 0)
            continue;
        known = true;
        why[0] = '\0';
        if (b->ops->probe(why, sizeof why)) {
            pick = b;
            break;
        }
        add_reason(reasons, sizeof reasons, b->ops->name, why[0] ? why : "not supported");
    }
    if (!pick) {
        if (want && *want && !known)
            fmt_snprintf(none_why, sizeof none_why, "vcpu=%s names no back end in this stage", want);
        else
            fmt_snprintf(none_why, sizeof none_why, "%s", reasons[0] ? reasons : "no back end registered");
        kprintf("vcpu: no hardware virtualization: %s\n", none_why);
        return;
    }
    why[0] = '\0';
    if (!pick->ops->enable(why, sizeof why)) {
        fmt_snprintf(none_why, sizeof none_why, "%s: enable failed: %s", pick->ops->name,
                     why[0] ? why : "no reason given");
        kprintf("vcpu: no hardware virtualization: %s\n", none_why);
        return;
    }
    chosen = pick->ops;
    kprintf("vcpu: using %s (%s)\n", pick->ops->name, pick->technology);
}
REGISTER_INIT(INIT_VIRT, vcpu_backend_init);
