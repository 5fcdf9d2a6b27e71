//! idlbench's Rust half: the server thread (the dispatcher gen_rust.py
//! makes from bench.idl) and one client call through the Rust stubs per
//! function, which main.c times as it times the C stubs.
#![no_std]
extern crate alloc;

use l4::idl::{self, Caller, String};
use l4::{Endpoint, L4Error, Utcb};

l4::gen!("idl/bench.rs");

/// The string echo() sends (main.c sends the same).
const TEXT: &str = "0123456789abcdefghijklmnopqrstuv";

struct Server;

impl bench::Server for Server {
    fn add(&mut self, _: &mut Caller<'_>, a: u64, b: u64) -> Result<u64, L4Error> {
        Ok(a.wrapping_add(b))
    }
    fn echo(&mut self, _: &mut Caller<'_>, s: &str) -> Result<String, L4Error> {
        Ok(String::from(s))
    }
}

/// The Rust server thread's body on endpoint `ep` (main.c starts it).
#[no_mangle]
pub extern "C" fn rs_serve(ep: u64) -> ! {
    // SAFETY: this thread's only Utcb: main.c started the thread for this.
    let mut u = unsafe { Utcb::from_current_thread() };
    idl::serve(&mut u, Endpoint::from_slot(ep), |u, tag, badge| bench::dispatch(&mut Server, u, tag, badge))
}

/// One add() through the Rust client stub: the sum, or u64::MAX on an error.
#[no_mangle]
pub extern "C" fn rs_add(ep: u64, a: u64, b: u64) -> u64 {
    // SAFETY: the calling (main) thread holds no other Utcb while this runs.
    let mut u = unsafe { Utcb::from_current_thread() };
    bench::add(&mut u, Endpoint::from_slot(ep), a, b).unwrap_or(u64::MAX)
}

/// One echo(TEXT) through the Rust client stub: 1 if TEXT came back, else 0.
#[no_mangle]
pub extern "C" fn rs_echo(ep: u64) -> i32 {
    // SAFETY: as rs_add().
    let mut u = unsafe { Utcb::from_current_thread() };
    matches!(bench::echo(&mut u, Endpoint::from_slot(ep), TEXT), Ok(r) if r == TEXT) as i32
}
