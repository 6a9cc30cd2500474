/**
 * @file mmio_guest.h
 * @brief What the MMIO test guests share: the "mmio-test" device's layout
 *        (mmio/mmio_test_dev.h) and the form runner of mmio_forms.c.
 */
#ifndef SPECTRUM_GUESTS_MMIO_GUEST_H
#define SPECTRUM_GUESTS_MMIO_GUEST_H

#include "mmio/mmio_test_dev.h"

/**
 * @brief Run every form against the device at @p base (a pointer in the
 *        current mode) and print a line per form, prefixed by @p mode_name.
 * @return the number of failed forms
 */
unsigned mmio_forms_run(volatile void *base, const char *mode_name);

#endif
