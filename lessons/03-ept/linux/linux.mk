# lessons/03-ept/linux: the Linux guest of lessons 03-05, built by the
# project and cached outside the checkout (~/.cache/spectrum/, keyed by the
# Debian package versions and the hash of the inputs): a small kernel from
# linux-source-6.1 with spectrum.config, and a busybox-static initramfs whose
# /init (init) runs the checks.  Needs linux-source-6.1 build-essential flex
# bison bc libelf-dev libssl-dev busybox-static (and qemu-system-x86 for
# check-linux-qemu).  A cold kernel build is ~6 min on 2 cores; a warm
# `make linux-guest` is under a second.

LINUX_DIR := $(L03)/linux

.PHONY: linux-guest check-linux-qemu

linux-guest: ## build (or reuse) the guest Linux bzImage and initramfs, print their paths
	@kdir=$$($(LINUX_DIR)/build-kernel) && idir=$$($(LINUX_DIR)/build-initramfs) && \
		echo "$$kdir/bzImage" && echo "$$idir/initramfs.cpio.gz"

check-linux-qemu: ## boot the guest Linux directly under QEMU TCG (the baseline), check /init passes
	@$(LINUX_DIR)/check-qemu
