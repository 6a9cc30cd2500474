#!/usr/bin/env bash
# check-qemu.sh KERNEL MODULE - boot the outside multiboot kernel on plain
# QEMU (no Spectrum), the way its author would, and require its PASS:
#   qemu-system-x86_64 -kernel KERNEL -append ... -initrd "MODULE arg"
#       -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=4 -display none
# isa-debug-exit turns the kernel's exit code 0 into QEMU status 1.
# Two runs: with the module (expect-mods=1) and without (expect-mods=0).
set -uo pipefail
kernel=$1 module=$2
[ -f "$kernel" ] || { echo "check-qemu: no kernel '$kernel'" >&2; exit 2; }
[ -f "$module" ] || { echo "check-qemu: no module '$module'" >&2; exit 2; }
log=${kernel%.elf}-qemu.log
fail=0
run() {
    local what=$1; shift
    timeout --foreground 60 qemu-system-x86_64 -machine pc -accel tcg -m 128 -display none -vga none \
        -monitor none -no-reboot -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=4 \
        -kernel "$kernel" "$@" </dev/null >"$log" 2>&1
    local rc=$?
    tr -d '\r' <"$log" | sed 's/^/    /'
    if [ $rc -eq 1 ] && grep -q '^mbkernel: PASS' <(tr -d '\r' <"$log"); then
        echo "check-mbkernel: $what: PASS under plain QEMU"
    else
        echo "check-mbkernel: $what: FAILED under plain QEMU (status $rc, log $log)"
        fail=1
    fi
}
run "with a module" -append "expect-mods=1" -initrd "$module mod-arg"
run "without modules" -append "expect-mods=0"
exit $fail
