# lessons/02-vmx/svm: the AMD-V (SVM) back end of the vCPU interface.
SVM_DIR := $(L02)/svm

STAGE_SRCS_02 += $(SVM_DIR)/svm_probe.c $(SVM_DIR)/svm_vmcb.c $(SVM_DIR)/svm_run.S \
	$(SVM_DIR)/svm_exit.c $(SVM_DIR)/svm_insn.c $(SVM_DIR)/svm_decode.c $(SVM_DIR)/svm_event.c $(SVM_DIR)/svm_ctl.c \
	$(SVM_DIR)/svm_diag.c $(SVM_DIR)/svm_check.c $(SVM_DIR)/svm_ops.c

# The VMRUN checker is pure C over a struct vmcb: its unit test runs hosted.
UNIT_TESTS += $(BUILD)/host/tests/test_svm_check
$(BUILD)/host/tests/test_svm_check: $(L02)/tests/test_svm_check.c $(SVM_DIR)/svm_check.c \
		$(SVM_DIR)/svm_check.h $(SVM_DIR)/vmcb.h | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Icommon/tests $(CHECK_CFLAGS) -o $@ $(filter %.c,$^) $(CHECK_LIBS)

# So is the decoder for the exiting instruction (no NRIPS / decode assists).
UNIT_TESTS += $(BUILD)/host/tests/test_svm_decode
$(BUILD)/host/tests/test_svm_decode: $(L02)/tests/test_svm_decode.c $(SVM_DIR)/svm_decode.c \
		$(SVM_DIR)/svm_decode.h | deps-build
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Icommon/tests $(CHECK_CFLAGS) -o $@ $(filter %.c,$^) $(CHECK_LIBS)
