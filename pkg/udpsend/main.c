/* udpsend - a UDP echo client (RFC 862's other end): COUNT datagrams to
 * ADDR:PORT one at a time, each of a size of its own between 1 and SIZE
 * bytes, each echo waited for (poll) and compared byte for byte; one not
 * back within TIMEOUT ms is sent again, at most TRIES times in all, then
 * counted lost; one that comes back changed is counted wrong (and not
 * sent again); after 5 lost in a row the rest count lost unsent (nobody
 * answers).  Ends with
 *   udpsend: N datagrams to ADDR:PORT echoed, L lost, W wrong; ...
 * and status 0 only when every datagram came back whole.
 *
 *   args="addr=A.B.C.D [port=7] [count=1000] [size=1472] [tries=5] [timeout=500]"
 *
 * Datagram n's bytes depend on n and their place: its first four bytes
 * are n (big-endian, cut to the size), the rest a pattern of n and the
 * offset, so an echo that changed, lost or moved a byte differs, and a
 * late echo of an earlier datagram (sent again, both copies came back) is
 * told apart from a wrong one.  The sizes: datagram 1 has SIZE bytes,
 * datagram n otherwise 1 + (n * 619) mod SIZE (619 is prime, 1472 is
 * 2^6 * 23: a thousand datagrams spread over the whole range).
 * Needs caps=net. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>
#include <l4/rt/env.h>
#include <l4/sys/abi.h>

#define MAXSIZE 1472    /* one Ethernet frame: 1500 - 20 (IPv4) - 8 (UDP) */
#define LATE    16      /* how far back a late echo is recognised */

static const char *me = "udpsend";
static uint8_t out[MAXSIZE], in[MAXSIZE + 1], old[MAXSIZE];

static uint64_t now_ms(void)
{
	return ((const volatile struct l4_kip *)L4_KIP_ADDR)->clock_ns / 1000000u;
}

static size_t size_of(unsigned long n, size_t max)
{
	return n == 1 ? max : 1 + (size_t)((n * 619u) % max);
}

static size_t fill(uint8_t *b, unsigned long n, size_t max)
{
	size_t len = size_of(n, max);
	for (size_t i = 0; i < len; i++)
		b[i] = i < 4 ? (uint8_t)(n >> (24 - 8 * i)) : (uint8_t)(n * 31u + i * 7u + (i >> 8));
	return len;
}

/* Is got (len bytes) the echo of one of the LATE datagrams before n? */
static int late(const uint8_t *got, size_t len, unsigned long n, size_t max)
{
	for (unsigned long m = n > LATE ? n - LATE : 0; m < n; m++)
		if (fill(old, m, max) == len && !memcmp(old, got, len))
			return 1;
	return 0;
}

/* "key=value" with value a number in [lo, hi]: 1 if arg is key's, -1 bad */
static int num(const char *arg, const char *key, long lo, long hi, long *v)
{
	size_t k = strlen(key);
	if (strncmp(arg, key, k) || arg[k] != '=')
		return 0;
	char *end;
	errno = 0;
	long x = strtol(arg + k + 1, &end, 10);
	if (!arg[k + 1] || *end || errno || x < lo || x > hi) {
		printf("%s: argument '%s': %s wants a number from %ld to %ld\n", me, arg, key, lo, hi);
		return -1;
	}
	*v = x;
	return 1;
}

