/**
 * @file guest_input_text.c
 * @brief The escape decoder of guest_input_text= (guest_input.h).
 */
#include "vdev/guest_input.h"

#include <stdbool.h>

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t guest_input_unescape(const char *s, size_t pos, uint8_t *out)
{
    char c = s[pos];
    if (c == '\0')
        return 0;
    if (c != '\\') {
        *out = (uint8_t)c;
        return 1;
    }
    char e = s[pos + 1];             /* may be the NUL: checked before reading further */
    switch (e) {
    case '\0': *out = '\\'; return 1;
    case 'n': *out = '\n'; return 2;
    case 'r': *out = '\r'; return 2;
    case 't': *out = '\t'; return 2;
    case 'e': *out = 0x1b; return 2;
    case 'x': {
        int hi = hex_digit(s[pos + 2]);
        if (hi < 0) {
            *out = 'x';              /* "\x" without digits: the x itself */
            return 2;
        }
        int lo = hex_digit(s[pos + 3]);   /* s[pos + 2] is a digit, so s[pos + 3] exists */
        if (lo < 0) {
            *out = (uint8_t)hi;
            return 3;
        }
        *out = (uint8_t)(hi << 4 | lo);
        return 4;
    }
    default: *out = (uint8_t)e; return 2;
    }
}
