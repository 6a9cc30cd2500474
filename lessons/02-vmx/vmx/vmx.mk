# lessons/02-vmx/vmx: the Intel VT-x (VMX) back end of the vCPU interface,
# and its VM-entry checker (the VMX-only scenarios live in scenarios/).
VMX_DIR := $(L02)/vmx

# The VM-entry checker and what it needs: pure C, also built hosted.
VMX_CHECK_SRCS := $(VMX_DIR)/vmx_check.c $(VMX_DIR)/vmx_check_ctl.c $(VMX_DIR)/vmx_check_host.c \
	$(VMX_DIR)/vmx_check_guest.c $(VMX_DIR)/vmx_check_seg.c $(VMX_DIR)/vmx_check_nonreg.c \
	$(VMX_DIR)/vmx_caps.c $(VMX_DIR)/vmx_names.c $(VMX_DIR)/vmx_fields.c $(VMX_DIR)/vmx_wanted.c

STAGE_SRCS_02 += $(VMX_CHECK_SRCS) $(VMX_DIR)/vmx_probe.c $(VMX_DIR)/vmx_enable.c \
	$(VMX_DIR)/vmx_create.c $(VMX_DIR)/vmx_host.c $(VMX_DIR)/vmx_guest.c $(VMX_DIR)/vmx_run.S \
	$(VMX_DIR)/vmx_run.c $(VMX_DIR)/vmx_exit.c $(VMX_DIR)/vmx_event.c $(VMX_DIR)/vmx_ctl.c \
	$(VMX_DIR)/vmx_snapshot.c $(VMX_DIR)/vmx_msr.c $(VMX_DIR)/vmx_diag.c $(VMX_DIR)/vmx_break.c $(VMX_DIR)/vmx_ops.c \
	$(L02)/guests/vmx_smoke_guest.S $(L02)/scenarios/vmx_smoke.c $(L02)/scenarios/vmx_breaks.c \
	$(L02)/guests/vmx_events_guest.S $(L02)/scenarios/vmx_events.c

UNIT_TESTS += $(BUILD)/host/tests/test_vmx_check
$(BUILD)/host/tests/test_vmx_check: $(L02)/tests/test_vmx_check.c $(VMX_CHECK_SRCS) common/lib/fmt.c \
		$(wildcard $(VMX_DIR)/*.h) common/include/spectrum/x86_bits.h | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Icommon/tests $(CHECK_CFLAGS) -o $@ $(filter %.c,$^) $(CHECK_LIBS)
