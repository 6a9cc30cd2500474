/**
 * @file hcall_abi.h
 * @brief The hypercall ABI a guest sees: KVM's calling convention, KVM's
 *        error numbers, and Spectrum's own call numbers.
 *
 * Only macros, so guests (any width), the kernel and the unit tests share
 * one copy.
 *
 * Convention (Linux Documentation/virt/kvm/x86/hypercalls.rst): the guest
 * executes VMCALL (Intel, 0F 01 C1) or VMMCALL (AMD, 0F 01 D9), three
 * bytes either way, with the call number in RAX and up to four arguments
 * in RBX, RCX, RDX and RSI; the result comes back in RAX, and no other
 * register changes.  Outside 64-bit mode only the low 32 bits of each
 * register count, and the result is 32 bits wide (KVM truncates number,
 * arguments and result the same way).  A negative result is an error,
 * -KVM_Exxx.
 */
#ifndef SPECTRUM_HCALL_ABI_H
#define SPECTRUM_HCALL_ABI_H

/* Error numbers: Linux include/uapi/linux/kvm_para.h (KVM_EFAULT, KVM_E2BIG
 * and KVM_EPERM are the errno values EFAULT, E2BIG, EPERM of
 * include/uapi/asm-generic/errno-base.h). */
#define KVM_ENOSYS 1000   /**< no such hypercall */
#define KVM_EFAULT 14     /**< a guest buffer is not guest RAM */
#define KVM_EINVAL 22     /**< an argument is invalid */
#define KVM_E2BIG  7      /**< a length is too large */
#define KVM_EPERM  1      /**< the caller is not allowed: CPL > 0 */

/** KVM's own numbers run from 1 (KVM_HC_VAPIC_POLL_IRQ) upwards
 *  (kvm_para.h: 12 in Linux 6.1); Spectrum implements none of them, so
 *  they return -KVM_ENOSYS.  Spectrum's own calls sit far above, in a
 *  range KVM does not use ("SP" in the top bytes). */
#define SPECTRUM_HC_BASE 0x53500000u

/** Console write: RBX = guest-physical address of the bytes, RCX = their
 *  count (at most SPECTRUM_HC_CONSOLE_MAX).  Every byte must be guest RAM.
 *  Returns the count written, -KVM_E2BIG for a longer buffer, -KVM_EFAULT
 *  when any byte is not RAM (a hole, ROM, a device, beyond RAM, or a range
 *  that wraps around the address space). */
#define SPECTRUM_HC_CONSOLE_WRITE (SPECTRUM_HC_BASE + 0)
/** Argument check: returns RBX + 2*RCX + 3*RDX + 4*RSI (modulo the
 *  register width), so a guest sees that each argument arrived in its own
 *  place. */
#define SPECTRUM_HC_ARG_SUM       (SPECTRUM_HC_BASE + 1)

/** Longest buffer SPECTRUM_HC_CONSOLE_WRITE takes, in bytes. */
#define SPECTRUM_HC_CONSOLE_MAX 1024

#endif
