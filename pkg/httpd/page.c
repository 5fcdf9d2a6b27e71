/* page.c - the page: the system's state, gathered when asked.  Every
 * number is one the system reports itself, the same as the shell's `ps`,
 * `mem` and `uptime` and netinfo show (doc/net.md section 5). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <l4/rt/env.h>
#include <l4/sys/abi.h>
#include <l4/sys/debug.h>
#include <l4/sys/kdebug.h>
#include <net.h>
#include <net_client.h>
#include <rtctl_client.h>
#include <sock.h>
#include <sock_client.h>
#include "httpd.h"

struct out {
	char *buf;
	size_t len, at;
};

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->at, o->len - o->at, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->at = o->at + (size_t)n < o->len ? o->at + (size_t)n : o->len - 1;
}

static const char *const states[] = { "new", "running", "ended" };

static void programs(struct out *o, uint64_t rtctl)
{
	put(o, "<h2>Programs</h2>\n<table>\n<tr><th>id</th><th>name</th><th>module</th>"
	       "<th>state</th><th>prio</th><th>mem (KiB)</th><th>committed (KiB)</th>"
	       "<th>restarts</th></tr>\n");
	for (uint32_t i = 0; rtctl; i++) {
		char name[RTCTL_INFO_NAME_MAX + 1], module[RTCTL_INFO_MODULE_MAX + 1];
		uint32_t state, prio, restarts;
		uint64_t quota, used;
		int32_t status;
		int e = rtctl_info(rtctl, i, name, module, &state, &prio, &quota, &used, &restarts,
				   &status);
		if (e) {
			if (e != -L4_EINVAL)
				put(o, "<tr><td colspan=8>rtctl: %s</td></tr>\n", l4_strerror(e));
			break;
		}
		/* names and modules are the config's: A-Z a-z 0-9 _ - . only */
		put(o, "<tr class=prog><td>%u</td><td>%s</td><td>%s</td><td>%s</td><td>%u</td>"
		       "<td>%llu</td><td>%llu</td><td>%u</td></tr>\n", i, name, module,
		    state < 3 ? states[state] : "?", prio, (unsigned long long)quota / 1024,
		    (unsigned long long)used / 1024, restarts);
	}
	put(o, "</table>\n");
}

static void memory(struct out *o, uint64_t rtctl)
{
	const struct l4_kip *kip = (const struct l4_kip *)L4_KIP_ADDR;
	uint64_t ram = 0, quota, used;
	for (unsigned i = 0; i < kip->nmem && i < L4_KIP_MEM_MAX; i++)
		if (kip->mem[i].type == 1)
			ram += kip->mem[i].size;
	long frames = l4_kdb_frames_free();
	put(o, "<h2>Memory</h2>\n<p id=mem>RAM %llu KiB, free %llu KiB", (unsigned long long)ram / 1024,
	    frames > 0 ? (unsigned long long)frames * 4 : 0ull);
	if (rtctl && !rtctl_mem(rtctl, &quota, &used))
		put(o, "; root task: %llu KiB of %llu KiB charged", (unsigned long long)used / 1024,
		    (unsigned long long)quota / 1024);
	put(o, "</p>\n");
}

static void ip(char *b, uint32_t a)
{
	const uint8_t *x = (const uint8_t *)&a;
	snprintf(b, 16, "%u.%u.%u.%u", x[0], x[1], x[2], x[3]);
}

static void network(struct out *o, uint64_t net)
{
	uint32_t addr, mask, gw, flags;
	uint8_t mac[6];
	uint64_t v[16], s[8];
	put(o, "<h2>Network</h2>\n");
	if (!net || net_ifinfo(net, &addr, &mask, &gw, mac, &flags) || net_stats(net, v) ||
	    sock_stats(net, s)) {
		put(o, "<p>servers/net does not answer</p>\n");
		return;
	}
	char a[16], m[16], g[16];
	ip(a, addr);
	ip(m, mask);
	ip(g, gw);
	put(o, "<p id=if>en0: inet %s netmask %s gateway %s ether "
	       "%02x:%02x:%02x:%02x:%02x:%02x%s%s</p>\n", a, m, g, mac[0], mac[1], mac[2], mac[3],
	    mac[4], mac[5], flags & NET_IF_UP ? " UP" : " DOWN", flags & NET_IF_LINK ? " LINK" : "");
	put(o, "<table>\n");
	static const struct { int i; const char *name; } nv[] = {
		{ NET_STAT_UPTIME_MS, "stack uptime (ms)" },
		{ NET_STAT_IP_RECV, "IPv4 received" }, { NET_STAT_IP_XMIT, "IPv4 sent" },
		{ NET_STAT_IP_DROP, "IPv4 dropped" }, { NET_STAT_LINK_RX, "frames in" },
		{ NET_STAT_LINK_TX, "frames out" }, { NET_STAT_LINK_TX_DROP, "frames not taken" },
		{ NET_STAT_WAKEUPS, "loop wakeups" }, { NET_STAT_REQUESTS, "requests served" },
	};
	for (unsigned i = 0; i < sizeof(nv) / sizeof(nv[0]); i++)
		put(o, "<tr class=net><td>%s</td><td>%llu</td></tr>\n", nv[i].name,
		    (unsigned long long)v[nv[i].i]);
	static const struct { int i; const char *name; } sv[] = {
		{ SOCK_STAT_SESSIONS, "socket sessions" }, { SOCK_STAT_SOCKETS, "sockets open" },
		{ SOCK_STAT_OPENED, "sockets made" }, { SOCK_STAT_REFUSED, "sockets refused" },
		{ SOCK_STAT_RX_DROP, "datagrams dropped" }, { SOCK_STAT_REAPED, "sockets reaped" },
	};
	for (unsigned i = 0; i < sizeof(sv) / sizeof(sv[0]); i++)
		put(o, "<tr class=net><td>%s</td><td>%llu</td></tr>\n", sv[i].name,
		    (unsigned long long)s[sv[i].i]);
	put(o, "</table>\n");
}

size_t page_build(char *buf, size_t len)
{
	struct out o = { buf, len, 0 };
	const struct l4_kip *kip = (const struct l4_kip *)L4_KIP_ADDR;
	uint64_t ns = kip->clock_ns;
	buf[0] = 0;
	put(&o, "<!DOCTYPE html>\n<html><head><meta charset=utf-8><title>Minnow</title></head>"
		"<body>\n<h1>Minnow</h1>\n<p id=uptime>up %llu.%03llu s</p>\n",
	    (unsigned long long)(ns / 1000000000), (unsigned long long)(ns / 1000000 % 1000));
	uint64_t rtctl = l4_env_cap("rtctl");
	programs(&o, rtctl);
	memory(&o, rtctl);
	network(&o, l4_env_cap("net"));
	put(&o, "</body></html>\n");
	return o.at;
}
