# lessons/04-pv/net: virtio-net and the network endpoint inside Spectrum
# (net_endpoint.c: ARP, ICMP echo, UDP echo), the device model in
# virtio/virtio_net.c, their unit tests and the endpoint's libFuzzer
# target, and what the project's Linux runs to use them (linux/).
NET_DIR := $(L04)/net
NET_HDRS := $(NET_DIR)/net_wire.h $(NET_DIR)/net_endpoint.h $(L04)/virtio/virtio_net.h \
	$(L04)/virtio/virtio_mmio.h $(L04)/virtio/virtqueue.h

STAGE_SRCS_04 += $(NET_DIR)/net_endpoint.c $(L04)/virtio/virtio_net.c $(L04)/virtio/virtio_net_stats.c

# Hosted: the endpoint alone, and the device behind the real transport
# and walker on a byte-array guest memory (tests/vq_test_mem.h).
NET_UNIT_TESTS := $(BUILD)/host/tests/test_net_endpoint $(BUILD)/host/tests/test_virtio_net
UNIT_TESTS += $(NET_UNIT_TESTS)

$(BUILD)/host/tests/test_net_endpoint: $(L04)/tests/test_net_endpoint.c $(NET_DIR)/net_endpoint.c \
	$(L04)/tests/net_test_frames.h
$(BUILD)/host/tests/test_virtio_net: $(L04)/tests/test_virtio_net.c $(L04)/virtio/virtio_net.c \
	$(NET_DIR)/net_endpoint.c $(L04)/virtio/virtqueue.c $(L04)/virtio/virtio_mmio.c \
	$(L04)/tests/net_test_frames.h $(L04)/tests/vq_test_mem.h

$(NET_UNIT_TESTS): $(NET_HDRS) | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -I$(L04) -I$(L04)/tests -Icommon/tests $(CHECK_CFLAGS) -o $@ \
		$(filter %.c,$^) $(CHECK_LIBS)

# libFuzzer: random frames through the endpoint; a reply longer than the
# frame or the buffer, or one with a wrong checksum, aborts.
FUZZ_BINS += $(BUILD)/host/fuzz/fuzz_net_endpoint
$(BUILD)/host/fuzz/fuzz_net_endpoint: $(L04)/tests/fuzz_net_endpoint.c $(NET_DIR)/net_endpoint.c $(NET_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -I$(L04) -std=c11 -Wall -Wextra -Werror -fno-sanitize-recover=all \
		-D_DEFAULT_SOURCE -o $@ $(filter %.c,$^)

# The project's Linux uses the card: /etc/spectrum.d/30-virtio-net.sh
# (sourced by /init; it does nothing where there is no eth0) pings the
# endpoint and runs /bin/udp-echo, a static program since the initramfs
# has no C library (like lesson 03's hostile).  lesson 03's linux-guest
# rule reads its prerequisites before this fragment: named here again.
NET_LINUX := $(L04)/linux
LINUX_INITRAMFS_FILES += etc/spectrum.d/30-virtio-net.sh=$(NET_LINUX)/30-virtio-net.sh \
	bin/udp-echo=$(LINUX_OUT)/udp-echo
linux-guest: $(LINUX_OUT)/udp-echo
$(LINUX_OUT)/udp-echo: $(NET_LINUX)/udp_echo.c
	@mkdir -p $(@D)
	@echo "  CC      $@ (static, for the guest)"
	@$(HOST_CC) -static -O2 -s -std=c11 -Wall -Wextra -Werror -o $@ $<
