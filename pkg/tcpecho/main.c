/* tcpecho - the echo service over TCP (RFC 862): what a connection sends
 * comes back on it, for up to MAXCONN connections at once, one thread,
 * one poll() over the listener and every connection.
 *
 *   args="[PORT] [count N] [max N]"
 *
 * PORT defaults to 7.  count N: end (status 0) once N connections have
 * ended.  max N: connections at once (default and at most MAXCONN); past
 * it, pending connections wait in the listener's backlog.  Each ended
 * connection is one line: its bytes and their FNV-1a 64 hash (so a test
 * can check what arrived against what was sent), then the most that
 * were open at once.  Needs caps=net (and socks= in the net server's
 * args for more than 15 connections). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>
#include <l4/rt/env.h>

#define MAXCONN 200
#define BUFSZ   8192

struct conn {
	int fd;
	uint32_t len, off;              /* received, not yet sent back: buf[off..len) */
	uint64_t bytes, hash;
	char buf[BUFSZ];
};

static struct conn conns[MAXCONN];
static struct pollfd pfd[MAXCONN + 1];
static const char *me = "tcpecho";
static unsigned nconn, most, ended, serial;

static uint64_t fnv1a(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)p[i]) * 0x100000001b3ull;
	return h;
}

static void finish(unsigned i, const char *why)
{
	struct conn *c = &conns[i];
	printf("%s: connection %u %s: %llu bytes, fnv1a64 %016llx\n", me, ++serial, why,
	       (unsigned long long)c->bytes, (unsigned long long)c->hash);
	close(c->fd);
	conns[i] = conns[--nconn];
	ended++;
}

/* Move what is ready on connection i; 0, or -1 when it has ended. */
static int serve(unsigned i, short rev)
{
	struct conn *c = &conns[i];
	if (c->off < c->len) {
		ssize_t n = send(c->fd, c->buf + c->off, c->len - c->off, MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN) {
			finish(i, strerror(errno));
			return -1;
		}
		if (n > 0)
			c->off += (uint32_t)n;
		if (c->off < c->len)
			return 0;
	}
	if (!(rev & (POLLIN | POLLHUP | POLLERR)))
		return 0;
	ssize_t n = recv(c->fd, c->buf, BUFSZ, MSG_DONTWAIT);
	if (n == 0) {
		finish(i, "closed");
		return -1;
	}
	if (n < 0) {
		if (errno == EAGAIN)
			return 0;
		finish(i, strerror(errno));
		return -1;
	}
	c->bytes += (uint64_t)n;
	c->hash = fnv1a(c->hash, c->buf, (size_t)n);
	c->len = (uint32_t)n;
	c->off = 0;
	ssize_t k = send(c->fd, c->buf, c->len, MSG_DONTWAIT);
	if (k < 0 && errno != EAGAIN) {
		finish(i, strerror(errno));
		return -1;
	}
	if (k > 0)
		c->off = (uint32_t)k;
	return 0;
}

int main(int argc, char **argv)
{
	long port = 7, count = -1, max = MAXCONN;
	if (l4_env())
		me = l4_env()->name;
	for (int i = 1; i < argc; i++) {
		char *end = "";
		if (strcmp(argv[i], "count") == 0 && i + 1 < argc)
			count = strtol(argv[++i], &end, 10);
		else if (strcmp(argv[i], "max") == 0 && i + 1 < argc)
			max = strtol(argv[++i], &end, 10);
		else
			port = strtol(argv[i], &end, 10);
		if (*end || port < 1 || port > 65535 || max < 1 || max > MAXCONN) {
			printf("%s: argument '%s': expected [PORT] [count N] [max 1..%d]\n", me,
			       argv[i], MAXCONN);
			return 2;
		}
	}
	int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, SOMAXCONN)) {
		printf("%s: listening on port %ld: %s\n", me, port, strerror(errno));
		return 1;
	}
	printf("%s: echoing TCP on port %ld, %ld connections at once\n", me, port, max);
	while (count < 0 || ended < (unsigned long)count) {
		pfd[0] = (struct pollfd){ l, (short)(nconn < (unsigned)max ? POLLIN : 0), 0 };
		for (unsigned i = 0; i < nconn; i++)
			pfd[i + 1] = (struct pollfd){ conns[i].fd,
				(short)(conns[i].off < conns[i].len ? POLLOUT : POLLIN), 0 };
		if (poll(pfd, nconn + 1, -1) < 0) {
			printf("%s: poll: %s\n", me, strerror(errno));
			return 1;
		}
		/* from the end: finish() moves the last connection into i */
		for (unsigned i = nconn; i-- > 0; )
			if (pfd[i + 1].revents)
				serve(i, pfd[i + 1].revents);
		if (pfd[0].revents & POLLIN) {
			int fd = accept(l, NULL, NULL);
			if (fd < 0) {
				printf("%s: accept: %s\n", me, strerror(errno));
				return 1;
			}
			conns[nconn] = (struct conn){ .fd = fd, .hash = 0xcbf29ce484222325ull };
			if (++nconn > most)
				most = nconn;
		}
	}
	printf("%s: %u connections served, at most %u at once\n", me, ended, most);
	close(l);
	return 0;
}
