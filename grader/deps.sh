#!/usr/bin/env bash
# deps.sh WHAT [ENGINE] - make sure the Debian packages WHAT needs are there.
#
#   build  compiler, binutils, make, pkg-config, Check
#   run E  what engine E needs (qemu-tcg, qemu-kvm: QEMU; bochs, bochs-svm: Bochs + GRUB)
#   docs   Doxygen
#   handout git (make handout, grader/handout-check, grader/grade-class)
#   test   everything `make test` uses (the Linux guest's build included)
#   linux  what `make linux-guest` needs
#   bench  what `make bench` needs (the Linux guest, QEMU, gnuplot for the plot)
#   all    everything, clang (for `make fuzz`) included
#
# Missing packages are installed with apt-get when we are root; otherwise the
# exact command is printed and we stop, so nothing half-works silently.
set -euo pipefail

what=${1:-all}
engine=${2:-qemu-tcg}

pkgs_build="build-essential binutils make pkg-config check"
pkgs_qemu="qemu-system-x86"
pkgs_bochs="bochs bochsbios vgabios bximage grub-pc-bin grub-common xorriso mtools"
pkgs_docs="doxygen"
pkgs_gdb="gdb"
pkgs_fuzz="clang"
pkgs_handout="git"
# The project's Linux guest (lessons/03-ept/linux/: make linux-guest).
pkgs_linux="linux-source-6.1 flex bison bc libelf-dev libssl-dev xz-utils busybox-static"
# The spectrum benchmark's plot (lessons/04-pv/bench/spectrum-bench).
pkgs_bench="gnuplot-nox"

case "$what" in
build) want="$pkgs_build" ;;
run)
    case "$engine" in
    qemu-tcg | qemu-kvm) want="$pkgs_qemu" ;;
    bochs | bochs-svm) want="$pkgs_bochs" ;;
    *) echo "deps.sh: unknown engine '$engine' (qemu-tcg, bochs, bochs-svm, qemu-kvm)" >&2; exit 2 ;;
    esac ;;
docs) want="$pkgs_docs" ;;
handout) want="$pkgs_handout" ;;
test) want="$pkgs_build $pkgs_qemu $pkgs_bochs $pkgs_docs $pkgs_gdb $pkgs_handout $pkgs_linux" ;;
linux) want="$pkgs_build $pkgs_linux" ;;
bench) want="$pkgs_build $pkgs_linux $pkgs_bench" ;;
all) want="$pkgs_build $pkgs_qemu $pkgs_bochs $pkgs_docs $pkgs_gdb $pkgs_fuzz $pkgs_handout $pkgs_linux $pkgs_bench" ;;
*) echo "usage: deps.sh build|run ENGINE|docs|handout|linux|bench|test|all" >&2; exit 2 ;;
esac

missing=()
for p in $want; do
    # "install ok installed" is dpkg's word for a fully installed package.
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "Spectrum needs these Debian packages: ${missing[*]}" >&2
    echo "Install them with:  sudo sh -c '$cmd'" >&2
    exit 1
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
