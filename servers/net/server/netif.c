/* netif.c - an lwIP Ethernet interface over a struct net_link: lwIP's
 * netif->linkoutput becomes link->ops->transmit, the loop's poll
 * link->ops->receive into netif->input (ethernet_input: ARP and IPv4).
 * lwIP's porting guide: contrib/lwip/doc/NO_SYS_SampleCode.c. */
#include <string.h>
#include <lwip/dhcp.h>
#include <lwip/etharp.h>
#include <lwip/stats.h>
#include <netif/ethernet.h>
#include <l4/sys/abi.h>
#include "netif.h"

static err_t link_output(struct netif *n, struct pbuf *p)
{
	struct net_link *l = n->state;
	if (l->ops->transmit(l, p)) {
		l->tx_drop++;
		LINK_STATS_INC(link.drop);
		return ERR_MEM;
	}
	l->tx++;
	LINK_STATS_INC(link.xmit);
	return ERR_OK;
}

static err_t link_netif_init(struct netif *n)
{
	struct net_link *l = n->state;
	n->name[0] = 'e';
	n->name[1] = 'n';
	n->mtu = l->mtu;
	n->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(n->hwaddr, l->mac, ETH_HWADDR_LEN);
	n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	n->output = etharp_output;
	n->linkoutput = link_output;
	return ERR_OK;
}

int net_netif_add(struct netif *n, struct net_link *l, const struct net_config *cfg)
{
	ip4_addr_t addr, mask, gw;
	ip4_addr_set_u32(&addr, cfg->dhcp ? 0 : cfg->addr);
	ip4_addr_set_u32(&mask, cfg->dhcp ? 0 : cfg->mask);
	ip4_addr_set_u32(&gw, cfg->dhcp ? 0 : cfg->gw);
	if (netif_add(n, &addr, &mask, &gw, l, link_netif_init, ethernet_input) == NULL)
		return -L4_EINVAL;
	netif_set_default(n);
	netif_set_up(n);
	if (l->up)
		netif_set_link_up(n);
	if (cfg->dhcp && dhcp_start(n) != ERR_OK)
		return -L4_ENOMEM;
	return 0;
}

unsigned net_netif_poll(struct netif *n, unsigned budget)
{
	struct net_link *l = n->state;
	unsigned got = l->ops->receive(l, n, budget);
	l->rx += got;
#if LINK_STATS
	lwip_stats.link.recv = (STAT_COUNTER)(lwip_stats.link.recv + got);
#endif
	return got;
}
