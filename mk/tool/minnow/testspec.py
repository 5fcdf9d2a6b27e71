r"""Parsing declarative run scripts (``*.test``).

    entry NAME              boot entry (required)
    boot kernel|iso         default kernel
    timeout SECONDS         default 60
    expect REGEX            must match serial lines, in this order
    reject REGEX            must never match a serial line
    exit N                  expected guest status (default 0)
    tap                     the serial output carries TAP
    modules-list FILE       relative to the .test file
    build-fails REGEX       the image build must fail with matching output
    send TEXT               type TEXT on the guest's serial line once every
                            expect above it has matched (escapes: \e \r \n
                            \t \\ \xNN)
    monitor CMD             a QEMU monitor command (sendkey a, pmemsave ...),
                            sent once every expect above it has matched;
                            {screen} in CMD is the test's screen file
    screen REGEX            rows of the VGA text screen (the screen file,
                            80x25 cells as `monitor pmemsave 0xb8000 4000
                            "{screen}"` leaves it) must match, in order
    screen-reject REGEX     no row of the screen file may match
    count N REGEX           exactly N serial lines match REGEX, no two of
                            them alike (none lost, none doubled)
    qemu-args ARGS          more QEMU arguments (shell words), after the
                            harness's own: a machine (-M q35), memory (-m),
                            devices (-device e1000,mac=...); repeatable.
                            Options the harness owns are refused, and a
                            network backend must be -netdev user,...,
                            restrict=on (or none), or dgram, stream or
                            socket with every address 127.0.0.1; a -qmp
                            monitor only on tcp:127.0.0.1;
                            {port} {qemu_port} {qmp_port} {pcap} are replaced
                            (minnow/netrun.py)
    peer COMMAND            a host program started beside QEMU (shell
                            words; {port} {qemu_port} {qmp_port} {pcap}
                            {tool} {python} replaced); it must exit 0
    pcap MAC [PEER]         capture the first netdev (filter-dump) and
                            check every frame MAC sent (minnow/pcap.py);
                            with PEER, each must be addressed to it
    stop-when-matched       pass as soon as every expect has matched, and
                            stop QEMU: for a system that never powers off
    gdb FILE                QEMU starts halted with a gdb stub, and gdb runs
                            the make qemu-gdb script (mk/tool/gdb) and then
                            FILE (relative to the .test file) in batch mode;
                            its output follows the serial log's lines, each
                            line prefixed "gdb: ", so expects can match it

Lines starting with ``#`` are comments.  A trailing comment starts at a
``#`` between whitespace and whitespace (or the end of the line), also after
a regex: ``expect Hello  # greeting`` expects ``Hello``, while ``#PF`` in
``expect error #PF`` is part of the regex.  To match " # " write ``\\#``.
"""

import os
import re
import shlex
from dataclasses import dataclass, field

from .diag import ToolError, at
from .serialpipe import unescape

IMPLIED_REJECTS = ("PANIC", r"^minnow: kernel panic")
DIRECTIVES = ("entry", "boot", "timeout", "expect", "reject", "exit", "tap",
              "modules-list", "build-fails", "send", "qemu-args", "stop-when-matched",
              "count", "monitor", "screen", "screen-reject", "peer", "pcap", "gdb")
_SINGLE = ("entry", "boot", "timeout", "exit", "tap", "modules-list", "build-fails",
           "stop-when-matched", "peer", "pcap", "gdb")
_TRAILING_COMMENT = re.compile(r"\s#(\s.*)?$")


@dataclass
class Pattern:
    regex: re.Pattern
    line: int                 # 0 for the implied rejects

    @property
    def text(self):
        return self.regex.pattern


@dataclass
class Count:
    regex: re.Pattern
    n: int
    line: int


@dataclass
class Send:
    after: int                # how many expects must have matched first
    text: str                 # with escapes resolved
    line: int
    monitor: bool = False     # a QEMU monitor command, not serial input


