/**
 * @file test_loader_machine.c
 * @brief The test machine of test_loader.h, on the real mem/gpm.c, and a
 *        count of the writes gpm refused the loaders: the test binaries
 *        link with -Wl,--wrap=gpm_load,--wrap=gpm_write, so every call the
 *        loaders make goes through __wrap_gpm_load/__wrap_gpm_write here.
 */
#include <stdlib.h>
#include <string.h>

#include "test_loader.h"

unsigned long test_gpm_refused;

bool __real_gpm_load(const struct gpm *m, uint64_t gpa, const void *src, uint64_t len);
bool __real_gpm_write(const struct gpm *m, uint64_t gpa, const void *src, uint64_t len);
bool __wrap_gpm_load(const struct gpm *m, uint64_t gpa, const void *src, uint64_t len);
bool __wrap_gpm_write(const struct gpm *m, uint64_t gpa, const void *src, uint64_t len);

bool __wrap_gpm_load(const struct gpm *m, uint64_t gpa, const void *src, uint64_t len)
{
    bool ok = __real_gpm_load(m, gpa, src, len);
    test_gpm_refused += !ok;
    return ok;
}

bool __wrap_gpm_write(const struct gpm *m, uint64_t gpa, const void *src, uint64_t len)
{
    bool ok = __real_gpm_write(m, gpa, src, len);
    test_gpm_refused += !ok;
    return ok;
}

void test_machine_create(struct pc_machine *m, uint64_t ram_bytes)
{
    memset(m, 0, sizeof *m);
    gpm_init(&m->mem, 39);
    char why[160];
    bool ok = gpm_add(&m->mem, 0, PC_LOW_RAM_END, GPM_RAM, "low ram", why, sizeof why) &&
              gpm_add(&m->mem, PC_BIOS_BASE, PC_HIGH_RAM_BASE - PC_BIOS_BASE, GPM_ROM, "bios", why, sizeof why) &&
              gpm_add(&m->mem, PC_HIGH_RAM_BASE, ram_bytes - PC_HIGH_RAM_BASE, GPM_RAM, "ram", why, sizeof why) &&
              gpm_add(&m->mem, TEST_IOAPIC_BASE, 0x1000, GPM_MMIO, "ioapic", why, sizeof why) &&
              gpm_add(&m->mem, TEST_LAPIC_BASE, 0x1000, GPM_MMIO, "lapic", why, sizeof why);
    if (!ok)
        abort();
    m->ram_bytes = ram_bytes;
    m->vm.ext = m;
}

void test_machine_clear(struct pc_machine *m)
{
    static const uint8_t zero[1 << 16];
    for (int i = 0; i < m->mem.count; i++) {
        const struct gpm_region *r = &m->mem.region[i];
        if (r->kind != GPM_RAM && r->kind != GPM_ROM)
            continue;
        for (uint64_t off = 0; off < r->size; off += sizeof zero) {
            uint64_t n = r->size - off < sizeof zero ? r->size - off : sizeof zero;
            if (!__real_gpm_load(&m->mem, r->base + off, zero, n))
                abort();
        }
    }
    memset(&m->start, 0, sizeof m->start);
}

void test_machine_destroy(struct pc_machine *m) { gpm_destroy(&m->mem); }

const uint8_t *test_guest_bytes(struct pc_machine *m, uint64_t gpa, uint64_t len)
{
    static uint8_t buf[4][1 << 16];
    static unsigned next;
    uint8_t *b = buf[next++ % 4];
    if (len > sizeof buf[0] || !gpm_read(&m->mem, gpa, b, len))
        return NULL;
    return b;
}

const char *test_guest_str(struct pc_machine *m, uint64_t gpa)
{
    static char buf[4][4097];
    static unsigned next;
    char *b = buf[next++ % 4];
    for (unsigned i = 0; i < 4096; i++) {
        if (!gpm_read(&m->mem, gpa + i, &b[i], 1))
            return NULL;
        if (!b[i])
            return b;
    }
    return NULL;
}

void test_guest_fill(struct pc_machine *m, uint64_t gpa, uint8_t byte, uint64_t len)
{
    uint8_t *b = malloc(len);
    if (!b)
        abort();
    memset(b, byte, len);
    if (!__real_gpm_write(&m->mem, gpa, b, len))
        abort();
    free(b);
}