int main(int argc, char **argv)
{
	if (l4_env())
		me = l4_env()->name;
	long port = 7, count = 1000, size = MAXSIZE, tries = 5, timeout = 500;
	const char *addr = NULL;
	struct sockaddr_in to = { .sin_family = AF_INET };
	for (int i = 1; i < argc; i++) {
		int r = 0;
		if (!strncmp(argv[i], "addr=", 5)) {
			addr = argv[i] + 5;
			if (!inet_aton(addr, &to.sin_addr) || to.sin_addr.s_addr == INADDR_ANY) {
				printf("%s: argument '%s': not an IPv4 address\n", me, argv[i]);
				return 2;
			}
			continue;
		}
		if ((r = num(argv[i], "port", 1, 65535, &port)) ||
		    (r = num(argv[i], "count", 1, 100000000, &count)) ||
		    (r = num(argv[i], "size", 1, MAXSIZE, &size)) ||
		    (r = num(argv[i], "tries", 1, 100, &tries)) ||
		    (r = num(argv[i], "timeout", 1, 60000, &timeout))) {
			if (r < 0)
				return 2;
			continue;
		}
		printf("%s: argument '%s': expected addr=A.B.C.D [port=N] [count=N] [size=1..%d] "
		       "[tries=N] [timeout=MS]\n", me, argv[i], MAXSIZE);
		return 2;
	}
	if (!addr) {
		printf("%s: no addr= (the echo server's IPv4 address)\n", me);
		return 2;
	}
	to.sin_port = htons((uint16_t)port);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		printf("%s: socket: %s\n", me, strerror(errno));
		return 1;
	}
	unsigned long echoed = 0, lost = 0, wrong = 0, again = 0, stale = 0, stray = 0, row = 0;
	unsigned long long bytes = 0;
	uint64_t t0 = now_ms();
	for (unsigned long n = 0; n < (unsigned long)count; n++) {
		size_t len = fill(out, n, (size_t)size);
		int back = 0;
		for (long t = 0; t < tries && !back; t++) {
			if (t)
				again++;
			if (sendto(fd, out, len, 0, (struct sockaddr *)&to, sizeof(to)) != (ssize_t)len) {
				printf("%s: sendto %s:%ld, datagram %lu: %s\n", me, addr, port, n,
				       strerror(errno));
				return 1;
			}
			uint64_t end = now_ms() + (uint64_t)timeout;
			for (uint64_t now; !back && (now = now_ms()) < end;) {
				struct pollfd p = { .fd = fd, .events = POLLIN };
				int r = poll(&p, 1, (int)(end - now));
				if (r < 0) {
					printf("%s: poll: %s\n", me, strerror(errno));
					return 1;
				}
				if (r == 0)
					break;
				struct sockaddr_in from;
				socklen_t flen = sizeof(from);
				ssize_t got = recvfrom(fd, in, sizeof(in), MSG_DONTWAIT,
						       (struct sockaddr *)&from, &flen);
				if (got < 0 && errno == EAGAIN)
					continue;
				if (got < 0) {
					printf("%s: recvfrom: %s\n", me, strerror(errno));
					return 1;
				}
				if (from.sin_addr.s_addr != to.sin_addr.s_addr || from.sin_port != to.sin_port) {
					stray++;        /* not from the echo server: not its answer */
					continue;
				}
				if ((size_t)got == len && !memcmp(in, out, len)) {
					back = 1;
				} else if (late(in, (size_t)got, n, (size_t)size)) {
					stale++;
				} else {
					back = 2;       /* it came back, changed: not sent again */
					if (wrong < 5)
						printf("%s: datagram %lu (%zu bytes) came back as %ld bytes "
						       "that differ\n", me, n, len, (long)got);
				}
			}
		}
		if (back == 2) {
			wrong++;
			row = 0;
			continue;
		}
		if (back) {
			echoed++;
			bytes += len;
			row = 0;
			continue;
		}
		if (lost++ < 5)
			printf("%s: datagram %lu (%zu bytes): no echo after %ld tries of %ld ms\n", me,
			       n, len, tries, timeout);
		if (++row == 5 && n + 1 < (unsigned long)count) {
			printf("%s: 5 lost in a row: the other %lu not sent\n", me,
			       (unsigned long)count - n - 1);
			lost += (unsigned long)count - n - 1;
			break;
		}
	}
	uint64_t ms = now_ms() - t0;
	printf("%s: %lu datagrams to %s:%ld echoed, %lu lost, %lu wrong; %llu bytes each way, "
	       "%lu sent again, %lu late echoes, %lu from elsewhere, %llu ms\n", me, echoed, addr,
	       port, lost, wrong, bytes, again, stale, stray, (unsigned long long)ms);
	close(fd);
	return lost || wrong ? 1 : 0;
}
