/* shim.c - libl4's inline functions as linkable symbols for the l4 crate
 * (sys.rs declares them).  The system-call code stays libl4's: nothing of
 * the ABI is written twice, and the asserts below pin what Rust assumes. */
#include <stddef.h>
#include <l4/sys/ipc.h>
#include <l4/sys/irq.h>
#include <l4/sys/notification.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>
#include <l4/sys/debug.h>
#include <l4/rt/env.h>

/* sys.rs: #[repr(C)] struct RawUtcb { mr: [u64; 128], cap_window, mem_window, error_arg, self_ }. */
_Static_assert(L4_MR_COUNT == 128, "ABI: sys.rs MR_COUNT");
_Static_assert(offsetof(struct l4_utcb, cap_window) == 128 * 8, "ABI: sys.rs RawUtcb");
_Static_assert(offsetof(struct l4_utcb, mem_window) == 129 * 8, "ABI: sys.rs RawUtcb");
_Static_assert(offsetof(struct l4_utcb, error_arg) == 130 * 8, "ABI: sys.rs RawUtcb");
_Static_assert(L4_ENV_NAME_MAX == 16, "ABI: env.rs NAME_MAX");

struct l4_utcb *l4rs_utcb(void) { return l4_utcb(); }

uint64_t l4rs_send(uint64_t dest, uint64_t tag) { return l4_send(dest, tag); }
uint64_t l4rs_call(uint64_t dest, uint64_t tag) { return l4_call(dest, tag); }
uint64_t l4rs_recv(uint64_t src, uint64_t *badge) { return l4_recv(src, badge); }
uint64_t l4rs_reply_wait(uint64_t src, uint64_t tag, uint64_t *badge)
{
	return l4_reply_wait(src, tag, badge);
}
uint64_t l4rs_reply(uint64_t tag) { return l4_reply(tag); }
int l4rs_sleep_us(uint32_t us) { return l4_sleep_us(us); }
void l4rs_yield(void) { l4_yield(); }

int l4rs_notification_signal(uint64_t n, uint64_t bits) { return l4_notification_signal(n, bits); }
int l4rs_notification_wait(uint64_t n, uint32_t us, uint64_t *bits)
{
	return l4_notification_wait(n, us, bits);
}
int l4rs_irq_bind_notif(uint64_t irq, uint64_t n, uint64_t bits) { return l4_irq_bind_notif(irq, n, bits); }
int l4rs_irq_ack(uint64_t irq) { return l4_irq_ack(irq); }
int l4rs_thread_bind_notif(uint64_t t, uint64_t n) { return l4_thread_bind_notif(t, n); }
int l4rs_thread_set_prio(uint64_t t, unsigned prio, unsigned mcp) { return l4_thread_set_prio(t, prio, mcp); }
int l4rs_task_cap_delete(uint64_t task, uint64_t slot) { return l4_task_cap_delete(task, slot); }

long l4rs_debug_write(const void *buf, size_t len) { return l4_debug_write(buf, len); }

/* The environment (NULL fields in the root task, which has none). */
const char *l4rs_env_name(void) { return l4_env() ? l4_env()->name : 0; }
unsigned l4rs_env_ncaps(void)
{
	return l4_env() ? (l4_env()->ncaps < L4_ENV_MAX_CAPS ? l4_env()->ncaps : L4_ENV_MAX_CAPS) : 0;
}
const char *l4rs_env_cap_name(unsigned i) { return i < l4rs_env_ncaps() ? l4_env()->caps[i].name : 0; }
uint64_t l4rs_env_cap_slot(unsigned i) { return i < l4rs_env_ncaps() ? l4_env()->caps[i].slot : 0; }

/* The slots every started program finds filled (enum l4_env_slot), for env.rs. */
const uint64_t l4rs_slot_task = L4_ENV_TASK, l4rs_slot_thread = L4_ENV_THREAD,
	       l4rs_slot_parent = L4_ENV_PARENT, l4rs_slot_server = L4_ENV_SERVER,
	       l4rs_slot_first_free = L4_ENV_FIRST_FREE;
