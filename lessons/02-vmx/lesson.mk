# Lesson 02: hardware-assisted guests (VT-x and AMD-V behind one vCPU interface).
# Each sub-folder adds its own sources in its own fragment (svm/svm.mk, ...).
L02 := lessons/02-vmx

-include $(wildcard $(L02)/*/*.mk)
