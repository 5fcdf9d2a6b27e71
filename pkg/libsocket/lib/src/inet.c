/* inet.c - IPv4 address text (<arpa/inet.h>), pure logic. */
#include <errno.h>
#include <stdio.h>
#include <arpa/inet.h>

int inet_aton(const char *s, struct in_addr *out)
{
	uint8_t b[4];
	if (!s)
		return 0;
	for (int i = 0; i < 4; i++) {
		if (i && *s++ != '.')
			return 0;
		unsigned v = 0, digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (!digits || digits > 3 || v > 255)
			return 0;
		b[i] = (uint8_t)v;
	}
	if (*s)
		return 0;
	if (out)
		out->s_addr = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
			      (uint32_t)b[3] << 24;
	return 1;
}

in_addr_t inet_addr(const char *s)
{
	struct in_addr a;
	return inet_aton(s, &a) ? a.s_addr : INADDR_NONE;
}

const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
	if (af != AF_INET) {
		errno = EAFNOSUPPORT;
		return NULL;
	}
	const uint8_t *b = src;
	char tmp[INET_ADDRSTRLEN];
	int n = snprintf(tmp, sizeof(tmp), "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	if (n < 0 || (socklen_t)n >= size) {
		errno = ENOSPC;
		return NULL;
	}
	for (int i = 0; i <= n; i++)
		dst[i] = tmp[i];
	return dst;
}

char *inet_ntoa(struct in_addr a)
{
	static char buf[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &a, buf, sizeof(buf));
	return buf;
}

int inet_pton(int af, const char *src, void *dst)
{
	if (af != AF_INET) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	struct in_addr a;
	if (!inet_aton(src, &a))
		return 0;
	uint8_t *d = dst;
	for (int i = 0; i < 4; i++)
		d[i] = (uint8_t)(a.s_addr >> (8 * i));
	return 1;
}
