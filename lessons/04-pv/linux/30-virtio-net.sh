# /etc/spectrum.d/30-virtio-net.sh - lesson 04's network checks, sourced
# by /init (busybox ash) with ok, fail and irq_count at hand.  It runs only
# where the machine has a network card: mode=hvm+pv and above, where
# Spectrum's virtio-net (slot 2, IRQ 11) is eth0; anywhere else it does
# nothing, so lesson 03's machines still count 5 checks.
#
#   ping      ICMP echo to the endpoint inside Spectrum (10.0.2.2): ARP
#             first (RFC 826), then 3 echo requests (RFC 792)
#   udp-echo  /bin/udp-echo (udp_echo.c): datagrams of 32 and 1472 bytes
#             to the endpoint's echo port 7 (RFC 862), compared on return
#
# Sourced by PID 1: a function, so that nothing here can `exit` init.
# Column $1 of the kernel's ICMP counters (RFC 2011's MIB, /proc/net/snmp):
# busybox ping reads replies on a raw socket, which gets them before the
# kernel checks their ICMP checksum, so ping alone would take a reply
# with a wrong one; the kernel's InEchoReps and InCsumErrors do not.
vnet_icmp_stat() {
    awk -v k="$1" '$1 == "Icmp:" { if (!h) { for (i = 2; i <= NF; i++) if ($i == k) c = i; h = 1 }
                                   else if (c) print $c }' /proc/net/snmp
}

vnet_checks() {
    local dev=/sys/class/net/eth0 drv mac irq0 irq1 out summary rtt reps0 reps csum
    [ -d $dev ] || return 0
    drv=$(basename "$(readlink $dev/device/driver)")
    mac=$(cat $dev/address)
    irq0=$(irq_count 11:)
    if ! ip link set eth0 up || ! ip addr add 10.0.2.15/24 dev eth0; then
        fail ping "cannot configure eth0 ($drv, $mac)"
        fail udp-echo "eth0 not configured"
        return 0
    fi
    reps0=$(vnet_icmp_stat InEchoReps)
    out=$(ping -c 3 -W 2 10.0.2.2 2>&1)
    reps=$(vnet_icmp_stat InEchoReps)
    # An arithmetic error would end this shell, which is PID 1: defaults.
    reps=$((${reps:-0} - ${reps0:-0}))
    csum=$(vnet_icmp_stat InCsumErrors)
    summary=$(echo "$out" | grep 'packets transmitted')
    rtt=$(echo "$out" | grep 'round-trip' | sed 's/.*= //')
    # The console cuts lines at 120 characters: a short detail.
    case "$summary/$reps/$csum" in
        *" 3 packets received"*/3/0) ok ping "eth0 $drv $mac: 3 of 3 replies, rtt $rtt" ;;
        *) fail ping "eth0 $drv $mac: $summary; kernel: $reps echo replies, $csum ICMP checksum errors" ;;
    esac
    if out=$(udp-echo 10.0.2.2 7 2>&1); then
        irq1=$(irq_count 11:)
        ok udp-echo "$out; IRQ 11 $irq0->$irq1"
    else
        fail udp-echo "$out"
    fi
}
vnet_checks
unset -f vnet_checks vnet_icmp_stat
