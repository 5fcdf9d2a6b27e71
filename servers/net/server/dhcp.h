/* dhcp.h - the interface's address: DHCP's lease logged, the static
 * fallback taken when none came in time (dhcp.c). */
#ifndef NET_DHCP_H
#define NET_DHCP_H

#include <lwip/netif.h>
#include "config.h"

/* After net_netif_add: log the lease when DHCP binds one; with
 * cfg->fallback, take cfg's address if none came within
 * cfg->dhcp_wait_ms.  ready (may be NULL) is called once the interface
 * has an address, whichever way (at once for a static one).  cfg must
 * outlive the server. */
void net_dhcp_watch(struct netif *n, const struct net_config *cfg, void (*ready)(struct netif *));

#endif
