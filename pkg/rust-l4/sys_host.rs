//! The binding for host unit tests (`--cfg l4_host`, `rustc --test`): the
//! same interface as sys.rs, with the UTCB in host memory and no kernel:
//! every system call fails with L4_ENOSYS.  No unsafe code.
use std::boxed::Box;

pub const MR_COUNT: usize = 128;
pub const UNTYPED_MAX: usize = crate::abi::l4_tag::UNTYPED_MASK as usize;

pub struct Utcb {
    mr: Box<[u64; MR_COUNT]>,
    cap_window: u64,
    mem_window: u64,
    error_arg: u64,
}

const NOSYS_TAG: u64 = crate::abi::l4_tag::ERROR_NOSYS << crate::abi::l4_tag::ERROR_SHIFT;

impl Utcb {
    /// A UTCB of zeros in host memory.
    pub fn host() -> Utcb {
        Utcb { mr: Box::new([0; MR_COUNT]), cap_window: 0, mem_window: 0, error_arg: 0 }
    }
    #[doc(hidden)]
    pub fn __first_thread() -> Utcb {
        Utcb::host()
    }
    /// # Safety
    /// None on the host; unsafe to match sys.rs.
    pub unsafe fn from_current_thread() -> Utcb {
        Utcb::host()
    }
    pub fn mr(&self) -> &[u64; MR_COUNT] {
        &self.mr
    }
    pub fn mr_mut(&mut self) -> &mut [u64; MR_COUNT] {
        &mut self.mr
    }
    pub fn set_cap_window(&mut self, first: u64, count: u32) {
        self.cap_window = crate::abi::l4_cap_window::count_insert(
            crate::abi::l4_cap_window::first_insert(0, first), count as u64);
    }
    pub fn cap_window(&self) -> u64 {
        self.cap_window
    }
    pub fn set_cap_window_raw(&mut self, w: u64) {
        self.cap_window = w;
    }
    pub fn set_mem_window(&mut self, fpage: u64) {
        self.mem_window = fpage;
    }
    pub fn error_arg(&self) -> u64 {
        self.error_arg
    }
    pub(crate) fn send(&mut self, _dest: u64, _tag: u64) -> u64 {
        NOSYS_TAG
    }
    pub(crate) fn call(&mut self, _dest: u64, _tag: u64) -> u64 {
        NOSYS_TAG
    }
    pub(crate) fn recv(&mut self, _src: u64) -> (u64, u64) {
        (NOSYS_TAG, 0)
    }
    pub(crate) fn reply_wait(&mut self, _src: u64, _tag: u64) -> (u64, u64) {
        (NOSYS_TAG, 0)
    }
    pub(crate) fn reply(&mut self, _tag: u64) -> u64 {
        NOSYS_TAG
    }
}

const NOSYS: i32 = -(crate::abi::l4_tag::ERROR_NOSYS as i32);
pub(crate) fn sleep_us(_u: &mut Utcb, _us: u32) -> i32 { NOSYS }
pub fn yield_now() {}
pub(crate) fn notification_signal(_u: &mut Utcb, _n: u64, _bits: u64) -> i32 { NOSYS }
pub(crate) fn notification_wait(_u: &mut Utcb, _n: u64, _us: u32) -> (i32, u64) { (NOSYS, 0) }
pub(crate) fn irq_bind_notif(_u: &mut Utcb, _irq: u64, _n: u64, _bits: u64) -> i32 { NOSYS }
pub(crate) fn irq_ack(_u: &mut Utcb, _irq: u64) -> i32 { NOSYS }
pub(crate) fn thread_bind_notif(_u: &mut Utcb, _t: u64, _n: u64) -> i32 { NOSYS }
pub(crate) fn thread_set_prio(_u: &mut Utcb, _t: u64, _p: u32, _m: u32) -> i32 { NOSYS }
pub(crate) fn task_cap_delete(_u: &mut Utcb, _task: u64, _slot: u64) -> i32 { NOSYS }

pub fn debug_write(b: &[u8]) {
    use std::io::Write;
    let _ = std::io::stdout().write_all(b);
}
pub fn strerror(_code: i32) -> &'static str {
    "(host)"
}
pub fn env_name() -> Option<&'static str> {
    None
}
pub fn env_ncaps() -> u32 {
    0
}
pub fn env_cap(_i: u32) -> Option<(&'static str, u64)> {
    None
}
pub fn exit_program(status: i32) -> ! {
    std::process::exit(status)
}
pub fn env_slots() -> [u64; 5] {
    [1, 2, 5, 6, 64]
}
pub fn set_program_name(_n: &'static str) {}
pub fn program_name() -> &'static str {
    "host"
}
