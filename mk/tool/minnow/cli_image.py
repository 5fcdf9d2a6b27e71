"""image.py: boot entries from modules.list, ISO images and QEMU.

    image.py [common options] entries
    image.py [common options] check
    image.py [common options] checkcfg
    image.py [common options] iso (--out FILE | --out-dir DIR) --workdir DIR
    image.py [common options] qemu [--mode kernel|iso] [...] [-- QEMU ARGS]

Common options (before or after the subcommand): --modules-list FILE,
--search DIR (repeatable), --entry NAME, --cfgcheck TOOL (check boot configs
with the root task's parser built for the host: check and iso check the
entry's, checkcfg every entry's).
"""

import argparse
import os
import shlex
import shutil
import subprocess
import sys

from . import bootcfg, console, gdbinit, iso, launch, qemu
from .diag import ToolError
from .modlist import find_file, load_modules_list, resolve


def _common_options(parser):
    # SUPPRESS: options given before the subcommand must not be overwritten
    # by the subparser's defaults; real defaults are filled in by main().
    s = argparse.SUPPRESS
    parser.add_argument("--modules-list", metavar="FILE", default=s,
                        help="boot entries (default: conf/modules.list)")
    parser.add_argument("--search", metavar="DIR", action="append", default=s,
                        help="directory to look for files in (repeatable, in order)")
    parser.add_argument("--entry", metavar="NAME", default=s,
                        help="entry to use (default: the default entry)")
    parser.add_argument("--cfgcheck", metavar="TOOL", default=s,
                        help="check boot configs with TOOL ($(O)/host/cfgcheck)")


def _parser():
    ap = argparse.ArgumentParser(prog="image.py",
                                 description="Minnow boot entries, ISO images and QEMU.")
    _common_options(ap)
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("entries", help="list the entries, marking the default")
    _common_options(p)
    p = sub.add_parser("check", help="check that the entry's files exist")
    _common_options(p)
    p = sub.add_parser("checkcfg", help="check every entry's boot config (--cfgcheck)")
    _common_options(p)
    p = sub.add_parser("iso", help="build a bootable ISO image with GRUB")
    _common_options(p)
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", help="ISO file to write")
    where.add_argument("--out-dir", metavar="DIR", help="write DIR/ENTRY.iso")
    p.add_argument("--workdir", required=True, help="directory for the ISO tree")
    p = sub.add_parser("qemu", help="boot the entry in QEMU (foreground)")
    _common_options(p)
    p.add_argument("--mode", choices=("kernel", "iso"), default="kernel")
    p.add_argument("--gdb", action="store_true", help="wait for gdb on " + qemu.GDB_ADDRESS)
    p.add_argument("--gdb-port", type=int, default=qemu.GDB_PORT, help="the gdb stub's port")
    p.add_argument("--gdbinit", metavar="FILE", help="with --gdb: write a gdb script that "
                   "attaches and loads the helpers of mk/tool/gdb/minnow.py")
    p.add_argument("--kvm", action="store_true", help="use KVM if /dev/kvm is usable")
    p.add_argument("--tcg-for-kvm", action="store_true",
                   help="with --kvm: TCG in place of KVM, the rest of the command the same "
                   "(make bench's test)")
    p.add_argument("--icount", action="store_true", help="deterministic instruction counting")
    p.add_argument("--rtc-vm", action="store_true",
                   help="the RTC follows the guest's clock, not the host's (-rtc clock=vm)")
    p.add_argument("--window", action="store_true",
                   help="show the VGA screen in a window (its keyboard types there too)")
    p.add_argument("--memory", default="256M")
    p.add_argument("--cpu", default="max")
    p.add_argument("--serial", default="stdio", help="stdio or file:PATH")
    p.add_argument("--timeout", type=float, metavar="SECONDS",
                   help="kill QEMU after this long (exit status 124)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--iso", metavar="PATH", help="image for --mode iso "
                       "(default: images/ENTRY.iso)")
    where.add_argument("--iso-dir", metavar="DIR", help="use DIR/ENTRY.iso for --mode iso")
    return ap


def _iso_path(directory, entry):
    return os.path.join(directory, entry.name + ".iso")


