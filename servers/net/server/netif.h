/* netif.h - one lwIP interface over a struct net_link (link.h). */
#ifndef NET_NETIF_H
#define NET_NETIF_H

#include <lwip/netif.h>
#include "config.h"
#include "link.h"

/* Add `n` over `l` with cfg's static address, or none and DHCP started
 * (cfg->dhcp); make it the default route.  0 or -L4_Exxx. */
int net_netif_add(struct netif *n, struct net_link *l, const struct net_config *cfg);
/* Hand up what the link received, `budget` frames at most per call to
 * the link; how many frames. */
unsigned net_netif_poll(struct netif *n, unsigned budget);

#endif
