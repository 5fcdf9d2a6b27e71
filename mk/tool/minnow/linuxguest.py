"""The Linux guest of ``make bench-net``, assembled from Debian packages.

    linux_guest.py --builddir BUILD [--srcdir SRC]

Into BUILD/linux-guest:

- ``apt-get download`` (the machine's own apt sources and lists; apt checks
  each .deb against the signed release files) of Debian's kernel (the
  package ``linux-image-amd64`` depends on), ``busybox-static`` and
  ``iperf``; ``dpkg-deb -x`` unpacks each;
- ``vmlinuz`` (the kernel's boot/vmlinuz-*), and ``initramfs.cpio.gz``
  (newc, written here: no root and no cpio needed) holding busybox, the
  e1000 driver with the modules it depends on when the kernel's config has
  it as a module (``CONFIG_E1000=m``), bench/linux/echo.c built static
  with the host's gcc and glibc, iperf with the shared libraries ``ldd``
  names, and bench/linux/init as /init;
- ``guest.json``: the package versions used, the kernel command line, the
  paths, and a hash of the inputs: a second run with the same inputs does
  nothing (the bench calls this every time).

The host's iperf client for the benchmark is the same unpacked binary
(``host_iperf``), so the host needs no package installed for it.  Nothing
here is part of ``make test``: the kernel package is ~70 MB.
"""

import gzip
import hashlib
import json
import lzma
import os
import re
import shutil
import subprocess
import sys

PACKAGES = ("busybox-static", "iperf")
KERNEL_META = "linux-image-amd64"
CMDLINE = "console=ttyS0 panic=-1 quiet"


class GuestError(Exception):
    pass


def run(argv, cwd=None):
    try:
        r = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    except OSError as e:
        raise GuestError(f"{argv[0]}: {e.strerror} (Debian's apt, dpkg and gcc are needed)") from None
    if r.returncode != 0:
        raise GuestError(f"{' '.join(argv)} failed ({r.returncode}): "
                         f"{(r.stderr or r.stdout).strip()[-400:]}")
    return r.stdout


def apt_field(stanza, name):
    """A field of an `apt-cache show` stanza, or None."""
    m = re.search(rf"^{re.escape(name)}: (.*)$", stanza, re.M)
    return m.group(1).strip() if m else None


def kernel_package(depends):
    """The versioned kernel package in linux-image-amd64's Depends:
    ('linux-image-6.1.0-57-amd64', '6.1.192-3')."""
    for dep in depends.split(","):
        m = re.match(r"\s*(linux-image-[0-9][^\s(]*)\s*\(=\s*([^)\s]+)\)", dep)
        if m:
            return m.group(1), m.group(2)
    raise GuestError(f"{KERNEL_META} depends on no versioned kernel package: {depends!r}")


def candidate(pkg):
    """(version, stanza) of the version apt would install."""
    try:
        out = subprocess.run(["apt-cache", "show", "--no-all-versions", pkg],
                             capture_output=True, text=True)
    except OSError as e:
        raise GuestError(f"apt-cache: {e.strerror}: the Linux guest is made from Debian "
                         f"packages") from None
    if out.returncode != 0 or not out.stdout.strip():
        raise GuestError(f"apt knows no package {pkg}: run `apt-get update` (as root) so that "
                         f"the machine's Debian sources are listed")
    return apt_field(out.stdout, "Version"), out.stdout


def modinfo(blob):
    """The key=value strings of a kernel module's .modinfo section (found
    by their NUL-separated form; no modinfo(8) needed)."""
    out = {}
    for m in re.finditer(rb"\0(depends|vermagic|name)=([^\0]*)", b"\0" + blob):
        out.setdefault(m.group(1).decode(), m.group(2).decode(errors="replace"))
    return out


def module_bytes(path):
    data = open(path, "rb").read()
    if path.endswith(".xz"):
        return lzma.decompress(data)
    if path.endswith(".zst"):
        return subprocess.run(["zstd", "-dc", path], capture_output=True, check=True).stdout
    return data


def module_index(moddir):
    """{name with '_': path} of every module under moddir."""
    idx = {}
    for root, _, files in os.walk(moddir):
        for f in files:
            m = re.match(r"(.*)\.ko(\.xz|\.zst)?$", f)
            if m:
                idx[m.group(1).replace("-", "_")] = os.path.join(root, f)
    return idx


