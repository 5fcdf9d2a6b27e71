//! IPC on endpoints.  Each call takes the thread's UTCB mutably: the
//! message is in its registers (MsgWriter before, MsgReader after), and no
//! borrow of them can be alive while the kernel rewrites them.
use crate::cap::Endpoint;
use crate::error::L4Error;
use crate::msg::Tag;
use crate::sys::{self, Utcb};

/// A received message: its tag and the badge of the capability it came through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Received {
    pub tag: Tag,
    pub badge: u64,
}

impl Endpoint {
    pub fn send(self, u: &mut Utcb, tag: Tag) -> Result<(), L4Error> {
        Tag(u.send(self.slot(), tag.0)).result().map(|_| ())
    }
    /// Send and wait for the reply; the reply's tag.
    pub fn call(self, u: &mut Utcb, tag: Tag) -> Result<Tag, L4Error> {
        Tag(u.call(self.slot(), tag.0)).result()
    }
    pub fn recv(self, u: &mut Utcb) -> Result<Received, L4Error> {
        let (tag, badge) = u.recv(self.slot());
        Tag(tag).result().map(|tag| Received { tag, badge })
    }
    /// Reply to the last caller with `reply` (Tag(0): none) and wait for the next message.
    /// The received tag is returned as is: an error in it is the server's to judge.
    pub fn reply_wait(self, u: &mut Utcb, reply: Tag) -> Received {
        let (tag, badge) = u.reply_wait(self.slot(), reply.0);
        Received { tag: Tag(tag), badge }
    }
}

/// Reply to the last caller without waiting.
pub fn reply(u: &mut Utcb, tag: Tag) -> Result<(), L4Error> {
    Tag(u.reply(tag.0)).result().map(|_| ())
}

/// Sleep about `us` microseconds (one timer tick at least).
pub fn sleep_us(u: &mut Utcb, us: u32) -> Result<(), L4Error> {
    L4Error::check(sys::sleep_us(u, us) as i64)
}
