# lessons/04-pv/guests/net_guests.mk: the virtio-net test guest
# (net_guest.c, 64-bit) on the lesson-03 runtime, embedded by
# net_images.S, and its scenario p-net.

include lessons/03-ept/guests/rt.mk

NETG_OUT := $(BUILD)/04/guests
NETG_SRC := $(L04)/guests

$(call guest03_image,$(NETG_OUT)/net64.bin,$(NETG_SRC)/net_guest.c,64)

GUEST_BINS_04 += $(NETG_OUT)/net64.bin
STAGE_SRCS_04 += $(NETG_SRC)/net_images.S $(L04)/scenarios/net_scenario.c
# .incbin is invisible to -MMD: every stage that links lesson 04 embeds it.
$(foreach s,$(ALL_STAGES),$(BUILD)/$(s)/obj/$(NETG_SRC)/net_images.S.o): $(NETG_OUT)/net64.bin
