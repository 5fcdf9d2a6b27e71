"""Building QEMU command lines, running QEMU and decoding its exit status.

The guest powers off by writing a status byte N to the isa-debug-exit port
0xf4; QEMU then exits with (N << 1) | 1.  Because of -no-reboot, a triple
fault or reset makes QEMU exit with 0.  Guest status 127 means a kernel panic.
"""

import os
import shlex
from dataclasses import dataclass, field

from .diag import ToolError
from .words import multiboot_cmdline

QEMU_DEFAULT = "qemu-system-x86_64"
EXIT_DEVICE = "isa-debug-exit,iobase=0xf4,iosize=0x04"
GDB_HOST = "127.0.0.1"
GDB_PORT = 1234
GDB_ADDRESS = f"{GDB_HOST}:{GDB_PORT}"
PANIC_STATUS = 127


@dataclass
class QemuOptions:
    mode: str = "kernel"            # kernel | iso
    memory: str = "256M"
    cpu: str = "max"
    serial: str = "stdio"           # stdio | file:PATH | pipe:BASE (BASE.in, BASE.out)
    gdb: bool = False
    gdb_port: int = GDB_PORT        # make qemu-gdb picks one per user
    kvm: bool = False
    # With kvm: the same command with TCG in place of KVM (-accel tcg, and
    # -cpu max: "host" needs KVM).  For make bench's own test, where
    # /dev/kvm cannot run Minnow; rdtsc then follows host time (not cycles).
    tcg_for_kvm: bool = False
    icount: bool = False
    # -rtc clock=vm: the MC146818 ticks by the guest's clock (under icount,
    # its instructions), not the host's.  make bench: the RTC interrupt's
    # figure is then the same every run (by the host's clock a tick now and
    # then fell between a handler's wake and its reading of the clock).
    rtc_vm: bool = False
    window: bool = False            # a window with the VGA screen and the keyboard
    iso: str = None                 # image for mode iso
    extra: list = field(default_factory=list)


def qemu_binary(env=None):
    """The QEMU program: $QEMU if set (tests use a fake one)."""
    env = os.environ if env is None else env
    return env.get("QEMU") or QEMU_DEFAULT


KVM_DEVICE = "/dev/kvm"
SYS_MODULE = "/sys/module"
KVM_GET_API_VERSION = 0xAE00          # <linux/kvm.h>: _IO(KVMIO, 0x00)
KVM_API_VERSION = 12


def kvm_refusal(device=None, sysmodule=None):
    """Why KVM cannot run Minnow here, or None if it can try: /dev/kvm must
    open read-write and answer KVM's API version, and be a hardware
    hypervisor (kvm_intel or kvm_amd): kvm-pvm, a KVM that runs guests
    without VT-x/SVM, needs a guest kernel written for it (Minnow's first
    system call faults there)."""
    import fcntl
    device = device or KVM_DEVICE
    sysmodule = sysmodule or SYS_MODULE
    try:
        fd = os.open(device, os.O_RDWR)
    except OSError as e:
        return f"{device}: {e.strerror}: this host has no KVM we may use"
    try:
        version = fcntl.ioctl(fd, KVM_GET_API_VERSION)
    except OSError as e:
        return f"{device}: KVM_GET_API_VERSION: {e.strerror}: not a KVM device"
    finally:
        os.close(fd)
    if version != KVM_API_VERSION:
        return f"{device}: KVM API version {version}, not {KVM_API_VERSION}"
    loaded = lambda m: os.path.isdir(os.path.join(sysmodule, m))
    if loaded("kvm_pvm") and not (loaded("kvm_intel") or loaded("kvm_amd")):
        return (f"{device} is kvm-pvm (a KVM without VT-x/SVM, for guest kernels written "
                "for it): Minnow faults at its first system call there")
    return None


def kvm_usable():
    """True if KVM can run Minnow here, else why not (kvm_refusal)."""
    return kvm_refusal() or True


def _serial_args(serial):
    if serial == "stdio":
        return ["-serial", "mon:stdio"]     # serial and monitor (Ctrl-A c)
    if (serial.startswith("file:") and len(serial) > 5) or \
       (serial.startswith("pipe:") and len(serial) > 5):
        return ["-serial", serial]
    raise ToolError(f"--serial must be 'stdio', 'file:PATH' or 'pipe:BASE', not '{serial}'")


