# common/guest/guest.mk - build rules for guest flat binaries.
#
# A guest is a tiny freestanding program on the guest runtime (this
# folder: start.S, console.c, exit.c, idt.c/isr.S, and common/lib's fmt.c
# and string.c), linked at a fixed load address and flattened with
# objcopy -O binary.  A lesson fragment declares one image with
#
#   $(call guest_image,build/NN/guests/NAME.bin,WIDTH,SOURCES[,LOAD_ADDR])
#
# WIDTH is 64 (long mode), 32 (protected mode) or 16 (real mode, for the
# lesson-01 interpreter; no IDT helper there).  The runtime's objects are
# built once per width under build/guest-obj/WIDTH/.  LOAD_ADDR defaults
# to GUEST_LOAD_ADDR, where lesson 02's loader (vcpu/guest_space.c) copies
# a flat image.

GUEST_CC      ?= gcc
GUEST_OBJCOPY ?= objcopy
GUEST_LOAD_ADDR ?= 0x100000

# Freestanding, no PIE (fixed load address), no red zone (the guest takes
# interrupts on its own stack, SysV ABI §3.2.2), no SSE (the hypervisor
# does not promise FPU state to lesson-02 guests), no unwind tables.
GUEST_CFLAGS := -std=c11 -ffreestanding -nostdlib -fno-pie -fno-pic -fno-stack-protector \
	-mno-red-zone -mgeneral-regs-only -fno-asynchronous-unwind-tables -O2 -g \
	-Wall -Wextra -Werror -Icommon/include -Icommon/guest/include
GUEST_ASFLAGS := -Icommon/include -Icommon/guest/include
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,common/guest/guest.ld \
	-Wl,-z,max-page-size=0x1000 -Wl,--build-id=none -Wl,--no-warn-rwx-segments

GUEST_ARCH_16 := -m16 -march=i386 -DGUEST_BITS=16
GUEST_ARCH_32 := -m32 -march=i686 -DGUEST_BITS=32
GUEST_ARCH_64 := -m64 -mcmodel=small -DGUEST_BITS=64

# The runtime, per width.  32-bit and 16-bit code needs divmod64.c (no
# 64-bit DIV there); real mode has no IDT.
GUEST_RT_COMMON := common/guest/start.S common/guest/console.c common/guest/exit.c \
	common/lib/fmt.c common/lib/string.c
GUEST_RT_16 := $(GUEST_RT_COMMON) common/guest/divmod64.c
GUEST_RT_32 := $(GUEST_RT_COMMON) common/guest/divmod64.c common/guest/idt.c common/guest/isr.S
GUEST_RT_64 := $(GUEST_RT_COMMON) common/guest/idt.c common/guest/isr.S

define GUEST_width_rules
$(BUILD)/guest-obj/$(1)/%.c.o: %.c | deps-build
	@mkdir -p $$(@D)
	@echo "  GUESTCC $$@"
	@$$(GUEST_CC) $$(GUEST_CFLAGS) $$(GUEST_ARCH_$(1)) -MMD -MP -c $$< -o $$@

$(BUILD)/guest-obj/$(1)/%.S.o: %.S | deps-build
	@mkdir -p $$(@D)
	@echo "  GUESTAS $$@"
	@$$(GUEST_CC) $$(GUEST_ASFLAGS) $$(GUEST_ARCH_$(1)) -MMD -MP -c $$< -o $$@
endef
$(foreach w,16 32 64,$(eval $(call GUEST_width_rules,$(w))))

# $(1) output .bin, $(2) width, $(3) program sources, $(4) load address.
define GUEST_image_rules
$(1:.bin=.elf): $$(patsubst %,$(BUILD)/guest-obj/$(2)/%.o,$$(GUEST_RT_$(2)) $(3)) common/guest/guest.ld
	@mkdir -p $$(@D)
	@echo "  GUESTLD $$@"
	@$$(GUEST_CC) $$(GUEST_ARCH_$(2)) $$(GUEST_LDFLAGS) \
		-Wl,--defsym=GUEST_LOAD_ADDR=$(if $(4),$(4),$$(GUEST_LOAD_ADDR)) -o $$@ $$(filter %.o,$$^)

$(1): $(1:.bin=.elf)
	@echo "  OBJCOPY $$@"
	@$$(GUEST_OBJCOPY) -O binary $$< $$@

-include $$(patsubst %,$(BUILD)/guest-obj/$(2)/%.d,$$(GUEST_RT_$(2)) $(3))
endef

guest_image = $(eval $(call GUEST_image_rules,$(1),$(2),$(3),$(4)))
