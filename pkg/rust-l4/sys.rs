//! The binding layer: libl4 through shim.c, and the UTCB.  Every `unsafe`
//! of the crate is in this file; what it exports is safe to call.
use core::marker::PhantomData;

/// Message registers per thread (shim.c asserts L4_MR_COUNT agrees).
pub const MR_COUNT: usize = 128;
/// The most untyped words a tag counts (L4_UNTYPED_MAX: its 7-bit field).
pub const UNTYPED_MAX: usize = crate::abi::l4_tag::UNTYPED_MASK as usize;

/// struct l4_utcb's first words (shim.c asserts the offsets).
#[repr(C)]
pub struct RawUtcb {
    pub mr: [u64; MR_COUNT],
    pub cap_window: u64,
    pub mem_window: u64,
    pub error_arg: u64,
}

extern "C" {
    fn l4rs_utcb() -> *mut RawUtcb;
    fn l4rs_send(dest: u64, tag: u64) -> u64;
    fn l4rs_call(dest: u64, tag: u64) -> u64;
    fn l4rs_recv(src: u64, badge: *mut u64) -> u64;
    fn l4rs_reply_wait(src: u64, tag: u64, badge: *mut u64) -> u64;
    fn l4rs_reply(tag: u64) -> u64;
    fn l4rs_sleep_us(us: u32) -> i32;
    fn l4rs_yield();
    fn l4rs_notification_signal(n: u64, bits: u64) -> i32;
    fn l4rs_notification_wait(n: u64, us: u32, bits: *mut u64) -> i32;
    fn l4rs_irq_bind_notif(irq: u64, n: u64, bits: u64) -> i32;
    fn l4rs_irq_ack(irq: u64) -> i32;
    fn l4rs_thread_bind_notif(t: u64, n: u64) -> i32;
    fn l4rs_thread_set_prio(t: u64, prio: u32, mcp: u32) -> i32;
    fn l4rs_task_cap_delete(task: u64, slot: u64) -> i32;
    fn l4rs_debug_write(buf: *const u8, len: usize) -> isize;
    fn l4rs_env_name() -> *const u8;
    fn l4rs_env_ncaps() -> u32;
    fn l4rs_env_cap_name(i: u32) -> *const u8;
    fn l4rs_env_cap_slot(i: u32) -> u64;
    fn l4_strerror(err: isize) -> *const u8;
    static l4rs_slot_task: u64;
    static l4rs_slot_thread: u64;
    static l4rs_slot_parent: u64;
    static l4rs_slot_server: u64;
    static l4rs_slot_first_free: u64;
    // libc
    fn malloc(n: usize) -> *mut u8;
    fn realloc(p: *mut u8, n: usize) -> *mut u8;
    fn free(p: *mut u8);
    fn exit(status: i32) -> !;
}

/// The calling thread's UTCB, borrowed: IPC takes `&mut Utcb`, reading the
/// message registers borrows it, so no reference into the registers lives
/// across a system call that rewrites them.  Not `Send`: a UTCB is one
/// thread's.  `main!` makes the one of the first thread.
pub struct Utcb {
    raw: *mut RawUtcb,
    _thread: PhantomData<*mut ()>,
}

impl Utcb {
    /// The first thread's UTCB; `main!` calls this once, before user code.
    #[doc(hidden)]
    pub fn __first_thread() -> Utcb {
        // SAFETY: l4_utcb() reads GS, which the kernel points at this
        // thread's UTCB; main! takes it once.
        Utcb { raw: unsafe { l4rs_utcb() }, _thread: PhantomData }
    }
    /// The calling thread's UTCB, for a thread other than the first (one
    /// started from C, say).
    ///
    /// # Safety
    /// At most one `Utcb` may exist per thread: call this once, at the
    /// start of a thread main! does not run.
    pub unsafe fn from_current_thread() -> Utcb {
        // SAFETY: the caller keeps it to one per thread (above).
        Utcb { raw: unsafe { l4rs_utcb() }, _thread: PhantomData }
    }
    pub fn mr(&self) -> &[u64; MR_COUNT] {
        // SAFETY: raw is this thread's UTCB, valid for the program's life;
        // the borrow of self keeps system calls (&mut self) out meanwhile.
        unsafe { &(*self.raw).mr }
    }
    pub fn mr_mut(&mut self) -> &mut [u64; MR_COUNT] {
        // SAFETY: as mr(), and &mut self makes this the only reference.
        unsafe { &mut (*self.raw).mr }
    }
    /// Received capabilities go to `count` slots from `first` (0: refused).
    pub fn set_cap_window(&mut self, first: u64, count: u32) {
        let w = crate::abi::l4_cap_window::count_insert(
            crate::abi::l4_cap_window::first_insert(0, first), count as u64);
        // SAFETY: as mr_mut().
        unsafe { (*self.raw).cap_window = w }
    }
    pub fn cap_window(&self) -> u64 {
        // SAFETY: as mr().
        unsafe { (*self.raw).cap_window }
    }
    pub fn set_cap_window_raw(&mut self, w: u64) {
        // SAFETY: as mr_mut().
        unsafe { (*self.raw).cap_window = w }
    }
    /// Received memory may go inside `fpage` of our space (0: nowhere).
    pub fn set_mem_window(&mut self, fpage: u64) {
        // SAFETY: as mr_mut().
        unsafe { (*self.raw).mem_window = fpage }
    }
    /// After an L4_EINVAL: 1 + the index of the refused word, 0 if none.
    pub fn error_arg(&self) -> u64 {
        // SAFETY: as mr().
        unsafe { (*self.raw).error_arg }
    }