@dataclass
class TestSpec:
    __test__ = False          # not a pytest test class
    path: str
    entry: str = None
    boot: str = "kernel"
    timeout: float = 60.0
    expects: list = field(default_factory=list)
    rejects: list = field(default_factory=list)
    exit_status: int = 0
    tap: bool = False
    modules_list: str = None  # absolute, or None for the default
    build_fails: Pattern = None
    sends: list = field(default_factory=list)   # Send, in file order
    qemu_args: list = field(default_factory=list)  # words, appended to QEMU's argv
    stop_when_matched: bool = False
    peer: list = None         # the host peer's argv (placeholders unresolved)
    pcap: str = None          # the guest MAC whose frames the capture checks
    gdb: str = None           # absolute path of a gdb command file
    counts: list = field(default_factory=list)     # Count
    screens: list = field(default_factory=list)    # Pattern, for VGA screen rows
    screen_rejects: list = field(default_factory=list)   # Pattern, no row may match

    @property
    def monitor(self):
        """Whether the run needs QEMU's monitor."""
        return any(s.monitor for s in self.sends)


def _number(arg, kind, low, high, message):
    try:
        value = kind(arg)
    except ValueError:
        raise ValueError(message) from None
    if not low <= value <= high:
        raise ValueError(message)
    return value


def _value(spec, directive, arg):
    """Convert and check one directive's argument; ValueError if bad."""
    if directive == "entry":
        if len(arg.split()) != 1:
            raise ValueError("'entry' takes one entry name")
        spec.entry = arg
    elif directive == "boot":
        if arg not in ("kernel", "iso"):
            raise ValueError("'boot' must be 'kernel' or 'iso'")
        spec.boot = arg
    elif directive == "timeout":
        spec.timeout = _number(arg, float, 0.001, 1e6,
                               "'timeout' must be a positive number of seconds")
    elif directive == "exit":
        spec.exit_status = _number(arg, int, 0, 127,
                                   "'exit' must be a guest status from 0 to 127")
    elif directive in ("tap", "stop-when-matched"):
        if arg:
            raise ValueError(f"'{directive}' takes no argument")
        setattr(spec, directive.replace("-", "_"), True)
    elif directive == "modules-list":
        if not arg:
            raise ValueError("'modules-list' needs a file name")
        path = os.path.join(os.path.dirname(os.path.abspath(spec.path)), arg)
        if not os.path.isfile(path):
            raise ValueError(f"modules list '{arg}' not found (looked at {path})")
        spec.modules_list = os.path.normpath(path)
    elif directive == "gdb":
        path = os.path.join(os.path.dirname(os.path.abspath(spec.path)), arg)
        if not arg or not os.path.isfile(path):
            raise ValueError(f"gdb command file '{arg}' not found (looked at {path})")
        spec.gdb = os.path.normpath(path)


# What the harness decides itself (boot, console, exit device, acceleration).
_HARNESS_OWNS = ("-display", "-serial", "-no-reboot", "-kernel", "-initrd", "-append",
                 "-cdrom", "-boot", "-accel", "-enable-kvm", "-S", "-gdb", "-chardev",
                 "-monitor", "-nographic", "-daemonize", "-icount")
_NET_OPTIONS = ("-netdev", "-nic", "-net")


_LOCAL_BACKENDS = ("dgram", "stream", "socket")
_ADDRESS_KEYS = ("host", "udp", "localaddr", "listen", "connect", "mcast")
_MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")


def _loopback_only(w, val):
    """A dgram/stream/socket netdev whose every address is 127.0.0.1 (so a
    guest reaches nothing outside QEMU and the host's loopback)."""
    addrs = 0
    for part in val.split(",")[1:]:
        key, _, v = part.partition("=")
        if key.split(".")[-1] in _ADDRESS_KEYS:
            host = v.rsplit(":", 1)[0] if ":" in v else v
            if key.endswith("mcast") or host != "127.0.0.1":
                raise ValueError(f"'qemu-args': {w} {val}: '{part}': only 127.0.0.1 is allowed")
            addrs += 1
        elif key.endswith("type") and v not in ("inet",):
            raise ValueError(f"'qemu-args': {w} {val}: '{part}': only inet on 127.0.0.1")
        elif key == "fd" or key.endswith(".str") or key.endswith(".path"):
            raise ValueError(f"'qemu-args': {w} {val}: '{part}' is not allowed")
    if not addrs:
        raise ValueError(f"'qemu-args': {w} {val}: give its addresses (127.0.0.1)")


