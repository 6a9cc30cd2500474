/**
 * @file fpu.c
 * @brief Switching x87/SSE state between guests (see fpu.h).
 */
#include "vcpu/fpu.h"

#include "spectrum/init.h"
#include "spectrum/string.h"
#include "spectrum/x86.h"
#include "spectrum/x86_bits.h"

/* FXSAVE area offsets, SDM Vol. 1 §10.5.1 Table 10-2. */
#define FX_FCW   0     /* x87 control word */
#define FX_MXCSR 24    /* SSE control/status */
#define FCW_RESET   0x037f   /* all x87 exceptions masked, 64-bit precision, round to nearest */
#define MXCSR_RESET 0x1f80   /* all SIMD exceptions masked, round to nearest */

static uint8_t reset_state[512] __attribute__((aligned(16)));

static void fxsave(void *area) { __asm__ volatile("fxsave64 %0" : "=m"(*(uint8_t(*)[512])area)); }
static void fxrstor(const void *area) { __asm__ volatile("fxrstor64 %0" ::"m"(*(const uint8_t(*)[512])area)); }

/* The host must let FXSAVE/FXRSTOR see the SSE state: CR4.OSFXSR on
 * (else XMM0-15 and MXCSR may be left out, SDM Vol. 1 §10.5.1.1), and
 * CR0.EM and CR0.TS off (else they raise #UD / #NM).  Runs before any
 * vCPU exists, so the VMCS host-state area and SVM's host save area pick
 * up this CR0/CR4. */
static void fpu_host_init(void)
{
    write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP);
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    memset(reset_state, 0, sizeof reset_state);
    uint16_t fcw = FCW_RESET;
    uint32_t mxcsr = MXCSR_RESET;
    memcpy(reset_state + FX_FCW, &fcw, sizeof fcw);
    memcpy(reset_state + FX_MXCSR, &mxcsr, sizeof mxcsr);
    fxrstor(reset_state);
}
REGISTER_INIT(INIT_PLATFORM, fpu_host_init);

void fpu_enter(struct vcpu *v)
{
    fxrstor(v->fpu.loaded_once ? v->fpu.area : reset_state);
}

void fpu_leave(struct vcpu *v)
{
    fxsave(v->fpu.area);
    v->fpu.loaded_once = true;
    fxrstor(reset_state);
}
