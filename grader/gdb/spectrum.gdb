# spectrum.gdb - attach to QEMU's gdb stub, stop at the C entry, and add
# commands to look at a lesson-02 guest from inside the hypervisor.
# Used by `make gdb` (grader/gdb-session) and `make check-gdb`; load it by
# hand with
#   gdb -x grader/gdb/spectrum.gdb build/NN/spectrum.elf
# (to attach elsewhere than 127.0.0.1:1234, first: -ex 'set $spectrum_gdb_port = N')
#
# The symbol file is the ELF64 image itself.  The CPU starts in 32-bit
# protected mode, but gdb must think in x86-64 from the start: with an
# i386 architecture it fails later with "Remote 'g' packet reply is too
# long" once the CPU is in long mode (docs/debugging.md).
set architecture i386:x86-64
set disassembly-flavor att
set pagination off
set confirm off

# ---------------------------------------------------------------------------
# Guest helpers.  gdb sees the HOST: $rip, x/i $rip and the registers are
# Spectrum's, even while it handles a guest's exit, and a guest address
# given to x is read as a host address (at 0x100000 that is Spectrum's own
# image, not the guest's).  In lesson 02 a guest's virtual address is the
# offset into its memory (lessons/02-vmx/vcpu/guest_space.h), so the host
# pointer of guest address GVA is vcpu_current->vm->mem.host + GVA; the
# guest's registers are what the world switch saved in vcpu_current->regs.
# vcpu_current (lessons/02-vmx/vcpu/loop.c) is set only inside the exit
# loop: break in an exit handler (e.g. io_exit) to use these.
# ---------------------------------------------------------------------------

define guest-x
  if $argc < 1 || $argc > 2
    echo usage: guest-x[/FMT] GVA   or   guest-x FMT GVA   (help guest-x)\n
  else
    if vcpu_current == 0
      echo guest-x: vcpu_current is NULL: not inside the exit loop (break in an exit handler such as io_exit)\n
    else
      # The address is the last argument; the format, if any, the first.
      if $argc == 1
        set $spectrum_gva = (unsigned long)($arg0)
      else
        set $spectrum_gva = (unsigned long)($arg1)
      end
      if vcpu_current->vm->ext != 0
        echo guest-x: this guest is a lesson-03 machine with its own guest-physical memory and page tables: use guest-xp GPA (help guest-xp)\n
      else
      if $spectrum_gva >= vcpu_current->vm->mem.size
        printf "guest-x: %#lx is outside the guest's memory [0, %#lx)\n", $spectrum_gva, vcpu_current->vm->mem.size
      else
        set $spectrum_host = (char *)vcpu_current->vm->mem.host + $spectrum_gva
        printf "guest %s: GVA %#lx = host %#lx\n", vcpu_current->vm->name, $spectrum_gva, $spectrum_host
        if $argc == 1
          x $spectrum_host
        else
          # "guest-x/8i A" hands gdb "/8i" as the first argument, "guest-x 8i A" "8i".
          if $_regex("$arg0", "^/")
            x$arg0 $spectrum_host
          else
            x/$arg0 $spectrum_host
          end
        end
      end
      end
    end
  end
end
document guest-x
Examine the memory of the guest that vcpu_current runs, at a guest address.
usage: guest-x[/FMT] GVA      e.g.  guest-x/8i 0x100000    guest-x/16xb $spectrum_grip
       guest-x FMT GVA        e.g.  guest-x 8i 0x100000
FMT is x's format (count, letter, size).  GVA is the guest's virtual address,
which in lesson 02 is the offset into the guest's memory: the command reads
host address vcpu_current->vm->mem.host + GVA.  Plain x would read HOST
memory at GVA.  Write an expression without spaces, or in parentheses.
Only inside the exit loop (vcpu_current != 0): break in an exit handler.
For a 32-bit guest's code, `set architecture i386` first (and back with
`set architecture i386:x86-64`).  The addresses x prints, and the targets of
RIP-relative operands and jumps in x/i, are host addresses: subtract the
host address printed first to get back to the guest's.
end

