//! Capabilities as typed handles: a slot of the program's capability space
//! and, in the type, what the program believes is there.  The kernel is the
//! authority: a call on a slot of another type fails with L4Error::TYPE.
//! Handles are Copy (a slot number, like C's uint64_t); deleting the
//! capability is an explicit Task call.
use crate::error::L4Error;
use crate::sys::{self, Utcb};
use core::marker::PhantomData;

pub trait Kind {}
macro_rules! kinds {
    ($($(#[$d:meta])* $n:ident),*) => { $( $(#[$d])* #[derive(Clone, Copy, Debug, PartialEq, Eq)] pub enum $n {} impl Kind for $n {} )* };
}
kinds!(
    /// Type not known (yet): what the environment and IDL `cap` arguments give.
    AnyKind,
    EndpointKind, NotificationKind, ThreadKind, TaskKind, IrqKind
);

#[derive(Debug, PartialEq, Eq)]
pub struct Cap<K: Kind> {
    slot: u64,
    _k: PhantomData<K>,
}
impl<K: Kind> Clone for Cap<K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K: Kind> Copy for Cap<K> {}

pub type Any = Cap<AnyKind>;
pub type Endpoint = Cap<EndpointKind>;
pub type Notification = Cap<NotificationKind>;
pub type Thread = Cap<ThreadKind>;
pub type Task = Cap<TaskKind>;
pub type Irq = Cap<IrqKind>;

impl<K: Kind> Cap<K> {
    pub const fn from_slot(slot: u64) -> Self {
        Cap { slot, _k: PhantomData }
    }
    pub const fn slot(self) -> u64 {
        self.slot
    }
    /// The same slot, taken to hold another kind of object.
    pub const fn cast<L: Kind>(self) -> Cap<L> {
        Cap::from_slot(self.slot)
    }
    pub const fn any(self) -> Any {
        self.cast()
    }
}

fn ok(e: i32) -> Result<(), L4Error> {
    L4Error::check(e as i64)
}

impl Notification {
    /// OR `bits` into the notification's word (an unbadged capability).
    pub fn signal(self, u: &mut Utcb, bits: u64) -> Result<(), L4Error> {
        ok(sys::notification_signal(u, self.slot, bits))
    }
    /// Wait up to `us` microseconds (L4_TIMEOUT_NEVER: forever) for bits; they are cleared.
    pub fn wait(self, u: &mut Utcb, us: u32) -> Result<u64, L4Error> {
        let (e, bits) = sys::notification_wait(u, self.slot, us);
        ok(e).map(|_| bits)
    }
}

impl Irq {
    /// Interrupts set `bits` in `n` from now on.
    pub fn bind(self, u: &mut Utcb, n: Notification, bits: u64) -> Result<(), L4Error> {
        ok(sys::irq_bind_notif(u, self.slot, n.slot, bits))
    }
    /// Unmask a level-triggered line again.
    pub fn ack(self, u: &mut Utcb) -> Result<(), L4Error> {
        ok(sys::irq_ack(u, self.slot))
    }
}

impl Thread {
    /// Receives of this thread also end with the notification's bits (L4_LABEL_NOTIFY).
    pub fn bind_notification(self, u: &mut Utcb, n: Notification) -> Result<(), L4Error> {
        ok(sys::thread_bind_notif(u, self.slot, n.slot))
    }
    pub fn set_prio(self, u: &mut Utcb, prio: u32, mcp: u32) -> Result<(), L4Error> {
        ok(sys::thread_set_prio(u, self.slot, prio, mcp))
    }
}

impl Task {
    /// Delete the capability in `slot` of this task.
    pub fn delete<K: Kind>(self, u: &mut Utcb, cap: Cap<K>) -> Result<(), L4Error> {
        ok(sys::task_cap_delete(u, self.slot, cap.slot))
    }
}
