/**
 * @file cr4_policy.h
 * @brief Which CR4 bits a guest may set.
 *
 * One list for both vendors: the MOV-to-CR4 handler (handlers_cr.c)
 * injects \#GP for any other bit, and the VMX back end owns every bit
 * outside the list in its CR4 guest/host mask (vmx_guest.c), so that a
 * guest's attempt to set one exits to that handler instead of reaching the
 * real CR4.  (SVM intercepts every CR4 write.)
 */
#ifndef SPECTRUM_VCPU_CR4_POLICY_H
#define SPECTRUM_VCPU_CR4_POLICY_H

#include <stdint.h>

/**
 * @brief The CR4 bits a guest may set: bits 0-10 (SDM Vol. 3A §2.5, on
 *        every x86-64 CPU) plus FSGSBASE, SMEP, SMAP and UMIP where CPUID
 *        leaf 7 passes them through.  Never offered: VMXE/SMXE (no nested
 *        virtualization), PCIDE and OSXSAVE (CPUID hides PCID and XSAVE;
 *        XCR0 is not switched), LA57, PKE, CET.
 */
uint64_t vcpu_cr4_guest_bits(void);

#endif
