# lessons/04-pv/bench: the spectrum benchmark - scenario "spectrum" (one
# Spectrum run, the guest in every mode) and `make bench`, which runs it on
# one engine and writes the table and plot into docs/.
STAGE_SRCS_04 += $(L04)/scenarios/spectrum_bench.c

.PHONY: bench
BENCH_SIZE ?= full
bench: stage-04 linux-guest ## the spectrum benchmark: Linux in every mode, table and plot into docs/ (ENGINE=E, BENCH_SIZE=small)
	@grader/deps.sh bench
	@grader/deps.sh run $(ENGINE)
	@$(L04)/bench/spectrum-bench --engine $(ENGINE) --size $(BENCH_SIZE) --out docs

# make test's run of the benchmark (grade.spec test spectrum-bench): the
# small workload's disk, a zeroed image.
GRADE_PREREQS_04 += $(BUILD)/bench/disk-small.img
$(BUILD)/bench/disk-small.img:
	@mkdir -p $(@D)
	@rm -f $@ && truncate -s 2359296 $@
