//! Messages: the tag and typed access to the message registers, with the
//! IDL's wire format (mk/tool/minnow/idl/gen_common.py): scalars one word
//! each, byte strings a length word and the bytes packed little-endian,
//! typed items (two words) after all untyped words.  Pure logic over the
//! UTCB's registers: the host tests exercise it as the guest runs it.
use crate::abi::{l4_item, l4_tag};
use crate::error::L4Error;
use crate::sys::{Utcb, MR_COUNT, UNTYPED_MAX};

/// A message tag (the word beside MR0): label, untyped and typed counts, error.
/// The typed count is read only with the items flag, which `new` sets exactly
/// when there are typed items (as L4_TAG and L4_TAG_TYPED in abi.h).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tag(pub u64);

impl Tag {
    pub const fn new(label: u32, untyped: usize, typed: usize) -> Tag {
        let items = l4_tag::items_insert(0, (typed != 0) as u64);
        Tag(l4_tag::label_insert(
            l4_tag::typed_insert(l4_tag::untyped_insert(items, untyped as u64), typed as u64),
            label as u64,
        ))
    }
    pub const fn label(self) -> u32 {
        l4_tag::label_extract(self.0) as u32
    }
    pub const fn untyped(self) -> usize {
        l4_tag::untyped_extract(self.0) as usize
    }
    pub const fn typed(self) -> usize {
        // The count times the flag: no branch (as L4_TAG_TYPED).
        (l4_tag::typed_extract(self.0) * l4_tag::items_extract(self.0)) as usize
    }
    /// Ok(self), or the error the kernel put into the tag.
    pub fn result(self) -> Result<Tag, L4Error> {
        L4Error::check(-(l4_tag::error_extract(self.0) as i64)).map(|_| self)
    }
}

/// A flexpage: the 2^order bytes at base (aligned to them) with `rights`
/// (abi::l4_mem_rights), as L4_FPAGE(base, order, rights).
pub const fn fpage(base: u64, order: u32, rights: u64) -> u64 {
    use crate::abi::l4_fpage as f;
    f::rights_insert(f::order_insert(f::base_insert(0, base), order as u64), rights)
}

const MAX_ITEMS: usize = 8;

/// Writes a message from MR0 on.  Every method refuses (L4Error::INVAL) what
/// does not fit - at most 127 untyped words (the tag's count), 128 words with
/// the items - so a message is never silently cut.
pub struct MsgWriter<'a> {
    mr: &'a mut [u64; MR_COUNT],
    n: usize,
    items: [(u64, u64); MAX_ITEMS],
    nitems: usize,
}

impl<'a> MsgWriter<'a> {
    pub fn new(u: &'a mut Utcb) -> Self {
        MsgWriter { mr: u.mr_mut(), n: 0, items: [(0, 0); MAX_ITEMS], nitems: 0 }
    }
    pub fn word(&mut self, w: u64) -> Result<(), L4Error> {
        if self.n >= UNTYPED_MAX {
            return Err(L4Error::INVAL);
        }
        self.mr[self.n] = w;
        self.n += 1;
        Ok(())
    }
    /// The bytes packed into ceil(len/8) words, the last zero-padded.
    pub fn packed(&mut self, b: &[u8]) -> Result<(), L4Error> {
        let words = (b.len() + 7) / 8;
        if self.n + words > UNTYPED_MAX {
            return Err(L4Error::INVAL);
        }
        for (i, chunk) in b.chunks(8).enumerate() {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.mr[self.n + i] = u64::from_le_bytes(w);
        }
        self.n += words;
        Ok(())
    }
    /// A length word and the bytes; more than `bound` bytes is refused.
    pub fn bytes(&mut self, b: &[u8], bound: usize) -> Result<(), L4Error> {
        if b.len() > bound {
            return Err(L4Error::INVAL);
        }
        self.word(b.len() as u64)?;
        self.packed(b)
    }
    /// A string: its bytes up to the first NUL (as C sends it).
    pub fn string(&mut self, s: &str, bound: usize) -> Result<(), L4Error> {
        let b = s.as_bytes();
        let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
        self.bytes(&b[..end], bound)
    }
    /// A typed item (placed after the untyped words by finish()).
    pub fn item(&mut self, w0: u64, w1: u64) -> Result<(), L4Error> {
        if self.nitems == MAX_ITEMS {
            return Err(L4Error::INVAL);
        }
        self.items[self.nitems] = (w0, w1);
        self.nitems += 1;
        Ok(())
    }
    /// A copy of our capability in `slot` with `rights` (0: all).
    pub fn cap(&mut self, slot: u64, rights: u8) -> Result<(), L4Error> {
        let r = if rights == 0 { crate::abi::l4_rights::ALL as u64 } else { rights as u64 };
        self.item(l4_item::rights_insert(l4_item::type_insert(0, l4_item::TYPE_MAP), r), slot)
    }
    /// Our pages `fpage` at `addr` in the receiver (inside its memory window).
    pub fn mem(&mut self, fpage: u64, addr: u64) -> Result<(), L4Error> {
        use crate::abi::l4_mem_item as m;
        self.item(m::dest_insert(m::type_insert(0, l4_item::TYPE_MEM), addr), fpage)
    }
    pub fn len(&self) -> usize {
        self.n
    }
    /// The items after the untyped words; the tag to send.
    pub fn finish(self, label: u32) -> Result<Tag, L4Error> {
        if self.n + 2 * self.nitems > MR_COUNT {
            return Err(L4Error::INVAL);
        }
        for (k, &(w0, w1)) in self.items[..self.nitems].iter().enumerate() {
            self.mr[self.n + 2 * k] = w0;
            self.mr[self.n + 2 * k + 1] = w1;
        }
        Ok(Tag::new(label, self.n, self.nitems))
    }
}

