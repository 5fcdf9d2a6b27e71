/* loop.h - servers/net's event loop: one thread, one wait. */
#ifndef NET_LOOP_H
#define NET_LOOP_H

#include <stdint.h>
#include <lwip/netif.h>
#include <net.h>
#include "link.h"

struct net_loop {
	uint64_t ep;                    /* where clients call */
	struct netif *netif;            /* the interface, over link */
	struct net_link *link;
	uint64_t stats[NET_STAT_COUNT];
};

/* Serve forever: lwIP's timers, the link's frames and client requests,
 * all ending one receive on ep (the thread's bound notification carries
 * the link's bits). */
void net_loop_run(struct net_loop *lp) __attribute__((noreturn));

/* The requests (serve.c), dispatched by the loop. */
void net_serve(struct net_loop *lp, uint64_t tag, uint64_t badge, uint64_t *reply);

#endif
