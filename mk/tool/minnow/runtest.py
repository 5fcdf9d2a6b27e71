"""Running one run script: build its image with make, boot it, judge it."""

import os
import shlex
import socket
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field

from . import launch
from .gdbrun import GdbSession, free_port
from .serialpipe import SerialPipe
from .diag import ToolError
from .fileutil import display_path, read_text, split_lines
from .judge import BUILD_FAILED, HARNESS, MISMATCH, PASS, Verdict, judge, points
from .modlist import load_modules_list, resolve
from .netrun import NetRun
from .qemu import QemuOptions, build_command, qemu_binary
from .testspec import load_test

TAIL_LINES = 30
# Run scripts may run in parallel (make test -jN): their builds, which share
# one build directory, go one at a time; only the boots overlap.
_BUILD_LOCK = threading.Lock()
REJECT_GRACE = 2.0     # seconds QEMU may still run after a reject matched


@dataclass
class RunOptions:
    srcdir: str
    builddir: str
    make: str = "make"
    kvm: bool = False
    search: list = None     # default: BUILDDIR/bin, SRCDIR/conf
    iso_dir: str = None     # default: BUILDDIR/images
    verbose: bool = False   # print the make and QEMU commands

    def search_dirs(self):
        return self.search or [os.path.join(self.builddir, "bin"),
                               os.path.join(self.srcdir, "conf")]

    def iso_path(self, entry):
        return os.path.join(self.iso_dir or os.path.join(self.builddir, "images"),
                            entry + ".iso")


@dataclass
class TestResult:
    __test__ = False          # not a pytest test class
    name: str
    verdict: Verdict
    seconds: float
    tap_test: bool = False
    log_path: str = None
    tail: list = field(default_factory=list)    # shown on failure
    tail_title: str = "serial log"


def serial_log_path(test_path, builddir):
    """BUILDDIR/test-logs/<pkg>-<name>.log for <pkg>/test/<name>.test."""
    pkg_dir = os.path.dirname(os.path.abspath(test_path))
    if os.path.basename(pkg_dir) == "test":
        pkg_dir = os.path.dirname(pkg_dir)
    name = os.path.splitext(os.path.basename(test_path))[0]
    return os.path.join(builddir, "test-logs", f"{os.path.basename(pkg_dir)}-{name}.log")


