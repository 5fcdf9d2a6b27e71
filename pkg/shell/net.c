/* net.c - the shell's network commands, as clients of servers/net (the
 * config's caps=net): ifconfig (net.idl's ifinfo and stats, what netinfo
 * shows), ping (netdiag.idl: the server sends each echo request and
 * signals our notification when the reply came or the time ran out) and
 * netstat (netdiag.idl: lwIP's counters per protocol, its memory).
 * Output after BSD's ifconfig(8), ping(8) and netstat -s. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <l4/rt/env.h>
#include <l4/sys/debug.h>
#include <l4/sys/ipc.h>
#include <l4/sys/notification.h>
#include <l4/util/rdtsc.h>
#include <parent_client.h>
#include <net.h>
#include <net_client.h>
#include <netdiag.h>
#include <netdiag_client.h>
#include "shell.h"

#define PING_NOTIF  L4_ENV_FIRST_FREE   /* ours: the server signals it per echo */
#define EX_USAGE    64                  /* ping's usage error, as BSD's (sysexits.h) */

static void ip_str(char buf[16], uint32_t a)
{
	const uint8_t *b = (const uint8_t *)&a;         /* network byte order */
	snprintf(buf, 16, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
}

/* "A.B.C.D" to network byte order; 0 or -1. */
static int ip_parse(const char *s, uint32_t *out)
{
	uint8_t b[4];
	for (int i = 0; i < 4; i++) {
		char *end;
		if ((i && *s++ != '.') || *s < '0' || *s > '9')
			return -1;
		unsigned long v = strtoul(s, &end, 10);
		if (v > 255 || end - s > 3)
			return -1;
		b[i] = (uint8_t)v;
		s = end;
	}
	if (*s)
		return -1;
	memcpy(out, b, 4);
	return 0;
}

static int have_net(void)
{
	if (!net)
		printf("no net capability (the config's caps=net)\n");
	return net != 0;
}

int c_ifconfig(int argc, char **argv, const char *rest)
{
	if (!have_net())
		return 1;
	uint32_t addr, mask, gw, flags;
	uint8_t mac[6];
	uint64_t v[16];
	int e = net_ifinfo(net, &addr, &mask, &gw, mac, &flags);
	if (!e)
		e = net_stats(net, v);
	if (e) {
		printf("ifconfig: %s\n", l4_strerror(e));
		return 1;
	}
	char a[16], m[16], g[16];
	ip_str(a, addr);
	ip_str(m, mask);
	ip_str(g, gw);
	printf("en0: flags=<%s%s%s>\n", flags & NET_IF_UP ? "UP" : "DOWN",
	       flags & NET_IF_LINK ? ",LINK" : ",NO-CARRIER", flags & NET_IF_DHCP ? ",DHCP" : "");
	printf("        inet %s netmask %s gateway %s\n", a, m, g);
	printf("        ether %02x:%02x:%02x:%02x:%02x:%02x\n", mac[0], mac[1], mac[2], mac[3],
	       mac[4], mac[5]);
	printf("        frames: %llu in, %llu out, %llu not sent, %llu refused, "
	       "%llu waited for a buffer\n",
	       (unsigned long long)v[NET_STAT_LINK_RX], (unsigned long long)v[NET_STAT_LINK_TX],
	       (unsigned long long)v[NET_STAT_LINK_TX_DROP],
	       (unsigned long long)v[NET_STAT_LINK_REFUSED],
	       (unsigned long long)v[NET_STAT_LINK_TX_WAITED]);
	printf("        checksums by the device: %llu frames sent, %llu received verified, "
	       "%llu received wrong (left to lwIP)\n",
	       (unsigned long long)v[NET_STAT_LINK_TX_CSUM],
	       (unsigned long long)v[NET_STAT_LINK_RX_CSUM_OK],
	       (unsigned long long)v[NET_STAT_LINK_RX_CSUM_BAD]);
	printf("        IPv4: %llu received, %llu sent, %llu dropped\n",
	       (unsigned long long)v[NET_STAT_IP_RECV], (unsigned long long)v[NET_STAT_IP_XMIT],
	       (unsigned long long)v[NET_STAT_IP_DROP]);
	return 0;
}

int c_netstat(int argc, char **argv, const char *rest)
{
	static const char *const names[NETDIAG_PROTOS] = {
		"link", "etharp", "ipfrag", "ip", "icmp", "udp", "tcp",
	};
	if (!have_net())
		return 1;
	for (uint32_t p = 0; p < NETDIAG_PROTOS; p++) {
		uint64_t v[NETDIAG_COUNTERS];
		int e = netdiag_proto(net, p, v);
		if (e) {
			printf("netstat: %s\n", l4_strerror(e));
			return 1;
		}
		printf("%-7s %llu in, %llu out, %llu dropped (%llu checksum, %llu length, %llu memory, "
		       "%llu routing, %llu protocol, %llu options, %llu other)\n", names[p],
		       (unsigned long long)v[NETDIAG_RECV], (unsigned long long)v[NETDIAG_XMIT],
		       (unsigned long long)v[NETDIAG_DROP], (unsigned long long)v[NETDIAG_CHKERR],
		       (unsigned long long)v[NETDIAG_LENERR], (unsigned long long)v[NETDIAG_MEMERR],
		       (unsigned long long)v[NETDIAG_RTERR], (unsigned long long)v[NETDIAG_PROTERR],
		       (unsigned long long)v[NETDIAG_OPTERR], (unsigned long long)v[NETDIAG_ERR]);
	}
	uint64_t h[4], b[4];
	int e = netdiag_memory(net, h, b);
	if (e) {
		printf("netstat: %s\n", l4_strerror(e));
		return 1;
	}
	printf("memory: heap %llu of %llu bytes in use (most %llu, %llu refused); "
	       "pbufs %llu of %llu in use (most %llu, %llu refused)\n",
	       (unsigned long long)h[NETDIAG_MEM_USED], (unsigned long long)h[NETDIAG_MEM_AVAIL],
	       (unsigned long long)h[NETDIAG_MEM_MAX], (unsigned long long)h[NETDIAG_MEM_ERR],
	       (unsigned long long)b[NETDIAG_MEM_USED], (unsigned long long)b[NETDIAG_MEM_AVAIL],
	       (unsigned long long)b[NETDIAG_MEM_MAX], (unsigned long long)b[NETDIAG_MEM_ERR]);
	return 0;
}

static uint64_t now_us(void)
{
	const struct l4_kip *kip = (const struct l4_kip *)L4_KIP_ADDR;
	return l4_rdtsc() * 1000u / (kip->tsc_khz ? kip->tsc_khz : 1);
}

static uint64_t isqrt(uint64_t x)
{
	uint64_t r = 0;
	for (uint64_t bit = 1ull << 62; bit; bit >>= 2) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
	}
	return r;
}

