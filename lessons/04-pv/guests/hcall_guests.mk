# lessons/04-pv/guests/hcall_guests.mk: the hcall test guest (hcall_guest.c),
# 64-bit and 32-bit, on the lesson-03 runtime (rt.mk: real-mode start at
# 0800:0000), embedded by hcall_images.S, and its scenario.

include lessons/03-ept/guests/rt.mk

HCALLG_OUT := $(BUILD)/04/guests
HCALLG_SRC := $(L04)/guests

# The guest names the ABI header by its lesson path (hcall/hcall_abi.h) and
# the runtime's headers by lesson 03's (guests/rt_guest.h).
$(foreach w,32 64,$(eval $(BUILD)/guest-obj/$(w)/$(L04)/%.o: GUEST_CFLAGS += -I$(L04) -I$(L03)))

$(call guest03_image,$(HCALLG_OUT)/hcall64.bin,$(HCALLG_SRC)/hcall_guest.c,64)
$(call guest03_image,$(HCALLG_OUT)/hcall32.bin,$(HCALLG_SRC)/hcall_guest.c,32)

HCALLG_IMAGES := $(HCALLG_OUT)/hcall64.bin $(HCALLG_OUT)/hcall32.bin
GUEST_BINS_04 += $(HCALLG_IMAGES)
STAGE_SRCS_04 += $(HCALLG_SRC)/hcall_images.S $(L04)/scenarios/hcall_scenario.c
# .incbin is invisible to -MMD: every stage that links lesson 04 embeds them.
$(foreach s,$(ALL_STAGES),$(BUILD)/$(s)/obj/$(HCALLG_SRC)/hcall_images.S.o): $(HCALLG_IMAGES)
