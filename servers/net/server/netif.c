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

/* lwIP's checksum control for the interface (LWIP_CHECKSUM_CTRL_PER_NETIF):
 * everything, but what the device inserts on transmit. */
static u16_t csum_flags(const struct net_link *l)
{
	u16_t f = NETIF_CHECKSUM_ENABLE_ALL;
	if (l->csum & NET_LINK_CSUM_TX)
		f &= (u16_t)~(NETIF_CHECKSUM_GEN_IP | NETIF_CHECKSUM_GEN_UDP | NETIF_CHECKSUM_GEN_TCP);
	return f;
}

int net_netif_add(struct netif *n, struct net_link *l, const struct net_config *cfg)
{
	ip4_addr_t addr, mask, gw;
	ip4_addr_set_u32(&addr, cfg->dhcp ? 0 : cfg->addr);
	ip4_addr_set_u32(&mask, cfg->dhcp ? 0 : cfg->mask);
	ip4_addr_set_u32(&gw, cfg->dhcp ? 0 : cfg->gw);
	if (!cfg->offload)
		l->csum = 0;
	if (netif_add(n, &addr, &mask, &gw, l, link_netif_init, ethernet_input) == NULL)
		return -L4_EINVAL;
	NETIF_SET_CHECKSUM_CTRL(n, csum_flags(l));
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

err_t net_netif_input(struct netif *n, struct pbuf *p, unsigned verdict)
{
	struct net_link *l = n->state;
	if (!verdict || !(l->csum & NET_LINK_CSUM_RX))
		return n->input(p, n);
	if (verdict & NET_RX_CSUM_BAD) {
		l->rx_csum_bad++;       /* lwIP checks everything: it drops and counts it */
		return n->input(p, n);
	}
	l->rx_csum_ok++;
	u16_t f = csum_flags(l);
	if (verdict & NET_RX_CSUM_IP_OK)
		f &= (u16_t)~NETIF_CHECKSUM_CHECK_IP;
	if (verdict & NET_RX_CSUM_L4_OK)
		f &= (u16_t)~(NETIF_CHECKSUM_CHECK_UDP | NETIF_CHECKSUM_CHECK_TCP);
	NETIF_SET_CHECKSUM_CTRL(n, f);
	err_t e = n->input(p, n);
	NETIF_SET_CHECKSUM_CTRL(n, csum_flags(l));
	return e;
}

void net_netif_loop(struct netif *n)
{
	struct net_link *l = n->state;
	if (!(l->csum & NET_LINK_CSUM_TX)) {
		netif_poll(n);
		return;
	}
	NETIF_SET_CHECKSUM_CTRL(n, csum_flags(l) & (u16_t)~(NETIF_CHECKSUM_CHECK_IP |
		NETIF_CHECKSUM_CHECK_UDP | NETIF_CHECKSUM_CHECK_TCP));
	netif_poll(n);
	NETIF_SET_CHECKSUM_CTRL(n, csum_flags(l));
}
