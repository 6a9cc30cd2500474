/*
 * svm_smoke.S - the vCPU bring-up guest, built twice: 32-bit paged
 * (svm_smoke32.bin) and 64-bit (svm_smoke64.bin).  No runtime, no stack
 * frames beyond call/ret: it is the first code a new back end runs.
 *
 * It exercises one exit of each core kind and checks what comes back:
 *   OUT/IN to the emulated COM1 (THR, LSR polling, scratch register),
 *   CPUID (hypervisor bit, VMX and SVM hidden, the "SpectrumHV" leaf),
 *   RDMSR of IA32_TSC (allowed, must advance), MOV to CR0/CR4 (same value),
 *   then EDI more OUTs to port 0x80 (nobody's port: an exit-cost loop),
 * and ends with OUT to port 0xF4: 0 if every check passed, else the number
 * of the first failed check.  The host never tells it what to expect
 * beyond EDI (the loop count, from the scenario).
 *
 * Entry (hvm_guest.h): flat segments, paging on, stack at the top of
 * memory, interrupts off, EDI = number of loop iterations.
 */
#if GUEST_BITS == 64
    .code64
#define XAX %rax
#define XDI %rdi
#define XCX %rcx
#else
    .code32
#define XAX %eax
#define XDI %edi
#define XCX %ecx
#endif

#define COM1      0x3f8
#define COM1_LSR  0x3fd
#define COM1_SCR  0x3ff
#define LSR_THRE  0x20
#define DEBUG_EXIT 0xf4
#define POST_PORT 0x80

    .text
    .globl _start
_start:
    push XDI                        /* keep the loop count; EBP numbers the checks */
    mov $msg_hello, %esi
    call puts

    /* 1: the UART scratch register reads back what was written (OUT + IN). */
    mov $1, %ebp
    mov $COM1_SCR, %dx
    mov $0x5a, %al
    out %al, %dx
    xor %eax, %eax
    in %dx, %al
    cmp $0x5a, %al
    jne fail

    /* 2: CPUID.1:ECX.hypervisor (bit 31) set, VMX (bit 5) clear. */
    mov $2, %ebp
    mov $1, %eax
    xor %ecx, %ecx
    cpuid
    bt $31, %ecx
    jnc fail
    bt $5, %ecx
    jc fail

    /* 3: CPUID.80000001h:ECX.SVM (bit 2) clear. */
    mov $3, %ebp
    mov $0x80000001, %eax
    cpuid
    bt $2, %ecx
    jc fail

    /* 4: leaf 0x40000000 = max leaf 0x40000000, "SpectrumHV\0\0". */
    mov $4, %ebp
    mov $0x40000000, %eax
    cpuid
    cmp $0x40000000, %eax
    jne fail
    cmp $0x63657053, %ebx           /* "Spec" */
    jne fail
    cmp $0x6d757274, %ecx           /* "trum" */
    jne fail
    cmp $0x00005648, %edx           /* "HV\0\0" */
    jne fail

    /* 5: RDMSR IA32_TSC is allowed and the TSC moves forward. */
    mov $5, %ebp
    mov $0x10, %ecx
    rdmsr
    mov %eax, %esi
    mov %edx, %edi
    mov $0x10, %ecx
    rdmsr
    sub %esi, %eax
    sbb %edi, %edx
    jc fail
    or %eax, %edx
    jz fail

    /* 6: MOV to CR4 and CR0 with their current values (emulated writes). */
    mov $6, %ebp
    mov %cr4, XAX
    mov XAX, %cr4
    mov %cr0, XAX
    mov XAX, %cr0
    mov %cr0, XAX
    bt $31, %eax                    /* still paged */
    jnc fail

    mov $msg_checks, %esi
    call puts

    /* The exit-cost loop: EDI OUTs to an unclaimed port. */
    pop XCX
    test %ecx, %ecx
    jz 2f
1:  out %al, $POST_PORT
    dec %ecx
    jnz 1b
2:
    mov $msg_done, %esi
    call puts
    xor %eax, %eax
    out %eax, $DEBUG_EXIT           /* status 0: pass */
    hlt                             /* not reached: the VM is stopped */

fail:
    mov $msg_fail, %esi
    call puts
    mov %ebp, %eax
    out %eax, $DEBUG_EXIT
    hlt

/* puts(ESI): poll LSR.THRE, then write each byte to THR. */
puts:
    mov $COM1_LSR, %dx
1:  in %dx, %al
    test $LSR_THRE, %al
    jz 1b
    lodsb
    test %al, %al
    jz 2f
    mov $COM1, %dx
    out %al, %dx
    jmp puts
2:  ret

    .text               /* strings next to the code: one flat blob */
#if GUEST_BITS == 64
msg_hello:  .asciz "hello from the 64-bit smoke guest\n"
#else
msg_hello:  .asciz "hello from the 32-bit smoke guest\n"
#endif
msg_checks: .asciz "smoke: uart, cpuid, rdmsr and cr checks passed\n"
msg_done:   .asciz "smoke: port loop done\n"
msg_fail:   .asciz "smoke: check FAILED\n"

    .section .note.GNU-stack, "", @progbits
