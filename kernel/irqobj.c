/* irqobj.c - the Irq object; see irqobj.h.
 *
 * One Irq per interrupt line (GSI) at a time, found from the line through
 * a table.  The line stays masked while nothing is bound.  An interrupt
 * (irq_handle, called by the architecture with interrupts off after the
 * EOI) counts itself and goes to the bound notification as bits, or to the
 * bound thread if it waits in L4_IRQ_WAIT; otherwise it stays pending until
 * the next wait.  A level-triggered line has been masked by the arch code
 * when it fired and is unmasked by L4_IRQ_ACK, once the driver has quietened
 * its device; for an edge-triggered line ACK is harmless.
 */
#include "k/kernel.h"
#include "k/cap.h"
#include "k/factory.h"
#include "k/ipc.h"
#include "k/irq.h"
#include "k/irqobj.h"
#include "k/kdebug.h"
#include "k/notification.h"
#include "k/obj.h"
#include "k/percpu.h"
#include "k/sched.h"
#include "k/task.h"
#include "k/thread.h"
#include <l4/sys/abi.h>

#define IRQ_TABLE_LINES 256

static struct irq *line_owner[IRQ_TABLE_LINES];   /* [kernel lock] gsi -> Irq */


struct irq *irq_create(struct factory *f, unsigned line, unsigned flags, int *err)
{
	if (flags & ~(unsigned)(L4_S0_IRQ_ISA | L4_S0_IRQ_LEVEL | L4_S0_IRQ_LOW)) {
		*err = EINVAL_AT(2);
		return NULL;
	}
	bool level = flags & L4_S0_IRQ_LEVEL, low = flags & L4_S0_IRQ_LOW;
	unsigned gsi = line;
	if (flags & L4_S0_IRQ_ISA) {
		/* ISA 2 is the PIC cascade, never a device. */
		if (line >= 16 || line == 2) {
			*err = EINVAL_AT(0);
			return NULL;
		}
		bool fw_level, fw_low;
		gsi = arch_isa_irq_to_gsi(line, &fw_level, &fw_low);
		level |= fw_level;               /* the firmware's override, or an explicit ask */
		low |= fw_low;
	}
	if (gsi >= arch_irq_lines() || gsi >= IRQ_TABLE_LINES) {
		*err = EINVAL_AT(0);
		return NULL;
	}
	if (line_owner[gsi] || arch_irq_reserved(gsi)) {
		*err = -L4_ESLOT;
		return NULL;
	}
	struct irq *irq = factory_alloc(f, sizeof *irq, err);
	if (!irq)
		return NULL;
	arch_irq_mask(gsi);
	if (arch_irq_config(gsi, level, low)) {
		factory_free(f, irq, sizeof *irq);
		*err = EINVAL_AT(2);             /* the controller cannot do that mode */
		return NULL;
	}
	irq->obj.type = KOBJ_IRQ;
	irq->factory = f;
	irq->gsi = gsi;
	irq->level = level;
	line_owner[gsi] = irq;
	if (kdebug_console_line(gsi))
		kdebug_console_lend();       /* a console driver takes the serial line */
	return irq;
}

/* ---- waiting ---- */

/* The bound thread stops waiting; the reply is err. */
static void end_wait(struct irq *irq, int err)
{
	struct thread *t = irq->waiter;
	irq->waiter = NULL;
	t->waiting_irq = NULL;
	sched_timeout_cancel(t);
	ipc_kernel_reply(t, err, 0, NULL);
}

void irq_cancel_wait(struct thread *t, int err)
{
	struct irq *irq = t->waiting_irq;
	if (!irq)
		return;
	end_wait(irq, err);
	/* As for notifications: only a timeout lets it run on; ipc_cancel's
	 * caller decides the state otherwise. */
	if (err == -L4_ETIMEOUT)
		sched_make_ready(t);
}

/* The bound thread loses its binding while waiting: it wakes. */
static void wake_waiter(struct irq *irq, int err)
{
	struct thread *t = irq->waiter;
	if (!t)
		return;
	end_wait(irq, err);
	sched_make_ready(t);
}

static int irq_wait(struct thread *caller, struct irq *irq, uint64_t timeout,
		    uint64_t *out, unsigned *nout)
{
	if (irq->thread != caller)
		return -L4_EPERM;
	if (timeout > L4_TIMEOUT_NEVER)
		return EINVAL_AT(0);
	if (irq->pending) {
		out[0] = irq->pending;
		*nout = 1;
		irq->pending = 0;
		return 0;
	}
	if (timeout == L4_TIMEOUT_ZERO)
		return -L4_ETIMEOUT;
	thread_set_state(caller, L4_THREAD_RECV);
	caller->waiting_irq = irq;
	irq->waiter = caller;
	if (timeout != L4_TIMEOUT_NEVER)
		sched_timeout_add(caller, arch_time_ns() + timeout * 1000);
	return OBJ_REPLY_LATER;
}

