//! greeter-rs-server: pkg/greeter's server in Rust.  Publishes its endpoint
//! with the name service as "greeter", then answers greet() through the
//! dispatcher generated from greeter.idl; C clients cannot tell it apart.
#![no_std]
extern crate alloc;

use alloc::{format, string::String, vec::Vec};
use l4::idl::{self, Caller, CapArg};
use l4::{println, Endpoint, Env, L4Error, Utcb};

l4::gen!("libgreeter", "idl/greeter.rs");
l4::gen!("libnames", "idl/names.rs");

const MAX_CLIENTS: usize = 16;

/// Calls per client, told apart by the badge the name service minted.
struct Greeter {
    me: &'static str,
    calls: Vec<(u64, u32)>,
}

impl greeter::Server for Greeter {
    fn greet(&mut self, cx: &mut Caller<'_>, who: &str) -> Result<String, L4Error> {
        if who.is_empty() {
            return Err(L4Error::INVAL);
        }
        let n = match self.calls.iter().position(|c| c.0 == cx.badge) {
            Some(i) => i,
            None if self.calls.len() == MAX_CLIENTS => return Err(L4Error::NOMEM),
            None => {
                self.calls.push((cx.badge, 0));
                self.calls.len() - 1
            }
        };
        self.calls[n].1 += 1;
        println!("{}: greet(\"{}\") from client {}, call {}", self.me, who, cx.badge, self.calls[n].1);
        Ok(format!("Hello, {}!", who))
    }
}

fn run(u: &mut Utcb, env: &Env) -> i32 {
    let Some(names) = env.cap::<l4::cap::EndpointKind>("names") else {
        println!("{}: no 'names' capability (caps=names in the boot config)", env.name);
        return 1;
    };
    // Write-only: clients may call us but not receive our requests.
    // Unbadged: the name service badges each client's copy.
    let me = CapArg { slot: env.server().slot(), rights: l4::abi::l4_rights::WRITE as u8 };
    if let Err(e) = names::publish(u, names, "greeter", me) {
        let why = if e == L4Error::SLOT { "the name is taken" } else { e.text() };
        println!("{}: cannot publish 'greeter': {}", env.name, why);
        return 1;
    }
    let mut g = Greeter { me: env.name, calls: Vec::new() };
    let ep: Endpoint = env.server();
    idl::serve(u, ep, |u, tag, badge| greeter::dispatch(&mut g, u, tag, badge))
}

l4::main!(run);
