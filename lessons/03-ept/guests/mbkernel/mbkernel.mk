# lessons/03-ept/guests/mbkernel: a multiboot kernel from "outside" (its
# own header, entry, linker script and serial code; none of Spectrum's
# guest runtime), built the way one builds a kernel for QEMU's -kernel.
# Included from lessons/03-ept/loader/loader.mk.
#
#   make check-mbkernel    it passes under plain QEMU (-kernel, -initrd)
#   make run GUEST=build/03/guests/mbkernel.elf GUEST_ARGS=expect-mods=1 \
#            GUEST_MODULES=lessons/03-ept/guests/mbkernel/module.txt
#                          ... and under Spectrum

MBKERNEL_DIR := $(L03)/guests/mbkernel
MBKERNEL     := $(BUILD)/03/guests/mbkernel.elf
MBKERNEL_CFLAGS := -m32 -march=i686 -std=c11 -ffreestanding -fno-pie -fno-pic -fno-stack-protector \
	-fno-asynchronous-unwind-tables -mgeneral-regs-only -O2 -g -Wall -Wextra -Werror
GUEST_BINS_03 += $(MBKERNEL)

$(MBKERNEL): $(MBKERNEL_DIR)/boot.S $(MBKERNEL_DIR)/mbkernel.c $(MBKERNEL_DIR)/mbkernel.ld | deps-build
	@mkdir -p $(@D)
	@echo "  MBKERN  $@"
	@gcc $(MBKERNEL_CFLAGS) -nostdlib -static -no-pie -Wl,-T,$(MBKERNEL_DIR)/mbkernel.ld \
		-Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wl,--fatal-warnings -o $@ $(MBKERNEL_DIR)/boot.S $(MBKERNEL_DIR)/mbkernel.c

.PHONY: check-mbkernel
check-mbkernel: $(MBKERNEL) ## the outside multiboot kernel passes under plain QEMU -kernel (no Spectrum)
	@grader/deps.sh run qemu-tcg
	@$(MBKERNEL_DIR)/check-qemu.sh $(MBKERNEL) $(MBKERNEL_DIR)/module.txt
