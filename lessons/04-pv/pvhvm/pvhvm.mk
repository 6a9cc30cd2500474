# lessons/04-pv/pvhvm: the KVM paravirtual CPU interface of mode=pvhvm -
# CPUID "KVMKVMKVM", kvmclock, PV EOI - its unit tests and fuzzer.
PVHVM_DIR := $(L04)/pvhvm
PVHVM_HDRS := $(wildcard $(PVHVM_DIR)/*.h)

STAGE_SRCS_04 += $(PVHVM_DIR)/kvm_cpuid.c $(PVHVM_DIR)/pvclock.c $(PVHVM_DIR)/pv_area.c $(PVHVM_DIR)/kvmclock.c \
	$(PVHVM_DIR)/pv_eoi.c $(PVHVM_DIR)/pv_eoi_dev.c

# The Linux guest's checks (sourced by lesson 03's /init; nothing happens
# where CPUID does not say KVM).
LINUX_INITRAMFS_FILES += etc/spectrum.d/10-kvm.sh=$(PVHVM_DIR)/10-kvm.sh

# Hosted unit tests: the clock's arithmetic, and the area check with the PV
# EOI protocol on lesson 03's memory map and APIC models.
PVHVM_UNIT_TESTS := $(BUILD)/host/tests/test_pvclock $(BUILD)/host/tests/test_pv_eoi
UNIT_TESTS += $(PVHVM_UNIT_TESTS)
$(BUILD)/host/tests/test_pvclock: $(L04)/tests/test_pvclock.c $(PVHVM_DIR)/pvclock.c
$(BUILD)/host/tests/test_pv_eoi: $(L04)/tests/test_pv_eoi.c $(PVHVM_DIR)/pv_eoi.c $(PVHVM_DIR)/pv_area.c \
	$(L03)/apic/lapic.c $(L03)/apic/ioapic.c $(L03)/mem/gpm.c $(L03)/mem/nested_tables.c \
	$(L03)/tests/host_pages.c common/lib/fmt.c
$(PVHVM_UNIT_TESTS): $(PVHVM_HDRS) | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -I$(L03) -I$(L03)/tests -I$(L04) -Icommon/tests $(CHECK_CFLAGS) -o $@ \
		$(filter %.c,$^) $(CHECK_LIBS)

# libFuzzer: a hostile guest against the PV EOI protocol; the target checks
# the host's writes and EOIs itself and aborts on a broken rule.
FUZZ_BINS += $(BUILD)/host/fuzz/fuzz_pv_eoi
$(BUILD)/host/fuzz/fuzz_pv_eoi: $(L04)/tests/fuzz_pv_eoi.c $(PVHVM_DIR)/pv_eoi.c $(PVHVM_DIR)/pv_area.c \
		$(L03)/apic/lapic.c $(L03)/apic/ioapic.c $(L03)/mem/gpm.c $(L03)/mem/nested_tables.c \
		$(L03)/tests/host_pages.c common/lib/fmt.c $(PVHVM_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -I$(L03) -I$(L03)/tests -I$(L04) -std=c11 -Wall -Wextra -Werror \
		-fno-sanitize-recover=all -D_DEFAULT_SOURCE -o $@ $(filter %.c,$^)
