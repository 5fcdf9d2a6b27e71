"""The Minnow IDL compiler: interface definitions to C stubs.

    interface console "Text console" {
        rpc write(in string text, out int written);
        rpc read(in uint32 max, out string<128> text);
        message input_ready();
    };

lexer.py (tokens) -> parser.py (model.py objects) -> checker.py (names,
sizes, labels) -> gen_client.py / gen_server.py (C headers), gen_rust.py (Rust module); gen_common.py
holds the wire format.  Errors are IdlError: `file:line:col: message`.

Labels: label = interface_id << 16 | index, interface_id = FNV-1a-32 of the
interface name folded to 16 bits, index = 1.. in declaration order (see
checker.py).  Both headers define IFACE_IFACE_ID and IFACE_METHOD_LABEL.
"""

from .checker import check
from .errors import IdlError
from .parser import parse
from . import gen_client, gen_rust, gen_server


def compile_text(text, path):
    """Parse and check; the list of interfaces.  Raises IdlError."""
    return check(parse(text, path), path)


def guard_for(out_path, suffix):
    import os
    import re
    stem = os.path.basename(out_path) if out_path else suffix
    return "MINNOW_IDL_" + re.sub(r"[^A-Za-z0-9]", "_", stem).upper()


def client_header(interfaces, path, out_path="client.h"):
    return gen_client.generate(interfaces, path, guard_for(out_path, "client.h"))


def server_header(interfaces, path, out_path="server.h"):
    return gen_server.generate(interfaces, path, guard_for(out_path, "server.h"))


def rust_module(interfaces, path):
    return gen_rust.generate(interfaces, path)


__all__ = ["IdlError", "compile_text", "client_header", "server_header", "rust_module"]
