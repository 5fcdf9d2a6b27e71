/* config.h - servers/net's command line (the boot config's args=):
 *
 *   addr=A.B.C.D/N   a static address and prefix length; without it, DHCP
 *   gw=A.B.C.D       the default gateway (needs addr=)
 *   link=dummy       the link under the interface (link.h): dummy (no
 *   link=e1000       device; the default) or e1000 (the driver's session,
 *                    capability "nic")
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
};

/* Parse argv[1..argc-1] into *cfg.  0, or -1 with a message naming the
 * argument and what is wrong with it in err. */
int net_config_parse(struct net_config *cfg, int argc, char **argv, char *err, size_t errlen);

#endif
