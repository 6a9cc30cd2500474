# lessons/03-ept/guests/garbage.mk: hostile copies of the outside
# multiboot kernel (guests/mbkernel) for the guest-garbage tests: each is
# given to "run=guest" as Spectrum's first module and must be refused by
# the loader with a message naming what is wrong (grade.spec).  Made by a
# small host tool from the kernel as built (tools/mb_garble.c):
#
#   mbkernel-truncated.elf   cut 32 bytes after the multiboot header
#   mbkernel-checksum.elf    the header's checksum off by one
#   mbkernel-ram.elf         its PT_LOAD segment 0xF0000000 bytes long
#   mbkernel-phoff.elf       its program header table past the end

MB_GARBLE := $(BUILD)/host/tools/mb_garble
MB_GARBAGE_DIR := $(BUILD)/03/guests/garbage
MB_GARBAGE := $(addprefix $(MB_GARBAGE_DIR)/mbkernel-,truncated.elf checksum.elf ram.elf phoff.elf)
GUEST_BINS_03 += $(MB_GARBAGE)

$(MB_GARBLE): $(L03)/tools/mb_garble.c $(L03)/loader/multiboot.h $(L03)/loader/elf.h
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $<

# mbkernel.elf's rule is in guests/mbkernel/mbkernel.mk (read after this file).
$(MB_GARBAGE_DIR)/mbkernel-%.elf: $(BUILD)/03/guests/mbkernel.elf $(MB_GARBLE)
	@mkdir -p $(@D)
	@echo "  GARBLE  $@"
	@$(MB_GARBLE) $* $< $@
