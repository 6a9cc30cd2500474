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
#               ...") is in the log, the delay loop took kvmclock's preset
#               value (kvm_get_preset_lpj()), whose rate is the machine's
#               within 0.1%.
if dmesg | grep -q 'Hypervisor detected: KVM'; then
    cs=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)
    avail=$(cat /sys/devices/system/clocksource/clocksource0/available_clocksource 2>/dev/null)
    msrs=$(dmesg | grep -o -m1 'Using msrs [0-9a-f]* and [0-9a-f]*')
    # kvmclock.c rates kvm-clock 400, above the TSC's 300, unless the CPU
    # says its TSC is invariant (nonstop_tsc, CPUID 80000007H:EDX[8]): then
    # 299, and Linux keeps the TSC.  Spectrum hides that bit in pvhvm mode,
    # as QEMU/KVM does (pvhvm/kvm_cpuid.c), so kvm-clock must be in use.
    # Details stay short: hvc0 splits lines of about 120 characters.
    case " $(grep -m1 '^flags' /proc/cpuinfo) " in *" nonstop_tsc "*) invariant=yes ;; *) invariant=no ;; esac
    if [ "$cs" = kvm-clock ] && [ -n "$msrs" ]; then
        ok kvm-clock "clocksource kvm-clock; $msrs"
    else
        fail kvm-clock "clocksource ${cs:-?} (of: $avail), invariant TSC $invariant; ${msrs:-no kvm-clock}"
    fi
    pit=$(dmesg | grep -m1 -E 'TSC calibration|PIT calibration|calibrate against PIT')
    # kvm_get_preset_lpj(): lpj = kvmclock's kHz * 1000 / HZ, shown as
    # BogoMIPS = lpj * HZ / 500000 = 2 x kvmclock's MHz whatever HZ is, so
    # centi-BogoMIPS x 5 is its kHz (to 5 kHz).  It must be the machine's
    # rate, which Spectrum's loader also passes as tsc_early_khz= (lesson
    # 03, loader/bzimage.c).  Not "tsc: Detected ... MHz": tsc.c replaces
    # that by tsc_early_khz when the two differ by more than 10%.
    bogo=$(dmesg | sed -n 's/.*preset value\.\. \([0-9]*\)\.\([0-9][0-9]\) BogoMIPS.*/\1\2/p' | head -n 1)
    early=$(sed -n 's/.*tsc_early_khz=\([0-9]*\).*/\1/p' /proc/cmdline)
    khz=$(( ${bogo:-0} * 5 ))
    if [ -n "$pit" ] || [ -z "$bogo" ]; then
        fail tsc-rate "${pit:-the delay loop was not preset by kvmclock}"
    elif [ -n "$early" ] && [ $((khz - early)) -le $((early / 1000 + 10)) ] &&
         [ $((early - khz)) -le $((early / 1000 + 10)) ]; then
        ok tsc-rate "from kvmclock: $khz kHz, the machine's $early kHz, no PIT calibration"
    else
        fail tsc-rate "kvmclock says $khz kHz, the machine's TSC runs at ${early:-?} kHz"
    fi
fi
