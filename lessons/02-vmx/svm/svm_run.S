/*
 * svm_run.S - the SVM world switch.
 *
 * void svm_vmrun(uint64_t vmcb_pa, struct vcpu_regs *regs, uint64_t host_state_pa)
 *                (rdi)             (rsi)                    (rdx)
 *
 * What VMRUN itself switches (APM Vol. 2 §15.5): it saves the host's
 * RAX, RSP, RIP, RFLAGS, CR0/3/4, EFER, GDTR/IDTR and CS/SS/DS/ES to the
 * page at VM_HSAVE_PA and loads the guest's copies - including guest RAX
 * and RSP - from the VMCB; #VMEXIT writes the guest's back and restores
 * the host's.  Everything else is ours to switch:
 *  - the other 14 guest GPRs: loaded here from struct vcpu_regs before
 *    VMRUN and stored back after #VMEXIT (vcpu.h: gpr[] in x86 encoding
 *    order from offset 0; gpr[RAX] and gpr[RSP] are synced with the VMCB
 *    by svm_run() in C);
 *  - the host's callee-saved registers (SysV ABI: RBX, RBP, R12-R15),
 *    pushed here because the guest's values overwrite them;
 *  - FS, GS, TR, LDTR (with hidden parts), KernelGSBase, STAR/LSTAR/CSTAR/
 *    SFMASK, SYSENTER_CS/ESP/EIP: only VMLOAD/VMSAVE move them (§15.5.2),
 *    so the host's go to host_state_pa (VMSAVE) and the guest's are
 *    VMLOADed from its VMCB before VMRUN and VMSAVEd back after.
 * GIF (§15.17): CLGI before the host state is traded away, so no interrupt
 * or NMI runs host code on guest FS/GS/TR; VMRUN sets GIF, #VMEXIT clears
 * it, and STGI after the host state is back lets them in again.
 *
 * The host's RFLAGS.IF: with V_INTR_MASKING = 1 it is the host's IF, saved
 * by VMRUN, that decides whether a physical interrupt reaches the CPU
 * while the guest runs (§15.21.1) - and with the INTR intercept it then
 * exits the guest.  So STI comes right after CLGI (GIF = 0 still holds
 * every interrupt off) and CLI right after #VMEXIT, before STGI: the host
 * timer can end the guest's time slice even in "cli; jmp .", and the
 * interrupt waits at the 8259 until the host takes it on purpose
 * (host_irq_window(), host/host_irq.h).  An NMI that ended the guest is
 * taken by the host's handler at STGI.
 */

/* Offsets into struct vcpu_regs (vcpu.h asserts gpr[] at 0, 8 bytes each,
 * in the order RAX RCX RDX RBX RSP RBP RSI RDI R8..R15). */
#define R_RCX  (1 * 8)
#define R_RDX  (2 * 8)
#define R_RBX  (3 * 8)
#define R_RBP  (5 * 8)
#define R_RSI  (6 * 8)
#define R_RDI  (7 * 8)
#define R_R8   (8 * 8)
#define R_R9   (9 * 8)
#define R_R10  (10 * 8)
#define R_R11  (11 * 8)
#define R_R12  (12 * 8)
#define R_R13  (13 * 8)
#define R_R14  (14 * 8)
#define R_R15  (15 * 8)

/* Our frame after the pushes below: */
#define F_HOST  0     /* host_state_pa */
#define F_VMCB  8     /* vmcb_pa */
#define F_REGS  16    /* regs */

    .text
    .globl svm_vmrun
    .type svm_vmrun, @function
svm_vmrun:
    push %rbp
    mov %rsp, %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    push %rsi               /* F_REGS */
    push %rdi               /* F_VMCB */
    push %rdx               /* F_HOST */

    clgi
    sti                     /* host IF = 1 for VMRUN to save; GIF = 0 blocks it */
    mov %rdx, %rax
    vmsave %rax             /* host FS/GS/TR/LDTR/syscall MSRs -> host_state */

    mov F_REGS(%rsp), %rax
    mov R_RCX(%rax), %rcx
    mov R_RDX(%rax), %rdx
    mov R_RBX(%rax), %rbx
    mov R_RBP(%rax), %rbp
    mov R_RSI(%rax), %rsi
    mov R_RDI(%rax), %rdi
    mov R_R8(%rax), %r8
    mov R_R9(%rax), %r9
    mov R_R10(%rax), %r10
    mov R_R11(%rax), %r11
    mov R_R12(%rax), %r12
    mov R_R13(%rax), %r13
    mov R_R14(%rax), %r14
    mov R_R15(%rax), %r15

    mov F_VMCB(%rsp), %rax
    vmload %rax             /* guest FS/GS/TR/LDTR/syscall MSRs */
    vmrun %rax
    /* #VMEXIT: RSP, RAX (= vmcb_pa again) and RIP are the host's, every
     * other GPR still holds the guest's value. */
    vmsave %rax

    push %rdi               /* guest RDI; the frame is 8 bytes further now */
    mov F_REGS+8(%rsp), %rdi
    mov %rcx, R_RCX(%rdi)
    mov %rdx, R_RDX(%rdi)
    mov %rbx, R_RBX(%rdi)
    mov %rbp, R_RBP(%rdi)
    mov %rsi, R_RSI(%rdi)
    mov %r8, R_R8(%rdi)
    mov %r9, R_R9(%rdi)
    mov %r10, R_R10(%rdi)
    mov %r11, R_R11(%rdi)
    mov %r12, R_R12(%rdi)
    mov %r13, R_R13(%rdi)
    mov %r14, R_R14(%rdi)
    mov %r15, R_R15(%rdi)
    popq R_RDI(%rdi)

    mov F_HOST(%rsp), %rax
    vmload %rax             /* host FS/GS/TR/LDTR/syscall MSRs back */
    cli                     /* the host runs with IF = 0 again ... */
    stgi                    /* ... so only a pending NMI gets in here */

    add $24, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret
    .size svm_vmrun, . - svm_vmrun

    .section .note.GNU-stack, "", @progbits
