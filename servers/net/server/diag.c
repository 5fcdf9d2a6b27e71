/* diag.c - the diagnostics interface (lib/netdiag.idl): ping (ping.c)
 * and lwIP's own counters (lwip_stats, lwipopts.h's *_STATS), which the
 * shell's netstat shows - what was dropped, and why, after a flood of bad
 * packets; memory in use, so a leak inside lwIP shows too. */
#include <string.h>
#include <lwip/memp.h>
#include <lwip/stats.h>
#include <netdiag.h>
#include <netdiag_server.h>
#include "loop.h"

_Static_assert(sizeof(struct stats_proto) == NETDIAG_COUNTERS * sizeof(STAT_COUNTER),
	       "netdiag's counters are stats_proto's");

static int proto(void *ctx, uint64_t badge, uint32_t which, uint64_t v[12])
{
	static const struct stats_proto *const of[NETDIAG_PROTOS] = {
		[NETDIAG_LINK] = &lwip_stats.link,     [NETDIAG_ETHARP] = &lwip_stats.etharp,
		[NETDIAG_IPFRAG] = &lwip_stats.ip_frag, [NETDIAG_IP] = &lwip_stats.ip,
		[NETDIAG_ICMP] = &lwip_stats.icmp,     [NETDIAG_UDP] = &lwip_stats.udp,
		[NETDIAG_TCP] = &lwip_stats.tcp,
	};
	if (which >= NETDIAG_PROTOS)
		return -L4_EINVAL;
	const STAT_COUNTER *c = &of[which]->xmit;
	for (unsigned i = 0; i < NETDIAG_COUNTERS; i++)
		v[i] = c[i];
	return 0;
}

static void mem(uint64_t v[4], const struct stats_mem *m)
{
	v[NETDIAG_MEM_AVAIL] = m->avail;
	v[NETDIAG_MEM_USED] = m->used;
	v[NETDIAG_MEM_MAX] = m->max;
	v[NETDIAG_MEM_ERR] = m->err;
}

static int memory(void *ctx, uint64_t badge, uint64_t heap[4], uint64_t pbufs[4])
{
	mem(heap, &lwip_stats.mem);
	mem(pbufs, lwip_stats.memp[MEMP_PBUF_POOL]);
	return 0;
}

static const struct netdiag_ops ops = {
	.ping = net_ping, .ping_result = net_ping_result, .proto = proto, .memory = memory,
};

int net_diag_serve(struct net_loop *lp, uint64_t tag, uint64_t badge, uint64_t *reply)
{
	if (L4_TAG_LABEL(tag) >> 16 != NETDIAG_IFACE_ID)
		return 0;
	netdiag_dispatch(&ops, lp, tag, badge, reply);
	return 1;
}
