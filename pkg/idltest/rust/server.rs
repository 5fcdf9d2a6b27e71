//! The types server in Rust (idltest-rs): c/server.c's handlers behind the
//! dispatcher generated from types.idl, run by the thread lib/client.c
//! starts; the C client's every call and every malformed request it sends
//! by hand must come out as they do from the C server.
#![no_std]
extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use l4::abi::{l4_fpage, l4_mem_rights, l4_rights};
use l4::idl::{self, Caller, CapArg, Mem};
use l4::msg::fpage;
use l4::{Any, Cap, L4Error, Notification, Task, Utcb};

l4::gen!("libidltest", "idl/types.rs");

const CLIENT_BADGE: u64 = 0x1dc; // idltest.h

struct Server {
    ep: u64,
    cli_mem: u64,
    poked: u32,
    note: String,
}

#[repr(align(4096))]
struct Page([u64; 512]);
/// The page share() maps back to the client.
static mut OWN: Page = Page([0; 512]);

impl types::Server for Server {
    fn ints(&mut self, cx: &mut Caller<'_>, a: i8, b: i16, c: i32, d: i64) -> Result<(i8, i16, i32, i64), L4Error> {
        if cx.badge != CLIENT_BADGE {
            return Err(L4Error::PERM);
        }
        Ok((!a, !b, !c, !d))
    }
    fn uints(&mut self, _: &mut Caller<'_>, a: u8, b: u16, c: u32, d: u64) -> Result<(u8, u16, u32, u64), L4Error> {
        Ok((!a, !b, !c, !d))
    }
    fn flags(&mut self, _: &mut Caller<'_>, a: bool, i: i32, u: u32) -> Result<bool, L4Error> {
        Ok(!a && i == -1 && u == 0xffff_ffff)
    }
    fn arrays(&mut self, _: &mut Caller<'_>, v: &[i16; 5], f: &[bool; 3], b: &[u8; 9])
              -> Result<([i16; 5], [bool; 3], [u8; 9]), L4Error> {
        let (mut rv, mut rb) = (*v, *b);
        rv.reverse();
        rb.reverse();
        Ok((rv, f.map(|x| !x), rb))
    }
    fn echo(&mut self, _: &mut Caller<'_>, s: &str) -> Result<(String, u32), L4Error> {
        Ok((s.chars().rev().collect(), s.len() as u32))
    }
    fn longest(&mut self, _: &mut Caller<'_>, s: &str) -> Result<u32, L4Error> {
        Ok(s.len() as u32)
    }
    fn blob(&mut self, _: &mut Caller<'_>, b: &[u8]) -> Result<Vec<u8>, L4Error> {
        Ok(b.iter().map(|x| x.wrapping_add(1)).collect())
    }
    /// Use the notification it received, then drop it (the window is free again).
    fn keep(&mut self, cx: &mut Caller<'_>, n: Any) -> Result<u64, L4Error> {
        let n: Notification = n.cast();
        let r = n.signal(cx.utcb, 5);
        let _ = Task::from_slot(1).delete(cx.utcb, n); // L4_CAP_SELF: this is the root task
        r.map(|_| n.slot())
    }
    fn give(&mut self, _: &mut Caller<'_>) -> Result<CapArg, L4Error> {
        Ok(CapArg { slot: self.ep, rights: l4_rights::WRITE as u8 })
    }
    fn fail(&mut self, _: &mut Caller<'_>, code: i32) -> Result<(), L4Error> {
        L4Error::check(code as i64)
    }
    fn poke(&mut self, _: &mut Caller<'_>, v: u32, note: &str) -> Result<(), L4Error> {
        self.poked = v;
        self.note = String::from(note);
        Ok(())
    }
    fn peeked(&mut self, _: &mut Caller<'_>) -> Result<(u32, String), L4Error> {
        Ok((self.poked, self.note.clone()))
    }
    /// Sum the page it was given and, when it may write, double its words;
    /// map a page of our own back.
    fn share(&mut self, _: &mut Caller<'_>, m: Mem) -> Result<(u64, u32, Mem), L4Error> {
        let rights = l4_fpage::rights_extract(m.fpage);
        let w = m.addr as *mut u64;
        let mut sum = 0u64;
        for i in 0..512 {
            // SAFETY: the kernel mapped the sender's page at m.addr (inside
            // our memory window) for this call; volatile: it is shared.
            unsafe {
                sum = sum.wrapping_add(w.add(i).read_volatile());
                if rights & l4_mem_rights::W as u64 != 0 {
                    w.add(i).write_volatile(w.add(i).read_volatile().wrapping_mul(2));
                }
            }
        }
        // SAFETY: OWN is only touched by this thread.
        let own = unsafe { &mut *core::ptr::addr_of_mut!(OWN) };
        for (i, x) in own.0.iter_mut().enumerate() {
            *x = 3 * i as u64;
        }
        let back = Mem { fpage: fpage(own.0.as_ptr() as u64, 12, l4_mem_rights::R as u64), addr: self.cli_mem };
        Ok((sum, rights as u32, back))
    }
}

/// The server thread (idltest.h); lib/client.c's main runs the client.
#[no_mangle]
pub extern "C" fn idltest_serve(ep: u64, srv_window: u64, srv_mem: u64, cli_mem: u64) -> ! {
    // SAFETY: this thread's only Utcb: client.c started it just for this.
    let mut u = unsafe { Utcb::from_current_thread() };
    u.set_cap_window(srv_window, 1);
    u.set_mem_window(fpage(srv_mem, 21, 0));
    let mut s = Server { ep, cli_mem, poked: 0, note: String::new() };
    idl::serve(&mut u, Cap::from_slot(ep), |u, tag, badge| types::dispatch(&mut s, u, tag, badge))
}
