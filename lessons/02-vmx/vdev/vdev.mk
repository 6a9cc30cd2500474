# lessons/02-vmx/vdev: the PC platform lesson 02 adds (8259 PIC pair,
# 8254 PIT with port 0x61) and interrupt injection.

STAGE_SRCS_02 += $(L02)/vdev/pic8259.c $(L02)/vdev/pic_ports.c \
	$(L02)/vdev/pit8254.c $(L02)/vdev/pit_ports.c $(L02)/vdev/irq_inject.c

VDEV02_TESTS := $(BUILD)/host/tests/test_pic $(BUILD)/host/tests/test_pit
UNIT_TESTS += $(VDEV02_TESTS)

$(BUILD)/host/tests/test_pic: $(L02)/tests/test_pic.c $(L02)/vdev/pic8259.c $(L02)/vdev/pic8259.h
$(BUILD)/host/tests/test_pit: $(L02)/tests/test_pit.c $(L02)/vdev/pit8254.c $(L02)/vdev/pit8254.h \
	common/include/spectrum/pc.h

$(VDEV02_TESTS): | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(CHECK_CFLAGS) -o $@ $(filter %.c,$^) $(CHECK_LIBS)
