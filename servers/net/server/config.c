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

int net_config_parse(struct net_config *cfg, int argc, char **argv, char *err, size_t errlen)
{
	int have_gw = 0;
	memset(cfg, 0, sizeof(*cfg));
	cfg->dhcp = 1;
	cfg->link = NET_LINK_DUMMY;
	cfg->socks = 16;
	cfg->sockmem = 256 * 1024;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *end;
		if (strncmp(a, "addr=", 5) == 0) {
			if (!cfg->dhcp)
				return bad(err, errlen, a, "a second addr=");
			if (parse_ip4(a + 5, &cfg->addr, &end) || *end != '/')
				return bad(err, errlen, a, "expected addr=A.B.C.D/N");
			unsigned n = 0, digits = 0;
			for (end++; *end >= '0' && *end <= '9' && digits < 3; end++, digits++)
				n = n * 10 + (unsigned)(*end - '0');
			if (digits == 0 || *end || n < 1 || n > 30)
				return bad(err, errlen, a, "the prefix length must be 1..30");
			uint32_t host_mask = ~(~0u >> n);      /* n <= 30: no undefined shift */
			uint8_t m[4] = { (uint8_t)(host_mask >> 24), (uint8_t)(host_mask >> 16),
					 (uint8_t)(host_mask >> 8), (uint8_t)host_mask };
			memcpy(&cfg->mask, m, 4);
			uint32_t host = cfg->addr & ~cfg->mask;
			if (host == 0 || host == ~cfg->mask)
				return bad(err, errlen, a, "the network's or its broadcast address");
			cfg->dhcp = 0;
		} else if (strncmp(a, "gw=", 3) == 0) {
			if (have_gw)
				return bad(err, errlen, a, "a second gw=");
			if (parse_ip4(a + 3, &cfg->gw, &end) || *end)
				return bad(err, errlen, a, "expected gw=A.B.C.D");
			have_gw = 1;
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
			return bad(err, errlen, a, "unknown (known: addr= gw= link= socks= sockmem=)");
		}
	}
	if (have_gw && cfg->dhcp)
		return bad(err, errlen, "gw=", "a gateway needs a static addr= (DHCP gives its own)");
	if (have_gw && (cfg->gw & cfg->mask) != (cfg->addr & cfg->mask))
		return bad(err, errlen, "gw=", "the gateway is not in addr='s network");
	return 0;
}
