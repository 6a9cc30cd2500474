# lessons/04-pv/guests/pvhvm_guests.mk: the pvhvm test guest
# (pvhvm_guest.c, 64-bit) on the lesson-03 runtime with the platform
# guests' helpers (TSC calibration by the PIT, interrupt waits), embedded by
# pvhvm_images.S, and its scenario p-pvhvm.

include lessons/03-ept/guests/rt.mk

PVHVMG_OUT := $(BUILD)/04/guests
PVHVMG_SRC := $(L04)/guests

# pvhvm_guest.c names lesson 04's headers by lesson path (pvhvm/kvm_para.h,
# guests/pvhvm_params.h) and lesson 03's (apic/lapic.h, vdev/mc146818.h);
# the platform helpers' headers live in lesson 03's and 02's guests/.
$(BUILD)/guest-obj/64/$(PVHVMG_SRC)/pvhvm_guest.c.o: GUEST_CFLAGS += -I$(L04) -I$(L03) -I$(L03)/guests -I$(L02)/guests

$(call guest03_image,$(PVHVMG_OUT)/pvhvm64.bin,$(PVHVMG_SRC)/pvhvm_guest.c $(L03)/guests/irq_guest.c \
	$(L02)/guests/pc_timer.c,64)

GUEST_BINS_04 += $(PVHVMG_OUT)/pvhvm64.bin
STAGE_SRCS_04 += $(PVHVMG_SRC)/pvhvm_images.S $(L04)/scenarios/pvhvm_scenario.c
# .incbin is invisible to -MMD: every stage that links lesson 04 embeds it.
$(foreach s,$(ALL_STAGES),$(BUILD)/$(s)/obj/$(PVHVMG_SRC)/pvhvm_images.S.o): $(PVHVMG_OUT)/pvhvm64.bin
