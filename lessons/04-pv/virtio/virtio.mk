# lessons/04-pv/virtio: virtio 1.x over MMIO - the split-virtqueue walker,
# the transport's register file, the devices on a lesson-03 machine, and
# virtio-console; their unit tests and the walker's libFuzzer target.
VIRTIO_DIR := $(L04)/virtio
VIRTIO_HDRS := $(wildcard $(VIRTIO_DIR)/*.h)

STAGE_SRCS_04 += $(VIRTIO_DIR)/virtqueue.c $(VIRTIO_DIR)/virtio_mmio.c $(VIRTIO_DIR)/virtio_gpm.c \
	$(VIRTIO_DIR)/virtio_bus.c $(VIRTIO_DIR)/virtio_console.c $(VIRTIO_DIR)/virtio_cmdline.c

# Hosted: the walker and the transport know guest memory only through
# struct vq_mem, the tests give them a byte array (tests/vq_test_mem.h).
VIRTIO_UNIT_TESTS := $(BUILD)/host/tests/test_virtqueue $(BUILD)/host/tests/test_virtio_mmio
UNIT_TESTS += $(VIRTIO_UNIT_TESTS)

$(BUILD)/host/tests/test_virtqueue: $(L04)/tests/test_virtqueue.c $(VIRTIO_DIR)/virtqueue.c
$(BUILD)/host/tests/test_virtio_mmio: $(L04)/tests/test_virtio_mmio.c $(VIRTIO_DIR)/virtqueue.c \
	$(VIRTIO_DIR)/virtio_mmio.c

$(VIRTIO_UNIT_TESTS): $(VIRTIO_HDRS) $(L04)/tests/vq_test_mem.h | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -I$(L04) -I$(L04)/tests -Icommon/tests $(CHECK_CFLAGS) -o $@ \
		$(filter %.c,$^) $(CHECK_LIBS)

# libFuzzer: a random guest memory and random ring indexes through the
# walker; UBSan findings abort so the fuzzer records them.
FUZZ_BINS += $(BUILD)/host/fuzz/fuzz_virtqueue
$(BUILD)/host/fuzz/fuzz_virtqueue: $(L04)/tests/fuzz_virtqueue.c $(VIRTIO_DIR)/virtqueue.c $(VIRTIO_HDRS) \
		$(L04)/tests/vq_test_mem.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -I$(L04) -I$(L04)/tests -std=c11 -Wall -Wextra -Werror -fno-sanitize-recover=all \
		-D_DEFAULT_SOURCE -o $@ $(filter %.c,$^)

# The transport with the walker behind it: random register accesses on a
# random guest memory.
FUZZ_BINS += $(BUILD)/host/fuzz/fuzz_virtio_mmio
$(BUILD)/host/fuzz/fuzz_virtio_mmio: $(L04)/tests/fuzz_virtio_mmio.c $(VIRTIO_DIR)/virtqueue.c \
		$(VIRTIO_DIR)/virtio_mmio.c $(VIRTIO_HDRS) $(L04)/tests/vq_test_mem.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -I$(L04) -I$(L04)/tests -std=c11 -Wall -Wextra -Werror -fno-sanitize-recover=all \
		-D_DEFAULT_SOURCE -o $@ $(filter %.c,$^)

# virtio-blk (virtio_blk.c, the device on the bus; virtio_blk_req.c, one
# request, pure; posix_cksum.c, the end-of-run checksum of the image).
STAGE_SRCS_04 += $(VIRTIO_DIR)/virtio_blk.c $(VIRTIO_DIR)/virtio_blk_req.c $(VIRTIO_DIR)/posix_cksum.c

# Requests on a byte-array guest memory and a byte-array disk; the
# checksum against values `cksum` printed.
UNIT_TESTS += $(BUILD)/host/tests/test_virtio_blk
$(BUILD)/host/tests/test_virtio_blk: $(L04)/tests/test_virtio_blk.c $(VIRTIO_DIR)/virtqueue.c \
		$(VIRTIO_DIR)/virtio_blk_req.c $(VIRTIO_DIR)/posix_cksum.c $(VIRTIO_HDRS) $(L04)/tests/vq_test_mem.h \
		| deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -I$(L04) -I$(L04)/tests -Icommon/tests $(CHECK_CFLAGS) -o $@ \
		$(filter %.c,$^) $(CHECK_LIBS)

# libFuzzer: random requests (a random chain of random segments, header,
# data) on a random disk, read-only or not.
FUZZ_BINS += $(BUILD)/host/fuzz/fuzz_virtio_blk
$(BUILD)/host/fuzz/fuzz_virtio_blk: $(L04)/tests/fuzz_virtio_blk.c $(VIRTIO_DIR)/virtio_blk_req.c $(VIRTIO_HDRS) \
		$(L04)/tests/vq_test_mem.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -I$(L04) -I$(L04)/tests -std=c11 -Wall -Wextra -Werror -fno-sanitize-recover=all \
		-D_DEFAULT_SOURCE -o $@ $(filter %.c,$^)
