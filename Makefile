# Spectrum - an educational hypervisor, one stage per lesson.
#
#   make run            build the newest stage and boot it under QEMU
#   make test           unit tests, gdb check, docs check, autograder
#   make help           every target
#
# A stage NN is common/ plus lessons/01..NN linked into build/NN/spectrum.elf.
# Each lesson folder has a lesson.mk that appends to these variables:
#   STAGE_SRCS_NN   sources of lesson NN linked into stages >= NN
#   HOST_BINS       hosted tools built by `make` (explicit rules in the .mk)
#   UNIT_TESTS      Check test binaries `make unit` runs
#   FUZZ_BINS       libFuzzer targets `make fuzz` builds
#   GUEST_BINS_NN   guest images stage NN needs (explicit rules in the .mk)

.DEFAULT_GOAL := all
SHELL := /bin/bash

LESSON_DIRS := $(sort $(wildcard lessons/[0-9][0-9]-*))
ALL_STAGES  := $(foreach d,$(LESSON_DIRS),$(firstword $(subst -, ,$(notdir $(d)))))
LATEST      := $(lastword $(ALL_STAGES))
STAGE       ?= $(LATEST)
ifeq ($(filter $(STAGE),$(ALL_STAGES)),)
$(error STAGE=$(STAGE) is not one of: $(ALL_STAGES))
endif
# The stages up to and including STAGE.
STAGES_TO_STAGE := $(shell for s in $(ALL_STAGES); do [ "$$s" -le "$(STAGE)" ] && echo $$s; done)

ENGINE ?= qemu-tcg
CMDLINE ?=
# make run stops the machine after TIMEOUT seconds (0: never), so a hung
# guest does not hold the terminal for ever.
TIMEOUT ?= 120
BUILD := build

# DEBUG=1: the kernel at -Og instead of -O2, so gdb sees locals and steps
# line by line, its objects and spectrum.elf in a tree of their own
# (KBUILD) so the two builds never mix.  Host tools and guest images do not depend on
# DEBUG and stay in $(BUILD) (the kernel's .incbin lines name
# build/NN/guests/).  The grader and `make test` judge the -O2 build only.
KBUILD := $(BUILD)
KERNEL_OPT := -O2
ifeq ($(DEBUG),1)
KBUILD := $(BUILD)/debug
KERNEL_OPT := -Og
ifneq ($(filter test grade,$(MAKECMDGOALS)),)
$(error DEBUG=1 is for make, make run, make gdb and make check-gdb; make test and make grade judge the normal -O2 build)
endif
else ifneq ($(DEBUG),)
$(error DEBUG=$(DEBUG): use DEBUG=1 (a -Og kernel in build/debug/) or leave it unset)
endif

# ---------------------------------------------------------------------------
# Toolchains
# ---------------------------------------------------------------------------
CC       := gcc
HOST_CC  ?= gcc
# Kernel: freestanding, no red zone (interrupts would clobber it, SysV ABI
# §3.2.2), no SSE (we never save FPU state), frame pointers for backtraces.
KERNEL_CFLAGS := -std=c11 -ffreestanding -nostdlib -fno-pie -fno-pic -fno-stack-protector \
	-mno-red-zone -mgeneral-regs-only -mcmodel=small -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables $(KERNEL_OPT) -g -Wall -Wextra -Werror -Icommon/include
KERNEL_ASFLAGS := -Icommon/include -g
KERNEL_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,common/boot/linker.ld \
	-Wl,-z,max-page-size=0x1000 -Wl,--build-id=none -Wl,--no-warn-rwx-segments
HOST_CFLAGS ?= -std=c11 -Wall -Wextra -Werror -g -O1 -D_DEFAULT_SOURCE -Icommon/include \
	$(foreach d,$(LESSON_DIRS),-I$(d))
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)
FUZZ_CC      := clang
FUZZ_CFLAGS  := -g -O1 -fsanitize=fuzzer,address,undefined -Icommon/include \
	$(foreach d,$(LESSON_DIRS),-I$(d))

