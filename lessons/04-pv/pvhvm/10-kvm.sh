# /etc/spectrum.d/10-kvm.sh - lesson 04's PVHVM checks, sourced by /init
# (lessons/03-ept/linux/init) after its own, with ok/fail at hand.
#
# Only where Linux found KVM's CPUID signature: Spectrum's mode=pvhvm
# (pvhvm/kvm_cpuid.c).  In every other mode CPUID says "SpectrumHV", which
# Linux does not know, and nothing here runs, so those boots still count
# exactly /init's own checks.
#
#   kvm-clock   Linux registered kvmclock (MSR_KVM_SYSTEM_TIME_NEW, the
#               "kvm-clock: Using msrs" line of arch/x86/kernel/kvmclock.c)
#               and the clocksource it runs on now is kvm-clock;
#   tsc-rate    the TSC's rate came from kvmclock (kvm_get_tsc_khz()), not
#               from the PIT: none of arch/x86/kernel/tsc.c's calibration
#               lines ("Fast TSC calibration ...", "... PIT calibration
#               ...") is in the log, and the delay loop took kvmclock's
#               preset value (kvm_get_preset_lpj()).
if dmesg | grep -q 'Hypervisor detected: KVM'; then
    cs=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)
    msrs=$(dmesg | grep -o -m1 'kvm-clock: Using msrs [0-9a-f]* and [0-9a-f]*')
    if [ "$cs" = kvm-clock ] && [ -n "$msrs" ]; then
        ok kvm-clock "clocksource $cs, $msrs"
    else
        fail kvm-clock "clocksource ${cs:-unknown}, registration: ${msrs:-no kvm-clock line in dmesg}"
    fi
    pit=$(dmesg | grep -m1 -E 'TSC calibration|PIT calibration|calibrate against PIT')
    lpj=$(dmesg | grep -o -m1 'Calibrating delay loop (skipped) preset value')
    mhz=$(dmesg | grep -o -m1 'Detected [0-9.]* MHz processor')
    if [ -z "$pit" ] && [ -n "$lpj" ]; then
        ok tsc-rate "from kvmclock: $mhz, no PIT calibration"
    else
        fail tsc-rate "${pit:-the delay loop was not preset by kvmclock}"
    fi
fi
