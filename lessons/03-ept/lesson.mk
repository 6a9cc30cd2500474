# Lesson 03: guest-physical memory (EPT/NPT), isolation, real-mode start,
# MMIO emulation, the APIC platform and guest loaders.
# Each sub-folder adds its own sources in its own fragment (mem/mem.mk, ...).
L03 := lessons/03-ept

-include $(wildcard $(L03)/*/*.mk)
