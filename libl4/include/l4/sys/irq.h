/* <l4/sys/irq.h> - interrupt lines (Irq objects, made by sigma0:
 * l4_sigma0_irq_create in <l4/sys/sigma0.h>).
 *
 * An Irq is bound either to a notification (each interrupt ORs the given
 * bits in) or to one thread, which collects interrupts with l4_irq_wait.
 * The line is masked while nothing is bound.  A level-triggered line is
 * masked when it fires: quieten the device, then l4_irq_ack.  Binding and
 * acknowledging need the control right; l4_irq_info needs none. */
#pragma once
#include <l4/sys/ipc.h>

/* notif: a notification slot of the caller with the write right; bits != 0. */
static inline int l4_irq_bind_notif(uint64_t irq, uint64_t notif, uint64_t bits)
{
	return l4_invoke(irq, L4_IRQ_BIND_NOTIF, notif, bits, 0, 0);
}

/* thread: a thread slot of the caller with the control right; only that
 * thread may then l4_irq_wait. */
static inline int l4_irq_bind_thread(uint64_t irq, uint64_t thread)
{
	return l4_invoke(irq, L4_IRQ_BIND_THREAD, thread, 0, 0, 0);
}

/* Mask the line and forget the binding (a waiting thread gets L4_ECANCELED). */
static inline int l4_irq_unbind(uint64_t irq)
{
	return l4_invoke(irq, L4_IRQ_UNBIND, 0, 0, 0, 0);
}

/* The bound thread only (else L4_EPERM): wait for interrupts; *count (may
 * be NULL) receives how many came since the last wait.  timeout_us as for
 * IPC: L4_TIMEOUT_NEVER, L4_TIMEOUT_ZERO or microseconds. */
static inline int l4_irq_wait(uint64_t irq, uint32_t timeout_us, uint64_t *count)
{
	int e = l4_invoke(irq, L4_IRQ_WAIT, timeout_us, 0, 0, 0);
	if (!e && count)
		*count = l4_utcb()->mr[0];
	return e;
}

/* Unmask the line again (L4_ESTATE while nothing is bound). */
static inline int l4_irq_ack(uint64_t irq)
{
	return l4_invoke(irq, L4_IRQ_ACK, 0, 0, 0, 0);
}

/* The line's GSI and the interrupts it delivered in all (either may be NULL). */
static inline int l4_irq_info(uint64_t irq, unsigned *gsi, uint64_t *delivered)
{
	int e = l4_invoke(irq, L4_IRQ_INFO, 0, 0, 0, 0);
	if (!e) {
		if (gsi)
			*gsi = (unsigned)l4_utcb()->mr[0];
		if (delivered)
			*delivered = l4_utcb()->mr[1];
	}
	return e;
}

/* The console line's Irq only: enter the kernel debugger (a console driver
 * that took COM1 from the debugger passes the debugger's key on). */
static inline int l4_irq_kdb_enter(uint64_t irq)
{
	return l4_invoke(irq, L4_IRQ_KDB_ENTER, 0, 0, 0, 0);
}
