//! rust-hello: greets each argument, shows what alloc gives a Rust program,
//! and panics when its first argument is "panic" (the panic test).
#![no_std]
extern crate alloc;

use alloc::{boxed::Box, string::String, vec::Vec};
use l4::{println, Env, Utcb};

fn run(_u: &mut Utcb, env: &Env) -> i32 {
    println!("{}: hello from Rust, {} argument(s)", env.name, env.args.len().saturating_sub(1));
    if env.args.get(1) == Some(&"panic") {
        let v: Vec<u32> = Vec::new();
        println!("{}: about to index an empty Vec", env.name);
        println!("{}", v[3]);
    }
    let mut words: Vec<String> = env.args.iter().skip(1).map(|a| String::from(*a)).collect();
    words.sort();
    let total: Box<usize> = Box::new(words.iter().map(|w| w.len()).sum());
    for w in &words {
        println!("{}: hello, {}!", env.name, w);
    }
    println!("{}: {} bytes of arguments, sorted: {:?}", env.name, total, words);
    for (name, cap) in env.caps() {
        println!("{}: capability '{}' in slot {}", env.name, name, cap.slot());
    }
    0
}

l4::main!(run);