/* Microseconds as milliseconds with three decimals. */
static void ms(char buf[24], uint64_t us)
{
	snprintf(buf, 24, "%llu.%03llu", (unsigned long long)(us / 1000),
		 (unsigned long long)(us % 1000));
}

/* One echo: its state (PING_*), or -1 after saying why not. */
static int echo_one(uint32_t addr, uint16_t seq, unsigned size, unsigned wait_ms,
		    uint32_t *rtt, uint32_t *ttl, uint32_t *bytes)
{
	l4_notification_wait(PING_NOTIF, L4_TIMEOUT_ZERO, NULL);  /* a late signal of the last */
	int e = netdiag_ping(net, addr, seq, (uint16_t)size, wait_ms,
			  MINNOW_IDL_CAP(PING_NOTIF, L4_CAP_WRITE));
	if (e) {
		printf("ping: sendto: %s\n", l4_strerror(e));
		return -1;
	}
	/* the server's timer ends the echo: a little more here is only for
	 * a server that has gone */
	e = l4_notification_wait(PING_NOTIF, (wait_ms + 2000) * 1000u, NULL);
	uint32_t state = PING_WAITING;
	if (!e)
		e = netdiag_ping_result(net, &state, rtt, ttl, bytes);
	if (e) {
		printf("ping: %s\n", e == -L4_ETIMEOUT ? "the network server does not answer"
						      : l4_strerror(e));
		return -1;
	}
	return (int)state;
}

