/* link_dummy.c - a link with no device behind it (see link.h).  It lets
 * the server run, configure its interface and serve clients before a NIC
 * driver is there to attach to: frames lwIP sends are refused (counted as
 * tx_drop by netif.c), none arrive, and its carrier stays down, so lwIP
 * does not even try (no gratuitous ARP, DHCP waits for the link). */
#include <lwip/pbuf.h>
#include <l4/sys/abi.h>
#include "link.h"

static int dummy_transmit(struct net_link *l, struct pbuf *p)
{
	return -L4_ENOMEM;
}

static unsigned dummy_receive(struct net_link *l, struct netif *netif, unsigned budget)
{
	return 0;
}

static int dummy_idle(struct net_link *l)
{
	return 0;
}

static const struct net_link_ops dummy_ops = {
	.transmit = dummy_transmit,
	.receive = dummy_receive,
	.idle = dummy_idle,
};

void net_link_dummy(struct net_link *l)
{
	*l = (struct net_link){
		.ops = &dummy_ops,
		.kind = "dummy",
		/* locally administered (bit 1 of the first byte), unicast */
		.mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 },
		.mtu = 1500,
		.up = 0,
	};
}
