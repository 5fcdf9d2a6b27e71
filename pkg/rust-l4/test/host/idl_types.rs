//! Host tests of the Rust stubs generated from pkg/idltest/lib/types.idl:
//! requests written word by word into a host UTCB, as lib/client.c's
//! t_malformed() writes them, go through the generated dispatcher, and the
//! reply must be the C dispatcher's (gen_server.py): status word 0 or
//! -L4_Exxx, labels, counts.  The client stubs refuse over-bound arguments
//! before any IPC (the host binding answers every system call L4_ENOSYS).
use l4::idl::{Caller, CapArg, Dispatched, Mem};
use l4::{Any, L4Error, Tag, Utcb};

l4::gen!("libidltest", "idl/types.rs");
use types::*;

struct S {
    ran: u32,
}

impl Server for S {
    fn ints(&mut self, _: &mut Caller<'_>, a: i8, b: i16, c: i32, d: i64) -> Result<(i8, i16, i32, i64), L4Error> {
        self.ran += 1;
        Ok((!a, !b, !c, !d))
    }
    fn flags(&mut self, _: &mut Caller<'_>, a: bool, i: i32, u: u32) -> Result<bool, L4Error> {
        self.ran += 1;
        Ok(!a && i == -1 && u == 0xffff_ffff)
    }
    fn echo(&mut self, _: &mut Caller<'_>, s: &str) -> Result<(l4::idl::String, u32), L4Error> {
        self.ran += 1;
        Ok((s.chars().rev().collect(), s.len() as u32))
    }
    fn keep(&mut self, _: &mut Caller<'_>, n: Any) -> Result<u64, L4Error> {
        self.ran += 1;
        Ok(n.slot())
    }
    fn give(&mut self, _: &mut Caller<'_>) -> Result<CapArg, L4Error> {
        Ok(CapArg { slot: 9, rights: 2 })
    }
    fn fail(&mut self, _: &mut Caller<'_>, code: i32) -> Result<(), L4Error> {
        self.ran += 1;
        L4Error::check(code as i64)
    }
    fn poke(&mut self, _: &mut Caller<'_>, _v: u32, _note: &str) -> Result<(), L4Error> {
        self.ran += 1;
        Ok(())
    }
    fn share(&mut self, _: &mut Caller<'_>, m: Mem) -> Result<(u64, u32, Mem), L4Error> {
        self.ran += 1;
        Ok((m.addr, 4, m))
    }
}

/// A request of `words` (then `items` two-word items), dispatched; the
/// outcome, the reply's status word, and how many handlers ran.
fn raw(label: u32, words: &[u64], items: &[(u64, u64)]) -> (Dispatched, i64, u32, Utcb) {
    let mut u = Utcb::host();
    let n = words.len();
    u.mr_mut()[..n].copy_from_slice(words);
    for (k, &(a, b)) in items.iter().enumerate() {
        u.mr_mut()[n + 2 * k] = a;
        u.mr_mut()[n + 2 * k + 1] = b;
    }
    let mut s = S { ran: 0 };
    let d = dispatch(&mut s, &mut u, Tag::new(label, n, items.len()), 0x1dc);
    let st = u.mr()[0] as i64;
    (d, st, s.ran, u)
}

const EINVAL: i64 = -3;

#[test]
fn well_formed_requests_reach_the_handler() {
    let (d, st, ran, u) = raw(INTS_LABEL, &[1, 2, 3, 4], &[]);
    assert_eq!((d.status, st, ran), (Ok(()), 0, 1));
    assert_eq!(d.reply, Tag::new(INTS_LABEL, 5, 0));
    assert_eq!(u.mr()[1..5], [!1u8 as i8 as i64 as u64, !2i16 as i64 as u64, !3i32 as i64 as u64, !4u64]);
    let (d, _, _, u) = raw(ECHO_LABEL, &[3, u64::from_le_bytes(*b"abc\0\0\0\0\0")], &[]);
    assert_eq!(d.reply, Tag::new(ECHO_LABEL, 4, 0));
    assert_eq!(u.mr()[1..4], [3, u64::from_le_bytes(*b"cba\0\0\0\0\0"), 3]);
}

