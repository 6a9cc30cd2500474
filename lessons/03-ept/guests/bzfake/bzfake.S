/*
 * bzfake: the smallest image the bzimage loader takes - a boot sector with
 * a Linux setup header (boot.rst "The Real-Mode Kernel Header", protocol
 * 2.15), one setup sector, and a protected-mode part whose 64-bit entry at
 * +0x200 checks what the 64-bit boot protocol promises instead of
 * decompressing a kernel:
 *
 *   CS = __BOOT_CS (0x10), DS = SS = __BOOT_DS (0x18), IF = 0, paging on;
 *   RSI = the zero page: type_of_loader 0xFF, an e820 map, cmd_line_ptr
 *   pointing at the command line, ramdisk_image at the initrd ("inrd..."),
 *   acpi_rsdp_addr at "RSD PTR "; the MP floating pointer at 0xF0000.
 *
 * Each check prints "ok <what>" on COM1; the result is the exit status on
 * port 0xF4 (0 = all passed, else the number of the first failed check).
 *
 *   make run GUEST=build/03/guests/bzfake.bin GUEST_ARGS="console=ttyS0" \
 *            GUEST_MODULES=lessons/03-ept/guests/bzfake/initrd.txt
 */
#define SETUP_SECTS 1
#define COM1 0x3f8
#define EXIT_PORT 0xf4

    .code64
    .section .text
    .globl _start
_start:
    /* ---- boot sector and setup header ---- */
    .org 0x1f1
    .byte SETUP_SECTS                    /* 0x1F1 setup_sects */
    .word 0                              /* 0x1F2 root_flags */
    .long (pm_end - pm_start + 15) / 16  /* 0x1F4 syssize */
    .word 0, 0xffff, 0                   /* 0x1F8 ram_size, vid_mode, root_dev */
    .word 0xaa55                         /* 0x1FE boot_flag */
    .byte 0xeb, hdr_end - _start - 0x202 /* 0x200 jump: its offset byte gives the header end */
    .ascii "HdrS"                        /* 0x202 */
    .word 0x020f                         /* 0x206 protocol 2.15 */
    .long 0                              /* 0x208 realmode_swtch */
    .word 0, 0                           /* 0x20C start_sys_seg, kernel_version */
    .byte 0                              /* 0x210 type_of_loader (the loader writes 0xFF) */
    .byte 0x01                           /* 0x211 loadflags: LOADED_HIGH */
    .word 0                              /* 0x212 setup_move_size */
    .long 0x100000                       /* 0x214 code32_start */
    .long 0, 0, 0                        /* 0x218 ramdisk_image, ramdisk_size, bootsect_kludge */
    .word 0                              /* 0x224 heap_end_ptr */
    .byte 0, 0                           /* 0x226 ext_loader_ver, ext_loader_type */
    .long 0                              /* 0x228 cmd_line_ptr */
    .long 0x7fffffff                     /* 0x22C initrd_addr_max */
    .long 0x200000                       /* 0x230 kernel_alignment */
    .byte 1, 21                          /* 0x234 relocatable_kernel, min_alignment */
    .word 0x3                            /* 0x236 xloadflags: KERNEL_64, CAN_BE_LOADED_ABOVE_4G */
    .long 2047                           /* 0x238 cmdline_size */
    .long 0                              /* 0x23C hardware_subarch */
    .quad 0                              /* 0x240 hardware_subarch_data */
    .long 0, 0                           /* 0x248 payload_offset, payload_length */
    .quad 0                              /* 0x250 setup_data */
    .quad 0x1000000                      /* 0x258 pref_address (16 MiB) */
    .long 0x100000                       /* 0x260 init_size (1 MiB) */
    .long 0, 0                           /* 0x264 handover_offset, kernel_info_offset */
hdr_end:
    .org (SETUP_SECTS + 1) * 512

    /* ---- protected-mode part: the 64-bit entry at +0x200 ---- */
pm_start:
    .org pm_start + 0x200
entry64:
    mov %rsi, %rbp                       /* the zero page */
    mov $1, %r12d
    mov %cs, %ax
    cmp $0x10, %ax
    jne fail
    inc %r12d                            /* 2 */
    mov %ds, %ax
    cmp $0x18, %ax
    jne fail
    mov %ss, %ax
    cmp $0x18, %ax
    jne fail
    inc %r12d                            /* 3 */
    pushfq
    pop %rax
    test $0x200, %eax
    jnz fail
    lea m_seg(%rip), %rsi
    call puts
    inc %r12d                            /* 4 */
    cmpb $0xff, 0x210(%rbp)              /* type_of_loader */
    jne fail
    cmpb $0, 0x1e8(%rbp)                 /* e820_entries */
    je fail
    lea m_zp(%rip), %rsi
    call puts
    inc %r12d                            /* 5 */
    mov 0x228(%rbp), %ebx                /* cmd_line_ptr */
    cmpl $0x736e6f63, (%rbx)             /* "cons" */
    jne fail
    lea m_cmd(%rip), %rsi
    call puts
    inc %r12d                            /* 6 */
    mov 0x218(%rbp), %ebx                /* ramdisk_image */
    cmpl $0x64726e69, (%rbx)             /* "inrd" */
    jne fail
    lea m_rd(%rip), %rsi
    call puts
    inc %r12d                            /* 7 */
    cmpl $0x5f504d5f, 0xf0000            /* "_MP_" */
    jne fail
    mov 0x70(%rbp), %rbx                 /* acpi_rsdp_addr */
    cmpl $0x20445352, (%rbx)             /* "RSD " */
    jne fail
    lea m_fw(%rip), %rsi
    call puts
    xor %r12d, %r12d
fail:
    mov %r12d, %eax
    mov $EXIT_PORT, %dx
    out %eax, %dx
    hlt
    jmp fail

puts:                                    /* RSI: NUL-terminated string */
    mov $COM1, %dx
1:  lodsb
    test %al, %al
    jz 2f
    out %al, %dx
    jmp 1b
2:  ret

m_seg: .asciz "bzfake: ok CS 0x10, DS/SS 0x18, IF 0, 64-bit\n"
m_zp:  .asciz "bzfake: ok zero page: type_of_loader 0xff, e820 map\n"
m_cmd: .asciz "bzfake: ok command line\n"
m_rd:  .asciz "bzfake: ok initrd\n"
m_fw:  .asciz "bzfake: ok MP floating pointer, ACPI RSDP\n"
    .balign 16
pm_end:
