/*
 * apic_smoke_guest.S - the "apic-smoke" guest (scenario apic_smoke.c):
 * 32-bit protected mode, paging off, loaded and started at 0x8000 with
 * Spectrum's flat GDT.  It drives the APICs through their architectural
 * registers (Intel SDM Vol. 3A ch. 11; 82093AA datasheet §3) and prints
 * one letter on COM1 per step that worked:
 *   i  a self-IPI (ICR shorthand "self", vector 0x50) is held while
 *      TPR = 0x60 and taken once TPR = 0;
 *   t  a one-shot APIC timer (vector 0x40, divide by 1, 1 ms) fires;
 *   p  a periodic one fires 5 more times, then initial count 0 stops it;
 *   ok the PIT (IRQ0, ~1 kHz) through I/O APIC pin 2 (vector 0x30) ticks
 *      5 times;
 * then exits with status 0 through port 0xF4 (1 on a failed check).
 * Each handler counts and writes the EOI register.  As a multiboot kernel
 * must, it loads a GDT of its own first (IRET reloads CS from it).
 */
        .code32
        .set LAPIC, 0xfee00000
        .set IOAPIC, 0xfec00000
        .set IDT, 0x1000
        .set CNT40, 0x2000
        .set CNT30, 0x2004
        .set CNT50, 0x2008
        .globl _start
_start:
        lgdt gdtr
        ljmp $0x08, $2f
2:      mov $0x10, %ax
        mov %ax, %ds
        mov %ax, %es
        mov %ax, %ss
        /* IDT: 256 gates to 'ignore', then our three */
        mov %cs, %ax
        shl $16, %eax
        mov $0, %ecx
1:      lea ignore, %edx
        mov %eax, %ebx
        mov %dx, %bx
        mov %ebx, IDT(,%ecx,8)
        and $0xffff0000, %edx
        or $0x8e00, %edx
        mov %edx, IDT+4(,%ecx,8)
        inc %ecx
        cmp $256, %ecx
        jne 1b
        mov $0x40, %ecx
        lea h40, %edx
        call setgate
        mov $0x30, %ecx
        lea h30, %edx
        call setgate
        mov $0x50, %ecx
        lea h50, %edx
        call setgate
        lidt idtr
        movl $0, CNT40
        movl $0, CNT30
        movl $0, CNT50

        /* software-enable the APIC, spurious 0xff */
        movl $0x1ff, LAPIC+0xf0
        /* self-IPI 0x50 with TPR 0x60: held; TPR 0: taken */
        movl $0x60, LAPIC+0x80
        sti
        movl $0x00040050, LAPIC+0x300
        nop
        nop
        cmpl $0, CNT50
        jne fail
        movl $0, LAPIC+0x80
        nop
        nop
        cmpl $1, CNT50
        jne fail
        mov $'i', %al
        call putc

        /* one-shot timer, vector 0x40, divide 1, 1 ms */
        movl $0xb, LAPIC+0x3e0
        movl $0x40, LAPIC+0x320
        movl $1000000, LAPIC+0x380
        /* Wait without a lost wake-up: a one-shot fires once, and on a
         * loaded host it can fire before the HLT is reached (the MMIO
         * write above exits, and the next entry may deliver it).  So test
         * the count with interrupts off and halt in STI's interrupt
         * shadow (SDM Vol. 2B STI: the next instruction completes before
         * an interrupt is taken, so one pending now wakes the HLT). */
2:      cli
        cmpl $1, CNT40
        je 5f
        sti
        hlt
        jmp 2b
5:      sti
        mov $'t', %al
        call putc
        /* periodic: 5 ticks of 1 ms, then stop */
        movl $0x20040, LAPIC+0x320
        movl $1000000, LAPIC+0x380
3:      hlt
        cmpl $6, CNT40
        jb 3b
        movl $0, LAPIC+0x380
        mov $'p', %al
        call putc

        /* PIT at ~1 kHz on IOAPIC pin 2 -> vector 0x30, edge */
        movl $0x14, IOAPIC
        movl $0x30, IOAPIC+0x10
        movl $0x15, IOAPIC
        movl $0, IOAPIC+0x10
        mov $0x34, %al
        out %al, $0x43
        mov $0xa9, %al
        out %al, $0x40
        mov $0x04, %al
        out %al, $0x40
4:      hlt
        cmpl $5, CNT30
        jb 4b
        /* mask pin 2 again */
        movl $0x14, IOAPIC
        movl $0x10030, IOAPIC+0x10
        mov $'o', %al
        call putc
        mov $'k', %al
        call putc
        mov $10, %al
        call putc
        xor %eax, %eax
        mov $0xf4, %dx
        out %eax, %dx
        hlt
fail:
        mov $'F', %al
        call putc
        mov $10, %al
        call putc
        mov $1, %eax
        mov $0xf4, %dx
        out %eax, %dx
        hlt

setgate: /* ecx vector, edx handler */
        mov %cs, %ax
        shl $16, %eax
        mov %dx, %ax
        mov %eax, IDT(,%ecx,8)
        and $0xffff0000, %edx
        or $0x8e00, %edx
        mov %edx, IDT+4(,%ecx,8)
        ret
putc:
        push %edx
        mov $0x3f8, %dx
        out %al, %dx
        pop %edx
        ret
h40:    incl CNT40
        movl $0, LAPIC+0xb0
        iret
h30:    incl CNT30
        movl $0, LAPIC+0xb0
        iret
h50:    incl CNT50
        movl $0, LAPIC+0xb0
        iret
ignore: iret
        .p2align 3
gdt:    .quad 0
        .quad 0x00cf9b000000ffff        /* 0x08: flat 32-bit code */
        .quad 0x00cf93000000ffff        /* 0x10: flat data */
gdtr:   .word 3*8-1
        .long gdt
        .p2align 3
idtr:   .word 256*8-1
        .long IDT
