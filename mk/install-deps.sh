#!/bin/sh
# mk/install-deps.sh - install what Minnow needs on Debian 12 (run as root).
# Used by the README's first command and by CI; keep the two in step here.
# rustc-web is Debian 12's newer rustc (1.85, or 1.96 from bookworm-security;
# it replaces the `rustc` package, whose 1.63 is too old): packages in Rust
# (SRC_RS, doc/rust.md) need 1.81 or newer.
set -e
PACKAGES="make gcc binutils libc6-dev
	qemu-system-x86
	grub-pc-bin grub-common xorriso mtools
	python3 python3-kconfiglib python3-pytest python3-matplotlib
	libcmocka-dev
	gdb librsvg2-bin
	iperf
	clang
	rustc-web"
# clang: libFuzzer (kernel/test/fuzz); rustc-web: SRC_RS (doc/rust.md);
# python3-matplotlib: make bench's plot; gdb: make qemu-gdb and gdb.test;
# librsvg2-bin: make trace's PNG; iperf: the network run scripts' host side
# (iperf2, against the guest's lwiperf: doc/net.md).
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: run as root (or with sudo)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $PACKAGES
# lwIP (pkg/lwip) from Debian's source package, pinned and checksummed there.
sh "$(dirname "$0")/fetch-lwip.sh"
