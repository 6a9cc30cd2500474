# grader/: the autograder (hosted C).
# -Wno-format-truncation: every snprintf into a fixed buffer truncates on
# purpose (paths, reasons); GCC cannot prove the bounds and would warn.
GRADER_SRCS := grader/main.c grader/spec.c grader/match.c grader/engines.c grader/report.c \
	grader/exercises_load.c grader/exercise.c
HOST_BINS += $(BUILD)/host/grader

$(BUILD)/host/grader: $(GRADER_SRCS) grader/grader.h grader/exercise.h | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) -std=c11 -Wall -Wextra -Werror -Wno-format-truncation -g -O1 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -o $@ $(GRADER_SRCS)

# The grader's own unit tests (spec parser, judge, probe parsing, engine
# requirements, scoring).
UNIT_TESTS += $(BUILD)/host/tests/test_grader
$(BUILD)/host/tests/test_grader: grader/tests/test_grader.c grader/tests/test_files.h grader/spec.c grader/match.c grader/engines.c \
		grader/report.c grader/exercises_load.c grader/exercise.c grader/grader.h grader/exercise.h | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) -std=c11 -Wall -Wextra -Werror -Wno-format-truncation -g -O1 -D_DEFAULT_SOURCE \
		-D_POSIX_C_SOURCE=200809L -Igrader $(CHECK_CFLAGS) -o $@ grader/tests/test_grader.c \
		grader/spec.c grader/match.c grader/engines.c grader/report.c grader/exercises_load.c grader/exercise.c \
		$(CHECK_LIBS)

# The handout generator (make handout LESSON=NN) and the check of a graded
# handout's results.json (grader/handout-check).  exercise.c reads the
# exercise regions of docs/exercises.md.
HANDOUT_CFLAGS := -std=c11 -Wall -Wextra -Werror -Wno-format-truncation -g -O1 -D_DEFAULT_SOURCE \
	-D_POSIX_C_SOURCE=200809L
HOST_BINS += $(BUILD)/host/handout $(BUILD)/host/results-check

$(BUILD)/host/handout: grader/handout.c grader/exercise.c grader/exercise.h | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HANDOUT_CFLAGS) -o $@ grader/handout.c grader/exercise.c

$(BUILD)/host/results-check: grader/results-check.c | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HANDOUT_CFLAGS) -o $@ grader/results-check.c

# Exercise regions: scanning, malformed regions, the handout transform,
# Markdown lesson gates, the leak check's solution lines.
UNIT_TESTS += $(BUILD)/host/tests/test_exercise
$(BUILD)/host/tests/test_exercise: grader/tests/test_exercise.c grader/tests/test_files.h grader/exercise.c grader/exercise.h | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HANDOUT_CFLAGS) -Igrader $(CHECK_CFLAGS) -o $@ grader/tests/test_exercise.c grader/exercise.c \
		$(CHECK_LIBS)

# The two programs as grader/handout-check runs them: handout on a small
# reference repository (git needed), results-check on results.json files.
UNIT_TESTS += $(BUILD)/host/tests/test_handout
$(BUILD)/host/tests/test_handout: grader/tests/test_handout.c grader/tests/test_files.h $(BUILD)/host/handout $(BUILD)/host/results-check \
		| deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HANDOUT_CFLAGS) $(CHECK_CFLAGS) -DHANDOUT_BIN='"$(BUILD)/host/handout"' \
		-DRESULTS_CHECK_BIN='"$(BUILD)/host/results-check"' -o $@ grader/tests/test_handout.c $(CHECK_LIBS)
