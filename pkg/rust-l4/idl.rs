//! What IDL-generated Rust (mk/tool/minnow/idl/gen_rust.py) uses: the wire
//! format's scalars and arrays, reply checks, and the dispatcher's outcome.
//! The checks are the C stubs' (gen_common.py): a value out of its type's
//! range, a length over its bound, a word too many or too few, a missing or
//! wrong item - all are a malformed message, L4Error::INVAL.
use crate::error::L4Error;
use crate::msg::{MsgReader, MsgWriter, Tag};
use crate::sys::Utcb;
/// The types generated code names for out strings and bytes.
pub use alloc::string::String;
pub use alloc::vec::Vec;

/// The caller of a request: the badge of the capability it called through,
/// and the UTCB, free for the handler's own IPC (the request was copied out).
pub struct Caller<'a> {
    pub badge: u64,
    pub utcb: &'a mut Utcb,
}

/// An IDL `cap` argument to send: our slot, mapped with `rights` (0: all).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CapArg {
    pub slot: u64,
    pub rights: u8,
}

/// An IDL `mem` argument: pages `fpage` (L4_FPAGE) at `addr` in the receiver.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Mem {
    pub fpage: u64,
    pub addr: u64,
}

/// A scalar of the IDL: one word on the wire (signed ones sign-extended,
/// bool 0 or 1), `SIZE` bytes little-endian inside arrays.
pub trait Scalar: Copy + Default {
    const SIZE: usize;
    fn to_word(self) -> u64;
    /// None: the word is out of the type's range.
    fn from_word(w: u64) -> Option<Self>;
    fn put_le(self, out: &mut [u8]);
    fn get_le(b: &[u8]) -> Option<Self>;
}

macro_rules! int_scalar {
    ($t:ty, $wide:ty) => {
        impl Scalar for $t {
            const SIZE: usize = core::mem::size_of::<$t>();
            fn to_word(self) -> u64 {
                self as $wide as u64
            }
            fn from_word(w: u64) -> Option<Self> {
                let v = w as $wide as $t;
                if v as $wide as u64 == w { Some(v) } else { None }
            }
            fn put_le(self, out: &mut [u8]) {
                out.copy_from_slice(&self.to_le_bytes());
            }
            fn get_le(b: &[u8]) -> Option<Self> {
                let mut a = [0u8; core::mem::size_of::<$t>()];
                a.copy_from_slice(b);
                Some(<$t>::from_le_bytes(a))
            }
        }
    };
}
int_scalar!(u8, u64);
int_scalar!(u16, u64);
int_scalar!(u32, u64);
int_scalar!(u64, u64);
int_scalar!(i8, i64);
int_scalar!(i16, i64);
int_scalar!(i32, i64);
int_scalar!(i64, i64);

