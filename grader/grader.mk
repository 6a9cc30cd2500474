# grader/: the autograder (hosted C).
# -Wno-format-truncation: every snprintf into a fixed buffer truncates on
# purpose (paths, reasons); GCC cannot prove the bounds and would warn.
GRADER_SRCS := grader/main.c grader/spec.c grader/match.c grader/engines.c grader/report.c
HOST_BINS += $(BUILD)/host/grader

$(BUILD)/host/grader: $(GRADER_SRCS) grader/grader.h | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) -std=c11 -Wall -Wextra -Werror -Wno-format-truncation -g -O1 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -o $@ $(GRADER_SRCS)

# The grader's own unit tests (spec parser, judge, probe parsing, engine
# requirements, scoring).
UNIT_TESTS += $(BUILD)/host/tests/test_grader
$(BUILD)/host/tests/test_grader: grader/tests/test_grader.c grader/spec.c grader/match.c grader/engines.c \
		grader/report.c grader/grader.h | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) -std=c11 -Wall -Wextra -Werror -Wno-format-truncation -g -O1 -D_DEFAULT_SOURCE \
		-D_POSIX_C_SOURCE=200809L -Igrader $(CHECK_CFLAGS) -o $@ grader/tests/test_grader.c \
		grader/spec.c grader/match.c grader/engines.c grader/report.c $(CHECK_LIBS)
