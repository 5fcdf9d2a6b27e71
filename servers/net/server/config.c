/* config.c - see config.h. */
#include <stdio.h>
#include <string.h>
#include "config.h"

/* "A.B.C.D" exactly, each part 0..255 without leading zeros or signs;
 * the address in network byte order through *out, the rest after it
 * through *end.  0 or -1. */
static int parse_ip4(const char *s, uint32_t *out, const char **end)
{
	uint8_t b[4];
	for (int i = 0; i < 4; i++) {
		if (i && *s++ != '.')
			return -1;
		if (*s < '0' || *s > '9')
			return -1;
		unsigned v = 0, digits = 0;
		if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
			return -1;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (v > 255 || digits > 3)
			return -1;
		b[i] = (uint8_t)v;
	}
	memcpy(out, b, 4);              /* the bytes in wire order */
	*end = s;
	return 0;
}

/* A decimal number of at most 9 digits, with a K or M suffix if sized;
 * 0 or -1. */
static int parse_num(const char *s, unsigned long long *out, int sized)
{
	unsigned long long v = 0;
	unsigned digits = 0;
	for (; *s >= '0' && *s <= '9' && digits < 10; s++, digits++)
		v = v * 10 + (unsigned)(*s - '0');
	if (!digits || digits > 9)
		return -1;
	if (sized && (*s == 'K' || *s == 'M'))
		v <<= *s++ == 'K' ? 10 : 20;
	if (*s)
		return -1;
	*out = v;
	return 0;
}

static int bad(char *err, size_t errlen, const char *arg, const char *why)
{
	snprintf(err, errlen, "argument '%s': %s", arg, why);
	return -1;
}

/* "A.B.C.D/N" after its name into addr and mask: 0 or -1 (said in err). */
static int parse_cidr(const char *a, size_t skip, uint32_t *addr, uint32_t *mask, char *err,
		      size_t errlen)
{
	const char *end;
	char what[32];
	snprintf(what, sizeof(what), "expected %.*sA.B.C.D/N", (int)skip, a);
	if (parse_ip4(a + skip, addr, &end) || *end != '/')
		return bad(err, errlen, a, what);
	unsigned n = 0, digits = 0;
	for (end++; *end >= '0' && *end <= '9' && digits < 3; end++, digits++)
		n = n * 10 + (unsigned)(*end - '0');
	if (digits == 0 || *end || n < 1 || n > 30)
		return bad(err, errlen, a, "the prefix length must be 1..30");
	uint32_t host_mask = ~(~0u >> n);      /* n <= 30: no undefined shift */
	uint8_t m[4] = { (uint8_t)(host_mask >> 24), (uint8_t)(host_mask >> 16),
			 (uint8_t)(host_mask >> 8), (uint8_t)host_mask };
	memcpy(mask, m, 4);
	uint32_t host = *addr & ~*mask;
	if (host == 0 || host == ~*mask)
		return bad(err, errlen, a, "the network's or its broadcast address");
	return 0;
}

