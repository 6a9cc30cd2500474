/**
 * @file loader.c
 * @brief guest_load(): pick a loader for an image and run it; helpers
 *        every loader shares (options, RAM range checks, zeroing).
 */
#include "loader/loader.h"

#include "mem/gpm.h"
#include "spectrum/fmt.h"
#include "spectrum/string.h"

const struct guest_loader *guest_loader_find(const char *name)
{
    TABLE_FOREACH(struct guest_loader, spectrum_guest_loader, l)
        if (strcmp(l->name, name) == 0)
            return l;
    return NULL;
}

bool loader_option(const char *cmdline, const char *key, char *out, size_t out_len)
{
    if (!cmdline || out_len == 0)
        return false;
    size_t klen = strlen(key);
    const char *p = cmdline;
    bool found = false;
    /* Words are separated by blanks; a later occurrence wins, as on the
     * kernel's own command line (spectrum/cmdline.h). */
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *w = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        size_t wlen = (size_t)(p - w);
        if (wlen > klen && strncmp(w, key, klen) == 0 && w[klen] == '=') {
            size_t vlen = wlen - klen - 1;
            if (vlen >= out_len)
                return false;
            memcpy(out, w + klen + 1, vlen);
            out[vlen] = '\0';
            found = true;
        }
    }
    return found;
}

const struct guest_loader *guest_loader_pick(const struct guest_blob *image, char *why, size_t why_len)
{
    char name[32];
    if (loader_option(image->cmdline, "loader", name, sizeof name)) {
        const struct guest_loader *l = guest_loader_find(name);
        if (!l)
            fmt_snprintf(why, why_len, "loader=%s: no such loader", name);
        return l;
    }
    const struct guest_loader *best = NULL;
    TABLE_FOREACH(struct guest_loader, spectrum_guest_loader, l)
        if ((!best || l->rank > best->rank) && l->probe(image->data, image->len))
            best = l;
    if (!best)
        fmt_snprintf(why, why_len, "no loader recognises the image (%lu bytes)", (unsigned long)image->len);
    return best;
}

bool guest_load(struct pc_machine *m, const struct guest_blob *image, const struct guest_blob *modules, int nmodules,
                char *why, size_t why_len)
{
    if (!image->data || image->len == 0) {
        fmt_snprintf(why, why_len, "the guest image is empty");
        return false;
    }
    if (nmodules < 0 || (nmodules > 0 && !modules)) {
        fmt_snprintf(why, why_len, "bad module list (%d modules)", nmodules);
        return false;
    }
    const struct guest_loader *l = guest_loader_pick(image, why, why_len);
    if (!l)
        return false;
    memset(&m->start, 0, sizeof m->start);
    /* The machine keeps the command line for anyone who passes it on
     * (the multiboot loader writes its own copy into guest RAM). */
    size_t n = image->cmdline ? strnlen(image->cmdline, sizeof m->cmdline - 1) : 0;
    memcpy(m->cmdline, image->cmdline ? image->cmdline : "", n);
    m->cmdline[n] = '\0';
    return l->load(m, image, modules, nmodules, &m->start, why, why_len);
}

const char *loader_ram_check(const struct pc_machine *m, uint64_t gpa, uint64_t len, uint64_t *ram_end)
{
    *ram_end = 0;
    if (gpa + len < gpa)
        return "wraps around the address space";
    const struct gpm_region *r = gpm_find(&m->mem, gpa);
    if (!r || r->kind != GPM_RAM)
        return r ? (r->kind == GPM_ROM ? "lands on ROM" : "lands on MMIO") : "lands on a hole (not RAM)";
    *ram_end = r->base + r->size;
    if (len > *ram_end - gpa)
        return "leaves guest RAM";
    return NULL;
}

bool loader_zero(struct pc_machine *m, uint64_t gpa, uint64_t len)
{
    static const uint8_t zero[4096];
    while (len) {
        uint64_t n = len < sizeof zero ? len : sizeof zero;
        if (!gpm_load(&m->mem, gpa, zero, n))
            return false;
        gpa += n;
        len -= n;
    }
    return true;
}