// lib/client.c t_malformed(), case by case.
#[test]
fn malformed_requests_are_refused_as_in_c() {
    let ok4 = [1, 2, 3, 4];
    let cases: [(&str, u32, &[u64], &[(u64, u64)]); 10] = [
        ("a word short", INTS_LABEL, &ok4[..3], &[]),
        ("300 in a uint8", UINTS_LABEL, &[300, 0, 0, 0], &[]),
        ("bool 2", FLAGS_LABEL, &[2, 0, 0], &[]),
        ("2^33 in an int32", FLAGS_LABEL, &[0, 1 << 33, 0], &[]),
        ("length over the bound", ECHO_LABEL, &[41, 0, 0, 0, 0, 0, 0], &[]),
        ("length past the message", ECHO_LABEL, &[16, 0x4141414141414141], &[]),
        ("a word too many", BLOB_LABEL, &[1, 'a' as u64, 0], &[]),
        ("no capability item", KEEP_LABEL, &[], &[]),
        ("no memory item", SHARE_LABEL, &[], &[]),
        ("a string that is not UTF-8", ECHO_LABEL, &[2, 0xfeff], &[]),
    ];
    for (what, label, words, items) in cases {
        let (d, st, ran, _) = raw(label, words, items);
        assert_eq!((d.status, st, ran), (Err(L4Error::INVAL), EINVAL, 0), "{}", what);
        assert_eq!(d.reply, Tag::new(label, 1, 0), "{}", what);
    }
    // the item of the wrong kind: memory where a capability belongs
    let (d, st, ran, _) = raw(KEEP_LABEL, &[], &[(3, 0x5000)]);
    assert_eq!((d.status, st, ran), (Err(L4Error::INVAL), EINVAL, 0));
    // a capability item: accepted, the handler sees where it landed
    let (d, _, ran, u) = raw(KEEP_LABEL, &[], &[(1 | 0xf << 8, 10)]);
    assert_eq!((d.status, ran, u.mr()[1]), (Ok(()), 1, 10));
}

#[test]
fn other_labels_are_nosys() {
    for label in [(IFACE_ID as u32) << 16 | 0xfff, 0x1234_5678] {
        let (d, st, ran, _) = raw(label, &[1, 2, 3, 4], &[]);
        assert_eq!((d.status, st, ran), (Err(L4Error::NOSYS), -1, 0));
        assert_eq!(d.reply, Tag::new(label, 1, 0));
    }
    // a handler the server does not define: its default answers L4_ENOSYS
    let (d, st, _, _) = raw(PEEKED_LABEL, &[], &[]);
    assert_eq!((d.status, st), (Ok(()), -1));
}

#[test]
fn handler_errors_are_the_reply_status() {
    let (d, st, ran, _) = raw(FAIL_LABEL, &[(-4i64) as u64], &[]);
    assert_eq!((d.status, st, ran, d.reply), (Ok(()), -4, 1, Tag::new(FAIL_LABEL, 1, 0)));
}

#[test]
fn messages_get_no_reply() {
    let (d, _, ran, _) = raw(POKE_LABEL, &[7, 2, u64::from_le_bytes(*b"hi\0\0\0\0\0\0")], &[]);
    assert_eq!((d.status, d.reply, ran), (Ok(()), Tag(0), 1));
    let (d, _, ran, _) = raw(POKE_LABEL, &[7, 9, 0], &[]); // note<8> of 9 bytes
    assert_eq!((d.status, d.reply, ran), (Err(L4Error::INVAL), Tag(0), 0));
}

#[test]
fn a_failed_receive_is_not_answered() {
    let mut u = Utcb::host();
    let mut s = S { ran: 0 };
    let t = Tag(Tag::new(INTS_LABEL, 4, 0).0 | 7 << 24); // L4_ETIMEOUT in the tag
    let d = dispatch(&mut s, &mut u, t, 0);
    assert_eq!((d.status, d.reply, s.ran), (Err(L4Error::TIMEOUT), Tag(0), 0));
}

#[test]
fn client_stubs_refuse_before_sending() {
    let mut u = Utcb::host();
    let ep = l4::Endpoint::from_slot(9);
    let long = "0123456789abcdefghijklmnopqrstuvwxyzABCDE"; // 41 > 40
    assert_eq!(echo(&mut u, ep, long).err(), Some(L4Error::INVAL));
    assert_eq!(blob(&mut u, ep, &[0u8; 101]).err(), Some(L4Error::INVAL));
    // within bounds the stub sends: the host has no kernel, L4_ENOSYS
    assert_eq!(echo(&mut u, ep, &long[..40]).err(), Some(L4Error::NOSYS));
}