impl Scalar for bool {
    const SIZE: usize = 1;
    fn to_word(self) -> u64 {
        self as u64
    }
    fn from_word(w: u64) -> Option<Self> {
        match w {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    fn put_le(self, out: &mut [u8]) {
        out[0] = self as u8;
    }
    fn get_le(b: &[u8]) -> Option<Self> {
        Self::from_word(b[0] as u64)
    }
}

pub fn put<T: Scalar>(w: &mut MsgWriter<'_>, v: T) -> Result<(), L4Error> {
    w.word(v.to_word())
}

pub fn get<T: Scalar>(r: &mut MsgReader<'_>) -> Result<T, L4Error> {
    T::from_word(r.word()?).ok_or(L4Error::INVAL)
}

/// The most bytes an array can take: the IDL's 64 words (idl/model.py MR_WORDS).
const ARRAY_MAX: usize = 64 * 8;

pub fn put_array<T: Scalar, const N: usize>(w: &mut MsgWriter<'_>, a: &[T; N]) -> Result<(), L4Error> {
    let mut buf = [0u8; ARRAY_MAX];
    if N * T::SIZE > ARRAY_MAX {
        return Err(L4Error::INVAL);
    }
    for (i, v) in a.iter().enumerate() {
        v.put_le(&mut buf[i * T::SIZE..(i + 1) * T::SIZE]);
    }
    w.packed(&buf[..N * T::SIZE])
}

pub fn get_array<T: Scalar, const N: usize>(r: &mut MsgReader<'_>) -> Result<[T; N], L4Error> {
    let mut buf = [0u8; ARRAY_MAX];
    if N * T::SIZE > ARRAY_MAX {
        return Err(L4Error::INVAL);
    }
    r.packed(&mut buf[..N * T::SIZE])?;
    let mut a = [T::default(); N];
    for (i, v) in a.iter_mut().enumerate() {
        *v = T::get_le(&buf[i * T::SIZE..(i + 1) * T::SIZE]).ok_or(L4Error::INVAL)?;
    }
    Ok(a)
}

/// A string as the handler sees it: the bytes up to the first NUL (C's
/// view), which must be UTF-8 (else a malformed request).
pub fn as_str(b: &[u8]) -> Result<&str, L4Error> {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    core::str::from_utf8(&b[..end]).map_err(|_| L4Error::INVAL)
}

/// A length word (at most `bound`) and the bytes, into a vector of that length.
pub fn get_bytes(r: &mut MsgReader<'_>, bound: usize) -> Result<Vec<u8>, L4Error> {
    let len = r.word()?;
    if len > bound as u64 {
        return Err(L4Error::INVAL);
    }
    let mut v = alloc::vec![0u8; len as usize];
    r.packed(&mut v)?;
    Ok(v)
}

pub fn get_string(r: &mut MsgReader<'_>, bound: usize) -> Result<String, L4Error> {
    let mut v = get_bytes(r, bound)?;
    let n = as_str(&v)?.len();
    v.truncate(n);
    // as_str() checked the bytes up to n: UTF-8.
    String::from_utf8(v).map_err(|_| L4Error::INVAL)
}

pub fn put_cap(w: &mut MsgWriter<'_>, c: CapArg) -> Result<(), L4Error> {
    w.cap(c.slot, c.rights)
}

pub fn put_mem(w: &mut MsgWriter<'_>, m: Mem) -> Result<(), L4Error> {
    w.mem(m.fpage, m.addr)
}

pub fn get_mem(r: &MsgReader<'_>, k: usize) -> Result<Mem, L4Error> {
    r.mem(k).map(|(fpage, addr)| Mem { fpage, addr })
}

/// A reply to a call with `label`: its status word (a negative one is the
/// server's error), then a reader over the rest.  A reply of another label,
/// without the status word or with the wrong number of items is malformed.
pub fn reply_reader<'a>(u: &'a Utcb, tag: Tag, label: u32, items: usize) -> Result<MsgReader<'a>, L4Error> {
    if tag.label() != label || tag.untyped() < 1 {
        return Err(L4Error::INVAL);
    }
    let st = u.mr()[0] as i64;
    if st != 0 {
        return Err(if st >= i32::MIN as i64 && st < 0 { L4Error::check(st).err().unwrap_or(L4Error::INVAL) } else { L4Error::INVAL });
    }
    if tag.typed() != items {
        return Err(L4Error::INVAL);
    }
    let mut r = MsgReader::new(u, tag)?;
    r.skip(1)?;
    Ok(r)
}

/// A request for a server: the items it must carry, then a reader.
pub fn request_reader(u: &Utcb, tag: Tag, items: usize) -> Result<MsgReader<'_>, L4Error> {
    if tag.typed() != items {
        return Err(L4Error::INVAL);
    }
    MsgReader::new(u, tag)
}

/// What a dispatcher did: `status` as the C dispatcher returns it (Ok: the
/// handler ran; INVAL: malformed request; NOSYS: not this interface's label
/// or no handler; else the receive error), and the reply to send
/// (Tag(0) for none: a one-way message or a failed receive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dispatched {
    pub status: Result<(), L4Error>,
    pub reply: Tag,
}

impl Dispatched {
    /// The receive failed: nothing to answer.
    pub fn recv_error(e: L4Error) -> Dispatched {
        Dispatched { status: Err(e), reply: Tag(0) }
    }
    /// A reply of just the status `e` (negative) to a call with `label`.
    pub fn error_reply(u: &mut Utcb, label: u32, e: L4Error, status: Result<(), L4Error>) -> Dispatched {
        u.mr_mut()[0] = e.code() as i64 as u64;
        Dispatched { status, reply: Tag::new(label, 1, 0) }
    }
    /// A label this interface does not have.
    pub fn nosys(u: &mut Utcb, tag: Tag) -> Dispatched {
        Self::error_reply(u, tag.label(), L4Error::NOSYS, Err(L4Error::NOSYS))
    }
    /// A malformed request (or out values over their bounds): rpc answers
    /// L4_EINVAL, a message gets no reply.
    pub fn malformed(u: &mut Utcb, label: u32, rpc: bool) -> Dispatched {
        if rpc {
            Self::error_reply(u, label, L4Error::INVAL, Err(L4Error::INVAL))
        } else {
            Dispatched { status: Err(L4Error::INVAL), reply: Tag(0) }
        }
    }
    /// The handler refused with `e`: that status is the reply.
    pub fn refused(u: &mut Utcb, label: u32, e: L4Error) -> Dispatched {
        Self::error_reply(u, label, e, Ok(()))
    }
    pub fn replied(reply: Tag) -> Dispatched {
        Dispatched { status: Ok(()), reply }
    }
}

/// A server's loop over one endpoint: receive, dispatch, reply and receive
/// the next in one system call.  Never returns.
pub fn serve(u: &mut Utcb, ep: crate::cap::Endpoint, mut dispatch: impl FnMut(&mut Utcb, Tag, u64) -> Dispatched) -> ! {
    let mut reply = Tag(0);
    loop {
        let got = ep.reply_wait(u, reply);
        reply = dispatch(u, got.tag, got.badge).reply;
    }
}
