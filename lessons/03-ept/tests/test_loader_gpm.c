/**
 * @file test_loader_gpm.c
 * @brief A hosted stand-in for mem/gpm.c, just enough for the loaders:
 *        the region list of struct gpm and one calloc'd buffer behind
 *        every RAM and ROM byte below the highest such region (the real
 *        gpm backs RAM with scattered host pages and builds nested tables;
 *        the loaders see only gpm_find/gpm_read/gpm_write/gpm_load).
 *
 * The buffer pointer lives in struct gpm's @c page field (the real
 * gpm.c's page array): test code only.  Every range is checked byte for
 * byte against the map, so a loader that writes outside RAM/ROM is
 * refused here exactly as the real gpm refuses it, and counted.
 */
#include <stdlib.h>
#include <string.h>

#include "test_loader.h"

unsigned long test_gpm_refused;

static uint8_t *backing(const struct gpm *m) { return (uint8_t *)m->page; }

void gpm_init(struct gpm *m)
{
    memset(m, 0, sizeof *m);
}

bool gpm_add(struct gpm *m, uint64_t base, uint64_t size, enum gpm_kind kind, const char *name, char *why,
             size_t why_len)
{
    (void)why;
    (void)why_len;
    if (m->count == GPM_MAX_REGIONS || size == 0 || (base | size) & 0xfff || base + size < base)
        return false;
    int i = m->count;
    while (i > 0 && m->region[i - 1].base > base)
        i--;
    if ((i > 0 && m->region[i - 1].base + m->region[i - 1].size > base) ||
        (i < m->count && base + size > m->region[i].base))
        return false;
    memmove(&m->region[i + 1], &m->region[i], (size_t)(m->count - i) * sizeof m->region[0]);
    unsigned perm = kind == GPM_RAM ? (GPM_R | GPM_W | GPM_X) : kind == GPM_ROM ? (GPM_R | GPM_X) : 0;
    m->region[i] = (struct gpm_region){ base, size, kind, perm, name, 0 };
    m->count++;
    if (kind == GPM_RAM && base + size > m->ram_top)
        m->ram_top = base + size;
    return true;
}

const struct gpm_region *gpm_find(const struct gpm *m, uint64_t gpa)
{
    for (int i = 0; i < m->count; i++)
        if (gpa >= m->region[i].base && gpa - m->region[i].base < m->region[i].size)
            return &m->region[i];
    return NULL;
}

/* Whether every byte of [gpa, gpa+len) is in a region of an allowed kind. */
static bool range_ok(const struct gpm *m, uint64_t gpa, uint64_t len, bool rom_ok)
{
    if (gpa + len < gpa)
        return false;
    while (len) {
        const struct gpm_region *r = gpm_find(m, gpa);
        if (!r || !(r->kind == GPM_RAM || (rom_ok && r->kind == GPM_ROM)))
            return false;
        uint64_t n = r->base + r->size - gpa;
        if (n >= len)
            break;
        gpa += n;
        len -= n;
    }
    /* The test backing covers [0, pages * 4096). */
    return gpa + len <= m->pages * 4096;
}

void *gpm_ptr(const struct gpm *m, uint64_t gpa, uint64_t len)
{
    if (len == 0 || (gpa & 0xfff) + len > 4096 || !range_ok(m, gpa, len, true))
        return NULL;
    return backing(m) + gpa;
}

bool gpm_read(const struct gpm *m, uint64_t gpa, void *dst, uint64_t len)
{
    if (!range_ok(m, gpa, len, true))
        return false;
    if (len)
        memcpy(dst, backing(m) + gpa, len);
    return true;
}

static bool put(const struct gpm *m, uint64_t gpa, const void *src, uint64_t len, bool rom_ok)
{
    if (!range_ok(m, gpa, len, rom_ok)) {
        test_gpm_refused++;
        return false;
    }
    if (len)
        memcpy(backing(m) + gpa, src, len);
    return true;
}

bool gpm_write(const struct gpm *m, uint64_t gpa, const void *src, uint64_t len)
{
    return put(m, gpa, src, len, false);
}

bool gpm_load(const struct gpm *m, uint64_t gpa, const void *src, uint64_t len)
{
    return put(m, gpa, src, len, true);
}

void gpm_destroy(struct gpm *m)
{
    free(m->page);
    m->page = NULL;
    m->count = 0;
}

void test_machine_create(struct pc_machine *m, uint64_t ram_bytes)
{
    memset(m, 0, sizeof *m);
    gpm_init(&m->mem);
    char why[64];
    bool ok = gpm_add(&m->mem, 0, PC_LOW_RAM_END, GPM_RAM, "low ram", why, sizeof why) &&
              gpm_add(&m->mem, PC_BIOS_BASE, PC_HIGH_RAM_BASE - PC_BIOS_BASE, GPM_ROM, "bios", why, sizeof why) &&
              gpm_add(&m->mem, PC_HIGH_RAM_BASE, ram_bytes - PC_HIGH_RAM_BASE, GPM_RAM, "ram", why, sizeof why) &&
              gpm_add(&m->mem, TEST_IOAPIC_BASE, 0x1000, GPM_MMIO, "ioapic", why, sizeof why) &&
              gpm_add(&m->mem, TEST_LAPIC_BASE, 0x1000, GPM_MMIO, "lapic", why, sizeof why);
    if (!ok)
        abort();
    m->mem.pages = ram_bytes / 4096;
    m->mem.page = calloc(ram_bytes, 1);
    if (!m->mem.page)
        abort();
    m->ram_bytes = ram_bytes;
    m->vm.ext = m;
}

void test_machine_clear(struct pc_machine *m)
{
    memset(m->mem.page, 0, m->mem.pages * 4096);
    memset(&m->start, 0, sizeof m->start);
}

void test_machine_destroy(struct pc_machine *m)
{
    gpm_destroy(&m->mem);
}

uint8_t *test_guest_ptr(struct pc_machine *m, uint64_t gpa, uint64_t len)
{
    return range_ok(&m->mem, gpa, len, true) ? backing(&m->mem) + gpa : NULL;
}
