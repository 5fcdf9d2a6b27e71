/* config.h - servers/net's command line (the boot config's args=):
 *
 *   addr=A.B.C.D/N   a static address and prefix length; without it, DHCP
 *   gw=A.B.C.D       the default gateway (needs addr=)
 *   link=dummy       the link under the interface (link.h): dummy (no
 *   link=e1000       device; the default) or e1000 (the driver's session,
 *                    capability "nic")
 *   socks=N          sockets per client program (1..256, default 16)
 *   sockmem=SIZE     bytes a client may hold in the server: received and
 *                    unread, written and unacknowledged (N, NK or NM;
 *                    4K..16M, default 256K)
 *
 * Pure logic, so the host tests can feed it anything. */
#ifndef NET_CONFIG_H
#define NET_CONFIG_H

#include <stddef.h>
#include <stdint.h>

enum net_link_kind { NET_LINK_DUMMY, NET_LINK_E1000 };

struct net_config {
	int dhcp;                       /* no addr=: ask DHCP */
	uint32_t addr, mask, gw;        /* network byte order */
	enum net_link_kind link;
	unsigned socks;                 /* per client (sock.c) */
	size_t sockmem;
};

/* Parse argv[1..argc-1] into *cfg.  0, or -1 with a message naming the
 * argument and what is wrong with it in err. */
int net_config_parse(struct net_config *cfg, int argc, char **argv, char *err, size_t errlen);

#endif
