/* echo.c - the Linux guest's side of `make bench-net` (bench/linux/):
 * a UDP and TCP echo server on one port (RFC 862; default 7), built
 * static with the host's gcc and glibc by mk/tool/minnow/linuxguest.py.
 *
 * A UDP datagram that begins with MARK_MAGIC is not echoed: it is answered
 * with the guest's counters, so that the host can count the instructions
 * the guest spent between two marks (under QEMU's -icount shift=0 rdtsc
 * counts guest instructions):
 *   MARK_MAGIC, u64 rdtsc, u64 busy, u64 gaps   (little endian)
 * `busy` comes from a spinner (a child at SCHED_IDLE, Linux's lowest
 * class, sched(7)): it reads rdtsc in a loop, so the CPU never halts (a
 * halt would let -icount's clock jump over the idle time), and adds up
 * every step between two reads longer than its own loop: the instructions
 * the kernel and this server took meanwhile.  It is the method of
 * pkg/ethecho/idle.c, Minnow's spinner, so both guests are counted alike.
 * The first MARK starts the spinner: without icount a guest that never
 * halts would keep a host core busy and slow QEMU's own threads, so the
 * wall-time boots (which send no MARK) run without it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define MARK_MAGIC "MINNOW-BENCH-MARK"
#define GAP_MIN    200          /* ticks: longer than any turn of the spinner's own */
#define MAX_CONN   64

struct counters {
	volatile uint64_t busy, gaps;
	volatile uint64_t last, base;   /* the spinner's last rdtsc and its own turn */
};

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static void spin(struct counters *c)
{
	struct sched_param sp = { 0 };
	if (sched_setscheduler(0, SCHED_IDLE, &sp))
		perror("echo: spinner: SCHED_IDLE");
	uint64_t base = ~0ull, last = rdtsc();
	for (;;) {
		uint64_t t = rdtsc(), d = t - last;
		last = t;
		if (d < base)
			c->base = base = d;     /* one turn of this loop */
		else if (d > GAP_MIN) {
			c->busy += d - base;
			c->gaps++;
		}
		c->last = t;
	}
}

static int listen_on(int type, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1, s = socket(AF_INET, type, 0);
	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
	    bind(s, (struct sockaddr *)&a, sizeof a) || (type == SOCK_STREAM && listen(s, 16))) {
		fprintf(stderr, "echo: port %d: %s\n", port, strerror(errno));
		exit(1);
	}
	return s;
}

static void udp_turn(int s, struct counters *c)
{
	static pid_t spinner;
	static char buf[65536];
	struct sockaddr_in from;
	socklen_t fl = sizeof from;
	ssize_t n = recvfrom(s, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
	if (n < 0)
		return;
	size_t ml = sizeof MARK_MAGIC - 1;
	if ((size_t)n >= ml && !memcmp(buf, MARK_MAGIC, ml)) {
		if (!spinner && (spinner = fork()) == 0)
			spin(c);
		/* The gap the spinner is in (we run) counts up to now: it
		 * adds it itself only when it runs again, after this answer.
		 * Minnow's spinner has run before it answers (mark.c). */
		uint64_t now = rdtsc(), gap = now - c->last;
		uint64_t v[3] = { now, c->busy, c->gaps };
		if (c->last && gap > GAP_MIN) {
			v[1] += gap - c->base;
			v[2]++;
		}
		memcpy(buf + ml, v, sizeof v);
		n = ml + sizeof v;
	}
	sendto(s, buf, n, 0, (struct sockaddr *)&from, fl);
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 7;
	struct counters *c = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c == MAP_FAILED) {
		perror("echo: mmap");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	struct pollfd p[2 + MAX_CONN];
	int n = 2;
	p[0] = (struct pollfd){ .fd = listen_on(SOCK_DGRAM, port), .events = POLLIN };
	p[1] = (struct pollfd){ .fd = listen_on(SOCK_STREAM, port), .events = POLLIN };
	printf("echo: UDP and TCP port %d\n", port);
	fflush(stdout);
	for (;;) {
		if (poll(p, n, -1) < 0)
			continue;
		if (p[0].revents)
			udp_turn(p[0].fd, c);
		if (p[1].revents && n < 2 + MAX_CONN) {
			int t = accept(p[1].fd, 0, 0);
			if (t >= 0)
				p[n++] = (struct pollfd){ .fd = t, .events = POLLIN };
		}
		for (int i = 2; i < n; i++) {
			char buf[16384];
			if (!p[i].revents)
				continue;
			ssize_t r = read(p[i].fd, buf, sizeof buf);
			if (r > 0 && write(p[i].fd, buf, r) == r)
				continue;       /* blocking: all of it, or the peer is gone */
			close(p[i].fd);
			p[i--] = p[--n];
		}
	}
}
