# lessons/04-pv/pvhvm: the KVM paravirtual CPU interface of mode=pvhvm -
# CPUID "KVMKVMKVM", kvmclock, PV EOI - its unit tests and fuzzer.
PVHVM_DIR := $(L04)/pvhvm
PVHVM_HDRS := $(wildcard $(PVHVM_DIR)/*.h)

STAGE_SRCS_04 += $(PVHVM_DIR)/kvm_cpuid.c $(PVHVM_DIR)/pvclock.c $(PVHVM_DIR)/pv_area.c $(PVHVM_DIR)/kvmclock.c \
	$(PVHVM_DIR)/pv_eoi.c $(PVHVM_DIR)/pv_eoi_dev.c

# The Linux guest's checks (sourced by lesson 03's /init; nothing happens
# where CPUID does not say KVM).
LINUX_INITRAMFS_FILES += etc/spectrum.d/10-kvm.sh=$(PVHVM_DIR)/10-kvm.sh