def _entries(mlist):
    for name in mlist.entries:
        print(f"{name} (default)" if name == mlist.default else name)
    return 0


def _qemu(args, mlist, entry):
    opts = qemu.QemuOptions(mode=args.mode, memory=args.memory, cpu=args.cpu,
                            serial=args.serial, gdb=args.gdb, gdb_port=args.gdb_port,
                            kvm=args.kvm, tcg_for_kvm=args.tcg_for_kvm,
                            icount=args.icount, rtc_vm=args.rtc_vm,
                            window=args.window, extra=args.extra,
                            iso=args.iso or _iso_path(args.iso_dir or "images", entry))
    if opts.mode == "kernel":
        resolve(mlist, entry, args.search)
    elif not os.path.isfile(opts.iso):
        raise ToolError(f"{opts.iso} does not exist (build it with 'make iso')")
    argv, warnings = qemu.build_command(opts, entry, qemu=qemu.qemu_binary())
    for w in warnings:
        print(f"image: warning: {w}", file=sys.stderr)
    if shutil.which(argv[0]) is None:
        raise ToolError(f"{argv[0]} not found: install the Debian package qemu-system-x86")
    if os.environ.get("V") == "1":
        print(shlex.join(argv), file=sys.stderr)
    if opts.gdb:
        kernel = entry.kernel.path or find_file(entry.kernel.name, args.search) \
            or entry.kernel.name
        if args.gdbinit:
            gdbinit.write(args.gdbinit, kernel, os.path.dirname(os.path.abspath(kernel)),
                          args.gdb_port)
            print(f"gdb -x {shlex.quote(args.gdbinit)}    (in another terminal; "
                  "'help user-defined' lists the minnow- commands)", file=sys.stderr, flush=True)
        else:
            print(qemu.gdb_hint(kernel, args.gdb_port), file=sys.stderr, flush=True)

    if opts.serial == "stdio":
        result, quit = console.run(argv, timeout=args.timeout)
        if quit:
            print("minnow: QEMU quit from the console (Ctrl-a x)", file=sys.stderr)
            return 0
    else:
        result = launch.run(argv, timeout=args.timeout)
    if result.timed_out:
        print(f"minnow: timeout after {args.timeout:g} s; QEMU killed", file=sys.stderr)
        return 124
    code, msgs = qemu.explain_status(result.status)
    for m in msgs:
        print(m, file=sys.stderr)
    return code


def run(args):
    mlist = load_modules_list(args.modules_list)
    if args.command == "entries":
        return _entries(mlist)
    if args.command == "checkcfg":
        if args.cfgcheck:
            bootcfg.check_all(mlist, args.search, args.cfgcheck)
        return 0
    entry = mlist.select(args.entry)
    if args.command in ("check", "iso"):
        resolve(mlist, entry, args.search)
        errors = bootcfg.check_entry(mlist, entry, args.search, args.cfgcheck) \
            if args.cfgcheck else []
        if errors:
            raise ToolError(errors)
    if args.command == "check":
        return 0
    if args.command == "iso":
        iso.check_basenames(mlist, entry)
        iso.build_iso(entry, args.out or _iso_path(args.out_dir, entry), args.workdir)
        return 0
    return _qemu(args, mlist, entry)


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = []
    if "--" in argv:                        # everything after -- goes to QEMU
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    args = _parser().parse_args(argv)
    args.extra = extra
    args.modules_list = getattr(args, "modules_list", os.path.join("conf", "modules.list"))
    args.entry = getattr(args, "entry", None)
    args.cfgcheck = getattr(args, "cfgcheck", None)
    # Without --search, names are looked up next to the modules.list file.
    args.search = getattr(args, "search", None) or \
        [os.path.dirname(args.modules_list) or "."]
    if extra and args.command != "qemu":
        print("image: error: arguments after -- are only for 'qemu'", file=sys.stderr)
        return 2
    try:
        return run(args)
    except ToolError as e:
        for m in e.messages:
            print(m, file=sys.stderr)    # already "FILE:LINE: ..." or self-explanatory
        return 1
    except (OSError, subprocess.SubprocessError) as e:
        print(f"image: error: {e}", file=sys.stderr)
        return 1

