/* sockprobe - servers/net's limits per client and what happens to a
 * client's sockets when it dies (pkg/sockprobe/test/limits.test):
 *
 *   hog     opens sockets (a TCP listener, then UDP ones bound to ports
 *           9, 10, ...) until one is refused, says how many and why; then
 *           waits until another client has opened a socket and closed it
 *           again (udpecho, serving the host meanwhile), and dies of a
 *           page fault with all its sockets open
 *   watch   waits for the hog to hold its sockets, then for the server to
 *           close them after its death (sock_stats: open sockets back to
 *           none, reaped counted); then opens as many itself, binding the
 *           ports the hog held: the limit is per client, the ports free
 *
 * Needs caps=net. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>
#include <l4/rt/env.h>
#include <l4/sys/debug.h>
#include <l4/sys/ipc.h>
#include <sock.h>
#include <sock_client.h>

#define MAXS 256
static const char *me = "sockprobe";
static int fds[MAXS];

static int stats(uint64_t v[8])
{
	int e = sock_stats(l4_env_cap("net"), v);
	if (e)
		printf("%s: sock_stats: %s\n", me, l4_strerror(e));
	return e;
}

/* Open sockets until one is refused: how many, errno of the refusal. */
static int fill(int *err)
{
	int n = 0;
	struct sockaddr_in a = { .sin_family = AF_INET };
	fds[n] = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_port = htons(7007);
	if (fds[n] < 0 || bind(fds[n], (struct sockaddr *)&a, sizeof(a)) || listen(fds[n], 4)) {
		*err = errno;
		return n;
	}
	for (n = 1; n < MAXS; n++) {
		fds[n] = socket(AF_INET, SOCK_DGRAM, 0);
		if (fds[n] < 0)
			break;
		a.sin_port = htons((uint16_t)(8 + n));
		if (bind(fds[n], (struct sockaddr *)&a, sizeof(a))) {
			printf("%s: bind to UDP port %d: %s\n", me, 8 + n, strerror(errno));
			return -1;
		}
	}
	*err = errno;
	return n;
}

static const char *errname(int e)
{
	return e == EMFILE ? "EMFILE" : e == ENOBUFS ? "ENOBUFS" : "another error";
}

static int until(int (*cond)(const uint64_t *v, void *arg), void *arg, uint64_t v[8])
{
	for (int t = 0; t < 3000; t++) {                /* 30 s */
		if (stats(v))
			return -1;
		if (cond(v, arg))
			return 0;
		l4_sleep_us(10000);
	}
	printf("%s: timed out waiting (sockets open %llu)\n", me, (unsigned long long)v[SOCK_STAT_SOCKETS]);
	return -1;
}

static int more_than(const uint64_t *v, void *arg)
{
	return v[SOCK_STAT_SOCKETS] > *(uint64_t *)arg;
}

static int back_to(const uint64_t *v, void *arg)
{
	return v[SOCK_STAT_SOCKETS] == *(uint64_t *)arg;
}

static int hog(void)
{
	int err = 0, n = fill(&err);
	if (n < 0)
		return 1;
	uint64_t v[8];
	if (stats(v))
		return 1;
	printf("%s: %d sockets open, the next refused: %s (%s); the server counts %llu of mine\n",
	       me, n, strerror(err), errname(err), (unsigned long long)v[SOCK_STAT_MINE]);
	uint64_t mine = (uint64_t)n;
	if (until(more_than, &mine, v) || until(back_to, &mine, v))
		return 1;
	printf("%s: another client opened and closed a socket meanwhile; dying with %d open\n",
	       me, n);
	*(volatile int *)0 = 1;
	return 1;
}

static int watch(void)
{
	/* Wait for the hog's 8 (udpecho's one may come and go meanwhile: a
	 * sample every 10 ms sees it or not, so "at most" is 8 or 9). */
	uint64_t v[8], zero = 0, seven = 7;
	if (until(more_than, &seven, v))
		return 1;
	uint64_t held = v[SOCK_STAT_SOCKETS];
	if (until(back_to, &zero, v))
		return 1;
	/* our own stats() opened no socket: the server's count is all others' */
	printf("%s: all sockets closed by the server (%llu reaped after their client ended, "
	       "at most %llu seen open)\n", me, (unsigned long long)v[SOCK_STAT_REAPED],
	       (unsigned long long)held);
	int err = 0, n = fill(&err);
	if (n < 0)
		return 1;
	printf("%s: %d sockets open on the ports the dead client held, the next refused: %s\n",
	       me, n, errname(err));
	for (int i = 0; i < n; i++)
		if (close(fds[i])) {
			printf("%s: close: %s\n", me, strerror(errno));
			return 1;
		}
	if (stats(v))
		return 1;
	printf("%s: closed them: %llu open, %llu bytes held\n", me,
	       (unsigned long long)v[SOCK_STAT_SOCKETS], (unsigned long long)v[SOCK_STAT_MEM_MINE]);
	return 0;
}

int main(int argc, char **argv)
{
	if (l4_env())
		me = l4_env()->name;
	if (argc == 2 && strcmp(argv[1], "hog") == 0)
		return hog();
	if (argc == 2 && strcmp(argv[1], "watch") == 0)
		return watch();
	printf("%s: expected args=hog or args=watch\n", me);
	return 2;
}