/// Reads a received message, checking every length against the tag: any
/// read past the untyped words, or a tag that claims more than the
/// registers hold, is L4Error::INVAL (a malformed message).
pub struct MsgReader<'a> {
    mr: &'a [u64; MR_COUNT],
    n: usize,
    end: usize,
    items: usize,
}

impl<'a> MsgReader<'a> {
    pub fn new(u: &'a Utcb, tag: Tag) -> Result<Self, L4Error> {
        Self::from_words(u.mr(), tag)
    }
    pub fn from_words(mr: &'a [u64; MR_COUNT], tag: Tag) -> Result<Self, L4Error> {
        if tag.untyped() + 2 * tag.typed() > MR_COUNT {
            return Err(L4Error::INVAL);
        }
        Ok(MsgReader { mr, n: 0, end: tag.untyped(), items: tag.typed() })
    }
    pub fn skip(&mut self, words: usize) -> Result<(), L4Error> {
        if self.n + words > self.end {
            return Err(L4Error::INVAL);
        }
        self.n += words;
        Ok(())
    }
    pub fn word(&mut self) -> Result<u64, L4Error> {
        if self.n >= self.end {
            return Err(L4Error::INVAL);
        }
        self.n += 1;
        Ok(self.mr[self.n - 1])
    }
    /// `out.len()` bytes packed into words.
    pub fn packed(&mut self, out: &mut [u8]) -> Result<(), L4Error> {
        let words = (out.len() + 7) / 8;
        if self.n + words > self.end {
            return Err(L4Error::INVAL);
        }
        for (i, chunk) in out.chunks_mut(8).enumerate() {
            let w = self.mr[self.n + i].to_le_bytes();
            chunk.copy_from_slice(&w[..chunk.len()]);
        }
        self.n += words;
        Ok(())
    }
    /// A length word (at most `bound`) and the bytes, into `buf` (at least
    /// `bound` long); the length.
    pub fn bytes_into(&mut self, buf: &mut [u8], bound: usize) -> Result<usize, L4Error> {
        let len = self.word()?;
        if len > bound as u64 || len as usize > buf.len() {
            return Err(L4Error::INVAL);
        }
        self.packed(&mut buf[..len as usize])?;
        Ok(len as usize)
    }
    /// Typed item `k`: (word 0, word 1); absent is L4Error::INVAL.
    pub fn item(&self, k: usize) -> Result<(u64, u64), L4Error> {
        if k >= self.items {
            return Err(L4Error::INVAL);
        }
        Ok((self.mr[self.end + 2 * k], self.mr[self.end + 2 * k + 1]))
    }
    /// Item `k` is a capability (map or grant): the slot it arrived in.
    pub fn cap(&self, k: usize) -> Result<u64, L4Error> {
        let (w0, w1) = self.item(k)?;
        match l4_item::type_extract(w0) {
            l4_item::TYPE_MAP | l4_item::TYPE_GRANT => Ok(w1),
            _ => Err(L4Error::INVAL),
        }
    }
    /// Item `k` is memory: (fpage, address it arrived at).
    pub fn mem(&self, k: usize) -> Result<(u64, u64), L4Error> {
        use crate::abi::l4_mem_item as m;
        let (w0, w1) = self.item(k)?;
        if m::type_extract(w0) != l4_item::TYPE_MEM {
            return Err(L4Error::INVAL);
        }
        Ok((w1, m::dest_extract(w0)))
    }
    /// Every untyped word was read.
    pub fn finish(&self) -> Result<(), L4Error> {
        if self.n != self.end {
            return Err(L4Error::INVAL);
        }
        Ok(())
    }
}
