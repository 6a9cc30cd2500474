# lessons/03-ept/mem: guest-physical memory (the map, its host pages, the
# EPT/NPT tables), the vendor attaches and the nested-page-fault exit.
STAGE_SRCS_03 += $(L03)/mem/gpm.c $(L03)/mem/nested_tables.c $(L03)/mem/nested.c \
	$(L03)/mem/ept_attach.c $(L03)/mem/npt_attach.c $(L03)/mem/npf_exit.c

# Hosted unit test of the map and both table formats, on a stand-in page
# allocator (tests/host_pages.c).
UNIT_TESTS += $(BUILD)/host/tests/test_gpm
$(BUILD)/host/tests/test_gpm: $(L03)/tests/test_gpm.c $(L03)/tests/host_pages.c $(L03)/tests/host_pages.h \
		$(L03)/mem/gpm.c $(L03)/mem/nested_tables.c $(L03)/mem/gpm.h common/lib/fmt.c | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -I$(L03) -Icommon/tests $(CHECK_CFLAGS) -o $@ $(filter %.c,$^) $(CHECK_LIBS)
