//! The runtime: `main!` (from crt0's main() to a Rust function), the panic
//! handler, the global allocator (libc's malloc) and `print!`/`println!`
//! on the kernel debug console.
use crate::env::Env;
use crate::error::L4Error;

use core::fmt::{self, Write};

/// The exit status of a program that panicked (the root task reports it).
pub const PANIC_STATUS: i32 = 101;

/// What a program's main function may return: nothing, an exit status, or
/// a Result whose error is printed ("NAME: TEXT") and exits with status 1.
pub trait Status {
    fn status(self, env: &Env) -> i32;
}
impl Status for () {
    fn status(self, _: &Env) -> i32 {
        0
    }
}
impl Status for i32 {
    fn status(self, _: &Env) -> i32 {
        self
    }
}
impl Status for Result<(), L4Error> {
    fn status(self, env: &Env) -> i32 {
        match self {
            Ok(()) => 0,
            Err(e) => {
                crate::println!("{}: {}", env.name, e);
                1
            }
        }
    }
}

/// The program's main: `l4::main!(run);` with `fn run(u: &mut Utcb, env: &Env) -> ...`.
#[macro_export]
macro_rules! main {
    ($f:path) => {
        #[no_mangle]
        pub extern "C" fn main(argc: i32, argv: *const *const u8) -> i32 {
            $crate::rt::__start(argc, argv, $f)
        }
    };
}

#[doc(hidden)]
#[cfg(not(any(test, l4_host)))]
pub fn __start<S: Status>(argc: i32, argv: *const *const u8, f: fn(&mut crate::sys::Utcb, &Env) -> S) -> i32 {
    let env = Env::__new(crate::sys::args(argc, argv));
    set_name(env.name);
    let mut u = crate::sys::Utcb::__first_thread();
    f(&mut u, &env).status(&env)
}

#[cfg(not(any(test, l4_host)))]
fn set_name(n: &'static str) {
    crate::sys::set_program_name(n);
}

#[cfg(not(any(test, l4_host)))]
fn name() -> &'static str {
    crate::sys::program_name()
}

/// Formats into a line buffer and writes it to the debug console in pieces
/// of at most 256 bytes, so a line normally leaves in one system call.
struct Console {
    buf: [u8; 256],
    n: usize,
}

impl Console {
    fn flush(&mut self) {
        crate::sys::debug_write(&self.buf[..self.n]);
        self.n = 0;
    }
}

impl Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            if self.n == self.buf.len() {
                self.flush();
            }
            self.buf[self.n] = b;
            self.n += 1;
        }
        Ok(())
    }
}

#[doc(hidden)]
pub fn _print(args: fmt::Arguments<'_>) {
    let mut c = Console { buf: [0; 256], n: 0 };
    let _ = c.write_fmt(args);
    c.flush();
}

#[macro_export]
macro_rules! print {
    ($($a:tt)*) => { $crate::rt::_print(format_args!($($a)*)) };
}
#[macro_export]
macro_rules! println {
    () => { $crate::rt::_print(format_args!("\n")) };
    ($($a:tt)*) => { $crate::rt::_print(format_args!("{}\n", format_args!($($a)*))) };
}

/// A panic is reported on the console and ends the program with
/// PANIC_STATUS; the root task sees the exit like any other.
#[cfg(not(any(test, l4_host)))]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    match info.location() {
        Some(l) => crate::println!("{}: panicked at {}:{}: {}", name(), l.file(), l.line(), info.message()),
        None => crate::println!("{}: panicked: {}", name(), info.message()),
    }
    crate::sys::exit_program(PANIC_STATUS)
}

#[cfg(not(any(test, l4_host)))]
#[global_allocator]
static ALLOC: crate::sys::Malloc = crate::sys::Malloc;
