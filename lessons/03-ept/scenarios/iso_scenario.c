/**
 * @file iso_scenario.c
 * @brief Scenario "p-isolation": a guest sees only its own RAM and
 *        devices (guests/iso.c, guests/iso.h).
 *
 *  1. p-iso-secret writes a secret over all its free RAM;
 *  2. p-iso-search, the next VM, searches all of its RAM for it and must
 *     find zeros only, also at the GPAs that equal the host-physical
 *     places of Spectrum's image, its page tables and the previous VM's
 *     pages (where they fall inside its RAM);
 *  3. one VM per kind of hole touches one GPA with nothing behind it: the
 *     end of RAM, the legacy video hole (a write), above RAM, the host
 *     places outside its RAM, the top of the physical-address width, and
 *     an instruction fetch from a hole.  Each must be stopped with a
 *     message naming that GPA and the RIP of the touching instruction,
 *     and the next VM must still run.
 *
 * After every VM pc_machine_run() checks Spectrum's memory canary (a
 * changed byte there panics).
 */
#include "guests/iso.h"
#include "guests/rt.h"
#include "scenarios/pc_guest_run.h"
#include "spectrum/console.h"
#include "spectrum/scenario.h"
#include "spectrum/string.h"
#include "spectrum/x86.h"
#include "vcpu/hvm_guest.h"

PC_GUEST_IMAGE_DECLARE(iso);

extern char _image_start[], _image_end[];   /* common/boot/linker.ld */

#define ISO_RAM (32ull << 20)
#define ISO_SECRET_VALUE 0x5ec2e75ec2e75ec2ull

/* Host-physical places a guest must never see, filled by the secret VM. */
static uint64_t host_place[ISO_MAX_ADDRS];
static const char *host_name[ISO_MAX_ADDRS];
static unsigned host_places;

static void add_place(uint64_t hpa, const char *name)
{
    if (host_places < ISO_MAX_ADDRS) {
        host_place[host_places] = hpa;
        host_name[host_places++] = name;
    }
}

/* After the secret VM: where its RAM lived in the host. */
static void note_pages(struct pc_machine *m, void *ctx)
{
    (void)ctx;
    uint64_t gpa[3] = { 0x100000, m->ram_bytes / 2, m->ram_bytes - 0x1000 };
    static const char *const name[3] = { "previous VM's first high page", "previous VM's middle page",
                                         "previous VM's last page" };
    for (int i = 0; i < 3; i++) {
        uint64_t hpa = gpm_backing(&m->mem, gpa[i]) & ~0xfffull;
        uint64_t v = 0;
        gpm_read(&m->mem, gpa[i], &v, sizeof v);
        kprintf("p-isolation: %s: GPA %#llx was HPA %#llx, holding %#llx\n", name[i], (unsigned long long)gpa[i],
                (unsigned long long)hpa, (unsigned long long)v);
        add_place(hpa, name[i]);
    }
}

static bool run_job(const char *vm, struct iso_params *p, struct pc_guest_outcome *o, void (*inspect)(struct pc_machine *, void *))
{
    struct pc_guest_image img = PC_GUEST_IMAGE(iso);
    struct pc_guest_options opt = { .ram_bytes = ISO_RAM, .params = p, .params_len = sizeof *p, .inspect = inspect };
    p->magic = ISO_MAGIC;
    p->ram_top = ISO_RAM;
    p->secret = ISO_SECRET_VALUE;
    return pc_guest_run(vm, &img, &opt, o);
}

/* One probe VM: stopped (not by the guest), naming the GPA and RIP the
 * guest announced. */
static bool probe(const char *vm, const char *what, enum iso_touch touch, uint64_t gpa)
{
    struct iso_params p;
    memset(&p, 0, sizeof p);
    p.job = ISO_PROBE;
    p.touch = touch;
    p.count = 1;
    p.addr[0] = gpa;
    struct pc_guest_outcome o;
    kprintf("p-isolation: %s: %s\n", vm, what);
    run_job(vm, &p, &o, 0);
    uint64_t g = o.result_words >= 4 ? o.results[0] | (uint64_t)o.results[1] << 32 : 0;
    uint64_t rip = o.result_words >= 4 ? o.results[2] | (uint64_t)o.results[3] << 32 : 0;
    bool stopped = o.created && !o.passed && o.exit_code == 0 && o.result_words >= 4;
    bool names = stopped && pc_guest_reason_has_hex(o.stop_reason, g) && pc_guest_reason_has_hex(o.stop_reason, rip);
    kprintf("p-isolation: %s: GPA %#llx at RIP %#llx: %s\n", vm, (unsigned long long)g, (unsigned long long)rip,
            names      ? "stopped, the message names both"
            : stopped  ? "stopped, but the message does not name the GPA and the RIP: WRONG"
                       : "NOT STOPPED by the hypervisor: WRONG");
    return names;
}

static bool p_isolation(const struct cmdline *cl)
{
    (void)cl;
    if (!hvm_guest_available("p-isolation"))
        return false;
    host_places = 0;
    add_place((uint64_t)(uintptr_t)_image_start, "Spectrum's image");
    add_place(read_cr3() & ~0xfffull, "Spectrum's page tables (CR3)");
    add_place(((uint64_t)(uintptr_t)_image_end - 0x1000) & ~0xfffull, "Spectrum's last image page");

    struct iso_params p;
    struct pc_guest_outcome o;
    memset(&p, 0, sizeof p);
    p.job = ISO_SECRET;
    bool ok = run_job("p-iso-secret", &p, &o, note_pages) && o.exit_code == 0;

    memset(&p, 0, sizeof p);
    p.job = ISO_SEARCH;
    p.count = host_places;
    memcpy(p.addr, host_place, sizeof host_place);
    for (unsigned i = 0; i < host_places; i++)
        kprintf("p-isolation: host place %u: HPA %#llx, %s\n", i, (unsigned long long)host_place[i], host_name[i]);
    uint64_t host_bytes = *(volatile uint64_t *)(uintptr_t)host_place[0];
    bool clean = run_job("p-iso-search", &p, &o, 0) && o.exit_code == 0 && o.result_words == 3 && o.results[0] == 0;
    kprintf("p-isolation: the second VM found %s (the host holds %#llx at HPA %#llx)\n",
            clean ? "zeros only" : "SOMETHING", (unsigned long long)host_bytes, (unsigned long long)host_place[0]);
    ok = ok && clean;

    ok = probe("p-iso-edge", "one byte past the end of RAM", ISO_READ, ISO_RAM) && ok;
    ok = probe("p-iso-vga", "a write to the legacy video hole", ISO_WRITE, 0xa0000) && ok;
    ok = probe("p-iso-above", "above RAM, below the devices", ISO_READ, PC_RAM_MAX_LOW - 0x1000) && ok;
    for (unsigned i = 0; i < host_places; i++)
        if (host_place[i] >= ISO_RAM) {
            ok = probe("p-iso-host", host_name[i], ISO_READ, host_place[i]) && ok;
            break;
        }
    ok = probe("p-iso-top", "the top of the physical-address width", ISO_READ_TOP, 0) && ok;
    ok = probe("p-iso-fetch", "an instruction fetch from a hole", ISO_FETCH, 0xb8000) && ok;
    kprintf("p-isolation: %s\n", ok ? "every VM saw only its own memory" : "ISOLATION FAILED");
    return ok;
}
REGISTER_SCENARIO(p_isolation, "p-isolation",
                  "lesson 03: a guest reaches only its own RAM and devices; holes stop it", p_isolation, 0);
