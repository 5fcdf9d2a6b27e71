"""IPC traces: the kernel's "ipc:" lines (kernel/kdebug.c, printed when the
kernel command line has the word ``ipctrace``) read back and drawn as a
sequence diagram in SVG.

One line per delivered message, as the receiver saw it::

    ipc: tick 12 client -> names label 0x2 words 3 items 1 caps 1 badge 0x1
"""

import html
import os
import re
from dataclasses import dataclass

from .diag import ToolError

# The kernel's line may follow a program's unfinished one on the same
# serial line (a shell's prompt, "minnow> ipc: tick ..."): found anywhere
# after a line start or a space, not only at the start.
_LINE = re.compile(r"(?:^|.*\s)ipc: tick (\d+) (\S+) -> (\S+) label (0x[0-9a-f]+|0) words (\d+) "
                   r"items (\d+) caps (\d+) badge (0x[0-9a-f]+|0)\s*$")
_LABEL_DEFINE = re.compile(r"^#define L4_LABEL_(\w+)\s+(0x[0-9a-fA-F]+)u?\b")


@dataclass
class Message:
    tick: int
    sender: str
    receiver: str
    label: int
    words: int
    items: int
    caps: int
    badge: int


def parse_trace(lines):
    """The messages among ``lines`` (other serial output is skipped)."""
    out = []
    for line in lines:
        m = _LINE.match(line.rstrip("\r\n"))
        if m:
            t, s, r, label, words, items, caps, badge = m.groups()
            out.append(Message(int(t), s, r, int(label, 16), int(words), int(items),
                               int(caps), int(badge, 16)))
    return out


_IDL_DEFINE = re.compile(r"^#define (\w+)_LABEL\s+(0x[0-9a-fA-F]+)u?\b")


def kernel_labels(abi_header):
    """{value: name} of the labels the kernel itself sends (<l4/sys/abi.h>)."""
    names = {}
    with open(abi_header, encoding="utf-8") as f:
        for line in f:
            m = _LABEL_DEFINE.match(line)
            if m:
                names[int(m.group(2), 16)] = m.group(1).lower()
    return names


def idl_labels(builddir):
    """{value: name} of every IDL operation: the generated *_client.h headers
    below ``builddir`` define INTERFACE_OPERATION_LABEL."""
    names = {}
    for dirpath, _, files in os.walk(builddir):
        for fn in files:
            if not fn.endswith("_client.h"):
                continue
            with open(os.path.join(dirpath, fn), encoding="utf-8") as f:
                for line in f:
                    m = _IDL_DEFINE.match(line)
                    if m:
                        names[int(m.group(2), 16)] = m.group(1).lower()
    return names


def describe(msg, labels):
    """The text written on a message's arrow."""
    text = labels.get(msg.label, f"label {msg.label:#x}")
    text += f" ({msg.words}w"
    if msg.items:
        text += f", {msg.items} item{'s' if msg.items > 1 else ''}"
    text += ")"
    if msg.badge:
        text += f" badge {msg.badge:#x}"
    return text


def participants(messages):
    """Everyone who sent or received, in order of first appearance."""
    seen = []
    for m in messages:
        for name in (m.sender, m.receiver):
            if name not in seen:
                seen.append(name)
    return seen


COL = 150          # pixels between lifelines
ROW = 26           # pixels between messages
TOP = 60


def to_svg(messages, labels, title):
    """A sequence diagram: one lifeline per program (thread name), one arrow
    per message in the order the kernel delivered them; arrows that move
    capabilities are drawn thick and blue, with the count."""
    if not messages:
        raise ToolError("no IPC messages in the trace (was the kernel booted with 'ipctrace'?)")
    who = participants(messages)
    x = {name: 80 + i * COL for i, name in enumerate(who)}
    width = 80 + len(who) * COL
    height = TOP + (len(messages) + 1) * ROW + 20
    e = html.escape
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           '<defs><marker id="head" markerWidth="8" markerHeight="8" refX="8" refY="4" '
           'orient="auto" markerUnits="userSpaceOnUse"><path d="M0,0 L8,4 L0,8 z"/></marker></defs>',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="10" y="18" font-size="13" font-weight="bold">{e(title)}</text>']
    for name in who:
        out.append(f'<text class="participant" x="{x[name]}" y="{TOP - 12}" '
                   f'text-anchor="middle" font-weight="bold">{e(name)}</text>')
        out.append(f'<line x1="{x[name]}" y1="{TOP - 6}" x2="{x[name]}" y2="{height - 10}" '
                   'stroke="#999" stroke-dasharray="4,3"/>')
    for i, m in enumerate(messages):
        y = TOP + (i + 1) * ROW
        x1, x2 = x[m.sender], x[m.receiver]
        style = 'stroke="#1f5fbf" stroke-width="2.5"' if m.caps else 'stroke="black"'
        text = describe(m, labels) + (f" +{m.caps} cap{'s' if m.caps > 1 else ''}"
                                      if m.caps else "")
        if x1 == x2:            # to another thread of the same name: a loop
            out.append(f'<path class="msg" d="M{x1},{y - 8} h30 v8 h-28" fill="none" {style} '
                       'marker-end="url(#head)"/>')
            out.append(f'<text x="{x1 + 34}" y="{y - 2}">{e(text)}</text>')
        else:
            out.append(f'<line class="msg" x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" {style} '
                       'marker-end="url(#head)"/>')
            out.append(f'<text x="{(x1 + x2) / 2}" y="{y - 4}" text-anchor="middle">'
                       f'{e(text)}</text>')
        out.append(f'<text x="4" y="{y + 4}" fill="#777">{m.tick}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write_png(svg_path, png_path, which):
    """PNG through rsvg-convert (Debian: librsvg2-bin); None if it is missing."""
    import subprocess
    tool = which("rsvg-convert")
    if tool is None:
        return None
    subprocess.run([tool, "-o", png_path, svg_path], check=True)
    return png_path if os.path.isfile(png_path) else None
