# Lesson 04: paravirtualization - what a guest that knows it is virtual
# asks of the hypervisor: hypercalls (hcall/), virtio devices (virtio/),
# the KVM paravirtual CPU (pvhvm/), the machine's mode (pv/).
# Each sub-folder adds its own sources in its own fragment (hcall/hcall.mk, ...).
L04 := lessons/04-pv

# make run MODE=hvm|hvm+pv|pvhvm: the machine's place on the spectrum
# (pv/pv_mode.h).  make run-linux MODE=hvm+pv or pvhvm leaves console= to
# Spectrum, which picks hvc0 (virtio/virtio_cmdline.c), and what you type
# goes there.
RUN_EXTRA_KCMDLINE += $(if $(MODE),mode=$(MODE))
RUN_LINUX_CONSOLE = $(if $(filter hvm+pv pvhvm,$(MODE)),,console=ttyS0)

-include $(wildcard $(L04)/*/*.mk)
