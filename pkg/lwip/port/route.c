/* port/route.c - source-based routing (LWIP_HOOK_IP4_ROUTE_SRC): a packet
 * sent from one of our addresses leaves through the interface that has
 * it, whatever the destination (the strong host model, RFC 1122 3.3.4.2).
 * lwIP's own ip4_route() picks the first interface whose subnet holds the
 * destination, which on a host with two interfaces in one subnet - the
 * port's tests join two netifs of one stack by a link - would send every
 * packet out of the wrong one.  Packets with no source yet (a socket not
 * bound) fall back to lwIP's routing: we return NULL. */
#include <lwip/netif.h>
#include <lwip_port_hooks.h>

struct netif *lwip_port_route_src(const ip4_addr_t *src, const ip4_addr_t *dest)
{
	struct netif *netif;
	(void)dest;
	if (src == NULL || ip4_addr_isany(src))
		return NULL;
	NETIF_FOREACH(netif) {
		if (netif_is_up(netif) && netif_is_link_up(netif) &&
		    ip4_addr_cmp(src, netif_ip4_addr(netif)))
			return netif;
	}
	return NULL;
}
