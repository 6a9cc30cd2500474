# lessons/03-ept/guests/rt.mk: the lesson-03 guest runtime and the make
# function that links a lesson-03 guest image.
#
#   $(call guest03_image,build/03/guests/NAME.bin,SOURCES[,WIDTH])
#
# links rt16.S (the real-mode prologue, first byte = entry point) + the
# common guest runtime of WIDTH (64 by default, or 32 or 16, see rt.h) +
# SOURCES at 0x8000 with rt.ld.  Objects are built by common/guest/guest.mk's
# per-width rules under build/guest-obj/WIDTH/.
#
# Another fragment that calls guest03_image may be read before this one
# (lesson.mk includes the fragments in name order): it includes this file
# first; the guard makes a second inclusion a no-op.

ifndef GUEST03_RT_MK
GUEST03_RT_MK := 1

L03_RT := lessons/03-ept/guests

# The runtime per width: 64 and 32 use common/guest/start.S (called by
# rt16.S after the mode switch), 16 has its own start in rt16.S (its stack
# below the image, so a 16-bit image keeps all of 0x8000-0xffff).
GUEST03_RT_64 := $(L03_RT)/rt16.S $(GUEST_RT_64) $(L03_RT)/rt_boot.c $(L03_RT)/rt_paging.c $(L03_RT)/rt_exercise.c
GUEST03_RT_32 := $(L03_RT)/rt16.S $(GUEST_RT_32) $(L03_RT)/rt_paging.c $(L03_RT)/rt_exercise.c
GUEST03_RT_16 := $(L03_RT)/rt16.S $(filter-out common/guest/start.S,$(GUEST_RT_16)) $(L03_RT)/rt_exercise.c

GUEST03_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,$(L03_RT)/rt.ld \
	-Wl,-z,max-page-size=0x1000 -Wl,--build-id=none -Wl,--no-warn-rwx-segments

# Lesson-03 guest sources may name lesson headers by their lesson path
# ("guests/mailbox.h" of lesson 01, "mmio/mmio_test_dev.h"), as the kernel does.
$(foreach w,16 32 64,$(eval $(BUILD)/guest-obj/$(w)/lessons/03-ept/%.o: \
	GUEST_CFLAGS += -Ilessons/01-boot -Ilessons/03-ept))

# $(1) output .bin, $(2) width, $(3) program sources.
define GUEST03_image_rules
$(1:.bin=.elf): $$(patsubst %,$(BUILD)/guest-obj/$(2)/%.o,$$(GUEST03_RT_$(2)) $(3)) $(L03_RT)/rt.ld
	@mkdir -p $$(@D)
	@echo "  GUESTLD $$@"
	@$$(GUEST_CC) $$(GUEST_ARCH_$(2)) $$(GUEST03_LDFLAGS) -Wl,--defsym=RT_WIDTH=$(2) -o $$@ $$(filter %.o,$$^)

$(1): $(1:.bin=.elf)
	@echo "  OBJCOPY $$@"
	@$$(GUEST_OBJCOPY) -O binary $$< $$@

-include $$(patsubst %,$(BUILD)/guest-obj/$(2)/%.d,$$(GUEST03_RT_$(2)) $(3))
endef

guest03_image = $(eval $(call GUEST03_image_rules,$(1),$(if $(3),$(3),64),$(2)))

endif