/* ---- binding ---- */

/* Drop whatever is bound (a waiting thread wakes with err); the line is masked. */
static void unbind(struct irq *irq, int err)
{
	arch_irq_mask(irq->gsi);
	wake_waiter(irq, err);
	irq->thread = NULL;
	if (irq->notif) {
		kobj_put(&irq->notif->obj, &obj_dead);
		irq->notif = NULL;
	}
}

void irq_destroy(struct irq *irq)
{
	unbind(irq, -L4_ECANCELED);
	line_owner[irq->gsi] = NULL;
	if (kdebug_console_line(irq->gsi))
		kdebug_console_return();     /* the debugger's key works again */
	factory_free(irq->factory, irq, sizeof *irq);
}

void irq_thread_gone(struct thread *t)
{
	for (unsigned gsi = 0; gsi < IRQ_TABLE_LINES; gsi++) {
		struct irq *irq = line_owner[gsi];
		if (!irq || irq->thread != t)
			continue;
		if (irq->waiter == t)
			end_wait(irq, -L4_ECANCELED);
		irq->thread = NULL;
		arch_irq_mask(gsi);              /* nobody to deliver to */
	}
}


static void deliver(struct irq *irq);

int irq_op(struct thread *caller, struct irq *irq, uint32_t rights, uint32_t label,
	   const uint64_t *mr, uint64_t *out, unsigned *nout)
{
	int err = 0;
	if (label == L4_IRQ_INFO) {
		out[0] = irq->gsi;
		out[1] = irq->delivered;
		*nout = 2;
		return 0;
	}
	if (label < L4_IRQ_BIND_NOTIF || label > L4_IRQ_KDB_ENTER || label == L4_IRQ_INFO)
		return -L4_ENOSYS;
	if (!(rights & CAP_CONTROL))
		return -L4_EPERM;
	switch (label) {
	case L4_IRQ_BIND_NOTIF: {
		struct notification *n = caller_obj(caller, mr[0], KOBJ_NOTIFICATION,
							CAP_WRITE, &err);
		if (!n)
			return err;
		if (!mr[1])
			return EINVAL_AT(1);     /* no bits: the interrupts would vanish */
		kobj_get(&n->obj);           /* before unbind may drop the same one */
		unbind(irq, -L4_ECANCELED);
		irq->notif = n;
		irq->notif_bits = mr[1];
		deliver(irq);                /* what came while nothing listened */
		arch_irq_unmask(irq->gsi);
		obj_reap();
		return 0;
	}
	case L4_IRQ_BIND_THREAD: {
		struct thread *t = caller_obj(caller, mr[0], KOBJ_THREAD, CAP_CONTROL, &err);
		if (!t)
			return err;
		if (t != irq->thread)
			unbind(irq, -L4_ECANCELED);
		irq->thread = t;
		arch_irq_unmask(irq->gsi);
		obj_reap();
		return 0;
	}
	case L4_IRQ_UNBIND:
		unbind(irq, -L4_ECANCELED);
		obj_reap();
		return 0;
	case L4_IRQ_WAIT:
		return irq_wait(caller, irq, mr[0], out, nout);
	case L4_IRQ_ACK:
		if (!irq->notif && !irq->thread)
			return -L4_ESTATE;       /* unbound: the line stays masked */
		arch_irq_unmask(irq->gsi);
		return 0;
	case L4_IRQ_KDB_ENTER:
		if (!CONFIG_KDB)
			return -L4_ENOSYS;
		if (!kdebug_console_line(irq->gsi))
			return -L4_EPERM;
		kdebug_enter("key passed on by the console driver");
		return 0;
	}
	return -L4_ENOSYS;
}

/* ---- interrupts ---- */

/* Hand the pending interrupts to whoever listens, if anyone does. */
static void deliver(struct irq *irq)
{
	if (!irq->pending)
		return;
	if (irq->notif) {
		irq->pending = 0;
		notification_signal(irq->notif, irq->notif_bits);
	} else if (irq->waiter) {
		uint64_t n = irq->pending;
		struct thread *t = irq->waiter;
		irq->pending = 0;
		irq->waiter = NULL;
		t->waiting_irq = NULL;
		sched_timeout_cancel(t);
		ipc_kernel_reply(t, 0, 1, &n);
		sched_make_ready(t);
	}
}

/* The architecture's hook for a device interrupt (overrides irq.c's weak
 * default).  Interrupts are off; the controller has had its EOI. */
void irq_handle(unsigned gsi)
{
	struct irq *irq = gsi < IRQ_TABLE_LINES ? line_owner[gsi] : NULL;
	if (!irq)
		return;                      /* left over from a line just released */
	irq->delivered++;
	irq->pending++;
	deliver(irq);
	/* The interrupt exit does not schedule; a woken thread that beats the
	 * interrupted one runs now. */
	if (this_cpu()->need_resched)
		schedule();
}