def module_order(name, index, read=lambda p: modinfo(module_bytes(p))):
    """The modules to insmod for `name`, each after those it depends on."""
    order, seen = [], set()

    def visit(n, chain):
        n = n.replace("-", "_")
        if n in seen:
            return
        if n in chain:
            raise GuestError(f"module dependency loop: {' -> '.join(chain + [n])}")
        if n not in index:
            raise GuestError(f"module {n} (needed by {chain[-1] if chain else 'the guest'}) "
                             f"is not in the kernel package")
        for d in filter(None, read(index[n]).get("depends", "").split(",")):
            visit(d, chain + [n])
        seen.add(n)
        order.append(n)
    visit(name, [])
    return order


def kconfig(text, option):
    m = re.search(rf"^{option}=(.*)$", text, re.M)
    return m.group(1) if m else None


def ldd_paths(text):
    """The files a dynamic executable loads, from ldd's output; raises on
    a library ldd cannot find."""
    paths = []
    for line in text.splitlines():
        line = line.strip()
        if "not found" in line:
            raise GuestError(f"ldd: {line}")
        m = re.match(r"(\S+) => (/\S+) \(0x", line) or re.match(r"(/\S+) \(0x", line)
        if m:
            paths.append(m.group(m.lastindex))
    return paths


def newc(entries):
    """A cpio archive in the kernel's initramfs format ("newc",
    Documentation/driver-api/early-userspace/buffer-format.rst): entries are
    (name, mode, data or None, rdev (major, minor) or None)."""
    out = bytearray()

    def pad():
        out.extend(b"\0" * (-len(out) % 4))
    for ino, (name, mode, data, rdev) in enumerate(list(entries) + [("TRAILER!!!", 0, None, None)], 1):
        data = data or b""
        nb = name.encode() + b"\0"
        major, minor = rdev or (0, 0)
        fields = (ino, mode, 0, 0, 1, 0, len(data), 0, 0, major, minor, len(nb), 0)
        out += b"070701" + b"".join(b"%08X" % v for v in fields) + nb
        pad()
        out += data
        pad()
    return bytes(out)


def inputs_hash(srcdir):
    h = hashlib.sha256()
    for rel in ("bench/linux/echo.c", "bench/linux/init", "mk/tool/minnow/linuxguest.py"):
        h.update(rel.encode() + b"\0" + open(os.path.join(srcdir, rel), "rb").read())
    return h.hexdigest()


def paths(builddir):
    d = os.path.join(os.path.abspath(builddir), "linux-guest")
    return {"dir": d, "vmlinuz": os.path.join(d, "vmlinuz"),
            "initrd": os.path.join(d, "initramfs.cpio.gz"), "info": os.path.join(d, "guest.json")}


def host_iperf(builddir):
    return os.path.join(paths(builddir)["dir"], "iperf", "usr", "bin", "iperf")


def load(builddir):
    """guest.json of a built guest, or None."""
    p = paths(builddir)
    if not all(os.path.exists(p[k]) for k in ("vmlinuz", "initrd", "info")):
        return None
    return json.load(open(p["info"]))


