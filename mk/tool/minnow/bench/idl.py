"""IDL calls (pkg/idlbench, a boot of its own): one call between two
threads of a task through the C stubs to a C server, and through the Rust
stubs (doc/rust.md) to a Rust server: add (two uint64 in, one out) and
echo32 (a 32-byte string each way)."""

ENTRY = "idlbench"
TITLE = "IDL stubs, C and Rust"
QEMU_ARGS = []


def select(figs):
    return {n: f for n, f in figs.items() if n.startswith("idl-")}


def ratios(wall):
    """Rust stubs against C stubs in wall time (TCG, one run)."""
    out = []
    for name, fig in wall.items():
        if name.startswith("idl-rust-"):
            other = "idl-c-" + name[len("idl-rust-"):]
            c = wall.get(other)
            if c and c.get("median") and "median" in fig:
                out.append((f"{name} / {other}", fig["median"] / c["median"]))
    return out
