/**
 * @file fuzz_loader_flat.c
 * @brief libFuzzer target for the flat loader: the first byte gives the
 *        length of a command line (load=, entry= options, at most 63
 *        bytes), the rest is the image.  Any input must be loaded or
 *        refused with a message; a load must leave a real-mode start whose
 *        entry lies in the image, and nothing may be written outside RAM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct pc_machine m;
    static bool made;
    if (!made) {
        test_machine_create(&m, 2ull << 20);
        made = true;
    }
    if (size < 1)
        return 0;
    size_t n = data[0] & 63;
    if (n > size - 1)
        n = size - 1;
    char cmdline[64];
    memcpy(cmdline, data + 1, n);
    cmdline[n] = '\0';
    const struct guest_loader *flat = guest_loader_find("flat");
    struct guest_blob image = { data + 1 + n, size - 1 - n, cmdline };
    char why[256] = "";
    test_gpm_refused = 0;
    bool ok = image.len && flat->load(&m, &image, NULL, 0, &m.start, why, sizeof why);
    if (getenv("FUZZ_LOADER_VERBOSE"))   /* replaying one input: say what happened */
        fprintf(stderr, "%s\n", ok ? "loaded" : why);
    if (test_gpm_refused)
        abort();                               /* a write the loader should have refused itself */
    if (ok) {
        uint64_t linear = (uint64_t)m.start.cs_sel * 16 + m.start.rip;
        if (m.start.mode != HVM_START_REAL16 || m.start.rip > 0xffff || linear >= PC_LOW_RAM_END ||
            m.start.rsp > 0xffff)
            abort();
    } else if (image.len && why[0] == '\0') {
        abort();                               /* refused without saying why */
    }
    return 0;
}
