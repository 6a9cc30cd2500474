/*
 * vmx_smoke_guest.S - the bring-up guests of scenario "vmx-smoke", as
 * position-independent flat code that hvm_guest_create() copies to
 * GUEST_LOAD_GVA and enters at its first byte (vcpu/hvm_guest.h).
 *
 * Each one executes CPUID (an unconditional VM exit, SDM Vol. 3C §26.1.2),
 * checks the CR0/CR4 read shadows (SDM Vol. 3C §25.6.6): CR4.VMXE, which
 * VMX forces on, must read 0, and clearing CR0.NE (also forced on) must
 * exit to the CR handler and then read back as 0; then it writes a line to
 * COM1 one OUT at a time (I/O exits, emulated UART), then writes 0 to
 * port 0xF4 (debug-exit: "passed", which stops the VM; 1 if a check
 * failed) and halts should it ever be resumed.  Same program twice: 64-bit code
 * (RIP-relative addressing) and 32-bit paged code (call/pop for its own
 * address).
 */
#include "spectrum/x86_bits.h"
#define COM1_THR   0x3f8
#define DEBUG_EXIT 0xf4

    .section .rodata
    .globl vmx_smoke_guest64, vmx_smoke_guest64_end
    .code64
vmx_smoke_guest64:
    xor %eax, %eax
    cpuid
    mov $1, %edi                /* exit status if a check fails */
    mov %cr4, %rax
    test $CR4_VMXE, %eax
    jnz 2f
    mov %cr0, %rax
    and $~CR0_NE, %rax
    mov %rax, %cr0              /* exits: NE is owned by the host */
    mov %cr0, %rbx
    test $CR0_NE, %ebx
    jnz 2f
    or $CR0_NE, %rax
    mov %rax, %cr0
    xor %edi, %edi
    lea 3f(%rip), %rsi
    mov $COM1_THR, %dx
1:  lodsb
    test %al, %al
    jz 2f
    outb %al, %dx
    jmp 1b
2:  mov %edi, %eax
    mov $DEBUG_EXIT, %dx
    outl %eax, %dx
    hlt
    jmp 2b
3:  .asciz "hello from a 64-bit VMX guest\n"
vmx_smoke_guest64_end:

    .globl vmx_smoke_guest32, vmx_smoke_guest32_end
    .code32
vmx_smoke_guest32:
    xor %eax, %eax
    cpuid
    mov $1, %edi
    mov %cr4, %eax
    test $CR4_VMXE, %eax
    jnz 2f
    mov %cr0, %eax
    and $~CR0_NE, %eax
    mov %eax, %cr0
    mov %cr0, %ebx
    test $CR0_NE, %ebx
    jnz 2f
    or $CR0_NE, %eax
    mov %eax, %cr0
    xor %edi, %edi
    call 0f
0:  pop %esi
    add $(3f - 0b), %esi
    mov $COM1_THR, %dx
1:  lodsb
    test %al, %al
    jz 2f
    outb %al, %dx
    jmp 1b
2:  mov %edi, %eax
    mov $DEBUG_EXIT, %dx
    outl %eax, %dx
    hlt
    jmp 2b
3:  .asciz "hello from a 32-bit paged VMX guest\n"
vmx_smoke_guest32_end:
    .code64

    .section .note.GNU-stack, "", @progbits
