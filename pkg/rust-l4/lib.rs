//! The `l4` crate: Minnow's libl4 for Rust programs (doc/rust.md).
//!
//! Layers, as in the C library: `sys` is the binding (the only module with
//! `unsafe`: foreign calls into libl4 through shim.c and the UTCB pointer);
//! `abi` is generated from libl4/lib/abi_layout.dev, the description the C
//! side uses; above them, safe types: capabilities as typed handles (`cap`),
//! messages (`msg`, `ipc`), `Result<T, L4Error>` (`error`), the program's
//! environment (`env`), the runtime (`rt`: panic handler, allocator,
//! `println!`, `main!`) and what IDL-generated Rust code uses (`idl`).
//!
//! Built `--cfg l4_host` for host unit tests (`rustc --test`): the binding
//! then gives a UTCB in host memory and no system calls.
#![no_std]
#![deny(unsafe_code, unsafe_op_in_unsafe_fn)]

extern crate alloc;
#[cfg(any(test, l4_host))]
extern crate std;

/// Include a Rust file the build generated: `gen!("libgreeter", "idl/greeter.rs")`
/// for a library in REQUIRES_LIBS, `gen!("idl/x.rs")` for the package's own
/// (mk/rust.mk sets MINNOW_GEN and MINNOW_GEN_<lib>).
#[macro_export]
macro_rules! gen {
    ($lib:literal, $file:literal) => {
        include!(concat!(env!(concat!("MINNOW_GEN_", $lib)), "/", $file));
    };
    ($file:literal) => {
        include!(concat!(env!("MINNOW_GEN"), "/", $file));
    };
}

/// The ABI's bit layouts, generated from libl4/lib/abi_layout.dev.
pub mod abi {
    gen!("libl4", "layout/l4/sys/abi_layout.rs");
}

#[allow(unsafe_code)] // the one module that may
#[cfg_attr(not(any(test, l4_host)), path = "sys.rs")]
#[cfg_attr(any(test, l4_host), path = "sys_host.rs")]
pub mod sys;

pub mod cap;
pub mod env;
pub mod error;
pub mod idl;
pub mod ipc;
pub mod msg;
pub mod rt;

pub use cap::{Any, Cap, Endpoint, Irq, Notification, Task, Thread};
pub use env::Env;
pub use error::L4Error;
pub use msg::{MsgReader, MsgWriter, Tag};
pub use sys::Utcb;

#[cfg(test)]
mod tests;
