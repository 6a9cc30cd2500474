/**
 * @file test_uart_text_fuzz.c
 * @brief libFuzzer target for the escape decoder of guest_input_text=
 *        (vdev/guest_input_text.c): any NUL-terminated string decodes to
 *        at most one byte per character, without reading past the NUL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vdev/guest_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);     /* exactly the string: ASan sees any read past its NUL */
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    size_t len = strlen(s), pos = 0, bytes = 0, k;
    uint8_t b;
    while ((k = guest_input_unescape(s, pos, &b)) != 0) {
        if (k > 4 || pos + k > len)
            abort();                /* took more than an escape, or ran past the end */
        pos += k;
        bytes++;
    }
    if (pos != len || bytes > len)
        abort();
    free(s);
    return 0;
}
