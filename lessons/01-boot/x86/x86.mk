# lessons/01-boot/x86/x86.mk: the x86 instruction decoder library, the
# x86dis host disassembler, the decoder's unit tests and its fuzzer.
# Included by lessons/01-boot/lesson.mk; make runs from the repository root.

X86DEC_DIR  := lessons/01-boot/x86
X86DEC_SRCS := $(X86DEC_DIR)/decode.c $(X86DEC_DIR)/opcode_table.c $(X86DEC_DIR)/format.c
X86DEC_HDRS := $(X86DEC_DIR)/decode.h $(X86DEC_DIR)/opcode_table.h $(X86DEC_DIR)/format.h
X86DEC_TEST := lessons/01-boot/tests

# Kernel: the decoder and formatter are freestanding.  Other fragments (the
# interpreter) may have added decode.c already; never list a source twice.
X86DEC_KERNEL_SRCS := $(filter-out $(STAGE_SRCS_01),$(X86DEC_SRCS))
STAGE_SRCS_01 += $(X86DEC_KERNEL_SRCS)

# Host disassembler: x86dis [-m 16|32|64] [-a ADDR] HEXBYTES...
HOST_BINS += build/host/x86dis
build/host/x86dis: lessons/01-boot/tools/x86dis.c $(X86DEC_SRCS) $(X86DEC_HDRS) | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Ilessons/01-boot -o $@ $(filter %.c,$^)

# Unit tests: hand-written cases plus the objdump cross-check, which writes
# its corpus under build/host/tests/decode_corpus/ (next to the binary).
X86DEC_TEST_SRCS := $(X86DEC_TEST)/test_decode.c $(X86DEC_TEST)/corpus_check.c \
	$(X86DEC_TEST)/gen_corpus.c
UNIT_TESTS += build/host/tests/test_decode
build/host/tests/test_decode: $(X86DEC_TEST_SRCS) $(X86DEC_TEST)/corpus_check.h \
		$(X86DEC_TEST)/gen_corpus.h $(X86DEC_SRCS) $(X86DEC_HDRS) | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Ilessons/01-boot $(CHECK_CFLAGS) -o $@ $(filter %.c,$^) $(CHECK_LIBS)

# libFuzzer target; UBSan findings abort so the fuzzer records them.
FUZZ_BINS += build/host/fuzz/fuzz_decode
build/host/fuzz/fuzz_decode: $(X86DEC_TEST)/fuzz_decode.c $(X86DEC_SRCS) $(X86DEC_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -std=c11 -Wall -Wextra -Werror -fno-sanitize-recover=all \
		-Ilessons/01-boot -o $@ $(filter %.c,$^)
