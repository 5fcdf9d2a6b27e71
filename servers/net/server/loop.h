/* loop.h - servers/net's event loop: one thread, one wait. */
#ifndef NET_LOOP_H
#define NET_LOOP_H

#include <stdint.h>
#include <lwip/netif.h>
#include <l4/rt/env.h>
#include <net.h>
#include "link.h"

/* The server's capability slots (L4_ENV_FIRST_FREE.. are the program's):
 *   +0  the notification bound to the loop's thread (main.c)
 *   +1  the driver's notification (link_e1000.c)
 *   +8, +9  the receive window (sock.c's WIN_SLOT, set by sock_init): the
 *       capabilities a request carries land here; a handler moves what it
 *       keeps, and the loop empties both after the reply
 *   +10 .. +43  the socket clients' wake and life (sock.c's CAP_SLOT)
 *   +112 .. +112+NET_PING_SESSIONS-1: ping clients' notifications (ping.c) */
#define NET_CAP_WINDOW    (L4_ENV_FIRST_FREE + 8)
#define NET_PING_SLOT     (L4_ENV_FIRST_FREE + 112)
#define NET_PING_SESSIONS 8      /* lwipopts.h's MEMP_NUM_SYS_TIMEOUT counts one timer each */

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

/* diag.c: the diagnostics interface (lib/netdiag.idl): 1 when the
 * request was one of its (answered in *reply), else 0. */
int net_diag_serve(struct net_loop *lp, uint64_t tag, uint64_t badge, uint64_t *reply);
/* ping.c: ICMP echo requests for clients, netdiag's ping and ping_result.
 * init: 0 or -L4_ENOMEM. */
int net_ping_init(void);
int net_ping(void *ctx, uint64_t badge, uint32_t addr, uint16_t seq, uint16_t size,
	     uint32_t timeout_ms, uint64_t wake);
int net_ping_result(void *ctx, uint64_t badge, uint32_t *state, uint32_t *rtt_us,
		    uint32_t *ttl, uint32_t *bytes);

#endif
