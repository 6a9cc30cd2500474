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