_FWD_PLACEHOLDER = re.compile(r"^(\d+|\{[a-z_0-9]+\})$")


def _user_forwards(w, val):
    """A user netdev's hostfwd= (the host side on 127.0.0.1) and guestfwd=
    (to 127.0.0.1 only: a tcp:127.0.0.1:PORT chardev, or cmd: running
    mk/tool/minnow/tcprelay.py to 127.0.0.1): a guest reaches nothing
    past the host's loopback, and nothing past it reaches the guest."""
    for part in val.split(",")[1:]:
        key, _, v = part.partition("=")
        if key == "hostfwd":
            proto, _, rest = v.partition(":")
            if proto not in ("tcp", "udp", "") or not rest.startswith("127.0.0.1:"):
                raise ValueError(f"'qemu-args': {w} {val}: '{part}': the host side must be "
                                 "127.0.0.1 (hostfwd=tcp:127.0.0.1:PORT-GUEST:PORT)")
        elif key == "guestfwd":
            _, sep, dev = v.partition("-")
            if dev.startswith("tcp:"):
                ok = dev.startswith("tcp:127.0.0.1:") and \
                    _FWD_PLACEHOLDER.match(dev[len("tcp:127.0.0.1:"):].split(",")[0])
            elif dev.startswith("cmd:"):
                words = dev[4:].split()
                ok = len(words) >= 3 and words[-3].endswith("/tcprelay.py") and \
                    words[-2] == "127.0.0.1" and _FWD_PLACEHOLDER.match(words[-1])
            else:
                ok = False
            if not sep or not ok:
                raise ValueError(f"'qemu-args': {w} {val}: '{part}': a guestfwd may only "
                                 "reach 127.0.0.1 (-tcp:127.0.0.1:PORT, or -cmd: running "
                                 "tcprelay.py 127.0.0.1 PORT)")


def _qemu_args(arg):
    """Split and check a qemu-args line; ValueError if it is not allowed."""
    try:
        words = shlex.split(arg)
    except ValueError as e:
        raise ValueError(f"'qemu-args': {e}") from None
    if not words:
        raise ValueError("'qemu-args' needs QEMU arguments")
    for i, w in enumerate(words):
        opt = "-" + w.lstrip("-") if w.startswith("-") else None
        if opt in _HARNESS_OWNS:
            raise ValueError(f"'qemu-args': {w} is the harness's to set")
        if opt == "-qmp":
            val = words[i + 1] if i + 1 < len(words) else ""
            if not val.startswith("tcp:127.0.0.1:"):
                raise ValueError(f"'qemu-args': -qmp {val}: only tcp:127.0.0.1:PORT")
        if opt in _NET_OPTIONS:
            val = words[i + 1] if i + 1 < len(words) else ""
            kind = val.split(",")[0]
            if kind == "none" and opt != "-netdev":
                continue
            if opt == "-netdev" and kind in _LOCAL_BACKENDS:
                _loopback_only(w, val)
                continue
            if kind != "user" or "restrict=on" not in val.split(","):
                raise ValueError(f"'qemu-args': {w} {val}: a network must be "
                                 "'user' with restrict=on (no outside access), or "
                                 "dgram, stream or socket on 127.0.0.1")
            _user_forwards(w, val)
    return words


def _regex(arg):
    if not arg:
        raise ValueError("needs a regular expression")
    try:
        return re.compile(arg)
    except re.error as e:
        raise ValueError(f"bad regular expression '{arg}': {e}") from None


