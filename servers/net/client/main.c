/* netinfo - the net server's interface and counters, as `ifconfig` will
 * show them (caps=net).  With `check MS` it also judges the server's
 * event loop: over MS milliseconds of idleness lwIP's timers must have
 * run (the receive timeout from sys_timeouts_sleeptime) while the loop
 * woke only for them and for our calls (it does not poll), and a request
 * with an unknown label is refused without harm.  With `wait N` it waits
 * (up to a minute) until the server has received N IPv4 packets - a peer
 * on the host pinging it - and prints the counters.  With `ping A.B.C.D
 * N` it first sends N echo requests there through the server (netdiag's
 * ping: a client other than the shell), then, if `wait M` follows, waits
 * until M packets came and then none for 2 s (a stream to this guest has
 * ended): two guests ping each other and exchange TCP with it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <l4/rt/env.h>
#include <l4/sys/debug.h>
#include <l4/sys/ipc.h>
#include <l4/sys/notification.h>
#include <parent_client.h>
#include <net.h>
#include <net_client.h>
#include <netdiag.h>
#include <netdiag_client.h>

#define NOTIF L4_ENV_FIRST_FREE         /* the server signals it per echo */

static const char *me = "netinfo";

static void ip(char *buf, uint32_t a)
{
	const uint8_t *b = (const uint8_t *)&a;         /* network byte order */
	snprintf(buf, 16, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
}

static int show(uint64_t net)
{
	uint32_t addr, mask, gw, flags;
	uint8_t mac[6];
	int e = net_ifinfo(net, &addr, &mask, &gw, mac, &flags);
	if (e) {
		printf("%s: ifinfo: %s\n", me, l4_strerror(e));
		return 1;
	}
	char a[16], m[16], g[16];
	ip(a, addr);
	ip(m, mask);
	ip(g, gw);
	printf("%s: en0: inet %s netmask %s gateway %s ether %02x:%02x:%02x:%02x:%02x:%02x <%s%s%s>\n",
	       me, a, m, g, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
	       flags & NET_IF_UP ? "UP" : "DOWN", flags & NET_IF_LINK ? ",LINK" : ",NO-CARRIER",
	       flags & NET_IF_DHCP ? ",DHCP" : "");
	return 0;
}

static int stats(uint64_t net, uint64_t v[16])
{
	int e = net_stats(net, v);
	if (e)
		printf("%s: stats: %s\n", me, l4_strerror(e));
	return e;
}

static int check(uint64_t net, unsigned ms)
{
	uint64_t a[16], b[16];
	if (stats(net, a))
		return 1;
	l4_sleep_us(ms * 1000u);
	if (stats(net, b))
		return 1;
	uint64_t up = b[NET_STAT_UPTIME_MS] - a[NET_STAT_UPTIME_MS];
	uint64_t timers = b[NET_STAT_TIMER_RUNS] - a[NET_STAT_TIMER_RUNS];
	uint64_t wakeups = b[NET_STAT_WAKEUPS] - a[NET_STAT_WAKEUPS];
	uint64_t requests = b[NET_STAT_REQUESTS] - a[NET_STAT_REQUESTS];
	printf("%s: in %llu ms the loop woke %llu times: %llu timers, %llu requests; "
	       "link: %llu frames sent, %llu dropped\n", me,
	       (unsigned long long)up, (unsigned long long)wakeups, (unsigned long long)timers,
	       (unsigned long long)requests, (unsigned long long)b[NET_STAT_LINK_TX],
	       (unsigned long long)b[NET_STAT_LINK_TX_DROP]);
	/* lwIP's ARP and reassembly timers alone are due every second, and
	 * none more often than every 250 ms (TCP's, when it has pcbs): a
	 * loop that woke more than every 100 ms would be polling */
	if (up < ms || timers < ms / 1000 || timers > ms / 100 || wakeups != timers + requests) {
		printf("%s: the loop does not wait as it should\n", me);
		return 1;
	}
	/* a label the interface does not have */
	uint64_t tag = l4_call(net, L4_TAG(0x7777, 0, 0));
	int64_t r = (int64_t)l4_utcb()->mr[0];
	printf("%s: unknown request: %s\n", me,
	       l4_error(tag) ? l4_strerror(l4_error(tag)) : l4_strerror(r));
	return 0;
}

/* quiet: also until no packet came for 2 s (a stream to us has ended) */
static int wait_packets(uint64_t net, unsigned n, int quiet)
{
	uint64_t v[16], last = ~0ull;
	unsigned still = 0;
	for (int i = 0; i < 600; i++) {
		if (stats(net, v))
			return 1;
		still = v[NET_STAT_IP_RECV] == last ? still + 1 : 0;
		last = v[NET_STAT_IP_RECV];
		if (v[NET_STAT_IP_RECV] >= n && (!quiet || still >= 20))
			break;
		l4_sleep_us(100000);
	}
	printf("%s: IPv4 %llu received, %llu sent, %llu dropped; link %llu frames in, %llu out, "
	       "%llu not taken, %llu refused; loop woke %llu times (%llu by the link)\n", me,
	       (unsigned long long)v[NET_STAT_IP_RECV], (unsigned long long)v[NET_STAT_IP_XMIT],
	       (unsigned long long)v[NET_STAT_IP_DROP], (unsigned long long)v[NET_STAT_LINK_RX],
	       (unsigned long long)v[NET_STAT_LINK_TX], (unsigned long long)v[NET_STAT_LINK_TX_DROP],
	       (unsigned long long)v[NET_STAT_LINK_REFUSED], (unsigned long long)v[NET_STAT_WAKEUPS], (unsigned long long)v[NET_STAT_LINK_WAKEUPS]);
	return v[NET_STAT_IP_RECV] >= n ? 0 : 1;
}

/* N echoes of 56 bytes to addr, 200 ms apart, each waited for up to 3 s
 * (the first crosses a link whose e1000 ignores frames for its first
 * second: doc/net.md); 0 when all came back. */
static int ping(uint64_t net, const char *addr, unsigned n)
{
	unsigned a[4];
	char tail;
	if (sscanf(addr, "%u.%u.%u.%u%c", &a[0], &a[1], &a[2], &a[3], &tail) != 4 || a[0] > 255 ||
	    a[1] > 255 || a[2] > 255 || a[3] > 255) {
		printf("%s: ping: '%s' is not an address\n", me, addr);
		return 1;
	}
	uint8_t b[4] = { (uint8_t)a[0], (uint8_t)a[1], (uint8_t)a[2], (uint8_t)a[3] };
	uint32_t to;
	memcpy(&to, b, 4);
	int e = parent_notif_create(L4_ENV_PARENT, NOTIF);
	if (e) {
		printf("%s: notification: %s\n", me, l4_strerror(e));
		return 1;
	}
	unsigned got = 0;
	for (unsigned seq = 0; seq < n; seq++) {
		uint32_t state = PING_WAITING, rtt = 0, ttl = 0, bytes = 0;
		e = netdiag_ping(net, to, (uint16_t)seq, 56, 3000, MINNOW_IDL_CAP(NOTIF, L4_CAP_WRITE));
		if (!e)
			e = l4_notification_wait(NOTIF, 5000000, NULL);
		if (!e)
			e = netdiag_ping_result(net, &state, &rtt, &ttl, &bytes);
		if (e) {
			printf("%s: ping: %s\n", me, l4_strerror(e));
			return 1;
		}
		if (state == PING_REPLY) {
			got++;
			printf("%s: %u bytes from %s: icmp_seq=%u ttl=%u time=%u.%03u ms\n", me,
			       bytes + 8, addr, seq, ttl, rtt / 1000, rtt % 1000);
		} else {
			printf("%s: icmp_seq=%u: %s\n", me, seq,
			       state == PING_TIMEOUT ? "no reply" : "wrong data");
		}
		l4_sleep_us(200000);
	}
	printf("%s: %u of %u echo requests to %s answered\n", me, got, n, addr);
	return got == n ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (l4_env())
		me = l4_env()->name;
	uint64_t net = l4_env_cap("net");
	if (!net) {
		printf("%s: no 'net' capability (caps=net in the boot config)\n", me);
		return 1;
	}
	if (show(net))
		return 1;
	if (argc == 3 && argv[1][0] == 'c') {
		if (check(net, (unsigned)atoi(argv[2])))
			return 1;
		return show(net);       /* still serving */
	}
	if (argc == 3 && argv[1][0] == 'w')
		return wait_packets(net, (unsigned)atoi(argv[2]), 0);
	if ((argc == 4 || argc == 6) && !strcmp(argv[1], "ping")) {
		if (ping(net, argv[2], (unsigned)atoi(argv[3])))
			return 1;
		if (argc == 6 && wait_packets(net, (unsigned)atoi(argv[5]), 1))
			return 1;
		l4_sleep_us(500000);    /* our last answers leave before we end */
		return 0;
	}
	return 0;
}
