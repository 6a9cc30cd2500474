/*
 * vmx_run.S - the VMX world switch.
 *
 * int vmx_enter(struct vcpu_regs *regs, int launched)
 *               (rdi)                   (esi)
 *
 * What VM entry and VM exit switch by themselves (SDM Vol. 3C §27.3.2,
 * §28.5): RIP, RSP, RFLAGS, control registers, segment registers, EFER
 * and the other VMCS-held MSRs.  They do NOT switch the general registers
 * (§28.1: "the VM exit does not save or load RAX..R15 except RSP"), so:
 *  - the 15 guest GPRs other than RSP are loaded here from struct vcpu_regs
 *    before VMLAUNCH/VMRESUME and stored back in vmx_exit_stub (vcpu.h:
 *    gpr[] in x86 encoding order from offset 0, 8 bytes each); guest RSP,
 *    RIP and RFLAGS are synced with the VMCS by vmx_run() in C;
 *  - the host's callee-saved registers (SysV ABI: RBX, RBP, R12-R15) are
 *    pushed here, because guest values overwrite them.
 *
 * The host stack pointer after the pushes is written into HOST_RSP right
 * before the entry, and HOST_RIP (vmx_host.c) is vmx_exit_stub: a VM exit
 * "returns" onto this same frame, where the regs pointer waits at (%rsp).
 *
 * Return value (vmcs_fields.h): VMX_OK (0) after a VM exit - including a
 * VM-entry failure exit (exit reason bit 31), which also lands in
 * vmx_exit_stub - or VMX_FAIL_INVALID (1, CF=1) / VMX_FAIL_VALID (2, ZF=1)
 * when VMLAUNCH/VMRESUME itself failed and fell through (§31.2).
 */
#define VMX_OK            0
#define VMX_FAIL_INVALID  1
#define VMX_FAIL_VALID    2
#define VMCS_HOST_RSP     0x6C14   /* SDM Vol. 3D Appendix B.4.4 */

/* Offsets into struct vcpu_regs (the order RAX RCX RDX RBX RSP RBP RSI
 * RDI R8..R15, vcpu.h asserts gpr[] at offset 0). */
#define R_RAX  (0 * 8)
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

    .text
    .globl vmx_enter
    .type vmx_enter, @function
vmx_enter:
    push %rbp
    mov %rsp, %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    push %rdi                   /* regs: at (%rsp) for the exit stub */

    mov $VMCS_HOST_RSP, %eax
    vmwrite %rsp, %rax
    jbe .Lfail                  /* CF or ZF: VMfailInvalid / VMfailValid */

    test %esi, %esi             /* ZF = !launched; the movs below keep it */
    mov R_RAX(%rdi), %rax
    mov R_RCX(%rdi), %rcx
    mov R_RDX(%rdi), %rdx
    mov R_RBX(%rdi), %rbx
    mov R_RBP(%rdi), %rbp
    mov R_RSI(%rdi), %rsi
    mov R_R8(%rdi), %r8
    mov R_R9(%rdi), %r9
    mov R_R10(%rdi), %r10
    mov R_R11(%rdi), %r11
    mov R_R12(%rdi), %r12
    mov R_R13(%rdi), %r13
    mov R_R14(%rdi), %r14
    mov R_R15(%rdi), %r15
    mov R_RDI(%rdi), %rdi
    jnz 1f
    vmlaunch
    jmp .Lfail                  /* only reached if VMLAUNCH failed */
1:  vmresume
    /* Only reached if VMRESUME failed: fall through with CF/ZF set. */
.Lfail:
    /* mov does not touch the flags: pick the status from CF/ZF. */
    mov $VMX_FAIL_VALID, %eax
    jz .Lout
    mov $VMX_FAIL_INVALID, %eax
    jmp .Lout

    .globl vmx_exit_stub
    .type vmx_exit_stub, @function
vmx_exit_stub:
    /* VM exit: RSP is HOST_RSP (the regs pointer on top), RIP is here,
     * RFLAGS = 2 (interrupts off), every GPR but RSP holds the guest's. */
    push %rdi                   /* guest RDI */
    mov 8(%rsp), %rdi           /* regs */
    mov %rax, R_RAX(%rdi)
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
    xor %eax, %eax              /* VMX_OK */
.Lout:
    add $8, %rsp                /* regs */
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret
    .size vmx_enter, . - vmx_enter

    .section .note.GNU-stack, "", @progbits
