/**
 * @file rt_paging.c
 * @brief Page tables a lesson-03 guest builds for itself: identity maps
 *        of 0 - 4 GiB in 32-bit paging and PAE paging (32-bit images) and
 *        a 4 KiB alias window in every mode (rt_guest.h).
 *
 * Under nested paging these are the guest's own tables (guest-virtual to
 * guest-physical); the hypervisor never sees them unless it walks them to
 * emulate an instruction, which is exactly what the MMIO tests want to
 * exercise: each mode has 4 KiB leaves where the code runs and large
 * leaves elsewhere (SDM Vol. 3A §5.3 32-bit paging, §5.4 PAE, §5.5
 * 4-level), and the alias window maps a page at a guest-virtual address
 * that differs from its guest-physical one.
 */
#include "rt_guest.h"

#include "spectrum/boot_layout.h"
#include "spectrum/exercise.h"

#define PAGE_SIZE 4096u

#if GUEST_BITS == 64
/* 4-level paging: the prologue's tables (rt16.S) at RT_PD_GPA, 2048
 * contiguous PDEs for 0 - 4 GiB; the alias window's PDE points here. */
static uint64_t alias_pt[512] __attribute__((aligned(PAGE_SIZE)));

enum rt_paging rt_paging_mode(void)
{
    return RT_PAGING_4LEVEL;
}

bool rt_map_page(unsigned long va, uint64_t pa)
{
    if (va < RT_ALIAS_VA || va >= RT_ALIAS_VA + RT_ALIAS_SIZE || (va & (PAGE_SIZE - 1)) || (pa & (PAGE_SIZE - 1)))
        return false;
    volatile uint64_t *pd = (volatile uint64_t *)rt_phys(RT_PD_GPA);
    uint64_t table = (uint64_t)(unsigned long)alias_pt | PTE_P | PTE_W;
    if (pd[RT_ALIAS_VA >> 21] != table) {
        pd[RT_ALIAS_VA >> 21] = table;   /* was a 2 MiB leaf: drop it from the TLB */
        rt_invlpg(RT_ALIAS_VA);
    }
    alias_pt[(va - RT_ALIAS_VA) / PAGE_SIZE] = pa ? pa | PTE_P | PTE_W : 0;
    rt_invlpg(va);
    return true;
}

#elif GUEST_BITS == 32
/* 32-bit paging (SDM Vol. 3A §5.3): one page directory of 1024 PDEs. */
static uint32_t pd32[1024] __attribute__((aligned(PAGE_SIZE)));
static uint32_t pt32_low[1024] __attribute__((aligned(PAGE_SIZE)));
static uint32_t pt32_alias[1024] __attribute__((aligned(PAGE_SIZE)));
/* PAE paging (§5.4): four PDPTEs (32-byte aligned), four directories. */
static uint64_t pdpt[4] __attribute__((aligned(32)));
static uint64_t pae_pd[4 * 512] __attribute__((aligned(PAGE_SIZE)));
static uint64_t pae_pt_low[512] __attribute__((aligned(PAGE_SIZE)));
static uint64_t pae_pt_alias[512] __attribute__((aligned(PAGE_SIZE)));

static enum rt_paging current = RT_PAGING_OFF;

static void build_32bit(void)
{
    for (uint32_t i = 0; i < 1024; i++)
        pt32_low[i] = (i * PAGE_SIZE) | PTE_P | PTE_W;
    pd32[0] = (uint32_t)(unsigned long)pt32_low | PTE_P | PTE_W;
    for (uint32_t i = 1; i < 1024; i++)
        pd32[i] = (i << 22) | PTE_P | PTE_W | PTE_PS;   /* 4 MiB pages need CR4.PSE */
    for (uint32_t i = 0; i < 1024; i++)
        pt32_alias[i] = 0;
    pd32[RT_ALIAS_VA >> 22] = (uint32_t)(unsigned long)pt32_alias | PTE_P | PTE_W;
}

static bool build_pae(void)
{
    /* EXERCISE 03.pae-tables 5 "PAE identity map: 4 PDPTEs (P only), 2 MiB PDEs, 4 KiB PTEs below 2 MiB, the alias PDE (SDM Vol. 3A 5.4)" */
    /* PDPTEs have no R/W or U/S bit: bits 2:1 are reserved (§5.4.1). */
    for (uint32_t i = 0; i < 4; i++)
        pdpt[i] = (uint32_t)(unsigned long)&pae_pd[i * 512] | PTE_P;
    for (uint32_t i = 0; i < 512; i++)
        pae_pt_low[i] = (uint64_t)(i * PAGE_SIZE) | PTE_P | PTE_W;
    pae_pd[0] = (uint32_t)(unsigned long)pae_pt_low | PTE_P | PTE_W;
    for (uint32_t i = 1; i < 4 * 512; i++)
        pae_pd[i] = ((uint64_t)i << 21) | PTE_P | PTE_W | PTE_PS;
    for (uint32_t i = 0; i < 512; i++)
        pae_pt_alias[i] = 0;
    pae_pd[RT_ALIAS_VA >> 21] = (uint32_t)(unsigned long)pae_pt_alias | PTE_P | PTE_W;
    return true;
    /* STUB
    EXERCISE_TODO();
    (void)pae_pd;       // the tables to fill in
    (void)pae_pt_low;
    return false;
    STUB END */
    /* END EXERCISE 03.pae-tables */
}

bool rt_paging_set(enum rt_paging mode)
{
    if (current != RT_PAGING_OFF) {
        /* Identity-mapped code may turn paging off (§10.9.2 step 2). */
        rt_write_cr0(rt_read_cr0() & ~(unsigned long)CR0_PG);
        current = RT_PAGING_OFF;
    }
    if (mode == RT_PAGING_32) {
        build_32bit();
        rt_write_cr4((rt_read_cr4() & ~(unsigned long)CR4_PAE) | CR4_PSE);
        rt_write_cr3((unsigned long)pd32);
    } else if (mode == RT_PAGING_PAE) {
        if (!build_pae())
            return false;
        rt_write_cr4(rt_read_cr4() | CR4_PAE);
        rt_write_cr3((unsigned long)pdpt);   /* the PDPTEs are loaded here (§5.4.1) */
    } else {
        return mode == RT_PAGING_OFF;
    }
    rt_write_cr0(rt_read_cr0() | CR0_PG);
    current = mode;
    return true;
}

enum rt_paging rt_paging_mode(void)
{
    return current;
}

bool rt_map_page(unsigned long va, uint64_t pa)
{
    if (va < RT_ALIAS_VA || va >= RT_ALIAS_VA + RT_ALIAS_SIZE || (va & (PAGE_SIZE - 1)) || (pa & (PAGE_SIZE - 1)))
        return false;
    uint32_t i = (uint32_t)(va - RT_ALIAS_VA) / PAGE_SIZE;
    if (current == RT_PAGING_32) {
        if (pa >> 32)
            return false;   /* 4 KiB PTEs of 32-bit paging hold 32-bit addresses */
        pt32_alias[i] = pa ? (uint32_t)pa | PTE_P | PTE_W : 0;
    } else if (current == RT_PAGING_PAE) {
        pae_pt_alias[i] = pa ? pa | PTE_P | PTE_W : 0;
    } else {
        return false;
    }
    rt_invlpg(va);
    return true;
}
#endif

const char *rt_paging_name(enum rt_paging mode)
{
    switch (mode) {
    case RT_PAGING_OFF: return "off";
    case RT_PAGING_32: return "32-bit";
    case RT_PAGING_PAE: return "PAE";
    case RT_PAGING_4LEVEL: return "4-level";
    }
    return "?";
}
