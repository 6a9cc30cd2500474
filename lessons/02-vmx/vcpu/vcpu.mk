# lessons/02-vmx/vcpu: the vendor-neutral vCPU core (back-end choice, exit
# loop, core exit handlers, guest address space), the bring-up guests and
# their scenarios.
VCPU_DIR := $(L02)/vcpu

STAGE_SRCS_02 += $(VCPU_DIR)/backend.c $(VCPU_DIR)/loop.c $(VCPU_DIR)/exit.c \
	$(VCPU_DIR)/handlers_cpuid.c $(VCPU_DIR)/handlers_hlt.c $(VCPU_DIR)/handlers_io.c \
	$(VCPU_DIR)/handlers_msr.c $(VCPU_DIR)/handlers_cr.c $(VCPU_DIR)/handlers_fault.c \
	$(VCPU_DIR)/handlers_intr.c $(VCPU_DIR)/handlers_mwait.c $(VCPU_DIR)/guest_space.c $(VCPU_DIR)/guest_walk.c \
	$(VCPU_DIR)/hvm_guest.c $(VCPU_DIR)/fpu.c $(VCPU_DIR)/cr4_policy.c \
	$(L02)/scenarios/vcpu_smoke.c $(L02)/scenarios/vcpu_triple.c $(L02)/scenarios/svm_broken.c \
	$(L02)/scenarios/vcpu_hlt.c $(L02)/scenarios/vcpu_slice.c $(L02)/scenarios/vcpu_nmi.c \
	$(L02)/guests/svm_images.S

# Bring-up guests: plain assembly, no runtime, linked flat at the load
# address vcpu/guest_space.h uses (GUEST_LOAD_GVA == GUEST_LOAD_ADDR).
SVM_GUEST_LOAD := $(or $(GUEST_LOAD_ADDR),0x100000)
SVM_GUEST_BINS := $(BUILD)/02/guests/svm_smoke32.bin $(BUILD)/02/guests/svm_smoke64.bin \
	$(BUILD)/02/guests/svm_triple64.bin $(BUILD)/02/guests/svm_hlt64.bin \
	$(BUILD)/02/guests/svm_spin64.bin $(BUILD)/02/guests/svm_dfgate64.bin
GUEST_BINS_02 += $(SVM_GUEST_BINS)

# $(1) output .bin, $(2) source, $(3) 32|64
define SVM_GUEST_rule
$(1): $(2) | deps-build
	@mkdir -p $$(@D)
	@echo "  GUEST   $$@"
	@$$(CC) -m$(3) -DGUEST_BITS=$(3) -c $(2) -o $$(@:.bin=.o)
	@ld -m $(if $(filter 64,$(3)),elf_x86_64,elf_i386) -Ttext=$(SVM_GUEST_LOAD) --oformat binary \
		-o $$@ $$(@:.bin=.o)
endef
$(eval $(call SVM_GUEST_rule,$(BUILD)/02/guests/svm_smoke32.bin,$(L02)/guests/svm_smoke.S,32))
$(eval $(call SVM_GUEST_rule,$(BUILD)/02/guests/svm_smoke64.bin,$(L02)/guests/svm_smoke.S,64))
$(eval $(call SVM_GUEST_rule,$(BUILD)/02/guests/svm_triple64.bin,$(L02)/guests/svm_triple.S,64))
$(eval $(call SVM_GUEST_rule,$(BUILD)/02/guests/svm_hlt64.bin,$(L02)/guests/svm_hlt.S,64))
$(eval $(call SVM_GUEST_rule,$(BUILD)/02/guests/svm_spin64.bin,$(L02)/guests/svm_spin.S,64))
$(eval $(call SVM_GUEST_rule,$(BUILD)/02/guests/svm_dfgate64.bin,$(L02)/guests/svm_dfgate.S,64))

# The kernel embeds them (.incbin): rebuild the object when one changes.
$(BUILD)/02/obj/$(L02)/guests/svm_images.S.o: $(SVM_GUEST_BINS)

# Completing an emulated instruction (RIP wrap, single-step trap), hosted.
UNIT_TESTS += $(BUILD)/host/tests/test_rip
$(BUILD)/host/tests/test_rip: $(L02)/tests/test_rip.c $(VCPU_DIR)/exit.c $(VCPU_DIR)/rip.h $(VCPU_DIR)/exit.h \
		$(VCPU_DIR)/vcpu.h | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Icommon/tests $(CHECK_CFLAGS) -o $@ $(filter %.c,$^) $(CHECK_LIBS)
