/* net - the network stack server (doc/net.md): lwIP (pkg/lwip) on one
 * thread, its interface over a link (link.h), clients served by IPC.
 * In progress: the dummy and e1000 links, the interface's info and the
 * counters, sockets (sock.c, doc/net.md section 5). */
#include <stdio.h>
#include <lwip/init.h>
#include <lwip/ip4_addr.h>
#include <l4/rt/env.h>
#include <l4/sys/debug.h>
#include <l4/sys/thread.h>
#include <l4/util/rdtsc.h>
#include <parent_client.h>
#include "config.h"
#include "dhcp.h"
#include "iperf.h"
#include "loop.h"
#include "netif.h"
#include "socks.h"

#define NOTIF_SLOT L4_ENV_FIRST_FREE    /* bound to our thread: the links' wakeups; +1: the driver's */
#define LINK_BIT   0x1

static struct net_link the_link;
static struct netif netif;
static struct net_loop loop;
static struct net_config cfg;

/* The interface has its address (static, leased or the fallback). */
static void ready(struct netif *n)
{
	if (cfg.iperf_to_port)
		net_iperf_client(cfg.iperf_to, cfg.iperf_to_port);
}

int main(int argc, char **argv)
{
	const char *me = l4_env() ? l4_env()->name : "net";
	char err[128];
	if (net_config_parse(&cfg, argc, argv, err, sizeof(err))) {
		printf("%s: %s\n", me, err);
		return 2;
	}
	int e = parent_notif_create(L4_ENV_PARENT, NOTIF_SLOT);
	if (!e)
		e = l4_thread_bind_notif(L4_ENV_THREAD, NOTIF_SLOT);
	if (e) {
		printf("%s: bound notification: %s\n", me, l4_strerror(e));
		return 1;
	}
	lwip_port_seed(l4_rdtsc());
	lwip_init();
	if (cfg.link == NET_LINK_E1000) {
		uint64_t nic_ep = l4_env_cap("nic");
		if (cfg.tx_buffers)
			net_link_e1000_tx_buffers(cfg.tx_buffers);
		e = nic_ep ? net_link_e1000(&the_link, nic_ep, NOTIF_SLOT, NOTIF_SLOT + 1) : -L4_ENOCAP;
		if (e) {
			printf("%s: link=e1000: %s\n", me, nic_ep ? l4_strerror(e) :
			       "no capability 'nic' (caps=e1000:nic in the boot config)");
			return 1;
		}
	} else {
		net_link_dummy(&the_link);
	}
	the_link.wake_bits = LINK_BIT;  /* what the driver's signals set (<l4/util/ring_notif.h>) */
	e = net_ping_init();          /* its capability comes in sock_init's window */
	if (!e)
		e = net_netif_add(&netif, &the_link, &cfg);
	if (e) {
		printf("%s: interface: %s\n", me, l4_strerror(e));
		return 1;
	}
	sock_init(&cfg);
	char a[16], m[16], g[16];
	ip4addr_ntoa_r(netif_ip4_addr(&netif), a, sizeof(a));
	ip4addr_ntoa_r(netif_ip4_netmask(&netif), m, sizeof(m));
	ip4addr_ntoa_r(netif_ip4_gw(&netif), g, sizeof(g));
	if (cfg.dhcp)
		printf("%s: %c%c0 over the %s link: asking DHCP%s\n", me, netif.name[0],
		       netif.name[1], the_link.kind, cfg.fallback ? " (with a fallback)" : "");
	else
		printf("%s: %c%c0 over the %s link, static: %s netmask %s gateway %s\n", me,
		       netif.name[0], netif.name[1], the_link.kind, a, m, g);
	net_dhcp_watch(&netif, &cfg, ready);
	if (cfg.iperf_port && net_iperf_server(cfg.iperf_port)) {
		printf("%s: iperf=%u: lwIP has no TCP pcb for it\n", me, cfg.iperf_port);
		return 1;
	}
	loop.ep = L4_ENV_SERVER;
	loop.netif = &netif;
	loop.link = &the_link;
	net_loop_run(&loop);
}
