# lessons/01-boot/x86/interp.mk: the interpreter, its scenarios, unit tests
# and fuzzer (UBSan findings abort: a fuzzer must see them as crashes).

INTERP_SRCS := $(addprefix $(L01)/x86/,interp.c interp_mem.c interp_flags.c interp_alu.c \
	interp_muldiv.c interp_string.c interp_branch.c interp_stack.c interp_bits.c interp_system.c)
# The decoder the interpreter stands on; added here unless the decoder's own
# fragment already did (fragments are included in name order).
X86_DECODER_SRCS := $(L01)/x86/decode.c $(L01)/x86/opcode_table.c

INTERP_DECODER_TODO := $(filter-out $(STAGE_SRCS_01),$(X86_DECODER_SRCS))
STAGE_SRCS_01 += $(INTERP_SRCS) $(INTERP_DECODER_TODO) \
	$(L01)/scenarios/emulate_mailbox.c $(L01)/scenarios/emulate_run.c \
	$(L01)/scenarios/emulate_sieve.c $(L01)/scenarios/emulate_hostile.c

# Hosted: the interpreter and the decoder compile unchanged; the test brings
# a tiny VM shim (vm_stop, portbus_read/write) instead of vm.c/portbus.c.
INTERP_HOST_SRCS := $(INTERP_SRCS) $(X86_DECODER_SRCS) $(L01)/vm/gmem.c common/lib/fmt.c

INTERP_TESTS := test_interp test_interp_flags
UNIT_TESTS += $(INTERP_TESTS:%=$(BUILD)/host/tests/%)
$(BUILD)/host/tests/test_interp: $(L01)/tests/test_interp.c
$(BUILD)/host/tests/test_interp_flags: $(L01)/tests/test_interp_flags.c
$(INTERP_TESTS:%=$(BUILD)/host/tests/%): $(L01)/tests/test_interp_shim.c $(L01)/tests/test_interp_shim.h \
		$(INTERP_HOST_SRCS) $(wildcard $(L01)/x86/*.h) | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Icommon/tests -I$(L01)/tests $(CHECK_CFLAGS) -o $@ $(filter %.c,$^) $(CHECK_LIBS)

FUZZ_BINS += $(BUILD)/host/fuzz/fuzz_interp
$(BUILD)/host/fuzz/fuzz_interp: $(L01)/tests/fuzz_interp.c $(L01)/tests/test_interp_shim.c \
		$(L01)/tests/test_interp_shim.h $(INTERP_HOST_SRCS) $(wildcard $(L01)/x86/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fno-sanitize-recover=all -I$(L01)/tests -o $@ $(filter %.c,$^)
