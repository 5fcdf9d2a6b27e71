"""``make bench-net``'s report: the rows of the comparison table (with
what answers on Minnow's side, or why nothing does), the printed table,
``bench-net.json`` and ``bench-net.png``."""

import datetime
import json
import os
import platform
import subprocess

from . import netstats
from .qemu import qemu_binary

SIZES = (64, 1472)          # bytes of UDP payload or ICMP data
WINDOW = 32                 # echoes in flight for the rates


def figure_list():
    """(key, row title, unit, what it needs: udp | icmp | iperf | icount)."""
    rows = []
    for p in ("udp", "icmp"):
        for size in SIZES:
            rows += [(f"{p}-rtt-p50-{size}", f"{p.upper()} echo {size} B round trip p50", "us", p),
                     (f"{p}-rtt-p99-{size}", f"{p.upper()} echo {size} B round trip p99", "us", p),
                     (f"{p}-rate-{size}", f"{p.upper()} echo {size} B, {WINDOW} in flight", "k/s", p)]
    rows += [("tcp-host-to-guest", "TCP iperf host -> guest", "Mbit/s", "iperf"),
             ("tcp-guest-to-host", "TCP iperf guest -> host (relay)", "Mbit/s", "iperf"),
             ("first-answer-udp", "QEMU start to first UDP echo", "s", "udp"),
             ("first-answer-icmp", "QEMU start to first ICMP echo", "s", "icmp")]
    for p in ("udp", "icmp"):
        for size, w in ((64, 1), (1472, 1), (64, WINDOW), (1472, WINDOW)):
            rows.append((f"{p}-insn-{size}-w{w}", f"insns per {p.upper()} echo {size} B, {w} in flight",
                         "insns", f"icount-{p}"))
    return rows


def guest_label(guest, need):
    if need.startswith("icount"):
        what = getattr(guest, need.split("-")[1])
        return (what + ", spinner's count") if guest.udp and what else None
    return getattr(guest, need)


def rows_of(guests, vals):
    lin, mnw = guests
    rows = []
    for key, title, unit, need in figure_list():
        sl = vals["linux"].get(key)
        sm = vals["minnow"].get(key)
        label = guest_label(mnw, need)
        note = ""
        if sm is None:
            label = mnw.skip.get(key) or mnw.skip.get(need.split("-")[0], "not measured")
        if sl is None and lin.skip.get(key):
            note = f"Linux: {lin.skip[key]}"
        if "rate" in key:
            lost = [sum(vals[g].get(key.replace("rate", "lost"), [])) for g in ("linux", "minnow")]
            note = f"lost: Linux {lost[0]}, Minnow {lost[1]}" if any(lost) else note
        rows.append((key, title, unit, sl and netstats.summary(sl), sm and netstats.summary(sm),
                     label or "-", note))
    return rows


def machine():
    cpu = ""
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    qemu = subprocess.run([qemu_binary(), "--version"], capture_output=True, text=True).stdout
    return {"cpu": cpu, "cores": os.cpu_count(), "host": platform.platform(),
            "qemu": qemu.splitlines()[0] if qemu else "?", "load": os.getloadavg()}


def plot(path, rows):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("bench-net: no plot: python3-matplotlib is missing (mk/install-deps.sh)")
        return False
    groups = {}
    for key, title, unit, lin, mnw, _, _ in rows:
        if lin or mnw:
            groups.setdefault(unit, []).append((title, lin, mnw))
    names = {"us": "round trip, us (wall, TCG)", "k/s": "echoes per second, thousands (wall, TCG)",
             "Mbit/s": "iperf2 TCP, Mbit/s (wall, TCG)", "s": "QEMU start to first answer, s (wall)",
             "insns": "guest instructions per echo (-icount shift=0)"}
    fig, axes = plt.subplots(len(groups), 1, figsize=(9, 1 + sum(0.5 * len(v) + 0.6 for v in groups.values())),
                             gridspec_kw={"height_ratios": [len(v) + 1 for v in groups.values()]},
                             squeeze=False)
    for ax, (unit, items) in zip(axes[:, 0], groups.items()):
        y = range(len(items))
        for off, idx, color, name in ((-0.2, 1, "#c44e52", "Linux"), (0.2, 2, "#4c72b0", "Minnow")):
            xs = [it[idx]["median"] if it[idx] else 0 for it in items]
            err = [[(it[idx]["median"] - it[idx]["min"]) if it[idx] else 0 for it in items],
                   [(it[idx]["max"] - it[idx]["median"]) if it[idx] else 0 for it in items]]
            ax.barh([v + off for v in y], xs, height=0.4, color=color, label=name, xerr=err)
        ax.set_yticks(list(y))
        ax.set_yticklabels([it[0] for it in items], fontsize=7)
        ax.invert_yaxis()
        ax.set_title(names.get(unit, unit), fontsize=9)
        ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def report(opts, guests, vals):
    """Print the table, write the JSON and the plot; 0."""
    rows = rows_of(guests, vals)
    m = machine()
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    info = opts.linux
    print(f"\nMinnow against a Linux guest ({when}; {m['qemu']}, TCG, -M pc, e1000; {m['cpu']}, "
          f"{m['cores']} cores, load {m['load'][0]:.1f})")
    print(f"Linux: {' '.join(f'{k}={v}' for k, v in sorted(info['packages'].items()))}; "
          f"e1000 {info['e1000']}; append '{info['cmdline']}'")
    print(f"{opts.sets} sets, boots alternated; wall figures: median [min-max] of the sets, "
          f"{opts.rtt_n} round trips and {opts.rate_n} echoes a set and size; instructions: "
          f"median [min-max] of {opts.intervals} intervals of {opts.icount_n} echoes (not cycles)")
    print("\n".join(netstats.table([(t, u, l, mn, lab, note) for _, t, u, l, mn, lab, note in rows])))
    out = os.path.join(opts.builddir, "bench-net.json")
    doc = {"date": when, "machine": m, "linux": info, "sets": opts.sets, "window": WINDOW,
           "figures": {k: {"title": t, "unit": u, "linux": vals["linux"].get(k),
                           "minnow": vals["minnow"].get(k), "minnow_side": lab,
                           "ratio": netstats.ratio(mn and mn["median"], l and l["median"])}
                       for k, t, u, l, mn, lab, _ in rows},
           "lost": {g: {k: v for k, v in vals[g].items() if "-lost-" in k} for g in vals}}
    with open(out, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
    png = os.path.splitext(out)[0] + ".png"
    print(f"written: {out}" + (f", {png}" if plot(png, rows) else ""))
    return 0