def kernel_boot_args(entry):
    """-kernel/-append/-initrd for QEMU's built-in multiboot loader."""
    # QEMU's -kernel only loads 32-bit ELF (multiboot 1) images, so the build
    # puts a 32-bit copy of the kernel next to the real one.
    elf32 = entry.kernel.path + ".elf32"
    if not os.path.isfile(elf32):
        raise ToolError(f"{elf32} does not exist: QEMU's -kernel needs this "
                        f"32-bit ELF next to the kernel {entry.kernel.path}")
    args = ["-kernel", elf32]
    cmdline = multiboot_cmdline(entry.kernel.args)
    if cmdline:
        args += ["-append", cmdline]
    items = []
    for mod in entry.boot_modules():
        # QEMU takes the file name up to the first space; the whole item is
        # the module's command line.  Commas separate items unless doubled.
        if " " in mod.path:
            raise ToolError(f"{mod.path}: QEMU's -initrd cannot load files "
                            "with spaces in their path")
        item = f"{mod.path} {multiboot_cmdline(mod.args)}" if mod.args else mod.path
        items.append(item.replace(",", ",,"))
    return args + ["-initrd", ",".join(items)]


def build_command(opts, entry=None, *, qemu=QEMU_DEFAULT, kvm_ok=kvm_usable):
    """The QEMU argv for ``opts``.  Returns (argv, warnings).

    ``entry`` (resolved) is needed for mode kernel; ``kvm_ok`` is called to
    find out whether KVM can be used when it was asked for.
    """
    warnings = []
    use_kvm = False
    if opts.kvm and opts.icount:
        warnings.append("--icount needs TCG; not using KVM")
    elif opts.kvm and not opts.tcg_for_kvm:
        ok = kvm_ok()
        use_kvm = ok is True
        if not use_kvm:
            why = ok if isinstance(ok, str) else "cannot open /dev/kvm read-write"
            warnings.append(f"{why}; using TCG instead of KVM")
    cpu = "host" if use_kvm and opts.cpu == "max" else opts.cpu

    # -nic none: no default NIC (QEMU would add one with an unrestricted
    # user-mode network); a run script that wants a device asks for it.
    # --window: QEMU's own choice of display (GTK or SDL), for the VGA
    # screen and the PS/2 keyboard the console server drives.
    argv = [qemu, "-machine", "pc", "-cpu", cpu, "-m", opts.memory]
    argv += [] if opts.window else ["-display", "none"]
    argv += ["-no-reboot", "-nic", "none", "-device", EXIT_DEVICE]
    argv += _serial_args(opts.serial)
    argv += ["-accel", "kvm" if use_kvm else "tcg"]
    if opts.icount:
        argv += ["-icount", "shift=0"]
    if opts.rtc_vm:
        argv += ["-rtc", "clock=vm"]
    if opts.gdb:
        argv += ["-S", "-gdb", f"tcp:{GDB_HOST}:{opts.gdb_port}"]
    if opts.mode == "kernel":
        argv += kernel_boot_args(entry)
    elif opts.mode == "iso":
        if not opts.iso:
            raise ToolError("mode iso needs an ISO image")
        argv += ["-cdrom", opts.iso, "-boot", "d"]
    else:
        raise ToolError(f"unknown boot mode '{opts.mode}' (kernel or iso)")
    return argv + list(opts.extra), warnings


def gdb_hint(kernel_path, port=GDB_PORT):
    """The one line a user pastes to attach gdb to a --gdb QEMU."""
    return f"gdb -ex 'target remote {GDB_HOST}:{port}' {shlex.quote(kernel_path)}"


def guest_status(qemu_status):
    """The status the guest wrote to the exit port, or None."""
    if qemu_status is not None and qemu_status > 0 and qemu_status % 2 == 1:
        return (qemu_status - 1) // 2
    return None


def explain_status(qemu_status):
    """Map QEMU's exit status to (our exit status, messages for the user)."""
    guest = guest_status(qemu_status)
    if guest is not None:
        msgs = [f"minnow: guest powered off with status {guest}"]
        if guest == PANIC_STATUS:
            msgs.append(f"minnow: kernel panic (guest status {PANIC_STATUS})")
        return guest, msgs
    if qemu_status == 0:
        return 1, ["minnow: QEMU exited with status 0: the guest triple-faulted "
                   "or reset (or QEMU was quit from its monitor)"]
    if qemu_status < 0:
        return 128 - qemu_status, [f"minnow: QEMU was killed by signal {-qemu_status}"]
    return qemu_status, [f"minnow: QEMU failed with status {qemu_status}"]
