# lessons/04-pv/guests/vblk_guests.mk: the virtio-blk test guest
# (vblk_guest.c, 64-bit) on the lesson-03 runtime, embedded by
# vblk_images.S, and its scenario p-vblk.

include lessons/03-ept/guests/rt.mk

VBLKG_OUT := $(BUILD)/04/guests
VBLKG_SRC := $(L04)/guests

$(call guest03_image,$(VBLKG_OUT)/vblk64.bin,$(VBLKG_SRC)/vblk_guest.c,64)

GUEST_BINS_04 += $(VBLKG_OUT)/vblk64.bin
STAGE_SRCS_04 += $(VBLKG_SRC)/vblk_images.S $(L04)/scenarios/vblk_scenario.c
# .incbin is invisible to -MMD: every stage that links lesson 04 embeds it.
$(foreach s,$(ALL_STAGES),$(BUILD)/$(s)/obj/$(VBLKG_SRC)/vblk_images.S.o): $(VBLKG_OUT)/vblk64.bin
