/* serve.c - the net interface's requests (lib/net.idl).  Decoding and
 * checking are the generated dispatcher's; these only answer. */
#include <string.h>
#include <lwip/netif.h>
#include <lwip/dhcp.h>
#include <lwip/stats.h>
#include <lwip/sys.h>
#include <net_server.h>
#include "loop.h"
#include "socks.h"

static int ifinfo(void *ctx, uint64_t badge, uint32_t *addr, uint32_t *mask, uint32_t *gw,
		  uint8_t mac[6], uint32_t *flags)
{
	struct net_loop *lp = ctx;
	struct netif *n = lp->netif;
	*addr = ip4_addr_get_u32(netif_ip4_addr(n));
	*mask = ip4_addr_get_u32(netif_ip4_netmask(n));
	*gw = ip4_addr_get_u32(netif_ip4_gw(n));
	memcpy(mac, n->hwaddr, 6);
	*flags = (netif_is_up(n) ? NET_IF_UP : 0) | (netif_is_link_up(n) ? NET_IF_LINK : 0) |
		 (netif_dhcp_data(n) ? NET_IF_DHCP : 0);
	return 0;
}

static int stats(void *ctx, uint64_t badge, uint64_t v[16])
{
	struct net_loop *lp = ctx;
	memset(v, 0, 16 * sizeof(v[0]));
	memcpy(v, lp->stats, sizeof(lp->stats));
	v[NET_STAT_UPTIME_MS] = sys_now();
	v[NET_STAT_LINK_RX] = lp->link->rx;
	v[NET_STAT_LINK_TX] = lp->link->tx;
	v[NET_STAT_LINK_TX_DROP] = lp->link->tx_drop;
	v[NET_STAT_LINK_REFUSED] = lp->link->rx_refused;
	v[NET_STAT_LINK_TX_WAITED] = lp->link->tx_waited;
	v[NET_STAT_LINK_TX_CSUM] = lp->link->tx_csum;
	v[NET_STAT_LINK_RX_CSUM_OK] = lp->link->rx_csum_ok;
	v[NET_STAT_LINK_RX_CSUM_BAD] = lp->link->rx_csum_bad;
	v[NET_STAT_IP_RECV] = lwip_stats.ip.recv;
	v[NET_STAT_IP_XMIT] = lwip_stats.ip.xmit;
	v[NET_STAT_IP_DROP] = lwip_stats.ip.drop;
	return 0;
}

static const struct net_ops ops = { .ifinfo = ifinfo, .stats = stats };

void net_serve(struct net_loop *lp, uint64_t tag, uint64_t badge, uint64_t *reply)
{
	/* an unknown label or a malformed message is answered with its
	 * error by the dispatcher; nothing here trusts the client further */
	/* netdiag first: sock.c throws away a capability that came with
	 * any request but its own open, and ping's comes with it */
	if (net_diag_serve(lp, tag, badge, reply))      /* lib/netdiag.idl: diag.c */
		return;
	if (sock_serve_request(tag, badge, reply))     /* lib/sock.idl: sock.c */
		return;
	net_dispatch(&ops, lp, tag, badge, reply);
}
