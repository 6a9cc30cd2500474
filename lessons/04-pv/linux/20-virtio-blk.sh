# /etc/spectrum.d/20-virtio-blk.sh - lesson 04's virtio-blk check, sourced
# by /init after its own (ok, fail at hand).  Only where Spectrum gave the
# machine the test disk (lessons/04-pv/linux/linux04.mk's blk.img as a
# spectrum.disk=rw|ro module, mode=hvm+pv): Linux's own virtio_blk driver
# then has /dev/vda, and its sector 0 says "spectrum test disk, sector 0".
# Anywhere else - no disk, or another one (the benchmark's, yours) - this
# does nothing, and above all writes nothing.
#
#   virtio-blk-read   the image's sector 100 reads back as the host wrote
#                     it (each sector of the test image names itself), past
#                     the page cache; the ID string (GET_ID) is Spectrum's
#   virtio-blk-write  (read-write disk) blk-writes.sh's writes, each with a
#                     flush, read back from the device equal
#   virtio-blk-ro     (read-only disk) Linux saw VIRTIO_BLK_F_RO: /dev/vda
#                     is read-only and a write is refused
#
# /sys/block/vda/stat counts requests (Documentation/block/stat.rst):
# field 1 reads, 5 writes, 16 flushes.
if [ -b /dev/vda ] &&
   [ "$(dd if=/dev/vda bs=512 count=1 2>/dev/null | head -c 29)" = "spectrum test disk, sector 0 " ]; then
    blk_stat() { awk -v f="$1" '{ print $f }' /sys/block/vda/stat; }
    blk_fresh() { blockdev --flushbufs /dev/vda; }   # drop the page cache: the next read is the device's
    blk_sectors=$(cat /sys/block/vda/size)
    blk_serial=$(cat /sys/block/vda/serial 2>/dev/null)

    blk_fresh
    r0=$(blk_stat 1)
    want="spectrum test disk, sector 100"
    got=$(dd if=/dev/vda bs=512 skip=100 count=1 2>/dev/null | head -c ${#want})
    r1=$(blk_stat 1)
    if [ "$got" = "$want" ] && [ "$r1" -gt "$r0" ] && [ "$blk_serial" = spectrum-disk ]; then
        ok virtio-blk-read "$blk_sectors sectors, sector 100 read back, serial $blk_serial, reads $r0->$r1"
    else
        fail virtio-blk-read "sector 100: '$got', serial '$blk_serial', reads $r0->$r1 (want '$want', spectrum-disk, more reads)"
    fi

    if [ "$(cat /sys/block/vda/ro)" = 1 ]; then
        if echo refused | dd of=/dev/vda bs=512 seek=2048 conv=sync,notrunc 2>/dev/null; then
            fail virtio-blk-ro "a write to the read-only disk succeeded"
        else
            ok virtio-blk-ro "/sys/block/vda/ro 1, a write refused"
        fi
    else
        . /usr/share/spectrum/blk-writes.sh
        w0=$(blk_stat 5)
        f0=$(blk_stat 16)
        if blk_writes /dev/vda "$blk_sectors"; then
            blk_fresh
            blk_data1 >/tmp/blk-want1
            blk_data2 >/tmp/blk-want2
            dd if=/dev/vda bs=4096 skip=$BLK_SEEK1 count=16 2>/dev/null >/tmp/blk-got1
            dd if=/dev/vda bs=4096 skip=$((blk_sectors / 8 - 1)) count=1 2>/dev/null >/tmp/blk-got2
            w1=$(blk_stat 5)
            f1=$(blk_stat 16)
            if cmp -s /tmp/blk-want1 /tmp/blk-got1 && cmp -s /tmp/blk-want2 /tmp/blk-got2 &&
               [ "$w1" -gt "$w0" ] && [ "$f1" -gt "$f0" ]; then
                ok virtio-blk-write "68 KiB written, read back, writes $w0->$w1, flushes $f0->$f1"
            else
                fail virtio-blk-write "read back differs or no request: writes $w0->$w1, flushes $f0->$f1"
            fi
            rm -f /tmp/blk-want1 /tmp/blk-want2 /tmp/blk-got1 /tmp/blk-got2
        else
            fail virtio-blk-write "dd to /dev/vda failed"
        fi
    fi
fi
