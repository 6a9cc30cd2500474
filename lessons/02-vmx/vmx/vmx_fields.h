/**
 * @file vmx_fields.h
 * @brief A table of the VMCS fields Spectrum knows, linking each encoding
 *        to its name and to its place in struct vmx_state.
 */
#ifndef SPECTRUM_VMX_FIELDS_H
#define SPECTRUM_VMX_FIELDS_H

#include <stdint.h>

#include "vmx/vmx_check.h"

#define VMX_FIELD_NO_OFFSET 0xffffu  /**< the field is named but not part of struct vmx_state */

/** @brief One VMCS field. */
struct vmx_field {
    uint32_t encoding;   /**< SDM Vol. 3D Appendix B encoding */
    const char *name;    /**< e.g. "GUEST_CR0" */
    uint16_t offset;     /**< offset in struct vmx_state, or VMX_FIELD_NO_OFFSET */
    uint16_t size;       /**< bytes in struct vmx_state (2, 4 or 8), 0 if none */
};

extern const struct vmx_field vmx_fields[];  /**< every known field */
extern const unsigned vmx_field_count;       /**< entries in vmx_fields[] */

/** @brief The table entry for @p encoding, or NULL. */
const struct vmx_field *vmx_field_find(uint32_t encoding);

/** @brief The value of field @p f in snapshot @p s (0 if it has no place there). */
uint64_t vmx_field_get(const struct vmx_state *s, const struct vmx_field *f);

/** @brief Store @p value as field @p f of snapshot @p s (truncated to its width). */
void vmx_field_set(struct vmx_state *s, const struct vmx_field *f, uint64_t value);

#endif