def parse_test(text, path):
    """Parse a .test file's text; raises ToolError listing every error."""
    spec = TestSpec(path)
    errors, seen = [], {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = _TRAILING_COMMENT.sub("", line).strip()
        words = line.split(None, 1)
        directive, arg = words[0], (words[1] if len(words) > 1 else "")
        try:
            if directive not in DIRECTIVES:
                raise ValueError(f"unknown directive '{directive}' (known: "
                                 + ", ".join(DIRECTIVES) + ")")
            if directive in _SINGLE and directive in seen:
                raise ValueError(f"second '{directive}' (the first is at line "
                                 f"{seen[directive]})")
            seen.setdefault(directive, lineno)
            if directive == "expect":
                spec.expects.append(Pattern(_regex(arg), lineno))
            elif directive == "reject":
                spec.rejects.append(Pattern(_regex(arg), lineno))
            elif directive == "build-fails":
                spec.build_fails = Pattern(_regex(arg), lineno)
            elif directive == "qemu-args":
                spec.qemu_args += _qemu_args(arg)
            elif directive == "monitor":
                if not arg:
                    raise ValueError("'monitor' needs a monitor command")
                spec.sends.append(Send(len(spec.expects), arg, lineno, monitor=True))
            elif directive == "screen":
                spec.screens.append(Pattern(_regex(arg), lineno))
            elif directive == "screen-reject":
                spec.screen_rejects.append(Pattern(_regex(arg), lineno))
            elif directive == "count":
                n, _, rx = arg.partition(" ")
                n = _number(n, int, 1, 10**7, "'count' needs a number of lines and a regex")
                spec.counts.append(Count(_regex(rx.strip()), n, lineno))
            elif directive == "peer":
                try:
                    spec.peer = shlex.split(arg)
                except ValueError as e:
                    raise ValueError(f"'peer': {e}") from None
                if not spec.peer:
                    raise ValueError("'peer' needs a command")
            elif directive == "pcap":
                macs = arg.split()
                if not 1 <= len(macs) <= 2 or not all(_MAC.match(m) for m in macs):
                    raise ValueError("'pcap' needs the guest's MAC, like 52:54:00:12:34:56, "
                                     "and may name the one peer it sends to")
                spec.pcap = arg
            elif directive == "send":
                if not arg:
                    raise ValueError("'send' needs the text to type")
                spec.sends.append(Send(len(spec.expects), unescape(arg), lineno))
            else:
                _value(spec, directive, arg)
        except ValueError as e:
            errors.append((lineno, str(e)))
    if "entry" not in seen:
        errors.append((1, "no 'entry' directive"))
    if "build-fails" in seen:
        # Such a test never boots, so boot-time checks would be ignored.
        for d in ("expect", "tap", "exit", "reject", "send", "qemu-args", "stop-when-matched",
                  "count", "monitor", "screen", "screen-reject", "peer", "pcap", "gdb"):
            if d in seen:
                errors.append((seen[d], f"'{d}' cannot be combined with "
                               "'build-fails' (the test does not boot)"))
    screen_pats = spec.screens + spec.screen_rejects
    if screen_pats and not spec.monitor:
        errors.append((screen_pats[0].line, "'screen' needs a 'monitor' command that "
                       "dumps the screen to {screen}"))
    if "stop-when-matched" in seen:
        # The guest is stopped, not powered off: there is no status to judge.
        if "exit" in seen:
            errors.append((seen["exit"], "'exit' cannot be combined with "
                           "'stop-when-matched' (QEMU is stopped, the guest never powers off)"))
        if not spec.expects:
            errors.append((seen["stop-when-matched"],
                           "'stop-when-matched' needs at least one 'expect'"))
    if "pcap" in seen and not any(w in ("-netdev", "--netdev") for w in spec.qemu_args):
        errors.append((seen["pcap"], "'pcap' needs a -netdev in 'qemu-args'"))
    if errors:
        errors.sort(key=lambda err: err[0])
        raise ToolError([at(path, ln, msg) for ln, msg in errors])
    spec.rejects = [Pattern(re.compile(r), 0) for r in IMPLIED_REJECTS] + spec.rejects
    return spec


def load_test(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise ToolError(f"{path}: cannot read: {e}") from None
    return parse_test(text, path)
