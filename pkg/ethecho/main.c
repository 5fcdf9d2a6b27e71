/* ethecho - the e1000 driver's first client (servers/e1000, <nic.h>):
 * answers every unicast frame with source and destination swapped, ARP
 * requests for its address with a reply, and counts what it saw, moving
 * buffers through the driver's rings without a copy (a received buffer
 * is sent as it is and comes back to receive into).  Its capability
 * "nic" is the driver's endpoint.  Arguments:
 *   ip=A.B.C.D   its IPv4 address for ARP (default 10.0.2.15)
 *   garbage      first write bad descriptors into the rings, ask the
 *                driver's counters, echo, and at the peer's stop break
 *                the rings' indices and ask the driver again
 *   bench        count instructions between the peer's MARK and STOP
 *                frames (bench.c; capability "idle": `ethecho idle`)
 *   idle         be the benchmark's lowest-priority spinner (idle.c)
 * It ends at the peer's stop frame (EtherType 0x88b5, "STOP"), printing
 * its counts and the driver's, or when the driver is gone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <l4/rt/env.h>
#include <l4/sys/debug.h>
#include <l4/sys/notification.h>
#include <l4/util/rdtsc.h>
#include <parent_client.h>
#include "ethecho.h"

const char *me = "ethecho";

enum { MINE = L4_ENV_FIRST_FREE, THEIRS };

#define IDLE_US 200000          /* asleep this long: is the driver still there? */

static int driver_stats(struct nic *n, const char *when)
{
	uint64_t v[16];
	int e = nic_stats(n->ep, v);
	if (e) {
		printf("%s: driver statistics: %s\n", me, l4_strerror(e));
		return e;
	}
	printf("%s: driver %s: rx %llu frames %llu bytes, tx %llu frames %llu bytes, errors %llu, "
	       "missed %llu, dropped %llu, refused %llu, broken %llu\n", me, when,
	       (unsigned long long)v[NIC_STAT_RX_PACKETS], (unsigned long long)v[NIC_STAT_RX_BYTES],
	       (unsigned long long)v[NIC_STAT_TX_PACKETS], (unsigned long long)v[NIC_STAT_TX_BYTES],
	       (unsigned long long)v[NIC_STAT_RX_ERRORS], (unsigned long long)v[NIC_STAT_MISSED],
	       (unsigned long long)v[NIC_STAT_RX_DROPPED], (unsigned long long)v[NIC_STAT_REFUSED],
	       (unsigned long long)v[NIC_STAT_BROKEN]);
	return 0;
}

static int parse_ip(const char *s, uint8_t ip[4])
{
	for (int i = 0; i < 4; i++) {
		char *end;
		unsigned long v = strtoul(s, &end, 10);
		if (end == s || v > 255 || *end != (i < 3 ? '.' : '\0'))
			return -1;
		ip[i] = (uint8_t)v;
		s = end + 1;
	}
	return 0;
}

/* Received frames answered (the same buffer to tx_active) or given back
 * (rx_free); sent buffers back to rx_free.  1 at the stop frame, -1 when
 * a ring is broken, else 0; *did: whether there was anything. */
static int step(struct nic *n, const uint8_t mac[6], const uint8_t ip[4], struct counts *c,
		bool bench, bool *did)
{
	struct nic_desc x;
	int e, stop = 0;
	*did = false;
	while ((e = l4_ring_get(&n->ring[NIC_RX_ACTIVE], &x)) == L4_RING_OK) {
		*did = true;
		uint8_t *f = nic_buf(n, x.off);
		int a = f && x.len <= NIC_BUF_SIZE ? frame_answer(f, x.len, mac, ip, c) : 0;
		if (a == ANSWER_STOP)
			stop = 1;
		if (a == ANSWER_MARK && bench && bench_mark(n, c))
			return -1;
		x.len = a > 0 ? (uint16_t)a : 0;
		x.csum = x.l4 = 0;      /* the receive verdict is no transmit request */
		if (l4_ring_put(&n->ring[a > 0 ? NIC_TX_ACTIVE : NIC_RX_FREE], &x) != L4_RING_OK)
			return -1;
	}
	if (e == L4_RING_BROKEN)
		return -1;
	while ((e = l4_ring_get(&n->ring[NIC_TX_FREE], &x)) == L4_RING_OK) {
		*did = true;
		x.len = 0;
		if (l4_ring_put(&n->ring[NIC_RX_FREE], &x) != L4_RING_OK)
			return -1;
	}
	return e == L4_RING_BROKEN ? -1 : stop;
}

