/* memlink.c - see memlink.h. */
#include "memlink.h"

#include <string.h>
#include <lwip/etharp.h>
#include <lwip/ip4_addr.h>
#include <netif/ethernet.h>

/* netif->linkoutput: copy the frame (lwIP may reuse or free the pbuf as
 * soon as we return, lwIP's doc/rawapi.txt) and queue it at the peer. */
static err_t memlink_output(struct netif *netif, struct pbuf *p)
{
	struct memlink_end *self = netif->state, *peer = self->peer;
	if (++peer->sent_to == peer->drop_at) {
		peer->dropped++;
		return ERR_OK;          /* lost on the wire, as a test asked */
	}
	if (peer->count == MEMLINK_QLEN) {
		peer->dropped++;
		return ERR_OK;          /* a full wire drops, as Ethernet does */
	}
	struct pbuf *q = pbuf_alloc(PBUF_RAW, p->tot_len, PBUF_POOL);
	if (q == NULL) {
		peer->dropped++;
		return ERR_MEM;
	}
	if (pbuf_copy(q, p) != ERR_OK) {
		pbuf_free(q);
		return ERR_BUF;
	}
	peer->q[(peer->head + peer->count++) % MEMLINK_QLEN] = q;
	return ERR_OK;
}

static err_t memlink_netif_init(struct netif *netif)
{
	struct memlink_end *self = netif->state;
	netif->name[0] = 'm';
	netif->name[1] = 'l';
	netif->mtu = 1500;
	netif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(netif->hwaddr, (u8_t[]){ 0x02, 0, 0, 0, 9, (u8_t)self->id }, ETH_HWADDR_LEN);
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	netif->output = etharp_output;
	netif->linkoutput = memlink_output;
	return ERR_OK;
}

int memlink_init(struct memlink *l)
{
	memset(l, 0, sizeof(*l));
	l->end[0].peer = &l->end[1];
	l->end[1].peer = &l->end[0];
	for (int i = 0; i < 2; i++) {
		l->end[i].id = i + 1;
		ip4_addr_t ip, mask, gw;
		IP4_ADDR(&ip, 10, 0, 9, i + 1);
		IP4_ADDR(&mask, 255, 255, 255, 0);
		ip4_addr_set_zero(&gw);
		if (netif_add(&l->end[i].netif, &ip, &mask, &gw, &l->end[i],
			      memlink_netif_init, ethernet_input) == NULL)
			return ERR_IF;
		netif_set_up(&l->end[i].netif);
		netif_set_link_up(&l->end[i].netif);
	}
	return ERR_OK;
}

unsigned memlink_poll(struct memlink *l)
{
	unsigned n = 0, moved;
	do {
		moved = 0;
		for (int i = 0; i < 2; i++) {
			struct memlink_end *e = &l->end[i];
			if (e->count == 0)
				continue;
			struct pbuf *p = e->q[e->head];
			e->head = (e->head + 1) % MEMLINK_QLEN;
			e->count--;
			e->frames_in++;
			moved++;
			/* ethernet_input takes the pbuf, also on error. */
			if (e->netif.input(p, &e->netif) != ERR_OK)
				pbuf_free(p);
		}
		n += moved;
	} while (moved);
	return n;
}

void memlink_fini(struct memlink *l)
{
	for (int i = 0; i < 2; i++) {
		struct memlink_end *e = &l->end[i];
		while (e->count) {
			pbuf_free(e->q[e->head]);
			e->head = (e->head + 1) % MEMLINK_QLEN;
			e->count--;
		}
		netif_set_down(&e->netif);
		netif_remove(&e->netif);
	}
}
