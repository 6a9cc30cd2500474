# lessons/04-pv/guests/virtio_guests.mk: the virtio test guest
# (virtio_guest.c, 64-bit) on the lesson-03 runtime, embedded by
# virtio_images.S, and its scenario p-virtio.

include lessons/03-ept/guests/rt.mk

VIRTIOG_OUT := $(BUILD)/04/guests
VIRTIOG_SRC := $(L04)/guests

$(call guest03_image,$(VIRTIOG_OUT)/virtio64.bin,$(VIRTIOG_SRC)/virtio_guest.c,64)

GUEST_BINS_04 += $(VIRTIOG_OUT)/virtio64.bin
STAGE_SRCS_04 += $(VIRTIOG_SRC)/virtio_images.S $(L04)/scenarios/virtio_scenario.c
# .incbin is invisible to -MMD: every stage that links lesson 04 embeds it.
$(foreach s,$(ALL_STAGES),$(BUILD)/$(s)/obj/$(VIRTIOG_SRC)/virtio_images.S.o): $(VIRTIOG_OUT)/virtio64.bin