int main(int argc, char **argv)
{
	uint8_t ip[4] = { 10, 0, 2, 15 }, mac[6];
	bool garbage = false, bench = false;
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "ip=", 3) && !parse_ip(argv[i] + 3, ip))
			continue;
		if (!strcmp(argv[i], "garbage")) {
			garbage = true;
			continue;
		}
		if (!strcmp(argv[i], "bench")) {
			bench = true;
			continue;
		}
		if (!strcmp(argv[i], "idle") && argc == 2)
			return idle();
		printf("%s: argument %d '%s' unknown (known: ip=A.B.C.D, garbage, bench, idle)\n", me,
		       i, argv[i]);
		return 2;
	}
	uint64_t ep = l4_env_cap("nic");
	struct nic n;
	uint32_t link, mbps;
	int e;
	if (!ep) {
		printf("%s: no capability 'nic' (the driver's endpoint)\n", me);
		return 1;
	}
	if ((e = parent_notif_create(L4_ENV_PARENT, MINE)) ||
	    (e = nic_open(&n, ep, L4_ENV_RECV_BASE, MINE, THEIRS, 0)) ||
	    (e = nic_info(ep, mac, &link, &mbps))) {
		printf("%s: attaching to the driver: %s\n", me, l4_strerror(e));
		return 1;
	}
	printf("%s: attached: MAC %02x:%02x:%02x:%02x:%02x:%02x, IPv4 %u.%u.%u.%u, link %s\n", me,
	       mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], ip[0], ip[1], ip[2], ip[3],
	       link ? "up" : "down");
	if (bench && bench_init(&n))
		return 1;
	if (garbage) {
		garbage_descriptors(&n);
		if (driver_stats(&n, "after bad descriptors"))
			return 1;
	}
	struct counts c = { 0 };
	uint64_t sleeps = 0;
	acct.turn = l4_rdtsc();
	acct.turn_sys = acct.sys;
	for (;;) {
		bool did;
		int r = step(&n, mac, ip, &c, bench, &did);
		if (r < 0) {
			printf("%s: the driver broke a ring\n", me);
			return 1;
		}
		if (r > 0)
			break;
		if (did || !l4_ring_consumer_arm(&n.ring[NIC_RX_ACTIVE]) ||
		    !l4_ring_consumer_arm(&n.ring[NIC_TX_FREE]))
			continue;
		sleeps++;
		uint64_t bits;
		acct.user += l4_rdtsc() - acct.turn - (acct.sys - acct.turn_sys);
		e = l4_notification_wait(MINE, IDLE_US, &bits);
		acct.turn = l4_rdtsc();
		acct.turn_sys = acct.sys;
		if (e == -L4_ETIMEOUT && nic_alive(&n, IDLE_US)) {
			printf("%s: the driver is gone (no answer on its endpoint) after %llu frames, "
			       "%llu echoed\n", me, (unsigned long long)c.frames, (unsigned long long)c.echoed);
			return 3;
		}
	}
	printf("%s: stop after %llu frames (%llu bytes): %llu echoed, %llu ARP answered, %llu broadcast, "
	       "%llu malformed, %llu giant; slept %llu times, woke the driver %llu times\n", me,
	       (unsigned long long)c.frames, (unsigned long long)c.bytes, (unsigned long long)c.echoed,
	       (unsigned long long)c.arp, (unsigned long long)c.broadcast,
	       (unsigned long long)c.malformed, (unsigned long long)c.giant, (unsigned long long)sleeps,
	       (unsigned long long)(n.ring[NIC_RX_FREE].signals + n.ring[NIC_TX_ACTIVE].signals));
	/* The stop frame's answer must leave before we end (our end takes
	 * nothing from the driver, but the peer waits for it). */
	if (bench && bench_stop(&n, &c))
		return 1;
	if (driver_stats(&n, "at stop"))
		return 1;
	if (garbage) {
		garbage_indices(&n);
		if (driver_stats(&n, "after broken indices"))
			return 1;
	}
	return 0;
}
