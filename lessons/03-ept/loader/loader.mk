# lessons/03-ept/loader: guest loaders (loader.h): the multiboot loader
# (Multiboot 0.6.96, ELF32/ELF64/a.out kludge), the flat real-mode
# loader, their hosted unit tests and one libFuzzer target per loader.

LOADER_DIR  := $(L03)/loader
LOADER_SRCS := $(LOADER_DIR)/loader.c $(LOADER_DIR)/flat.c $(LOADER_DIR)/multiboot.c \
	$(LOADER_DIR)/mb_header.c $(LOADER_DIR)/mb_elf.c $(LOADER_DIR)/mb_load.c $(LOADER_DIR)/mb_info.c
LOADER_HDRS := $(LOADER_DIR)/loader.h $(LOADER_DIR)/multiboot.h $(LOADER_DIR)/elf.h \
	$(L03)/mem/gpm.h $(L03)/machine/pc_machine.h
STAGE_SRCS_03 += $(LOADER_SRCS)
# The "run=guest" scenario (a user's guest from Spectrum's multiboot
# modules) belongs with the loaders: listed here, not in a scenarios/*.mk.
STAGE_SRCS_03 += $(L03)/scenarios/guest_module.c

# Hosted: the loaders over the real guest-physical map (mem/gpm.c on the
# hosted page allocator tests/host_pages.c) in a test machine
# (tests/test_loader_machine.c), with common/lib's formatting and number
# parsing.  --wrap counts the writes gpm refuses the loaders.
LOADER_HOSTED := $(LOADER_SRCS) $(L03)/tests/test_loader_machine.c $(L03)/tests/host_pages.c \
	$(L03)/mem/gpm.c $(L03)/mem/nested_tables.c common/lib/fmt.c common/lib/cmdline.c
LOADER_WRAP := -Wl,--wrap=gpm_load -Wl,--wrap=gpm_write
LOADER_TESTS := $(BUILD)/host/tests/test_loader_flat $(BUILD)/host/tests/test_loader_mb
UNIT_TESTS += $(LOADER_TESTS)

$(BUILD)/host/tests/test_loader_flat: $(L03)/tests/test_loader_flat.c
# test_loader_mb also loads the outside kernel (guests/mbkernel) as built.
$(BUILD)/host/tests/test_loader_mb: $(L03)/tests/test_loader_mb.c $(BUILD)/03/guests/mbkernel.elf \
	$(L03)/guests/mbkernel/module.txt
$(BUILD)/host/tests/test_loader_mb: HOST_CFLAGS += -DMBKERNEL_ELF='"$(BUILD)/03/guests/mbkernel.elf"' \
	-DMBKERNEL_MODULE='"$(L03)/guests/mbkernel/module.txt"'
$(LOADER_TESTS): $(LOADER_HOSTED) $(LOADER_HDRS) $(L03)/tests/test_loader.h $(L03)/tests/host_pages.h | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Icommon/tests $(CHECK_CFLAGS) $(LOADER_WRAP) -o $@ $(filter %.c,$^) $(CHECK_LIBS)

# libFuzzer targets: any bytes as the image (and, for multiboot, as the
# modules and command line) must be refused or loaded, never crash.
LOADER_FUZZ := $(BUILD)/host/fuzz/fuzz_loader_flat $(BUILD)/host/fuzz/fuzz_loader_mb
FUZZ_BINS += $(LOADER_FUZZ)
$(BUILD)/host/fuzz/fuzz_loader_flat: $(L03)/tests/fuzz_loader_flat.c
$(BUILD)/host/fuzz/fuzz_loader_mb: $(L03)/tests/fuzz_loader_mb.c
$(LOADER_FUZZ): $(LOADER_HOSTED) $(LOADER_HDRS) $(L03)/tests/test_loader.h $(L03)/tests/host_pages.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -fno-sanitize-recover=all \
		$(LOADER_WRAP) -o $@ $(filter %.c,$^)
include $(L03)/guests/mbkernel/mbkernel.mk
