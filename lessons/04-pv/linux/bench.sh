# /etc/spectrum.d/90-bench.sh - sourced by /init (lesson 03's init) after its
# checks: the spectrum benchmark's workload (lessons/04-pv/bench/), only when
# Linux's command line says spectrum.bench=CONSOLE_BYTES,DISK_BYTES.
#   SPECTRUM-BENCH: boot UPTIME s        /init started UPTIME s after boot
#   SPECTRUM-BENCH: console ...          pv-bench console CONSOLE_BYTES
#   SPECTRUM-BENCH: disk write/read ...  pv-bench disk /dev/vda DISK_BYTES,
#                                        where a virtio disk exists
#   SPECTRUM-BENCH: no disk              where none does
#   SPECTRUM-BENCH: done
bench=
for arg in $(cat /proc/cmdline); do
    case "$arg" in spectrum.bench=*) bench=${arg#spectrum.bench=} ;; esac
done
if [ -n "$bench" ]; then
    echo "SPECTRUM-BENCH: boot ${up} s"
    /bin/pv-bench console "${bench%%,*}"
    disk_bytes=${bench#*,}
    if [ -b /dev/vda ] && [ "$disk_bytes" != "$bench" ] && [ "$disk_bytes" -gt 0 ] 2>/dev/null; then
        /bin/pv-bench disk /dev/vda "$disk_bytes"
    else
        echo "SPECTRUM-BENCH: no disk"
    fi
    echo "SPECTRUM-BENCH: done"
fi
