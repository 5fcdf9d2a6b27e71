//! The program's environment as Rust values: its name, its arguments and
//! its capabilities by the names the boot config gave them (<l4/rt/env.h>).
use crate::cap::{Cap, Endpoint, Kind, Task, Thread};
use alloc::vec::Vec;

pub struct Env {
    /// The name in the boot config (argv[0] in the root task).
    pub name: &'static str,
    /// argv: the module's name, then its arguments.
    pub args: Vec<&'static str>,
}

impl Env {
    #[doc(hidden)]
    pub fn __new(args: Vec<&'static str>) -> Env {
        let name = crate::sys::env_name().or_else(|| args.first().copied()).unwrap_or("?");
        Env { name, args }
    }
    /// The capability the config named `name`, taken to be of kind K.
    pub fn cap<K: Kind>(&self, name: &str) -> Option<Cap<K>> {
        self.caps().find(|(n, _)| *n == name).map(|(_, c)| c.cast())
    }
    /// Every named capability, in the config's order.
    pub fn caps(&self) -> impl Iterator<Item = (&'static str, crate::cap::Any)> {
        (0..crate::sys::env_ncaps())
            .filter_map(crate::sys::env_cap)
            .map(|(n, slot)| (n, Cap::from_slot(slot)))
    }
    pub fn task(&self) -> Task {
        Cap::from_slot(crate::sys::env_slots()[0])
    }
    pub fn thread(&self) -> Thread {
        Cap::from_slot(crate::sys::env_slots()[1])
    }
    /// The root task (the `parent` interface).
    pub fn parent(&self) -> Endpoint {
        Cap::from_slot(crate::sys::env_slots()[2])
    }
    /// The program's own endpoint: what `caps=NAME` gives other programs.
    pub fn server(&self) -> Endpoint {
        Cap::from_slot(crate::sys::env_slots()[3])
    }
    /// The first slot the program may use for itself (L4_ENV_FIRST_FREE).
    pub fn first_free_slot(&self) -> u64 {
        crate::sys::env_slots()[4]
    }
}
