//! greeter-rs-client: pkg/greeter's client in Rust.  Finds "greeter"
//! through the name service and greets each argument through the stubs
//! generated from greeter.idl.  Exit status 0, or 1 with a message.
#![no_std]
extern crate alloc;

use l4::{ipc, println, Endpoint, Env, L4Error, Utcb};

l4::gen!("libgreeter", "idl/greeter.rs");
l4::gen!("libnames", "idl/names.rs");

const TRIES: u32 = 50;       // lookups before giving up
const PAUSE_US: u32 = 10000; // between them: one timer tick

/// names_get() of <names.h>: look `name` up, waiting while it is not yet
/// published; the capability lands in `slot` (the receive window is
/// opened there for the call only).
fn names_get(u: &mut Utcb, names: Endpoint, name: &str, slot: u64) -> Result<Endpoint, L4Error> {
    let window = u.cap_window();
    let mut i = 1;
    loop {
        u.set_cap_window(slot, 1);
        let got = names::lookup(u, names, name);
        u.set_cap_window_raw(window);
        match got {
            Err(L4Error::NOCAP) if i < TRIES => ipc::sleep_us(u, PAUSE_US)?,
            Err(e) => return Err(e),
            Ok(_) => return Ok(Endpoint::from_slot(slot)),
        }
        i += 1;
    }
}

fn run(u: &mut Utcb, env: &Env) -> i32 {
    let Some(names) = env.cap("names") else {
        println!("{}: no 'names' capability (caps=names in the boot config)", env.name);
        return 1;
    };
    // The server starts before us but may not have published yet.
    let greeter_ep = match names_get(u, names, "greeter", env.first_free_slot()) {
        Ok(ep) => ep,
        Err(e) => {
            let why = if e == L4Error::NOCAP { "nothing published under that name" } else { e.text() };
            println!("{}: cannot find 'greeter': {}", env.name, why);
            return 1;
        }
    };
    for who in env.args.iter().skip(1) {
        match greeter::greet(u, greeter_ep, who) {
            Ok(text) => println!("{}: {}", env.name, text),
            Err(e) => {
                println!("{}: greet(\"{}\"): {}", env.name, who, e);
                return 1;
            }
        }
    }
    0
}

l4::main!(run);
