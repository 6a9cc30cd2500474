/**
 * @file vmx_snapshot.c
 * @brief Copy the current VMCS into a struct vmx_state for the checker.
 *
 * Every field of the table in vmx_fields.c that has a place in struct
 * vmx_state is read with VMREAD.  A field this CPU does not implement
 * (e.g. the PAT fields without "load IA32_PAT") fails with VM-instruction
 * error 12 and reads as 0; the checker only looks at such fields when the
 * control that needs them is 1, and then the VMWRITE would have failed
 * first.  The VMREAD failures overwrite the VM-instruction error field,
 * which is why vmx_run.c reads it before anything else.
 */
#include "vmx/vmx.h"

#include "spectrum/boot_layout.h"
#include "spectrum/string.h"
#include "spectrum/x86.h"
#include "vmx/vmcs_fields.h"
#include "vmx/vmx_controls.h"
#include "vmx/vmx_fields.h"

void vmx_state_capture(struct vmx_state *s)
{
    memset(s, 0, sizeof *s);
    for (unsigned i = 0; i < vmx_field_count; i++) {
        const struct vmx_field *f = &vmx_fields[i];
        uint64_t v;
        if (f->offset != VMX_FIELD_NO_OFFSET && vmcs_try_read(f->encoding, &v) == VMX_OK)
            vmx_field_set(s, f, v);
    }
    s->cpu_ia32e = rdmsr(MSR_EFER) & EFER_LMA;
}
