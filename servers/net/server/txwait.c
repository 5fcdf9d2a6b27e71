/* txwait.c - see txwait.h.  lwIP's linkoutput has no way to say "later":
 * a frame it cannot hand on is lost, and TCP finds out only by its
 * retransmission timer.  So a link with no free transmit buffer keeps
 * the frame (pbuf_ref; lwIP 2.1's TCP does not rewrite a segment whose
 * pbuf is still referenced, tcp_output_segment_busy) and sends it when a
 * buffer comes back - which wakes the loop (the link arms its ring). */
#include <lwip/pbuf.h>
#include <l4/sys/abi.h>
#include "txwait.h"

static struct pbuf *held[NET_TXWAIT_MAX];
static unsigned first, count;

int net_txwait_put(struct pbuf *p)
{
	if (count == NET_TXWAIT_MAX)
		return -L4_ENOMEM;
	pbuf_ref(p);
	held[(first + count++) % NET_TXWAIT_MAX] = p;
	return 0;
}

struct pbuf *net_txwait_first(void)
{
	return count ? held[first] : NULL;
}

void net_txwait_pop(void)
{
	if (!count)
		return;
	pbuf_free(held[first]);
	held[first] = NULL;
	first = (first + 1) % NET_TXWAIT_MAX;
	count--;
}

unsigned net_txwait_count(void)
{
	return count;
}
