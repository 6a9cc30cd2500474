# lessons/01-boot/guests: the guests lesson 01's interpreter runs, built on
# the guest runtime (common/guest/guest.mk) and embedded in the kernel by
# images.S.
#
#   sieve16.bin   guests/sieve.c for real mode (gcc -m16), loaded at 0x1000:
#                 a .code16gcc image must fit below 64 KiB with its .bss and
#                 stack, and 0x1000 keeps it clear of the IVT at 0.
#   sieve32.bin   the same source for the flat 32-bit mode (gcc -m32), at
#                 the runtime's default 1 MiB.

G01_OUT := $(BUILD)/01/guests
G01_SRC := $(L01)/guests
SIEVE16_LOAD := 0x1000

$(call guest_image,$(G01_OUT)/sieve16.bin,16,$(G01_SRC)/sieve.c,$(SIEVE16_LOAD))
$(call guest_image,$(G01_OUT)/sieve32.bin,32,$(G01_SRC)/sieve.c)

G01_IMAGES := $(G01_OUT)/sieve16.bin $(G01_OUT)/sieve32.bin
GUEST_BINS_01 += $(G01_IMAGES)
STAGE_SRCS_01 += $(G01_SRC)/images.S

# .incbin is invisible to -MMD: every stage that links lesson 01 embeds them.
$(foreach s,$(ALL_STAGES),$(BUILD)/$(s)/obj/$(G01_SRC)/images.S.o): $(G01_IMAGES)