# Lesson 03: a machine's guest-physical address is not the host's (nested
# paging).  Its RAM lives in host pages listed in gpm.page[], region by
# region (lessons/03-ept/mem/gpm.h); QEMU's stub reads HOST memory, so
# the command finds the host page of GPA first.
define guest-xp
  if $argc < 1 || $argc > 2
    echo usage: guest-xp[/FMT] GPA   or   guest-xp FMT GPA   (help guest-xp)\n
  else
    if vcpu_current == 0 || vcpu_current->vm->ext == 0
      echo guest-xp: no lesson-03 machine is running (break in an exit handler such as io_exit, in a stage-03 guest)\n
    else
      if $argc == 1
        set $spectrum_gpa = (unsigned long)($arg0)
      else
        set $spectrum_gpa = (unsigned long)($arg1)
      end
      set $spectrum_m = (struct pc_machine *)vcpu_current->vm->ext
      set $spectrum_host = 0
      set $spectrum_i = 0
      while $spectrum_i < $spectrum_m->mem.count
        set $spectrum_r = &$spectrum_m->mem.region[$spectrum_i]
        if $spectrum_gpa >= $spectrum_r->base && $spectrum_gpa - $spectrum_r->base < $spectrum_r->size
          if $spectrum_r->kind == GPM_MMIO
            printf "guest-xp: GPA %#lx is in device %s (MMIO): there is no memory behind it\n", $spectrum_gpa, $spectrum_r->name
            set $spectrum_host = -1
          else
            set $spectrum_host = ($spectrum_m->mem.page[$spectrum_r->first_page + ($spectrum_gpa - $spectrum_r->base) / 4096] & ~0xfffUL) + ($spectrum_gpa & 0xfff)
          end
        end
        set $spectrum_i = $spectrum_i + 1
      end
      if $spectrum_host == 0
        printf "guest-xp: GPA %#lx is in a hole of %s's memory map (no RAM, ROM or device)\n", $spectrum_gpa, vcpu_current->vm->name
      else
        if $spectrum_host != -1
          printf "guest %s: GPA %#lx = host %#lx (bytes past this 4 KiB page may be another guest page's neighbour, not the guest's)\n", vcpu_current->vm->name, $spectrum_gpa, $spectrum_host
          if $argc == 1
            x $spectrum_host
          else
            if $_regex("$arg0", "^/")
              x$arg0 $spectrum_host
            else
              x/$arg0 $spectrum_host
            end
          end
        end
      end
    end
  end
end
document guest-xp
Examine a lesson-03 guest's memory at a guest-PHYSICAL address.
usage: guest-xp[/FMT] GPA     e.g.  guest-xp/8i 0x8000     guest-xp/4gx 0x1000
Under EPT/NPT the guest's physical address 0x8000 is some host page that
Spectrum allocated (gpm.page[]); plain x would read the HOST's 0x8000.  The
command finds that page and examines it.  Stay inside one 4 KiB page: the
next guest page is usually elsewhere on the host.  For a guest running with
paging off (real mode, multiboot) the linear address is the GPA (real mode:
segment * 16 + offset); with paging on, walk the guest's own tables first
(guest-xp/gx CR3 + index * 8 ...) or read the RIP the exit message printed.
Only inside the exit loop of a stage-03 guest.
end

define guest-regs
  if vcpu_current == 0
    echo guest-regs: vcpu_current is NULL: not inside the exit loop (break in an exit handler such as io_exit)\n
  else
    set $spectrum_r = &vcpu_current->regs
    set $spectrum_grip = $spectrum_r->rip
    printf "guest %s (saved at its last exit):\n", vcpu_current->vm->name
    printf "rip    %016lx  rflags %016lx\n", $spectrum_r->rip, $spectrum_r->rflags
    printf "rax    %016lx  rcx    %016lx  rdx    %016lx  rbx    %016lx\n", $spectrum_r->gpr[0], $spectrum_r->gpr[1], $spectrum_r->gpr[2], $spectrum_r->gpr[3]
    printf "rsp    %016lx  rbp    %016lx  rsi    %016lx  rdi    %016lx\n", $spectrum_r->gpr[4], $spectrum_r->gpr[5], $spectrum_r->gpr[6], $spectrum_r->gpr[7]
    printf "r8     %016lx  r9     %016lx  r10    %016lx  r11    %016lx\n", $spectrum_r->gpr[8], $spectrum_r->gpr[9], $spectrum_r->gpr[10], $spectrum_r->gpr[11]
    printf "r12    %016lx  r13    %016lx  r14    %016lx  r15    %016lx\n", $spectrum_r->gpr[12], $spectrum_r->gpr[13], $spectrum_r->gpr[14], $spectrum_r->gpr[15]
  end
end
document guest-regs
Print the registers of the guest that vcpu_current runs.
rip, rflags and the 16 general registers, as the world switch saved them at
the guest's last exit (vcpu_current->regs).  gdb's own `info registers` shows the HOST's.
Also sets $spectrum_grip to the guest's rip:  guest-x/4i $spectrum_grip
Only inside the exit loop (vcpu_current != 0): break in an exit handler.
end

# ---------------------------------------------------------------------------
# Attach and stop at kmain.
# ---------------------------------------------------------------------------
if $_isvoid($spectrum_gdb_port)
  set $spectrum_gdb_port = 1234
end
eval "target remote 127.0.0.1:%d", $spectrum_gdb_port
# A hardware breakpoint works before and after paging is turned on, and
# survives the image being loaded into memory after gdb attached.
hbreak kmain
continue