/* Decimal lo..hi, nothing after it: 0 or -1. */
static int parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
	unsigned long v = 0;
	unsigned digits = 0;
	if (*s == '0' && s[1])
		return -1;
	for (; *s >= '0' && *s <= '9' && digits < 7; s++, digits++)
		v = v * 10 + (unsigned long)(*s - '0');
	if (!digits || *s || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

#define KNOWN "unknown (known: addr= fallback= gw= dhcp-wait= link= tx-buffers= offload= iperf= " \
	      "iperf-to= socks= sockmem=)"

int net_config_parse(struct net_config *cfg, int argc, char **argv, char *err, size_t errlen)
{
	int have_gw = 0, have_wait = 0, have_offload = 0;
	unsigned long v;
	memset(cfg, 0, sizeof(*cfg));
	cfg->dhcp = 1;
	cfg->link = NET_LINK_DUMMY;
	cfg->dhcp_wait_ms = NET_DHCP_WAIT_DEFAULT;
	cfg->socks = 16;
	cfg->sockmem = 256 * 1024;
	cfg->offload = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *end;
		if (strncmp(a, "addr=", 5) == 0 || strncmp(a, "fallback=", 9) == 0) {
			int fb = a[0] == 'f';
			if (!cfg->dhcp || cfg->fallback)
				return bad(err, errlen, a, "a second address (addr= or fallback=)");
			if (parse_cidr(a, fb ? 9 : 5, &cfg->addr, &cfg->mask, err, errlen))
				return -1;
			cfg->dhcp = fb;
			cfg->fallback = fb;
		} else if (strncmp(a, "gw=", 3) == 0) {
			if (have_gw)
				return bad(err, errlen, a, "a second gw=");
			if (parse_ip4(a + 3, &cfg->gw, &end) || *end)
				return bad(err, errlen, a, "expected gw=A.B.C.D");
			have_gw = 1;
		} else if (strncmp(a, "dhcp-wait=", 10) == 0) {
			if (have_wait)
				return bad(err, errlen, a, "a second dhcp-wait=");
			if (parse_uint(a + 10, 100, 600000, &v))
				return bad(err, errlen, a, "expected milliseconds, 100..600000");
			cfg->dhcp_wait_ms = (uint32_t)v;
			have_wait = 1;
		} else if (strncmp(a, "iperf=", 6) == 0) {
			if (cfg->iperf_port)
				return bad(err, errlen, a, "a second iperf=");
			if (parse_uint(a + 6, 1, 65535, &v))
				return bad(err, errlen, a, "expected a TCP port, 1..65535");
			cfg->iperf_port = (uint16_t)v;
		} else if (strncmp(a, "iperf-to=", 9) == 0) {
			if (cfg->iperf_to_port)
				return bad(err, errlen, a, "a second iperf-to=");
			if (parse_ip4(a + 9, &cfg->iperf_to, &end) || *end != ':' ||
			    parse_uint(end + 1, 1, 65535, &v))
				return bad(err, errlen, a, "expected iperf-to=A.B.C.D:PORT");
			cfg->iperf_to_port = (uint16_t)v;
		} else if (strncmp(a, "tx-buffers=", 11) == 0) {
			if (cfg->tx_buffers)
				return bad(err, errlen, a, "a second tx-buffers=");
			if (parse_uint(a + 11, 1, 4096, &v))
				return bad(err, errlen, a, "expected a number of buffers, 1..4096");
			cfg->tx_buffers = (unsigned)v;
		} else if (strncmp(a, "offload=", 8) == 0) {
			if (have_offload)
				return bad(err, errlen, a, "a second offload=");
			if (strcmp(a + 8, "on") && strcmp(a + 8, "off"))
				return bad(err, errlen, a, "expected offload=on or offload=off");
			cfg->offload = a[9] == 'n';
			have_offload = 1;
		} else if (strncmp(a, "link=", 5) == 0) {
			if (strcmp(a + 5, "dummy") == 0)
				cfg->link = NET_LINK_DUMMY;
			else if (strcmp(a + 5, "e1000") == 0)
				cfg->link = NET_LINK_E1000;
			else
				return bad(err, errlen, a, "unknown link (known: dummy, e1000)");
		} else if (strncmp(a, "socks=", 6) == 0) {
			unsigned long long v;
			if (parse_num(a + 6, &v, 0) || v < 1 || v > 256)
				return bad(err, errlen, a, "expected socks=1..256");
			cfg->socks = (unsigned)v;
		} else if (strncmp(a, "sockmem=", 8) == 0) {
			unsigned long long v;
			if (parse_num(a + 8, &v, 1) || v < 4096 || v > 16u << 20)
				return bad(err, errlen, a, "expected sockmem=4K..16M");
			cfg->sockmem = (size_t)v;
		} else {
			return bad(err, errlen, a, KNOWN);
		}
	}
	if (have_gw && cfg->dhcp && !cfg->fallback)
		return bad(err, errlen, "gw=", "a gateway needs addr= or fallback= (DHCP gives its own)");
	if (have_gw && (cfg->gw & cfg->mask) != (cfg->addr & cfg->mask))
		return bad(err, errlen, "gw=", "the gateway is not in the address's network");
	if (have_wait && !cfg->fallback)
		return bad(err, errlen, "dhcp-wait=", "only with fallback= (without one DHCP keeps asking)");
	return 0;
}