    pub(crate) fn send(&mut self, dest: u64, tag: u64) -> u64 {
        // SAFETY: the kernel reads and writes only this thread's UTCB.
        unsafe { l4rs_send(dest, tag) }
    }
    pub(crate) fn call(&mut self, dest: u64, tag: u64) -> u64 {
        // SAFETY: as send().
        unsafe { l4rs_call(dest, tag) }
    }
    pub(crate) fn recv(&mut self, src: u64) -> (u64, u64) {
        let mut badge = 0;
        // SAFETY: as send(); badge is a valid u64 for the call.
        let tag = unsafe { l4rs_recv(src, &mut badge) };
        (tag, badge)
    }
    pub(crate) fn reply_wait(&mut self, src: u64, tag: u64) -> (u64, u64) {
        let mut badge = 0;
        // SAFETY: as recv().
        let tag = unsafe { l4rs_reply_wait(src, tag, &mut badge) };
        (tag, badge)
    }
    pub(crate) fn reply(&mut self, tag: u64) -> u64 {
        // SAFETY: as send().
        unsafe { l4rs_reply(tag) }
    }
}

// Kernel-object calls: the C functions use the UTCB's registers, so they
// take &mut Utcb as the IPC calls do.
pub(crate) fn sleep_us(_u: &mut Utcb, us: u32) -> i32 {
    // SAFETY: a system call on the caller's own UTCB.
    unsafe { l4rs_sleep_us(us) }
}
pub fn yield_now() {
    // SAFETY: no arguments, no memory.
    unsafe { l4rs_yield() }
}
pub(crate) fn notification_signal(_u: &mut Utcb, n: u64, bits: u64) -> i32 {
    // SAFETY: as sleep_us().
    unsafe { l4rs_notification_signal(n, bits) }
}
pub(crate) fn notification_wait(_u: &mut Utcb, n: u64, us: u32) -> (i32, u64) {
    let mut bits = 0;
    // SAFETY: as sleep_us(); bits is a valid u64.
    let e = unsafe { l4rs_notification_wait(n, us, &mut bits) };
    (e, bits)
}
pub(crate) fn irq_bind_notif(_u: &mut Utcb, irq: u64, n: u64, bits: u64) -> i32 {
    // SAFETY: as sleep_us().
    unsafe { l4rs_irq_bind_notif(irq, n, bits) }
}
pub(crate) fn irq_ack(_u: &mut Utcb, irq: u64) -> i32 {
    // SAFETY: as sleep_us().
    unsafe { l4rs_irq_ack(irq) }
}
pub(crate) fn thread_bind_notif(_u: &mut Utcb, t: u64, n: u64) -> i32 {
    // SAFETY: as sleep_us().
    unsafe { l4rs_thread_bind_notif(t, n) }
}
pub(crate) fn thread_set_prio(_u: &mut Utcb, t: u64, prio: u32, mcp: u32) -> i32 {
    // SAFETY: as sleep_us().
    unsafe { l4rs_thread_set_prio(t, prio, mcp) }
}
pub(crate) fn task_cap_delete(_u: &mut Utcb, task: u64, slot: u64) -> i32 {
    // SAFETY: as sleep_us().
    unsafe { l4rs_task_cap_delete(task, slot) }
}

/// Bytes to the kernel debug console (what the C side's l4_debug_puts uses).
pub fn debug_write(mut b: &[u8]) {
    while !b.is_empty() {
        // SAFETY: b is readable for its length.
        let n = unsafe { l4rs_debug_write(b.as_ptr(), b.len()) };
        if n <= 0 {
            return;
        }
        b = &b[n as usize..];
    }
}

/// A NUL-terminated string of at most `max` bytes that lives as long as the
/// program (the environment page, l4_strerror's table), as &str.
fn static_cstr(p: *const u8, max: usize) -> Option<&'static str> {
    if p.is_null() {
        return None;
    }
    let mut n = 0;
    // SAFETY: p points at a string NUL-terminated within max bytes in
    // read-only memory that is never unmapped (callers below).
    while n < max && unsafe { *p.add(n) } != 0 {
        n += 1;
    }
    // SAFETY: as above, n bytes are readable.
    core::str::from_utf8(unsafe { core::slice::from_raw_parts(p, n) }).ok()
}

