# lessons/02-vmx/guests: lesson 02's test guests (flat binaries on the guest
# runtime, common/guest/guest.mk), embedded in the kernel by images.S.
# Guests run at GUEST_LOAD_GVA = 0x100000 (vcpu/guest_space.h), the
# runtime's default load address.  The CPU-bound guest of scenario
# g-native is lesson 01's sieve (lessons/01-boot/guests/sieve.c), the very
# image the interpreter runs, already in every stage >= 01.

G02_OUT := $(BUILD)/02/guests
G02_SRC := $(L02)/guests

$(call guest_image,$(G02_OUT)/hello64.bin,64,$(G02_SRC)/hello.c)
$(call guest_image,$(G02_OUT)/hello32.bin,32,$(G02_SRC)/hello.c)
$(call guest_image,$(G02_OUT)/cpuid.bin,32,$(G02_SRC)/cpuid.c)
$(call guest_image,$(G02_OUT)/msr.bin,64,$(G02_SRC)/msr.c)
$(call guest_image,$(G02_OUT)/portio.bin,32,$(G02_SRC)/portio.c)
$(call guest_image,$(G02_OUT)/timer.bin,64,$(G02_SRC)/timer.c $(G02_SRC)/pc_timer.c)
$(call guest_image,$(G02_OUT)/triple.bin,32,$(G02_SRC)/triple.c)
$(call guest_image,$(G02_OUT)/crs.bin,64,$(G02_SRC)/crs.c $(G02_SRC)/crs_compat.S)
$(call guest_image,$(G02_OUT)/debug.bin,64,$(G02_SRC)/debug.c)
$(call guest_image,$(G02_OUT)/sysmsr.bin,64,$(G02_SRC)/sysmsr.c)
$(call guest_image,$(G02_OUT)/fpu.bin,64,$(G02_SRC)/fpu.c)
$(call guest_image,$(G02_OUT)/busy.bin,64,$(G02_SRC)/busy.c $(G02_SRC)/pc_timer.c)
$(call guest_image,$(G02_OUT)/storm.bin,64,$(G02_SRC)/storm.c)

G02_IMAGES := $(addprefix $(G02_OUT)/,hello64.bin hello32.bin cpuid.bin msr.bin portio.bin \
	timer.bin triple.bin crs.bin debug.bin sysmsr.bin fpu.bin busy.bin storm.bin)
GUEST_BINS_02 += $(G02_IMAGES)
STAGE_SRCS_02 += $(L02)/guests/images.S

# .incbin is invisible to -MMD: every stage that links lesson 02 embeds them.
$(foreach s,$(ALL_STAGES),$(BUILD)/$(s)/obj/$(L02)/guests/images.S.o): $(G02_IMAGES)