COMMON_SRCS := common/boot/boot.S common/arch/isr.S common/arch/gdt.c common/arch/idt.c \
	common/kmain.c $(sort $(wildcard common/lib/*.c))

HOST_BINS  :=
UNIT_TESTS :=
FUZZ_BINS  :=

include common/common.mk
include grader/grader.mk
include $(foreach d,$(LESSON_DIRS),$(d)/lesson.mk)

# ---------------------------------------------------------------------------
# One build per stage: build/NN/spectrum.elf
# ---------------------------------------------------------------------------
lesson_dir = $(filter lessons/$(1)-%,$(LESSON_DIRS))
stages_le  = $(shell for s in $(ALL_STAGES); do [ "$$s" -le "$(1)" ] && echo $$s; done)

define STAGE_template
STAGE_$(1)_LESSONS := $$(call stages_le,$(1))
STAGE_$(1)_SRCS := $$(COMMON_SRCS) $$(foreach s,$$(STAGE_$(1)_LESSONS),$$(STAGE_SRCS_$$(s)))
STAGE_$(1)_OBJS := $$(patsubst %,$(KBUILD)/$(1)/obj/%.o,$$(STAGE_$(1)_SRCS))
STAGE_$(1)_INC  := $$(foreach s,$$(STAGE_$(1)_LESSONS),-I$$(call lesson_dir,$$(s)))

$(KBUILD)/$(1)/obj/%.c.o: %.c | deps-build
	@mkdir -p $$(@D)
	@echo "  CC      $$@"
	@$$(CC) $$(KERNEL_CFLAGS) $$(STAGE_$(1)_INC) -DSPECTRUM_STAGE='"$(1)"' -MMD -MP -c $$< -o $$@

$(KBUILD)/$(1)/obj/%.S.o: %.S | deps-build
	@mkdir -p $$(@D)
	@echo "  AS      $$@"
	@$$(CC) $$(KERNEL_ASFLAGS) $$(STAGE_$(1)_INC) -DSPECTRUM_STAGE='"$(1)"' -MMD -MP -c $$< -o $$@

# Two links: the first one's function symbols become a table (ksyms.h) that
# the second link appends to .rodata, after all code; the check below makes
# sure no code address moved between the two.
$(KBUILD)/$(1)/spectrum.elf: $$(STAGE_$(1)_OBJS) common/boot/linker.ld grader/gen-ksyms
	@echo "  LD      $$@"
	@$$(CC) $$(KERNEL_LDFLAGS) -Wl,--fatal-warnings -o $(KBUILD)/$(1)/spectrum.pass1.elf $$(STAGE_$(1)_OBJS) -lgcc
	@grader/gen-ksyms $(KBUILD)/$(1)/spectrum.pass1.elf > $(KBUILD)/$(1)/ksyms.S
	@$$(CC) -c $(KBUILD)/$(1)/ksyms.S -o $(KBUILD)/$(1)/ksyms.o
	@$$(CC) $$(KERNEL_LDFLAGS) -Wl,--fatal-warnings -o $$@ $$(STAGE_$(1)_OBJS) $(KBUILD)/$(1)/ksyms.o -lgcc
	@cmp -s <(nm -n $(KBUILD)/$(1)/spectrum.pass1.elf | grep ' [tT] ') <(nm -n $$@ | grep ' [tT] ') || \
		{ echo "ksyms: code moved between the two links"; rm -f $$@; exit 1; }
	@echo "built $$@ (stage $(1): common + lessons $$(STAGE_$(1)_LESSONS))"

stage-$(1): $(KBUILD)/$(1)/spectrum.elf $$(GUEST_BINS_$(1))
# A lesson's assembly may .incbin guest images (guests/images.S): rebuild
# it when one changes, and never assemble it before they exist.
$$(filter $(KBUILD)/$(1)/obj/lessons/%,$$(filter %.S.o,$$(STAGE_$(1)_OBJS))): \
	$$(foreach s,$$(STAGE_$(1)_LESSONS),$$(GUEST_BINS_$$(s)))
-include $$(STAGE_$(1)_OBJS:.o=.d)
endef
$(foreach s,$(ALL_STAGES),$(eval $(call STAGE_template,$(s))))

KERNEL := $(KBUILD)/$(STAGE)/spectrum.elf

.PHONY: all kernel host run run-bochs gdb test unit fuzz docs clean help deps deps-build deps-test \
	$(foreach s,$(ALL_STAGES),stage-$(s)) grade check-gdb check-docs

all: stage-$(STAGE) host ## build the stage (default: newest) and the host tools

kernel: stage-$(STAGE) ## build only the stage image build/NN/spectrum.elf (DEBUG=1: build/debug/NN/)

host: $(HOST_BINS) ## build the hosted tools (grader, disassembler, ...)

# ---------------------------------------------------------------------------
# Tool checks: each target checks what it needs and installs what is
# missing (grader/deps.sh: apt-get as root, otherwise prints the command).
# ---------------------------------------------------------------------------
deps-build:
	@grader/deps.sh build
deps: ## install every package the project uses
	@grader/deps.sh all

# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------
# make run GUEST=file (lesson 03 on): Spectrum runs that guest image
# (scenario run=guest, lessons/03-ept/scenarios/guest_module.c); the file
# and GUEST_MODULES (FILE or FILE:ARG, blank-separated) become Spectrum's
# multiboot modules, GUEST_ARGS the guest's command line.
ifneq ($(GUEST),)
ifeq ($(filter-out 01 02,$(STAGE)),)
$(error GUEST= runs a guest under stage 03 or later, not STAGE=$(STAGE))
endif
ifneq ($(findstring ",$(GUEST)$(GUEST_ARGS)$(GUEST_MODULES))$(findstring \,$(GUEST)$(GUEST_ARGS)$(GUEST_MODULES))$(findstring `,$(GUEST)$(GUEST_ARGS)$(GUEST_MODULES)),)
$(error GUEST, GUEST_ARGS and GUEST_MODULES cannot hold a double quote, backslash or backquote)
endif
endif
GUEST_RUN_ARGS = $(if $(GUEST),--module "$(GUEST)$(if $(strip $(GUEST_ARGS)),:$(strip $(GUEST_ARGS)))" \
	$(foreach m,$(GUEST_MODULES),--module "$(m)"))
GUEST_KCMDLINE = $(if $(GUEST),run=guest guest_name=$(notdir $(GUEST)))
# Words lessons add to Spectrum's command line from their own make variables
# (lesson 04: MODE=pvhvm -> mode=pvhvm).
RUN_EXTRA_KCMDLINE ?=

run: stage-$(STAGE) ## boot the stage: make run [STAGE=NN] [ENGINE=E] [CMDLINE="run=..."] [TIMEOUT=S] [DEBUG=1] [GUEST=file]
	@grader/deps.sh run $(ENGINE)
	@$(if $(GUEST),[ -f "$(GUEST)" ] || { echo "make run: GUEST=$(GUEST): no such file" >&2; exit 2; })
	@grader/spectrum-run --engine $(ENGINE) --log $(KBUILD)/$(STAGE)/run-$(ENGINE).log \
		--timeout $(TIMEOUT) --timeout-hint "make run TIMEOUT=... to change" \
		$(GUEST_RUN_ARGS) $(if $(filter 1,$(INTERACTIVE)),--interactive,--tee) $(KERNEL) $(GUEST_KCMDLINE) \
		$(RUN_EXTRA_KCMDLINE) $(CMDLINE)

gdb: stage-$(STAGE) ## boot under QEMU halted and attach gdb (CMDLINE= for the kernel, DEBUG=1 for -Og)
	@grader/deps.sh run qemu-tcg
	@grader/gdb-session $(KERNEL) $(CMDLINE)

# ---------------------------------------------------------------------------
# Testing
# ---------------------------------------------------------------------------
# What selects the autograder's runs: ENGINES=a,b TEST=name,name PART=part
# EXERCISE=id,id (the tests that need those exercises, docs/exercises.md);
# EVERY_STAGE=1 grades each lesson's tests on every stage from its own up,
# not only on its own and the newest (grader/main.c says why); STAGE_ONLY=1
# only on STAGE.
GRADE_ARGS = $(if $(ENGINES),--engines $(ENGINES)) $(if $(TEST),--test $(TEST)) $(if $(PART),--part $(PART)) \
	$(if $(EXERCISE),--exercise $(EXERCISE)) $(if $(EVERY_STAGE),--every-stage) \
	$(if $(STAGE_ONLY),--stage-only)

# What the grader's tests need besides the stages, per lesson (lesson 03:
# the Linux guest, linux-guest): GRADE_PREREQS_NN in the lesson's fragments.
GRADE_PREREQS = $(strip $(foreach s,$(STAGES_TO_STAGE),$(GRADE_PREREQS_$(s))))

test: ## unit tests, gdb check, docs check, autograder on every available engine
	@grader/deps.sh test
	@$(MAKE) --no-print-directory all-stages host $(UNIT_TESTS) $(GRADE_PREREQS)
	@grader/test-all --stage $(STAGE) --unit "$(UNIT_TESTS)" $(GRADE_ARGS)

all-stages: $(foreach s,$(STAGES_TO_STAGE),stage-$(s))

unit: $(UNIT_TESTS) ## run only the Check unit tests
	@grader/test-all --only unit --unit "$(UNIT_TESTS)"

grade: all-stages host ## run only the autograder: make grade [STAGE=NN] [ENGINES=a,b] [TEST=t,t] [PART=p] [EXERCISE=id]
	@$(if $(GRADE_PREREQS),$(MAKE) --no-print-directory $(GRADE_PREREQS))
	@grader/test-all --only grade --stage $(STAGE) $(GRADE_ARGS)

check-gdb: stage-$(STAGE) ## run only the non-interactive gdb check (DEBUG=1: on the -Og build)
	@grader/test-all --only gdb --stage $(STAGE) --build $(KBUILD)

check-docs: ## run only the Doxygen check (warnings are failures)
	@grader/test-all --only docs

fuzz: $(FUZZ_BINS) ## build the libFuzzer targets (run: build/host/fuzz/NAME -max_total_time=60)
	@echo "fuzzers: $(FUZZ_BINS)"

docs: ## build HTML documentation into build/docs/html
	@grader/deps.sh docs
	@mkdir -p $(BUILD)/docs
	doxygen docs/Doxyfile

clean: ## remove build/ (DEBUG=1: only build/debug/)
	rm -rf $(KBUILD)

# ---------------------------------------------------------------------------
# Handouts (docs/exercises.md): the student tree of one lesson
# ---------------------------------------------------------------------------
.PHONY: handout check-handout grade-class
# The lesson a handout target was given must be one of the lessons here.
check_lesson = if [ -z "$(LESSON)" ] || [ -z "$(filter $(LESSON),$(ALL_STAGES))" ]; then \
	echo "make $@: LESSON=NN names the lesson, one of: $(ALL_STAGES)" >&2; exit 2; fi

handout: $(BUILD)/host/handout ## the student tree of lesson NN: make handout LESSON=NN [OUT=dir] [FORCE=1] [EXERCISE=id,id]
	@$(check_lesson)
	@grader/deps.sh handout
	@$(BUILD)/host/handout --lesson $(LESSON) --out $(or $(OUT),$(BUILD)/handout/$(LESSON)) $(if $(FORCE),--force) \
		$(if $(EXERCISE),--exercise $(EXERCISE))

check-handout: $(BUILD)/host/handout $(BUILD)/host/results-check ## round trip of lesson NN's handout: stubs fail, the solution earns all (LESSON=NN)
	@$(check_lesson)
	@grader/deps.sh handout
	@grader/deps.sh run qemu-tcg
	@grader/deps.sh run bochs
	@grader/handout-check $(LESSON)

# STAGE is passed on only when given: grade-class otherwise takes the
# newest lesson most submissions have (a lesson-01 class is graded at 01).
grade-class: ## grade student checkouts: make grade-class SUBMISSIONS=dir [STAGE=NN] [ENGINES=a,b] [OUT=dir]
	@if [ -z "$(SUBMISSIONS)" ]; then echo "make grade-class: SUBMISSIONS=dir names the folder of checkouts" >&2; exit 2; fi
	@grader/deps.sh test
	@grader/grade-class "$(SUBMISSIONS)" $(if $(filter command line,$(origin STAGE)),--stage $(STAGE)) \
		$(GRADE_ARGS) $(if $(OUT),--out "$(OUT)")

# The "## text" after a target is printed as it is written: say NN, not a
# make variable, which grep would show unexpanded.
help: ## list the targets
	@echo "Spectrum: stages $(ALL_STAGES) (STAGE=$(STAGE), default $(LATEST))"
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'
	@echo "Variables:"
	@echo "  STAGE=NN              the stage to build, run or grade (default $(LATEST))"
	@echo "  ENGINE=E              make run: qemu-tcg (default) | bochs | bochs-svm | qemu-kvm"
	@echo "  CMDLINE=\"run=... x=y\" make run, make gdb: the kernel command line"
	@echo "  MODE=hvm|hvm+pv|pvhvm  make run, make run-linux (stage 04 on): the machine's place on the spectrum"
	@echo "  TIMEOUT=S             make run: stop after S seconds (default 120; 0 = never)"
	@echo "  DEBUG=1               make, make run, make gdb: kernel at -Og in build/debug/"
	@echo "  GUEST=file            make run: Spectrum runs this guest (multiboot kernel or flat binary;"
	@echo "                        stage 03 on); GUEST_ARGS=\"...\" its command line,"
	@echo "                        GUEST_MODULES=\"a b:arg\" its multiboot modules (FILE or FILE:ARG)"
	@echo "  ENGINES=a,b           make grade, make test: only these engines"
	@echo "  TEST=a,b  PART=p      make grade, make test: only these tests, only this part"
	@echo "  EXERCISE=id,id        make grade, make test: only the tests that need these exercises;"
	@echo "                        make handout: stub only these exercises (the others keep their solutions)"
	@echo "  EVERY_STAGE=1         make grade, make test: each lesson's tests on every stage from its own up"
	@echo "                        (default: on its own stage and the newest); STAGE_ONLY=1: only on STAGE"
	@echo "  LESSON=NN  OUT=dir    make handout, make check-handout: the lesson (and where its tree goes)"
	@echo "  SUBMISSIONS=dir       make grade-class: the folder of student checkouts (OUT=dir: where grades go)"
