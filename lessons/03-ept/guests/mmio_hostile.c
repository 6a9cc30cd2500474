/**
 * @file mmio_hostile.c
 * @brief Guest "mmio-hostile": one MMIO access the emulator must refuse
 *        per VM (guests/mmio_hostile.h).  If the access completes, the
 *        guest says so and exits with a failure - except the split load,
 *        which an emulator may also carry out correctly: then the guest
 *        checks the value it got and exits 0.
 */
#include "guests/mmio_hostile.h"

#include "guest/guest.h"
#include "guests/mailbox.h"
#include "mmio_guest.h"
#include "rt_guest.h"
#include "spectrum/x86_bits.h"

/* The touching instructions, labelled in the asm below (noinline, so one copy). */
extern const uint8_t hostile_lock_add[], hostile_xadd[], hostile_movdqa[], hostile_split[];

/* A RAM page followed, in guest-virtual space, by the device's page. */
static uint8_t ram_page[4096] __attribute__((aligned(4096)));

static void tell(uint64_t gpa, uint64_t rip, const uint8_t *insn)
{
    guest_outl(MAILBOX_PORT, (uint32_t)gpa);
    guest_outl(MAILBOX_PORT, (uint32_t)(gpa >> 32));
    guest_outl(MAILBOX_PORT, (uint32_t)rip);
    guest_outl(MAILBOX_PORT, (uint32_t)(rip >> 32));
    guest_outl(MAILBOX_PORT, insn[0] | insn[1] << 8 | insn[2] << 16 | (uint32_t)insn[3] << 24);
    guest_printf("mmio-hostile: GPA %#lx, RIP %#lx, bytes %02x %02x %02x %02x: the VM must stop here\n",
                 (unsigned long)gpa, (unsigned long)rip, insn[0], insn[1], insn[2], insn[3]);
}

static __attribute__((noinline, noclone)) int touch(unsigned which)
{
    volatile uint8_t *dev = rt_phys(MMIO_TEST_BASE);
    uint64_t v = 0;
    switch (which) {
    case MMIO_HOSTILE_LOCK_ADD:
        tell(MMIO_TEST_BASE, (uint64_t)hostile_lock_add, hostile_lock_add);
        __asm__ volatile(".globl hostile_lock_add\nhostile_lock_add: lock addl $1, (%0)" ::"r"(dev) : "memory");
        break;
    case MMIO_HOSTILE_XADD:
        tell(MMIO_TEST_BASE, (uint64_t)hostile_xadd, hostile_xadd);
        __asm__ volatile(".globl hostile_xadd\nhostile_xadd: xaddl %%eax, (%1)" : "+a"(v) : "r"(dev) : "memory");
        break;
    case MMIO_HOSTILE_MOVDQA:
        /* SSE on: CR4.OSFXSR, CR0.EM clear, CR0.MP set (SDM Vol. 3A §14.1.3). */
        rt_write_cr0((rt_read_cr0() & ~(unsigned long)CR0_EM) | CR0_MP);
        rt_write_cr4(rt_read_cr4() | CR4_OSFXSR);
        tell(MMIO_TEST_BASE, (uint64_t)hostile_movdqa, hostile_movdqa);
        __asm__ volatile(".globl hostile_movdqa\nhostile_movdqa: movdqa (%0), %%xmm0" ::"r"(dev) : "memory");
        break;
    case MMIO_HOSTILE_SPLIT: {
        /* RT_ALIAS_VA -> ram_page, RT_ALIAS_VA + 4 KiB -> the device. */
        ram_page[4092] = 0x11, ram_page[4093] = 0x22, ram_page[4094] = 0x33, ram_page[4095] = 0x44;
        dev[0] = 0x55, dev[1] = 0x66, dev[2] = 0x77, dev[3] = 0x88;
        if (!rt_map_page(RT_ALIAS_VA, (unsigned long)ram_page) || !rt_map_page(RT_ALIAS_VA + 4096, MMIO_TEST_BASE))
            return 2;
        tell(MMIO_TEST_BASE, (uint64_t)hostile_split, hostile_split);
        __asm__ volatile(".globl hostile_split\nhostile_split: movq (%1), %0"
                         : "=r"(v)
                         : "r"((unsigned long)RT_ALIAS_VA + 4092)
                         : "memory");
        bool right = v == 0x8877665544332211ull;
        guest_printf("mmio-hostile: the split load was emulated: %#lx, %s\n", (unsigned long)v,
                     right ? "right" : "WRONG");
        return right ? 0 : 1;
    }
    case MMIO_HOSTILE_FETCH: {
        /* mov (%rax), %rax = 48 8b 00: two bytes at the end of the RAM
         * page, the third in the device's page. */
        ram_page[4094] = 0x48, ram_page[4095] = 0x8b;
        if (!rt_map_page(RT_ALIAS_VA, (unsigned long)ram_page) || !rt_map_page(RT_ALIAS_VA + 4096, MMIO_TEST_BASE))
            return 2;
        static const uint8_t insn[4] = { 0x48, 0x8b, 0x00, 0x00 };
        unsigned long at = RT_ALIAS_VA + 4094;
        tell(MMIO_TEST_BASE, at, insn);
        __asm__ volatile("call *%1" : "+a"(v) : "r"(at) : "memory");
        break;
    }
    default:
        guest_printf("mmio-hostile: no case %u\n", which);
        return 9;
    }
    guest_printf("mmio-hostile: the access completed (%#lx): the hypervisor should have refused it\n",
                 (unsigned long)v);
    return 1;
}

int guest_main(void)
{
    const volatile struct mmio_hostile_params *p = rt_params();
    if (p->magic != MMIO_HOSTILE_MAGIC) {
        guest_printf("mmio-hostile: no parameters at %#x\n", RT_PARAM_GPA);
        return 9;
    }
    return touch(p->which);
}
