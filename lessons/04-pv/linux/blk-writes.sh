# blk-writes.sh - the writes of the virtio-blk test, in one place for both
# sides (POSIX sh: busybox ash in the guest, the host's sh in make):
#   the guest (/etc/spectrum.d/20-virtio-blk.sh) makes them on /dev/vda
#   through Linux's virtio_blk driver; linux04.mk makes them on a copy of
#   the image with dd conv=notrunc and takes `cksum` of the result, the
#   value Spectrum's end-of-run line must show.
# Sourced; defines functions only.

# The data: 64 KiB at 1 MiB (sector 2048), 4 KiB in the last 4 KiB.
blk_data1() { yes 'SPECTRUM-BLK: 64 KiB written at sector 2048 by the guest' | head -c 65536; }
blk_data2() { yes 'SPECTRUM-BLK: the last 4 KiB of the disk' | head -c 4096; }
BLK_SEEK1=256        # in 4 KiB blocks: sector 2048

# blk_writes TARGET SECTORS: write both to TARGET (a disk of SECTORS
# 512-byte sectors), each followed by an fsync (on a block device: a cache
# flush request, VIRTIO_BLK_T_FLUSH).
blk_writes() {
    blk_data1 | dd of="$1" bs=4096 seek=$BLK_SEEK1 conv=notrunc,fsync iflag=fullblock 2>/dev/null &&
    blk_data2 | dd of="$1" bs=4096 seek=$(($2 / 8 - 1)) conv=notrunc,fsync iflag=fullblock 2>/dev/null
}