def build(builddir, srcdir, log=print):
    p = paths(builddir)
    want = inputs_hash(srcdir)
    info = load(builddir)
    if info and info.get("inputs") == want and os.path.exists(host_iperf(builddir)):
        return info
    d = p["dir"]
    os.makedirs(os.path.join(d, "debs"), exist_ok=True)
    kver_meta, stanza = candidate(KERNEL_META)
    kpkg, kver = kernel_package(apt_field(stanza, "Depends") or "")
    versions = {KERNEL_META: kver_meta, kpkg: kver}
    for pkg in PACKAGES:
        versions[pkg] = candidate(pkg)[0]
    log(f"linux-guest: apt-get download {kpkg}={kver} "
        + " ".join(f"{k}={versions[k]}" for k in PACKAGES))
    debs = os.path.join(d, "debs")
    for f in os.listdir(debs):
        os.unlink(os.path.join(debs, f))
    run(["apt-get", "download", "-q", f"{kpkg}={kver}"]
        + [f"{k}={versions[k]}" for k in PACKAGES], cwd=debs)
    trees = {}
    for deb in sorted(os.listdir(debs)):
        name = deb.split("_")[0]
        tree = os.path.join(d, "iperf" if name == "iperf" else name)
        shutil.rmtree(tree, ignore_errors=True)
        run(["dpkg-deb", "-x", os.path.join(debs, deb), tree])
        trees[name] = tree
    ktree = trees[kpkg]
    boot = os.path.join(ktree, "boot")
    vml = [f for f in os.listdir(boot) if f.startswith("vmlinuz-")]
    cfg = [f for f in os.listdir(boot) if f.startswith("config-")]
    if len(vml) != 1 or len(cfg) != 1:
        raise GuestError(f"{kpkg}: wanted one vmlinuz-* and one config-* in boot/, found {vml + cfg}")
    release = vml[0][len("vmlinuz-"):]
    shutil.copyfile(os.path.join(boot, vml[0]), p["vmlinuz"])
    e1000 = kconfig(open(os.path.join(boot, cfg[0])).read(), "CONFIG_E1000")
    entries = [(n, 0o40755, None, None) for n in
               ("bin", "dev", "proc", "sys", "tmp", "etc", "lib", "lib/modules", "lib64", "usr",
                "usr/bin", "lib/x86_64-linux-gnu", "usr/lib", "usr/lib/x86_64-linux-gnu")]
    entries.append(("dev/console", 0o20600, None, (5, 1)))   # stdout of /init before devtmpfs
    order = []
    if e1000 == "m":
        index = module_index(os.path.join(ktree, "lib", "modules", release))
        order = module_order("e1000", index)
        for n in order:
            entries.append((f"lib/modules/{n}.ko", 0o100644, module_bytes(index[n]), None))
    elif e1000 != "y":
        raise GuestError(f"{kpkg}: CONFIG_E1000 is {e1000!r}: the guest would have no e1000 driver")
    entries.append(("lib/modules/order", 0o100644, "".join(f"{n}.ko\n" for n in order).encode(), None))
    echo = os.path.join(d, "echo-server")
    run(["gcc", "-static", "-O2", "-Wall", "-o", echo, os.path.join(srcdir, "bench/linux/echo.c")])
    entries.append(("bin/echo-server", 0o100755, open(echo, "rb").read(), None))
    entries.append(("bin/busybox", 0o100755,
                    open(os.path.join(trees["busybox-static"], "bin", "busybox"), "rb").read(), None))
    iperf = host_iperf(builddir)
    entries.append(("usr/bin/iperf", 0o100755, open(iperf, "rb").read(), None))
    libs = ldd_paths(run(["ldd", iperf]))
    for lib in libs:
        entries.append((lib.lstrip("/"), 0o100755, open(os.path.realpath(lib), "rb").read(), None))
    entries.append(("init", 0o100755, open(os.path.join(srcdir, "bench/linux/init"), "rb").read(), None))
    with gzip.open(p["initrd"], "wb") as f:
        f.write(newc(entries))
    gcc = run(["gcc", "-dumpfullversion"]).strip()
    libc = run(["dpkg-query", "-W", "-f=${Version}", "libc6"]).strip()
    info = {"packages": versions, "kernel_release": release, "cmdline": CMDLINE,
            "e1000": f"module ({', '.join(order)})" if order else "built in",
            "echo": f"bench/linux/echo.c, gcc {gcc} -static, glibc (libc6 {libc})",
            "iperf_libs": libs, "vmlinuz": p["vmlinuz"], "initrd": p["initrd"], "inputs": want}
    with open(p["info"], "w") as f:
        json.dump(info, f, indent=1, sort_keys=True)
    log(f"linux-guest: {release}, e1000 {info['e1000']}, {os.path.getsize(p['initrd'])} bytes "
        f"of initramfs: {d}")
    return info


def main(argv=None):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--builddir", required=True)
    ap.add_argument("--srcdir", default=".")
    opts = ap.parse_args(argv)
    try:
        info = build(opts.builddir, opts.srcdir)
    except GuestError as e:
        print(f"linux-guest: {e}", file=sys.stderr)
        return 1
    print("linux-guest: " + ", ".join(f"{k} {v}" for k, v in sorted(info["packages"].items())))
    return 0
