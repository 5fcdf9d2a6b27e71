/* irqobj.h - the Irq object: one interrupt line, delivered to a bound
 * notification (as bits) or a bound thread (which collects with L4_IRQ_WAIT).
 * Level-triggered lines stay masked from the interrupt until L4_IRQ_ACK. */
#pragma once
#include <stdint.h>
#include <stdbool.h>
#include "kobj.h"

struct factory;
struct thread;
struct notification;

struct irq {
	struct kobj obj;
	struct factory *factory;        /* [ref] */
	unsigned gsi;
	bool level;
	struct notification *notif;     /* [ref] bound notification, or NULL */
	uint64_t notif_bits;
	struct thread *thread;          /* bound thread (not a reference), or NULL */
	struct thread *waiter;          /* the bound thread while it waits */
	uint64_t pending;               /* interrupts not yet collected */
	uint64_t delivered;             /* interrupts in all */
};

/* Sigma0's L4_S0_IRQ_CREATE: an Irq for a line (one Irq per line at a time). */
struct irq *irq_create(struct factory *f, unsigned line, unsigned flags, int *err);
void irq_destroy(struct irq *irq);
int irq_op(struct thread *caller, struct irq *irq, uint32_t rights, uint32_t label,
	   const uint64_t *mr, uint64_t *out, unsigned *nout);
void irq_cancel_wait(struct thread *t, int err);
void irq_thread_gone(struct thread *t);      /* t is destroyed: unbind it everywhere */
