//! Host unit tests of the safe layer (`rustc --test`, test/host/Makefile):
//! tags, errors, the message writer and reader, the IDL scalars.  The
//! binding is sys_host.rs: a UTCB in host memory.
use crate::abi::{l4_item, l4_tag};
use crate::error::L4Error;
use crate::idl::{self, Scalar};
use crate::msg::{fpage, MsgReader, MsgWriter, Tag};
use crate::sys::{Utcb, MR_COUNT, UNTYPED_MAX};

#[test]
fn tag_fields_round_trip_and_match_the_c_macro() {
    let t = Tag::new(0x68fe_0001, 5, 2);
    assert_eq!((t.label(), t.untyped(), t.typed()), (0x68fe_0001, 5, 2));
    // L4_TAG(label, untyped, typed) in abi.h
    assert_eq!(t.0, (0x68fe_0001u64 << 32) | (2 << 8) | (1 << 7) | 5);
    // the typed count is read only with the items flag; the flag only with items
    assert_eq!(Tag(t.0 & !(1 << 7)).typed(), 0);
    assert_eq!(Tag::new(1, 3, 0).0 & (1 << 7), 0);
    assert_eq!(Tag::new(1, 127, 63).untyped(), 127);
    assert!(t.result().is_ok());
    let e = Tag(t.0 | (l4_tag::ERROR_TIMEOUT << l4_tag::ERROR_SHIFT));
    assert_eq!(e.result(), Err(L4Error::TIMEOUT));
}

#[test]
fn errors_follow_the_c_convention() {
    assert_eq!(L4Error::check(0), Ok(()));
    assert_eq!(L4Error::check(-3), Err(L4Error::INVAL));
    assert_eq!(L4Error::check(-12), Err(L4Error::STATE));
    assert_eq!(L4Error::INVAL.code(), -3);
    // positive or outside the tag's 8-bit field: a malformed status
    assert_eq!(L4Error::check(7), Err(L4Error::INVAL));
    assert_eq!(L4Error::check(-256), Err(L4Error::INVAL));
    assert_eq!(L4Error::check(-255).map_err(|e| e.number()), Err(255));
}

#[test]
fn writer_packs_bytes_little_endian_and_pads() {
    let mut u = Utcb::host();
    u.mr_mut()[2] = 0xdead_beef; // stale contents must not leak into padding
    let mut w = MsgWriter::new(&mut u);
    w.word(7).unwrap();
    w.bytes(b"abcdefghi", 16).unwrap();
    assert_eq!(w.len(), 4);
    let t = w.finish(9).unwrap();
    assert_eq!((t.label(), t.untyped(), t.typed()), (9, 4, 0));
    assert_eq!(u.mr()[..4], [7, 9, u64::from_le_bytes(*b"abcdefgh"), b'i' as u64]);
}

#[test]
fn writer_refuses_what_does_not_fit() {
    let mut u = Utcb::host();
    let mut w = MsgWriter::new(&mut u);
    assert_eq!(w.bytes(b"toolong", 6), Err(L4Error::INVAL));
    for i in 0..UNTYPED_MAX {
        w.word(i as u64).unwrap();
    }
    assert_eq!(w.word(0), Err(L4Error::INVAL));
    assert_eq!(w.packed(b"x"), Err(L4Error::INVAL));
    let mut u = Utcb::host();
    let mut w = MsgWriter::new(&mut u);
    for _ in 0..127 {
        w.word(0).unwrap();
    }
    w.cap(3, 0).unwrap(); // 127 + 2 > 128: refused at finish, not cut
    assert_eq!(w.finish(1), Err(L4Error::INVAL));
}

#[test]
fn strings_stop_at_nul_as_c_sends_them() {
    let mut u = Utcb::host();
    let mut w = MsgWriter::new(&mut u);
    w.string("ab\0cd", 8).unwrap();
    w.finish(1).unwrap();
    assert_eq!(u.mr()[..2], [2, u64::from_le_bytes(*b"ab\0\0\0\0\0\0")]);
}

