# lessons/03-ept/linux: the Linux guest of lessons 03-05, built by the
# project and cached outside the checkout (~/.cache/spectrum/, keyed by the
# Debian package versions and the hash of the inputs): a small kernel from
# linux-source-6.1 with spectrum.config, and a busybox-static initramfs whose
# /init (init) runs the checks.  Needs linux-source-6.1 build-essential flex
# bison bc libelf-dev libssl-dev busybox-static (and qemu-system-x86 for
# check-linux-qemu).  A cold kernel build is ~6 min on 2 cores; a warm
# `make linux-guest` is under a second.

LINUX_DIR := $(L03)/linux
LINUX_OUT := $(BUILD)/linux

.PHONY: linux-guest linux-stock check-linux-qemu run-linux

# The grader's Linux tests (grade.spec, part "linux") boot build/linux/*:
# make grade and make test build (or reuse) the images first.
GRADE_PREREQS_03 += linux-guest linux-stock

# The hostile user-space program (hostile.c, issue 10 item 7): static,
# since the initramfs has no libc (Debian's libc6-dev has libc.a).  Built
# for the guest, never run on the host: it writes random ports and MSRs.
HOSTILE_SRCS := $(LINUX_DIR)/hostile.c $(LINUX_DIR)/hostile_plan.c
$(LINUX_OUT)/hostile: $(HOSTILE_SRCS) $(LINUX_DIR)/hostile_plan.h common/include/spectrum/exercise.h
	@mkdir -p $(@D)
	@echo "  CC      $@ (static, for the guest)"
	@$(HOST_CC) -static -O2 -std=c11 -Wall -Wextra -Werror -Icommon/include -o $@ $(HOSTILE_SRCS)

# The initramfs carries /bin/hostile and whatever later lessons add to
# LINUX_INITRAMFS_FILES (GUEST_PATH=HOST_FILE; build-initramfs's extra files
# are part of its cache key): lesson 04 adds its checks as
# etc/spectrum.d/*.sh, which /init runs after its own (and makes the files
# it builds prerequisites of linux-guest in its own fragment).  The cached kernel and initramfs are also linked
# at fixed paths, build/linux/bzImage and build/linux/initramfs.cpio.gz,
# which grade.spec's `module` lines name.
LINUX_INITRAMFS_FILES += bin/hostile=$(LINUX_OUT)/hostile
linux-guest: $(LINUX_OUT)/hostile ## build (or reuse) the guest Linux bzImage and initramfs, link them in build/linux/
	@kdir=$$($(LINUX_DIR)/build-kernel) && \
		idir=$$($(LINUX_DIR)/build-initramfs $(LINUX_INITRAMFS_FILES)) && \
		ln -sfn "$$kdir/bzImage" $(LINUX_OUT)/bzImage && \
		ln -sfn "$$idir/initramfs.cpio.gz" $(LINUX_OUT)/initramfs.cpio.gz && \
		echo "$(LINUX_OUT)/bzImage -> $$kdir/bzImage" && \
		echo "$(LINUX_OUT)/initramfs.cpio.gz -> $$idir/initramfs.cpio.gz"

check-linux-qemu: ## boot the guest Linux directly under QEMU TCG (the baseline), check /init passes
	@$(LINUX_DIR)/check-qemu

# The plan of the hostile program, replayed on the host by a unit test.
HOSTILE_TESTS := $(BUILD)/host/tests/test_hostile_plan
UNIT_TESTS += $(HOSTILE_TESTS)
$(BUILD)/host/tests/test_hostile_plan: $(L03)/tests/test_hostile_plan.c $(LINUX_DIR)/hostile_plan.c \
	$(LINUX_DIR)/hostile_plan.h common/include/spectrum/exercise.h
$(HOSTILE_TESTS): | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(CHECK_CFLAGS) -o $@ $(filter %.c,$^) $(CHECK_LIBS)

# The project's Linux on the newest stage, interactively: /init runs its
# checks and leaves a busybox shell on the console (spectrum.end=shell);
# what you type reaches the guest's UART through Spectrum's own COM1
# (guest_input=1) with receive interrupts, as under QEMU.  Ctrl-A X ends it.
# RUN_LINUX_CONSOLE is the console= word (a later lesson may leave it to
# Spectrum: lesson 04 picks hvc0 in its paravirtual modes).
RUN_LINUX_CONSOLE = console=ttyS0
RUN_LINUX_ARGS ?= $(RUN_LINUX_CONSOLE) reboot=k tsc=reliable spectrum.end=shell
run-linux: linux-guest ## boot the project's Linux to a shell in this terminal (Ctrl-A X ends)
	@$(MAKE) --no-print-directory run GUEST=$(LINUX_OUT)/bzImage GUEST_MODULES=$(LINUX_OUT)/initramfs.cpio.gz \
		GUEST_ARGS="$(RUN_LINUX_ARGS)" CMDLINE="guest_input=1 $(CMDLINE)" TIMEOUT=0 INTERACTIVE=1

# Debian's stock cloud kernel (get-stock-kernel), for the test that a kernel
# nobody here configured boots the same way: linked at build/linux/vmlinuz-stock.
linux-stock: ## download (or reuse) Debian's stock cloud kernel, link it in build/linux/
	@mkdir -p $(LINUX_OUT)
	@k=$$($(LINUX_DIR)/get-stock-kernel) && ln -sfn "$$k" $(LINUX_OUT)/vmlinuz-stock && \
		echo "$(LINUX_OUT)/vmlinuz-stock -> $$k"