int c_ping(int argc, char **argv, const char *rest)
{
	unsigned count = 4, size = 56, wait_ms = 1000, interval_ms = 1000;
	int i;
	for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		char *end;
		unsigned long v = strtoul(argv[i + 1], &end, 10);
		if (*end || end == argv[i + 1])
			break;
		if (!strcmp(argv[i], "-c") && v >= 1 && v <= 100000)
			count = (unsigned)v;
		else if (!strcmp(argv[i], "-s") && v <= PING_SIZE_MAX)
			size = (unsigned)v;
		else if (!strcmp(argv[i], "-W") && v >= 1 && v <= 60000)
			wait_ms = (unsigned)v;
		else if (!strcmp(argv[i], "-i") && v >= 10 && v <= 60000)
			interval_ms = (unsigned)v;
		else
			break;
	}
	uint32_t addr;
	if (i != argc - 1 || ip_parse(argv[i], &addr)) {
		printf("usage: ping [-c count 1..100000] [-s size 0..%u] [-W wait ms] "
		       "[-i interval ms 10..] A.B.C.D\n", PING_SIZE_MAX);
		return EX_USAGE;
	}
	if (!have_net())
		return 1;
	static int have_notif;
	if (!have_notif) {
		int e = parent_notif_create(L4_ENV_PARENT, PING_NOTIF);
		if (e) {
			printf("ping: notification: %s\n", l4_strerror(e));
			return 1;
		}
		have_notif = 1;
	}
	char a[16];
	ip_str(a, addr);
	printf("PING %s (%s): %u data bytes\n", a, a, size);
	unsigned sent = 0, got = 0;
	uint64_t min = ~0ull, max = 0, sum = 0, sum2 = 0;
	for (unsigned seq = 0; seq < count; seq++) {
		uint64_t start = now_us();
		uint32_t rtt = 0, ttl = 0, bytes = 0;
		int st = echo_one(addr, (uint16_t)seq, size, wait_ms, &rtt, &ttl, &bytes);
		if (st < 0)
			return 1;
		sent++;
		char t[24];
		ms(t, rtt);
		if (st == PING_REPLY) {
			got++;
			printf("%u bytes from %s: icmp_seq=%u ttl=%u time=%s ms\n", bytes + 8, a, seq,
			       ttl, t);
			min = rtt < min ? rtt : min;
			max = rtt > max ? rtt : max;
			sum += rtt;
			sum2 += (uint64_t)rtt * rtt;
		} else if (st == PING_BAD_DATA) {
			printf("%u bytes from %s: icmp_seq=%u: wrong data\n", bytes + 8, a, seq);
		} else {
			printf("Request timeout for icmp_seq %u\n", seq);
		}
		uint64_t spent = now_us() - start;
		if (seq + 1 < count && spent < interval_ms * 1000ull)
			l4_sleep_us((uint32_t)(interval_ms * 1000ull - spent));
	}
	printf("--- %s ping statistics ---\n", a);
	unsigned loss = ((sent - got) * 1000u + sent / 2) / sent;  /* tenths of a percent, rounded */
	printf("%u packets transmitted, %u packets received, %u.%u%% packet loss\n", sent, got,
	       loss / 10, loss % 10);
	if (got) {
		uint64_t avg = sum / got, var = sum2 / got - avg * avg;
		char t0[24], t1[24], t2[24], t3[24];
		ms(t0, min);
		ms(t1, avg);
		ms(t2, max);
		ms(t3, isqrt(var));
		printf("round-trip min/avg/max/stddev = %s/%s/%s/%s ms\n", t0, t1, t2, t3);
	}
	return got ? 0 : 2;
}
