# lessons/03-ept/guests/platguests.mk: the platform test guests (LAPIC,
# I/O APIC, RTC, hostile devices, exit-cost bench), their scenarios
# (scenarios/p_*.c) and the unit test of p-cmos's date helpers.
#
# The guests are 64-bit C programs on the lesson-03 runtime (rt.mk's
# guest03_image): they start in real mode at 0800:0000 and run
# guest_main() in long mode on the runtime's identity map.

include lessons/03-ept/guests/rt.mk

PLATG_SRC := $(L03)/guests
PLATG_OUT := $(BUILD)/03/guests
# Shared by every platform guest: mailbox, TSC calibration, waits
# (irq_guest.c) and lesson 02's PIT/8259 helpers (pc_timer.c).
PLATG_COMMON := $(PLATG_SRC)/irq_guest.c $(L02)/guests/pc_timer.c
PLATG_HOSTILE := $(PLATG_COMMON) $(PLATG_SRC)/irq_hostile.c

PLATG_IMAGE = $(call guest03_image,$(1),$(2))

# pc_timer.h lives with lesson 02's guests (rt.mk adds the lesson-03 paths).
PLATG_C := apic_timer.c ioapic_route.c cmos_date.c bench_exits.c apic_hostile.c ioapic_hostile.c irq_storm.c \
	irq_guest.c irq_hostile.c
$(patsubst %,$(BUILD)/guest-obj/64/$(PLATG_SRC)/%.o,$(PLATG_C)): GUEST_CFLAGS += -I$(L02)/guests

$(call PLATG_IMAGE,$(PLATG_OUT)/apic_timer.bin,$(PLATG_SRC)/apic_timer.c $(PLATG_COMMON))
$(call PLATG_IMAGE,$(PLATG_OUT)/ioapic_route.bin,$(PLATG_SRC)/ioapic_route.c $(PLATG_COMMON))
$(call PLATG_IMAGE,$(PLATG_OUT)/cmos_date.bin,$(PLATG_SRC)/cmos_date.c $(PLATG_COMMON))
$(call PLATG_IMAGE,$(PLATG_OUT)/bench_exits.bin,$(PLATG_SRC)/bench_exits.c $(PLATG_COMMON))
$(call PLATG_IMAGE,$(PLATG_OUT)/apic_hostile.bin,$(PLATG_SRC)/apic_hostile.c $(PLATG_HOSTILE))
$(call PLATG_IMAGE,$(PLATG_OUT)/ioapic_hostile.bin,$(PLATG_SRC)/ioapic_hostile.c $(PLATG_HOSTILE))
$(call PLATG_IMAGE,$(PLATG_OUT)/irq_storm.bin,$(PLATG_SRC)/irq_storm.c $(PLATG_HOSTILE))

PLATG_IMAGES := $(addprefix $(PLATG_OUT)/,apic_timer.bin ioapic_route.bin cmos_date.bin bench_exits.bin \
	apic_hostile.bin ioapic_hostile.bin irq_storm.bin)
GUEST_BINS_03 += $(PLATG_IMAGES)
STAGE_SRCS_03 += $(PLATG_SRC)/irq_images.S
# .incbin is invisible to -MMD: every stage that links lesson 03 embeds them.
$(foreach s,$(ALL_STAGES),$(BUILD)/$(s)/obj/$(PLATG_SRC)/irq_images.S.o): $(PLATG_IMAGES)

# The scenarios.
STAGE_SRCS_03 += $(L03)/scenarios/p_irq_run.c $(L03)/scenarios/p_cmos_calc.c $(L03)/scenarios/p_apic.c \
	$(L03)/scenarios/p_ioapic.c $(L03)/scenarios/p_cmos.c $(L03)/scenarios/p_hostile_dev.c \
	$(L03)/scenarios/p_bench.c

# Unit test of p-cmos's date helpers.
PLATG_TESTS := $(BUILD)/host/tests/test_p_cmos
UNIT_TESTS += $(PLATG_TESTS)
$(BUILD)/host/tests/test_p_cmos: $(L03)/scenarios/p_cmos_test.c $(L03)/scenarios/p_cmos_calc.c \
	$(L03)/scenarios/p_cmos_calc.h $(L03)/vdev/mc146818.h | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(CHECK_CFLAGS) -o $@ $(filter %.c,$^) $(CHECK_LIBS)