class RejectWatcher:
    """launch.run poll callback: true a little after a reject matched.

    Reads the serial log as it grows.  The grace period lets a panicking
    kernel power off by itself, so the verdict can say "kernel panic".
    """

    def __init__(self, path, rejects, grace=REJECT_GRACE):
        self.path, self.rejects, self.grace = path, rejects, grace
        self.offset, self.partial, self.hit_at = 0, "", None

    def _new_lines(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except OSError:
            return []
        self.offset += len(data)
        *lines, self.partial = (self.partial + data.decode(errors="replace")).split("\n")
        return [l.rstrip("\r") for l in lines]

    def __call__(self):
        if self.hit_at is None:
            if any(p.regex.search(line) for line in self._new_lines() for p in self.rejects):
                self.hit_at = time.monotonic()
            return False
        return time.monotonic() - self.hit_at >= self.grace


def _modules_list(spec, opts):
    return os.path.abspath(spec.modules_list or
                           os.path.join(opts.srcdir, "conf", "modules.list"))


def build(spec, opts, out):
    """Run make for the test's image.  Returns (Verdict or None, output)."""
    target = "iso" if spec.boot == "iso" else "image"
    argv = [opts.make, "-s", "--no-print-directory", f"O={os.path.abspath(opts.builddir)}",
            f"E={spec.entry}", f"MODULES_LIST={_modules_list(spec, opts)}", target]
    if opts.verbose:
        print(shlex.join(argv), file=out, flush=True)
    try:
        with _BUILD_LOCK:
            proc = subprocess.run(argv, cwd=opts.srcdir, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, errors="replace")
    except FileNotFoundError:
        return Verdict(HARNESS, [f"{opts.make} not found"]), ""
    output = proc.stdout
    if spec.build_fails:
        if proc.returncode == 0:
            return Verdict(MISMATCH, ["image build succeeded, but the test expects "
                                      "it to fail ('build-fails')"]), output
        if any(spec.build_fails.regex.search(l) for l in split_lines(output)):
            return Verdict(PASS), output
        return Verdict(MISMATCH, ["image build failed as expected, but its output does "
                                  f"not match '{spec.build_fails.text}'"]), output
    if proc.returncode != 0:
        return Verdict(BUILD_FAILED, [f"image build failed (make {target} exited "
                                      f"with status {proc.returncode})"]), output
    return None, output


def qemu_reported_error(output, binary):
    """QEMU's own error lines ("qemu-system-x86_64: ...", not warnings).

    QEMU exits with 1 on errors, which looks like guest status 0.
    """
    prefix = os.path.basename(binary) + ":"
    errs = [l for l in split_lines(output) if l.startswith(prefix) and "warning" not in l]
    return "; ".join(errs) or None


class Monitor:
    """QEMU's human monitor on a unix socket: commands are written, the
    answers not read (a pmemsave is done before the next command is)."""

    def __init__(self, path, screen):
        self.path, self.screen, self.sock = path, screen, None

    def send(self, command):
        if self.sock is None:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            for _ in range(100):            # QEMU makes the socket as it starts
                try:
                    self.sock.connect(self.path)
                    break
                except OSError:
                    time.sleep(0.05)
        self.sock.sendall((command.replace("{screen}", self.screen) + "\n").encode())

    def close(self):
        if self.sock is not None:
            self.sock.close()


class ExpectTracker:
    """launch.run poll callback that follows the expects (in order) in the
    serial log: for `send` and `monitor`, types each text (or monitor
    command) once the expects before it have matched; for
    `stop-when-matched`, stops QEMU once all have."""

    def __init__(self, path, spec, pipe, inner, monitor=None):
        self.watch = RejectWatcher(path, [], 0)
        self.spec, self.pipe, self.inner, self.monitor = spec, pipe, inner, monitor
        self.matched, self.next_send = 0, 0

    def __call__(self):
        for line in self.watch._new_lines():
            if self.matched < len(self.spec.expects) and \
               self.spec.expects[self.matched].regex.search(line):
                self.matched += 1
        sends = self.spec.sends
        while self.next_send < len(sends) and sends[self.next_send].after <= self.matched:
            send = sends[self.next_send]
            (self.monitor if send.monitor else self.pipe).send(send.text)
            self.next_send += 1
        if self.inner():
            return True
        return self.spec.stop_when_matched and self.matched == len(self.spec.expects)


def boot(spec, opts, log_path, out):
    """Boot the built image in QEMU and judge the run."""
    mlist = load_modules_list(_modules_list(spec, opts))
    entry = mlist.select(spec.entry)
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    open(log_path, "wb").close()               # no stale output from earlier runs
    serial_sends = any(not s.monitor for s in spec.sends)
    pipe = SerialPipe(os.path.abspath(log_path) + ".serial", log_path) if serial_sends else None
    try:
        return _boot(spec, opts, log_path, out, mlist, entry, pipe)
    finally:
        if pipe:
            pipe.close()


def _boot(spec, opts, log_path, out, mlist, entry, pipe):
    serial = pipe.qemu_serial if pipe else f"file:{os.path.abspath(log_path)}"
    extra, monitor = [], None
    if spec.monitor:
        base = os.path.abspath(log_path)
        screen = base + ".screen"
        if os.path.exists(screen):
            os.unlink(screen)               # no stale screen from an earlier run
        sockdir = tempfile.mkdtemp(prefix="minnow-mon-")   # short: sun_path has 108 bytes
        monitor = Monitor(os.path.join(sockdir, "mon"), screen)
        extra += ["-monitor", f"unix:{monitor.path},server=on,wait=off"]
    try:
        return _run(spec, opts, log_path, out, mlist, entry, pipe, serial, extra, monitor)
    finally:
        if monitor:
            monitor.close()
            shutil.rmtree(os.path.dirname(monitor.path), ignore_errors=True)


def _run(spec, opts, log_path, out, mlist, entry, pipe, serial, extra, monitor):
    net = NetRun(spec, log_path, opts.builddir)
    qopts = QemuOptions(mode=spec.boot, serial=serial,
                        kvm=opts.kvm, iso=opts.iso_path(entry.name),
                        extra=net.qemu_args() + extra, gdb=bool(spec.gdb))
    if spec.gdb:
        if spec.boot != "kernel":
            raise ToolError(f"{spec.path}: 'gdb' needs 'boot kernel' (the kernel's symbols)")
        qopts.gdb_port = free_port()
    if spec.boot == "kernel":
        # Files next to the test's own modules.list (its boot configs) too.
        resolve(mlist, entry, opts.search_dirs() + [os.path.dirname(mlist.path)])
    elif not os.path.isfile(qopts.iso):
        raise ToolError(f"{qopts.iso} does not exist after 'make iso'")
    argv, warnings = build_command(qopts, entry, qemu=qemu_binary())
    for w in warnings:
        print(f"runtest: warning: {w}", file=out)
    if shutil.which(argv[0]) is None:
        raise ToolError(f"{argv[0]} not found: install the Debian package qemu-system-x86")
    if opts.verbose:
        print(shlex.join(argv), file=out, flush=True)

    watcher = RejectWatcher(log_path, spec.rejects)
    if pipe or monitor or spec.stop_when_matched:
        watcher = ExpectTracker(log_path, spec, pipe, watcher, monitor)
    watcher = net.watch(watcher)
    net.start()
    try:
        with tempfile.TemporaryDirectory() as work, tempfile.TemporaryFile() as chatter:
            gdb = None
            if spec.gdb:
                gdb = watcher = GdbSession(spec.gdb, entry.kernel.path, qopts.gdb_port, watcher,
                                           work)
            try:
                result = launch.run(argv, timeout=spec.timeout, poll=watcher,
                                    stdin=subprocess.DEVNULL, stdout=chatter,
                                    stderr=subprocess.STDOUT)
            finally:
                gdb_lines = gdb.finish() if gdb else ""
            chatter.seek(0)
            qemu_output = chatter.read().decode(errors="replace")
    except BaseException:
        net.stop()
        raise
    if pipe:
        pipe.drain()                 # the guest's last lines into the log before it is judged
    if gdb_lines:                    # after the guest's lines, for the expects
        with open(log_path, "a", encoding="utf-8") as f:
            f.write(gdb_lines)
    error = qemu_reported_error(qemu_output, argv[0]) if result.status == 1 else None
    screen = None
    if monitor and os.path.exists(monitor.screen):
        with open(monitor.screen, "rb") as f:
            screen = f.read()
    return net.finish(judge(spec, read_text(log_path), result.status, result.timed_out, error,
                            screen))


def run_test(path, opts, out):
    """Build, boot and judge one .test file.  Returns a TestResult."""
    start = time.monotonic()
    result = TestResult(display_path(path, opts.srcdir), None, 0.0)
    try:
        spec = load_test(path)
        result.tap_test = spec.tap
        result.verdict, output = build(spec, opts, out)
        if result.verdict is not None:
            result.tail, result.tail_title = split_lines(output)[-TAIL_LINES:], "build output"
        else:
            result.log_path = serial_log_path(path, opts.builddir)
            result.verdict = boot(spec, opts, result.log_path, out)
            result.tail = split_lines(read_text(result.log_path))[-TAIL_LINES:]
    except ToolError as e:
        result.verdict = Verdict(HARNESS, e.messages)
    except OSError as e:
        result.verdict = Verdict(HARNESS, [str(e)])
    result.seconds = time.monotonic() - start
    return result


def report(result, out):
    """Print the PASS/FAIL line (and details of a failure)."""
    if result.verdict.code == PASS:
        print(f"PASS {result.name} ({result.seconds:.1f} s)", file=out)
    else:
        print(f"FAIL {result.name}: {result.verdict.reason}", file=out)
        if result.tail:
            print(f"  last lines of the {result.tail_title}:", file=out)
            for line in result.tail:
                print(f"  | {line}", file=out)
        if result.log_path:
            print(f"  serial log: {display_path(result.log_path, os.getcwd())}", file=out)
    if result.tap_test:
        passed, failed = points(result.verdict, True)
        print(f"tap: {passed} passed, {failed} failed", file=out)
    out.flush()


def run_tests(paths, opts, out):
    """Run and report each test; returns the first non-zero code, else 0."""
    worst = PASS
    for path in paths:
        result = run_test(path, opts, out)
        report(result, out)
        worst = worst or result.verdict.code
    return worst
