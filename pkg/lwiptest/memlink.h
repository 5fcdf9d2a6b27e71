/* memlink.h - two lwIP Ethernet netifs in one program, joined by an
 * in-memory link: a frame one end sends is copied into a queue, and the
 * other end takes it in at the next memlink_poll().  The queue keeps lwIP
 * from being entered from inside its own output path (NO_SYS lwIP is not
 * reentrant) and lets a test count and drop frames.  Used by the port's
 * host tests and by the in-guest program: no NIC, the real stack. */
#ifndef LWIPTEST_MEMLINK_H
#define LWIPTEST_MEMLINK_H

#include <lwip/netif.h>
#include <lwip/pbuf.h>

#define MEMLINK_QLEN 256                /* frames in flight per direction */

struct memlink_end {
	struct netif netif;
	struct pbuf *q[MEMLINK_QLEN];   /* frames sent to this end, oldest first */
	unsigned head, count;
	unsigned long frames_in, dropped;
	unsigned long sent_to;          /* frames sent to this end so far */
	unsigned long drop_at;          /* lose the frame numbered so (from 1); 0: none */
	struct memlink_end *peer;
	unsigned id;                    /* 1 or 2: the last byte of address and MAC */
};

struct memlink {
	struct memlink_end end[2];
};

/* Bring both ends up: end[i] gets address 10.0.9.(i+1)/24 and MAC
 * 02:00:00:00:09:(i+1).  lwip_init() must have run.  0 or an lwIP err_t. */
int memlink_init(struct memlink *l);
/* Deliver every queued frame (including those sent while delivering) to
 * its end's input; returns how many were delivered. */
unsigned memlink_poll(struct memlink *l);
/* Take both netifs down and free what is queued. */
void memlink_fini(struct memlink *l);

#endif
