/* lwip_port_hooks.h - the lwIP hooks Minnow's port defines (lwipopts.h
 * names this file as LWIP_HOOK_FILENAME; lwIP includes it in the files
 * that call hooks). */
#ifndef MINNOW_LWIP_PORT_HOOKS_H
#define MINNOW_LWIP_PORT_HOOKS_H

#include <lwip/ip4_addr.h>

struct netif;
/* port/route.c: the strong host model - a packet whose source address
 * belongs to an interface leaves through that interface. */
struct netif *lwip_port_route_src(const ip4_addr_t *src, const ip4_addr_t *dest);

#endif
