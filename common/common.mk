# common/ : hosted unit tests of the code every stage shares.
# The kernel sources themselves are listed in the top Makefile (COMMON_SRCS).

# Rules for building guest flat binaries (any lesson may use them).
include common/guest/guest.mk

COMMON_TESTS := fmt cmdline pmm multiboot
UNIT_TESTS += $(COMMON_TESTS:%=$(BUILD)/host/tests/test_%)

$(BUILD)/host/tests/test_fmt: common/tests/test_fmt.c common/lib/fmt.c
$(BUILD)/host/tests/test_cmdline: common/tests/test_cmdline.c common/lib/cmdline.c
$(BUILD)/host/tests/test_pmm: common/tests/test_pmm.c common/lib/pmm.c
$(BUILD)/host/tests/test_multiboot: common/tests/test_multiboot.c common/lib/multiboot.c

$(COMMON_TESTS:%=$(BUILD)/host/tests/test_%): common/tests/check_main.h | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(CHECK_CFLAGS) -o $@ $(filter %.c,$^) $(CHECK_LIBS)
