# lessons/03-ept/guests/rt_guests.mk: the lesson-03 guests of the boot,
# isolation, event and MMIO scenarios (scenarios/boot_*.c, iso_*.c,
# evt_*.c, mmio_*.c), linked with the runtime (rt.mk) and embedded by
# rt_images.S.  Stage 03 also runs lesson 01's sieve16.bin, embedded by
# lesson 01 already.

include lessons/03-ept/guests/rt.mk

G03_OUT := $(BUILD)/03/guests
G03_SRC := $(L03)/guests

$(call guest03_image,$(G03_OUT)/boot.bin,$(G03_SRC)/boot.c)
$(call guest03_image,$(G03_OUT)/iso.bin,$(G03_SRC)/iso.c)
$(call guest03_image,$(G03_OUT)/evt.bin,$(G03_SRC)/evt.c $(G03_SRC)/evt_guest.S)
G03_MMIO_FORMS := $(G03_SRC)/mmio_main.c $(G03_SRC)/mmio_forms.c
$(call guest03_image,$(G03_OUT)/mmio16.bin,$(G03_MMIO_FORMS),16)
$(call guest03_image,$(G03_OUT)/mmio32.bin,$(G03_MMIO_FORMS),32)
$(call guest03_image,$(G03_OUT)/mmio64.bin,$(G03_MMIO_FORMS),64)
$(call guest03_image,$(G03_OUT)/mmio_hostile.bin,$(G03_SRC)/mmio_hostile.c)

G03_RT_IMAGES := $(addprefix $(G03_OUT)/,boot.bin iso.bin evt.bin mmio16.bin mmio32.bin mmio64.bin mmio_hostile.bin)
GUEST_BINS_03 += $(G03_RT_IMAGES)
STAGE_SRCS_03 += $(G03_SRC)/rt_images.S

# .incbin is invisible to -MMD: every stage that links lesson 03 embeds them.
$(foreach s,$(ALL_STAGES),$(BUILD)/$(s)/obj/$(G03_SRC)/rt_images.S.o): $(G03_RT_IMAGES)
