//! L4Error: the kernel's error codes (enum l4_err), as every libl4 function,
//! IDL stub and interface returns them negated in C.  The numbers come from
//! abi_layout.dev (the message tag's error field), the same as abi.h's.
use crate::abi::l4_tag as t;
use core::fmt;

#[derive(Clone, Copy, PartialEq, Eq)]
pub struct L4Error(u8);

impl L4Error {
    pub const NOSYS: L4Error = L4Error(t::ERROR_NOSYS as u8);
    pub const FAULT: L4Error = L4Error(t::ERROR_FAULT as u8);
    pub const INVAL: L4Error = L4Error(t::ERROR_INVAL as u8);
    pub const NOMEM: L4Error = L4Error(t::ERROR_NOMEM as u8);
    pub const NOCAP: L4Error = L4Error(t::ERROR_NOCAP as u8);
    pub const PERM: L4Error = L4Error(t::ERROR_PERM as u8);
    pub const TIMEOUT: L4Error = L4Error(t::ERROR_TIMEOUT as u8);
    pub const CANCELED: L4Error = L4Error(t::ERROR_CANCELED as u8);
    pub const AGAIN: L4Error = L4Error(t::ERROR_AGAIN as u8);
    pub const TYPE: L4Error = L4Error(t::ERROR_TYPE as u8);
    pub const SLOT: L4Error = L4Error(t::ERROR_SLOT as u8);
    pub const STATE: L4Error = L4Error(t::ERROR_STATE as u8);

    /// From C's convention: 0 is Ok, -L4_Exxx an error.  A positive value
    /// or one outside the tag's error field is L4_EINVAL (a malformed status).
    pub fn check(code: i64) -> Result<(), L4Error> {
        match code {
            0 => Ok(()),
            c if c < 0 && c >= -((t::ERROR_MASK >> t::ERROR_SHIFT) as i64) => Err(L4Error((-c) as u8)),
            _ => Err(L4Error::INVAL),
        }
    }
    /// The C value: -L4_Exxx.
    pub fn code(self) -> i32 {
        -(self.0 as i32)
    }
    /// The error number as the tag carries it (L4_Exxx, positive).
    pub fn number(self) -> u64 {
        self.0 as u64
    }
    /// libl4's l4_strerror() text.
    pub fn text(self) -> &'static str {
        crate::sys::strerror(self.code())
    }
}

impl fmt::Debug for L4Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "L4Error({})", self.code())
    }
}

impl fmt::Display for L4Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}
