#!/bin/sh
# mk/fetch-lwip.sh - fetch lwIP's source from Debian's `lwip` source package
# and unpack it where pkg/lwip finds it (contrib/lwip, git-ignored).
#
# lwIP is a dependency, never part of the tree.  The machine's apt sources
# usually carry no deb-src lines, and we leave the user's apt configuration
# alone: the URIs of the machine's own Debian sources (deb822 .sources files
# and one-line .list files alike) are copied into a private directory with
# Types: deb-src, and apt is pointed there with -o Dir::Etc::SourceList=...
# and friends, with its own lists and cache.  The orig tarball's version and
# SHA-256 are pinned; only that tarball is unpacked (Debian's patches touch
# packaging, not the stack).
#
# Usage: sh mk/fetch-lwip.sh [DEST]   (DEST defaults to contrib/lwip)
#        sh mk/fetch-lwip.sh --print-sources   (the derived lists; no network)
# Called by mk/install-deps.sh; needs no root once apt itself is installed.
# FETCH_LWIP_APT_ETC and FETCH_LWIP_OS_RELEASE stand in for /etc/apt and
# /etc/os-release (mk/tool/test/test_fetch_lwip.py).
set -e

LWIP_VERSION=2.1.3+dfsg1-2
LWIP_ORIG=lwip_2.1.3+dfsg1.orig.tar.xz
LWIP_SHA256=0a8276d09fc4e97bbba2f953d74af2388fc2195ea156be9d7589e297a68fde24

top=$(cd "$(dirname "$0")/.." && pwd)
apt_etc=${FETCH_LWIP_APT_ETC:-/etc/apt}
os_release=${FETCH_LWIP_OS_RELEASE:-/etc/os-release}
print_only=0
if [ "$1" = --print-sources ]; then
	print_only=1
	shift
fi
dest=${1:-$top/contrib/lwip}

fail() { echo "fetch-lwip: $*" >&2; exit 1; }

if [ "$print_only" = 0 ] && [ -f "$dest/.minnow-fetched" ] &&
   [ "$(cat "$dest/.minnow-fetched")" = "$LWIP_VERSION $LWIP_SHA256" ]; then
	echo "fetch-lwip: lwIP $LWIP_VERSION already in ${dest#$top/}"
	exit 0
fi

command -v apt-get >/dev/null || fail "apt-get not found (Debian's apt is needed to fetch lwIP)"
[ -r "$os_release" ] || fail "$os_release missing: cannot tell this machine's Debian release"
codename=$(. "$os_release" && echo "$VERSION_CODENAME")
[ -n "$codename" ] || fail "$os_release names no VERSION_CODENAME"

work=$(mktemp -d "${TMPDIR:-/tmp}/fetch-lwip.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/parts" "$work/lists/partial" "$work/cache/archives/partial" "$work/get"
: > "$work/empty.list"

# Keep only the stanzas (or lines) of this release's suites (bookworm,
# bookworm-updates, bookworm-security...): third-party repositories carry no
# lwip and often no sources, and a failing one would fail the update.
derive_sources() { # deb822: FILE -> stdout
	awk -v rel="$codename" '
	function flush() {
		if (n && types ~ /(^|[ \t])deb([ \t]|$)/ && suites_ok && !disabled) {
			for (i = 1; i <= n; i++) print lines[i]
			print ""
		}
		n = 0; types = ""; suites_ok = 0; disabled = 0
	}
	/^[ \t]*$/ { flush(); next }
	/^#/ { next }
	/^Types:/ { types = substr($0, 7); lines[++n] = "Types: deb-src"; next }
	/^Suites:/ {
		for (i = 2; i <= NF; i++)
			if ($i == rel || index($i, rel "-") == 1) suites_ok = 1
		lines[++n] = $0; next
	}
	/^Enabled:/ { if ($2 == "no") disabled = 1; next }
	/^Architectures:/ { next }
	{ lines[++n] = $0 }
	END { flush() }' "$1"
}
derive_list() { # one-line format: FILE -> stdout
	awk -v rel="$codename" '
	$1 == "deb" {
		# deb [options] URI SUITE COMPONENTS...
		i = 2
		if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
		s = $(i + 1)
		if (s == rel || index(s, rel "-") == 1) {
			sub(/^deb/, "deb-src"); print
		}
	}' "$1"
}

found=0
for f in "$apt_etc/sources.list" "$apt_etc"/sources.list.d/*.list; do
	[ -f "$f" ] || continue
	derive_list "$f" > "$work/parts/$(basename "$f" .list)-src.list"
	[ -s "$work/parts/$(basename "$f" .list)-src.list" ] && found=1
done
for f in "$apt_etc"/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	derive_sources "$f" > "$work/parts/$(basename "$f" .sources)-src.sources"
	[ -s "$work/parts/$(basename "$f" .sources)-src.sources" ] && found=1
done
[ "$found" = 1 ] || fail "no apt source for Debian '$codename' in $apt_etc/sources.list or $apt_etc/sources.list.d/ to take URIs from"
if [ "$print_only" = 1 ]; then
	for f in "$work"/parts/*; do
		[ -s "$f" ] && { echo "# ${f##*/}"; cat "$f"; }
	done
	exit 0
fi

apt_private() {
	apt-get -q \
		-o Dir::Etc::SourceList="$work/empty.list" \
		-o Dir::Etc::SourceParts="$work/parts" \
		-o Dir::State::Lists="$work/lists" \
		-o Dir::Cache="$work/cache" \
		-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
		-o APT::Sandbox::User="$(id -un)" \
		"$@"
}

echo "fetch-lwip: reading source indexes of Debian $codename (private apt lists in $work)"
apt_private update >"$work/update.log" 2>&1 ||
	{ cat "$work/update.log" >&2; fail "apt-get update of the derived deb-src lists failed (above)"; }
echo "fetch-lwip: apt-get source --download-only lwip=$LWIP_VERSION"
(cd "$work/get" && apt_private source --download-only "lwip=$LWIP_VERSION") >"$work/source.log" 2>&1 ||
	{ cat "$work/source.log" >&2; fail "apt-get source --download-only lwip=$LWIP_VERSION failed (above): is the version still in Debian $codename?"; }
[ -f "$work/get/$LWIP_ORIG" ] || fail "apt-get source gave no $LWIP_ORIG"

sum=$(sha256sum "$work/get/$LWIP_ORIG" | cut -d' ' -f1)
[ "$sum" = "$LWIP_SHA256" ] ||
	fail "$LWIP_ORIG has SHA-256 $sum, pinned $LWIP_SHA256: refusing it"

rm -rf "$dest.tmp"
mkdir -p "$dest.tmp"
tar -xJf "$work/get/$LWIP_ORIG" -C "$dest.tmp" --strip-components=1 ||
	fail "unpacking $LWIP_ORIG failed"
[ -f "$dest.tmp/src/core/tcp.c" ] || fail "$LWIP_ORIG holds no src/core/tcp.c"
echo "$LWIP_VERSION $LWIP_SHA256" > "$dest.tmp/.minnow-fetched"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "fetch-lwip: lwIP $LWIP_VERSION unpacked in ${dest#$top/}"
