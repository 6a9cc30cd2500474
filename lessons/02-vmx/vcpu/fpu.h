/**
 * @file fpu.h
 * @brief Keeping a guest's x87/SSE registers its own.
 *
 * Neither VMRUN nor VM entry/exit switch the x87, MMX and SSE registers
 * (APM Vol. 2 §15.5, SDM Vol. 3C §28.5): whatever a guest leaves in XMM0
 * or the x87 stack is still there when the next guest starts, unless the
 * hypervisor moves it out.  Spectrum never uses these registers itself
 * (the kernel is built with -mgeneral-regs-only), and one vCPU runs at a
 * time until its VM stops, so the rule is simple:
 *  - fpu_enter() before a vCPU's first entry: load its saved state, or the
 *    state of a CPU after reset for a vCPU that never ran (FCW 037FH,
 *    MXCSR 1F80H, empty x87 stack, zero XMM registers - SDM Vol. 1
 *    §8.1.5 and §10.2.3, the values FNINIT and reset produce);
 *  - fpu_leave() when the loop ends: FXSAVE the vCPU's state into
 *    struct vcpu_fpu and load the reset state, so nothing of the guest
 *    stays in the registers.
 * FXSAVE/FXRSTOR cover x87, MMX, XMM0-15 and MXCSR (SDM Vol. 1 §10.5);
 * the AVX and later state needs XSAVE, which guests are not offered
 * (CPUID hides XSAVE and CR4.OSXSAVE is refused).
 */
#ifndef SPECTRUM_VCPU_FPU_H
#define SPECTRUM_VCPU_FPU_H

#include "vcpu/vcpu.h"

/** @brief Load @p v's x87/SSE state into the CPU (reset state the first time). */
void fpu_enter(struct vcpu *v);

/** @brief Save the CPU's x87/SSE state into @p v and load the reset state. */
void fpu_leave(struct vcpu *v);

#endif
