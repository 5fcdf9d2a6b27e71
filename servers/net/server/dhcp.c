/* dhcp.c - the interface's address as it comes: the lease DHCP got
 * (lwIP's dhcp.c, RFC 2131; QEMU's user network hands out 10.0.2.15),
 * logged when it is bound, and the static fallback (args=
 * "fallback=A.B.C.D/N gw=... dhcp-wait=MS") taken when no lease came in
 * time.  lwIP is built without DNS (lwipopts.h), so the name servers a
 * lease names are never asked anything.  Whatever wants the address once
 * it is there (iperf-to=) is started from here. */
#include <stdio.h>
#include <lwip/dhcp.h>
#include <lwip/netif.h>
#include <lwip/timeouts.h>
#include "dhcp.h"

static const struct net_config *conf;
static void (*on_address)(struct netif *n);
static int announced;

static void say(struct netif *n, const char *how)
{
	char a[16], m[16], g[16];
	ip4addr_ntoa_r(netif_ip4_addr(n), a, sizeof(a));
	ip4addr_ntoa_r(netif_ip4_netmask(n), m, sizeof(m));
	ip4addr_ntoa_r(netif_ip4_gw(n), g, sizeof(g));
	printf("net: %c%c0: %s %s netmask %s gateway %s", n->name[0], n->name[1], how, a, m, g);
}

/* lwIP's status callback: the interface went up or down, or its address
 * changed (netif.c, NETIF_STATUS_CALLBACK). */
static void status(struct netif *n)
{
	if (ip4_addr_isany_val(*netif_ip4_addr(n)) || announced)
		return;
	announced = 1;
	if (dhcp_supplied_address(n)) {
		const struct dhcp *d = netif_dhcp_data(n);
		char s[16];
		ip4addr_ntoa_r(ip_2_ip4(&d->server_ip_addr), s, sizeof(s));
		say(n, "DHCP lease");
		printf(" from %s for %u s\n", s, (unsigned)d->offered_t0_lease);
	} else if (!conf->dhcp) {
		return;         /* a static address: main.c said it */
	}
	if (on_address)
		on_address(n);
}

static void give_up(void *arg)
{
	struct netif *n = arg;
	if (dhcp_supplied_address(n))
		return;
	/* stop asking; dhcp_cleanup frees lwIP's record, so ifinfo no
	 * longer says DHCP */
	dhcp_release_and_stop(n);
	dhcp_cleanup(n);
	ip4_addr_t addr, mask, gw;
	ip4_addr_set_u32(&addr, conf->addr);
	ip4_addr_set_u32(&mask, conf->mask);
	ip4_addr_set_u32(&gw, conf->gw);
	announced = 1;
	netif_set_addr(n, &addr, &mask, &gw);
	char how[64];
	snprintf(how, sizeof(how), "no DHCP lease in %u ms: fallback", (unsigned)conf->dhcp_wait_ms);
	say(n, how);
	printf("\n");
	if (on_address)
		on_address(n);
}

void net_dhcp_watch(struct netif *n, const struct net_config *cfg, void (*ready)(struct netif *))
{
	conf = cfg;
	on_address = ready;
	netif_set_status_callback(n, status);
	if (cfg->dhcp && cfg->fallback)
		sys_timeout(cfg->dhcp_wait_ms, give_up, n);
	else if (!cfg->dhcp && ready)
		ready(n);
}
