# spectrum.gdb - attach to QEMU's gdb stub and stop at the C entry.
# Used by `make gdb` (grader/gdb-session); load it by hand with
#   gdb -x grader/gdb/spectrum.gdb build/NN/spectrum.elf
#
# The symbol file is the ELF64 image itself.  The CPU starts in 32-bit
# protected mode, but gdb must think in x86-64 from the start: with an
# i386 architecture it fails later with "Remote 'g' packet reply is too
# long" once the CPU is in long mode (docs/debugging.md).
set architecture i386:x86-64
set disassembly-flavor att
set pagination off
set confirm off
target remote 127.0.0.1:1234
# A hardware breakpoint works before and after paging is turned on, and
# survives the image being loaded into memory after gdb attached.
hbreak kmain
continue
