# lessons/03-ept/guests/bzfake: a bzImage-shaped test image for the
# bzimage loader (setup header + 64-bit entry that checks the boot
# protocol's promises).  Included from lessons/03-ept/loader/bzimage.mk.
#
#   make run GUEST=build/03/guests/bzfake.bin GUEST_ARGS=console=ttyS0 \
#            GUEST_MODULES=lessons/03-ept/guests/bzfake/initrd.txt

BZFAKE_DIR := $(L03)/guests/bzfake
BZFAKE     := $(BUILD)/03/guests/bzfake.bin
GUEST_BINS_03 += $(BZFAKE)

$(BZFAKE): $(BZFAKE_DIR)/bzfake.S | deps-build
	@mkdir -p $(@D)
	@echo "  BZFAKE  $@"
	@gcc -c -o $@.o $<
	@objcopy -O binary -j .text $@.o $@
