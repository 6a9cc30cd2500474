# lessons/04-pv/linux: what lesson 04 adds to the guest's initramfs (lesson
# 03's linux.mk builds it; LINUX_INITRAMFS_FILES are packed as GUEST=HOST).

# The benchmark's timed workload (pv_bench.c), static like lesson 03's
# hostile program, and the /init hook that runs it (bench.sh).
$(LINUX_OUT)/pv-bench: $(L04)/linux/pv_bench.c
	@mkdir -p $(@D)
	@echo "  CC      $@ (static, for the guest)"
	@$(HOST_CC) -static -O2 -std=c11 -Wall -Wextra -Werror -o $@ $<
linux-guest: $(LINUX_OUT)/pv-bench
LINUX_INITRAMFS_FILES += bin/pv-bench=$(LINUX_OUT)/pv-bench etc/spectrum.d/90-bench.sh=$(L04)/linux/bench.sh

# virtio-blk: the check /init runs after its own, and the test's disk image
# with the checksums Spectrum must print for it.
L04_LINUX := $(L04)/linux

LINUX_INITRAMFS_FILES += etc/spectrum.d/20-virtio-blk.sh=$(L04_LINUX)/20-virtio-blk.sh \
	usr/share/spectrum/blk-writes.sh=$(L04_LINUX)/blk-writes.sh

# The test disk: 4 MiB, 8192 sectors of 512 bytes, each a line naming it
# ("spectrum test disk, sector 100", blank-padded to 511 bytes and a
# newline), so a read from the wrong sector shows.  The same bytes on
# every machine.  blk.cksum: `cksum` of the image as built (a read-only
# run, and the hostile guest's, must leave it so); blk-linux.cksum: after
# blk-writes.sh's writes, made here on a copy exactly as the Linux test
# makes them on /dev/vda.
BLK_SECTORS := 8192
BLK_IMG := $(LINUX_OUT)/blk.img
BLK_CKSUMS := $(LINUX_OUT)/blk-linux.cksum $(LINUX_OUT)/blk.cksum

$(BLK_IMG): $(L04_LINUX)/linux04.mk
	@mkdir -p $(@D)
	@awk 'BEGIN { for (i = 0; i < $(BLK_SECTORS); i++) printf "%-511s\n", "spectrum test disk, sector " i }' >$@.tmp
	@mv $@.tmp $@
	@echo "  IMG     $@ ($(BLK_SECTORS) sectors)"

$(LINUX_OUT)/blk.cksum: $(BLK_IMG)
	@cksum <$< >$@

$(LINUX_OUT)/blk-linux.cksum: $(BLK_IMG) $(L04_LINUX)/blk-writes.sh
	@cp $< $@.img
	@sh -c '. $(L04_LINUX)/blk-writes.sh && blk_writes $@.img $(BLK_SECTORS)'
	@cksum <$@.img >$@
	@rm -f $@.img

.PHONY: blk-test-disk
blk-test-disk: $(BLK_IMG) $(BLK_CKSUMS) ## the virtio-blk test disk build/linux/blk.img and its expected checksums

# The grader's virtio-blk tests boot the image as a module and compare
# Spectrum's checksum line with blk*.cksum (grade.spec's @{PATH}); the
# kernel and initramfs come from GRADE_PREREQS_03 (linux-guest).
GRADE_PREREQS_04 += blk-test-disk