#[test]
fn items_go_after_the_untyped_words() {
    let mut u = Utcb::host();
    let mut w = MsgWriter::new(&mut u);
    w.cap(12, 0).unwrap();
    w.word(1).unwrap();
    w.mem(fpage(0x5000, 12, 4), 0x7000).unwrap();
    let t = w.finish(3).unwrap();
    assert_eq!((t.untyped(), t.typed()), (1, 2));
    let m = *u.mr();
    assert_eq!(l4_item::type_extract(m[1]), l4_item::TYPE_MAP);
    assert_eq!(l4_item::rights_extract(m[1]), crate::abi::l4_rights::ALL as u64);
    assert_eq!(m[2], 12);
    let r = MsgReader::from_words(&m, t).unwrap();
    assert_eq!(r.cap(0), Ok(12));
    assert_eq!(r.cap(1), Err(L4Error::INVAL)); // memory, not a capability
    assert_eq!(r.mem(1), Ok((fpage(0x5000, 12, 4), 0x7000)));
    assert_eq!(r.item(2), Err(L4Error::INVAL));
}

#[test]
fn reader_refuses_malformed_messages() {
    let mut m = [0u64; MR_COUNT];
    m[0] = 5;
    m[1] = u64::from_le_bytes(*b"hello\0\0\0");
    // the tag claims more than the registers hold
    assert!(MsgReader::from_words(&m, Tag::new(1, 124, 3)).is_err());
    let mut r = MsgReader::from_words(&m, Tag::new(1, 2, 0)).unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(r.bytes_into(&mut buf, 8), Ok(5));
    assert_eq!(&buf[..5], b"hello");
    assert_eq!(r.word(), Err(L4Error::INVAL)); // past the end
    assert_eq!(r.finish(), Ok(()));
    // a length over the bound, a length past the message, a word too many
    let mut r = MsgReader::from_words(&m, Tag::new(1, 2, 0)).unwrap();
    assert_eq!(r.bytes_into(&mut buf, 4), Err(L4Error::INVAL));
    m[0] = 16;
    let mut r = MsgReader::from_words(&m, Tag::new(1, 2, 0)).unwrap();
    assert_eq!(r.bytes_into(&mut [0u8; 16], 16), Err(L4Error::INVAL));
    let mut r = MsgReader::from_words(&m, Tag::new(1, 2, 0)).unwrap();
    r.word().unwrap();
    assert_eq!(r.finish(), Err(L4Error::INVAL));
}

#[test]
fn scalars_check_their_range() {
    assert_eq!(u8::from_word(255), Some(255));
    assert_eq!(u8::from_word(300), None);
    assert_eq!(i32::from_word(1 << 33), None);
    assert_eq!(i32::from_word((-5i64) as u64), Some(-5));
    assert_eq!(i8::from_word(0x80), None); // not sign-extended: out of range
    assert_eq!((-1i16).to_word(), u64::MAX);
    assert_eq!(bool::from_word(2), None);
    assert_eq!(true.to_word(), 1);
    let mut u = Utcb::host();
    let mut w = MsgWriter::new(&mut u);
    idl::put_array(&mut w, &[1i16, -2, 3]).unwrap();
    idl::put_array(&mut w, &[true, false]).unwrap();
    let t = w.finish(1).unwrap();
    assert_eq!(u.mr()[0], 0x0003_fffe_0001);
    let mut r = MsgReader::new(&u, t).unwrap();
    assert_eq!(idl::get_array::<i16, 3>(&mut r), Ok([1, -2, 3]));
    assert_eq!(idl::get_array::<bool, 2>(&mut r), Ok([true, false]));
    let mut m = *u.mr();
    m[1] = 0x0201; // bool array with a 2
    let mut r = MsgReader::from_words(&m, t).unwrap();
    r.skip(1).unwrap();
    assert_eq!(idl::get_array::<bool, 2>(&mut r), Err(L4Error::INVAL));
}

#[test]
fn strings_must_be_utf8() {
    assert_eq!(idl::as_str(b"abc\0def"), Ok("abc"));
    assert_eq!(idl::as_str(&[0xff, 0x41]), Err(L4Error::INVAL));
}

#[test]
fn replies_are_checked() {
    let mut u = Utcb::host();
    u.mr_mut()[0] = (-4i64) as u64;
    assert_eq!(idl::reply_reader(&u, Tag::new(7, 1, 0), 7, 0).err(), Some(L4Error::NOMEM));
    u.mr_mut()[0] = 0;
    assert_eq!(idl::reply_reader(&u, Tag::new(8, 1, 0), 7, 0).err(), Some(L4Error::INVAL)); // other label
    assert_eq!(idl::reply_reader(&u, Tag::new(7, 0, 0), 7, 0).err(), Some(L4Error::INVAL)); // no status
    assert_eq!(idl::reply_reader(&u, Tag::new(7, 1, 1), 7, 0).err(), Some(L4Error::INVAL)); // an item too many
    assert!(idl::reply_reader(&u, Tag::new(7, 1, 0), 7, 0).is_ok());
}