pub fn strerror(code: i32) -> &'static str {
    // SAFETY: l4_strerror returns a static string for any value.
    static_cstr(unsafe { l4_strerror(code as isize) }, 64).unwrap_or("unknown error")
}

pub fn env_name() -> Option<&'static str> {
    // SAFETY: the environment page is read-only and lives as long as the program.
    static_cstr(unsafe { l4rs_env_name() }, 16)
}
pub fn env_ncaps() -> u32 {
    // SAFETY: reads the environment page.
    unsafe { l4rs_env_ncaps() }
}
pub fn env_cap(i: u32) -> Option<(&'static str, u64)> {
    // SAFETY: reads the environment page; i is bounds-checked in C.
    let name = static_cstr(unsafe { l4rs_env_cap_name(i) }, 16)?;
    // SAFETY: as above.
    Some((name, unsafe { l4rs_env_cap_slot(i) }))
}

/// enum l4_env_slot (<l4/rt/env.h>): task, thread, parent, server, first free.
pub fn env_slots() -> [u64; 5] {
    // SAFETY: constants defined in shim.c.
    unsafe { [l4rs_slot_task, l4rs_slot_thread, l4rs_slot_parent, l4rs_slot_server, l4rs_slot_first_free] }
}

/// argv as crt0 passes it to main(): static strings (its own buffer).
pub fn args(argc: i32, argv: *const *const u8) -> alloc::vec::Vec<&'static str> {
    let mut v = alloc::vec::Vec::new();
    for i in 0..argc.max(0) as usize {
        // SAFETY: crt0 passes argc valid pointers to NUL-terminated strings
        // in a static buffer (mk/arch/x86_64/start.c).
        if let Some(s) = static_cstr(unsafe { *argv.add(i) }, 256) {
            v.push(s);
        }
    }
    v
}

/// The global allocator: libc's malloc (16-byte aligned); larger
/// alignments over-allocate and keep malloc's pointer just below the block.
pub struct Malloc;

const MALLOC_ALIGN: usize = 16;

unsafe impl core::alloc::GlobalAlloc for Malloc {
    unsafe fn alloc(&self, l: core::alloc::Layout) -> *mut u8 {
        if l.align() <= MALLOC_ALIGN {
            // SAFETY: malloc takes any size.
            return unsafe { malloc(l.size()) };
        }
        // SAFETY: malloc takes any size; the arithmetic stays inside the block.
        unsafe {
            let p = malloc(l.size() + l.align());
            if p.is_null() {
                return p;
            }
            let q = ((p as usize + 8 + l.align() - 1) & !(l.align() - 1)) as *mut u8;
            *(q as *mut *mut u8).sub(1) = p;
            q
        }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: core::alloc::Layout) {
        // SAFETY: p came from alloc() with the same layout.
        unsafe { free(if l.align() <= MALLOC_ALIGN { p } else { *(p as *mut *mut u8).sub(1) }) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: core::alloc::Layout, n: usize) -> *mut u8 {
        if l.align() <= MALLOC_ALIGN {
            // SAFETY: p came from malloc.
            return unsafe { realloc(p, n) };
        }
        // SAFETY: the default: allocate, copy, free, all with valid layouts.
        unsafe {
            let nl = core::alloc::Layout::from_size_align_unchecked(n, l.align());
            let q = self.alloc(nl);
            if !q.is_null() {
                core::ptr::copy_nonoverlapping(p, q, l.size().min(n));
                self.dealloc(p, l);
            }
            q
        }
    }
}

/// End the program (libc's exit: C stdio is flushed); the root task sees the status.
pub fn exit_program(status: i32) -> ! {
    // SAFETY: exit does not return.
    unsafe { exit(status) }
}

/// The program's name, for the panic handler: set once by main! before
/// the program's code runs (and before it can start threads).
static mut PROGRAM_NAME: &str = "?";

pub fn set_program_name(n: &'static str) {
    // SAFETY: written once, by the first thread, before any other exists.
    unsafe { *core::ptr::addr_of_mut!(PROGRAM_NAME) = n }
}
pub fn program_name() -> &'static str {
    // SAFETY: only read after set_program_name() (see there).
    unsafe { *core::ptr::addr_of!(PROGRAM_NAME) }
}

// Debian's core and alloc are built for unwinding, and code inlined from
// them can keep landing pads that name these two.  With panic=abort no
// panic unwinds (rt.rs's handler exits), so neither is ever reached.
#[no_mangle]
pub extern "C" fn rust_eh_personality() {}

#[no_mangle]
pub extern "C" fn _Unwind_Resume() -> ! {
    debug_write(b"unwinding is not supported (panic=abort)\n");
    exit_program(crate::rt::PANIC_STATUS)
}
