# lessons/04-pv/hcall: the hypercall exit, its table and Spectrum's own
# hypercalls, and the unit test of the guest-buffer check.
STAGE_SRCS_04 += $(L04)/hcall/hcall_exit.c $(L04)/hcall/hcall_table.c $(L04)/hcall/hcall_stats.c \
	$(L04)/hcall/hcall_buf.c $(L04)/hcall/hc_console.c $(L04)/hcall/hc_arg_sum.c

UNIT_TESTS += $(BUILD)/host/tests/test_hcall_buf
$(BUILD)/host/tests/test_hcall_buf: $(L04)/tests/test_hcall_buf.c $(L04)/hcall/hcall_buf.c $(L04)/hcall/hcall_buf.h \
		$(L04)/hcall/hcall_abi.h $(L03)/tests/host_pages.c $(L03)/tests/host_pages.h $(L03)/mem/gpm.c \
		$(L03)/mem/nested_tables.c $(L03)/mem/gpm.h common/lib/fmt.c | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -I$(L03) -I$(L03)/tests -I$(L04) -Icommon/tests $(CHECK_CFLAGS) -o $@ \
		$(filter %.c,$^) $(CHECK_LIBS)
