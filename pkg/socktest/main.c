/* socktest - the socket calls in a program, TAP (pkg/socktest/test/
 * socktest.test): every refusal with its errno, UDP and TCP between two
 * sockets of ours on our own address (lwIP's loopback in servers/net),
 * UDP to a host peer at 10.0.2.2 that echoes, and a connection the peer
 * refuses (RST), the limits.  The net server gives this client socks=24
 * and sockmem=128K. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>
#include <l4/rt/env.h>
#include <l4/sys/abi.h>
#include <sock.h>
#include <sock_client.h>

static int test_no, failed;
#define LIMIT 24
#define SELF  "10.0.2.15"
#define PEER  "10.0.2.2"

static void ok(int cond, const char *name)
{
	printf("%s %d - %s\n", cond ? "ok" : "not ok", ++test_no, name);
	if (!cond)
		failed++;
}

/* -1 with errno e */
static int fails(long r, int e)
{
	if (r != -1 || errno != e)
		printf("# got %ld, errno %d (%s); wanted -1, errno %d (%s)\n", r, r == -1 ? errno : 0,
		       r == -1 ? strerror(errno) : "-", e, strerror(e));
	return r == -1 && errno == e;
}

static struct sockaddr_in sa(const char *ip, int port)
{
	return (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				     .sin_addr = { inet_addr(ip) } };
}
#define SA(x) ((struct sockaddr *)&(x))

static uint64_t now_ms(void)
{
	return ((const volatile struct l4_kip *)L4_KIP_ADDR)->clock_ns / 1000000u;
}

static uint8_t out[100000], in[100000];

static void errors(void)
{
	ok(fails(socket(10, SOCK_STREAM, 0), EAFNOSUPPORT), "socket(AF_INET6): EAFNOSUPPORT");
	ok(fails(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT),
	   "socket(SOCK_STREAM, IPPROTO_UDP): EPROTONOSUPPORT");
	ok(fails(socket(AF_INET, 3, 0), EINVAL), "socket(SOCK_RAW): EINVAL");
	ok(fails(close(77), EBADF), "close of no socket: EBADF");
	ok(fails(recv(2, in, 1, 0), EBADF), "recv on stderr: EBADF");
	int u = socket(AF_INET, SOCK_DGRAM, 0), u2 = socket(AF_INET, SOCK_DGRAM, 0);
	int t = socket(AF_INET, SOCK_STREAM, 0);
	ok(u >= 3 && u2 >= 3 && t >= 3, "UDP and TCP sockets");
	struct sockaddr_in a = sa("0.0.0.0", 5000), bad = sa("10.9.9.9", 5001);
	ok(bind(u, SA(a), sizeof(a)) == 0, "bind UDP 5000");
	ok(fails(bind(u2, SA(a), sizeof(a)), EADDRINUSE), "bind UDP 5000 again: EADDRINUSE");
	ok(fails(bind(u2, SA(bad), sizeof(bad)), EADDRNOTAVAIL), "bind to 10.9.9.9: EADDRNOTAVAIL");
	ok(fails(bind(u2, SA(a), 8), EINVAL), "bind with a short address: EINVAL");
	ok(fails(listen(u, 1), EOPNOTSUPP), "listen on UDP: EOPNOTSUPP");
	ok(fails(recv(t, in, 1, 0), ENOTCONN), "recv on an unconnected TCP socket: ENOTCONN");
	ok(fails(send(t, out, 1, 0), ENOTCONN), "send on an unconnected TCP socket: ENOTCONN");
	ok(fails(send(u2, out, 1, 0), ENOTCONN), "send on an unconnected UDP socket: ENOTCONN");
	struct sockaddr_in self = sa(SELF, 5000);
	ok(fails(sendto(u, out, 70000, 0, SA(self), sizeof(self)), EMSGSIZE), "a 70000-byte datagram: EMSGSIZE");
	ok(fails(sendto(u, out, 10, 0, SA(a), sizeof(a)), EDESTADDRREQ), "a datagram to 0.0.0.0: EDESTADDRREQ");
	ok(fails(shutdown(t, 7), EINVAL), "shutdown(7): EINVAL");
	ok(fails(recv(u, in, 1, MSG_DONTWAIT), EAGAIN), "recv MSG_DONTWAIT, nothing there: EAGAIN");
	ok(fcntl(u, F_SETFL, O_NONBLOCK) == 0 && fcntl(u, F_GETFL) == O_NONBLOCK &&
	   fails(recv(u, in, 1, 0), EAGAIN), "recv on O_NONBLOCK, nothing there: EAGAIN");
	int r1 = socket(AF_INET, SOCK_DGRAM, 0), r2 = socket(AF_INET, SOCK_DGRAM, 0), one = 1;
	struct sockaddr_in b = sa("0.0.0.0", 5002);
	ok(setsockopt(r1, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0 &&
	   setsockopt(r2, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0 &&
	   bind(r1, SA(b), sizeof(b)) == 0 && bind(r2, SA(b), sizeof(b)) == 0,
	   "SO_REUSEADDR: two UDP sockets on port 5002");
	ok(fails(setsockopt(r1, SOL_SOCKET, 99, &one, sizeof(one)), ENOPROTOOPT), "an unknown option: ENOPROTOOPT");
	close(r1);
	close(r2);
	close(u);
	close(u2);
	close(t);
}

static void udp_self(void)
{
	int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in aa = sa("0.0.0.0", 5100), ba = sa(SELF, 5101), from;
	socklen_t flen = sizeof(from);
	bind(a, SA(aa), sizeof(aa));
	bind(b, SA(ba), sizeof(ba));
	struct sockaddr_in to = sa(SELF, 5100);
	for (int i = 0; i < 100; i++)
		out[i] = (uint8_t)(i * 3);
	ok(sendto(b, out, 100, 0, SA(to), sizeof(to)) == 100, "sendto our own address");
	ssize_t n = recvfrom(a, in, sizeof(in), MSG_PEEK, SA(from), &flen);
	ok(n == 100 && !memcmp(in, out, 100) && from.sin_port == htons(5101) &&
	   from.sin_addr.s_addr == inet_addr(SELF), "recvfrom MSG_PEEK: the datagram and its sender");
	n = recv(a, in, 10, 0);
	ok(n == 10 && !memcmp(in, out, 10), "recv of 10: the datagram cut");
	ok(fails(recv(a, in, 10, MSG_DONTWAIT), EAGAIN), "its rest dropped (BSD)");
	struct pollfd p[2] = { { a, POLLIN, 0 }, { b, POLLIN, 0 } };
	uint64_t t0 = now_ms();
	int r = poll(p, 2, 100);
	uint64_t dt = now_ms() - t0;
	ok(r == 0 && dt >= 90, "poll of two quiet sockets: 0 after its 100 ms timeout");
	if (!(r == 0 && dt >= 90))
		printf("# poll %d after %llu ms\n", r, (unsigned long long)dt);
	sendto(a, out, 50, 0, SA(ba), sizeof(ba));
	r = poll(p, 2, 5000);
	ok(r == 1 && p[0].revents == 0 && p[1].revents == POLLIN, "poll: the one that has a datagram");
	p[0].fd = 99;
	ok(poll(p, 1, 0) == 1 && p[0].revents == POLLNVAL, "poll of no socket: POLLNVAL");
	struct sockaddr_in name;
	socklen_t nlen = sizeof(name);
	ok(getsockname(b, SA(name), &nlen) == 0 && name.sin_port == htons(5101) &&
	   name.sin_addr.s_addr == inet_addr(SELF) && nlen == sizeof(name), "getsockname");
	close(a);
	close(b);
}

static void udp_peer(void)
{
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in peer = sa(PEER, 7), name, from;
	socklen_t nlen = sizeof(name), flen = sizeof(from);
	ok(connect(u, SA(peer), sizeof(peer)) == 0, "connect UDP to the host peer's echo port");
	ok(getpeername(u, SA(name), &nlen) == 0 && name.sin_port == htons(7) &&
	   name.sin_addr.s_addr == inet_addr(PEER), "getpeername");
	int good = 1;
	for (int i = 1; i <= 1472 && good; i += 97) {
		for (int k = 0; k < i; k++)
			out[k] = (uint8_t)(k ^ i);
		good = send(u, out, (size_t)i, 0) == i &&
		       recvfrom(u, in, sizeof(in), 0, SA(from), &flen) == i && !memcmp(in, out, (size_t)i) &&
		       from.sin_port == htons(7);
	}
	ok(good, "16 datagrams of 1..1456 bytes echoed by the host peer");
	close(u);
	int t = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in closed = sa(PEER, 1);
	ok(fails(connect(t, SA(closed), sizeof(closed)), ECONNREFUSED),
	   "connect to the host peer's closed port: ECONNREFUSED (its RST)");
	close(t);
}

/* Move all of out from s to r through poll; the bytes r got. */
static size_t pump(int s, int r, size_t len)
{
	size_t sent = 0, got = 0;
	fcntl(s, F_SETFL, O_NONBLOCK);
	fcntl(r, F_SETFL, O_NONBLOCK);
	while (got < len) {
		struct pollfd p[2] = { { s, (short)(sent < len ? POLLOUT : 0), 0 }, { r, POLLIN, 0 } };
		if (poll(p, 2, 10000) <= 0)
			break;
		if (p[0].revents & POLLOUT) {
			ssize_t n = send(s, out + sent, len - sent, 0);
			if (n > 0)
				sent += (size_t)n;
		}
		if (p[1].revents & POLLIN) {
			ssize_t n = recv(r, in + got, sizeof(in) - got, 0);
			if (n <= 0)
				break;
			got += (size_t)n;
		}
	}
	return got;
}

static void tcp_self(void)
{
	int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in la = sa("0.0.0.0", 6000), to = sa(SELF, 6000), name, peer;
	socklen_t nlen = sizeof(name), plen = sizeof(peer);
	ok(bind(l, SA(la), sizeof(la)) == 0 && listen(l, 4) == 0, "listen on TCP 6000");
	int l2 = socket(AF_INET, SOCK_STREAM, 0);
	ok(fails(bind(l2, SA(la), sizeof(la)), EADDRINUSE), "bind TCP 6000 again: EADDRINUSE");
	close(l2);
	fcntl(l, F_SETFL, O_NONBLOCK);
	ok(fails(accept(l, NULL, NULL), EAGAIN), "accept on O_NONBLOCK, nobody there: EAGAIN");
	fcntl(l, F_SETFL, 0);
	ok(connect(c, SA(to), sizeof(to)) == 0, "connect to our own address (blocking)");
	int s = accept(l, SA(peer), &plen);
	ok(s >= 3 && getsockname(c, SA(name), &nlen) == 0 && peer.sin_port == name.sin_port &&
	   peer.sin_addr.s_addr == inet_addr(SELF), "accept: the connection, from the connector's port");
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)(i * 7 + i / 251);
	size_t got = pump(c, s, sizeof(out));
	ok(got == sizeof(out) && !memcmp(in, out, got), "100000 bytes one way, intact");
	got = pump(s, c, sizeof(out));
	ok(got == sizeof(out) && !memcmp(in, out, got), "100000 bytes back, intact");
	ok(shutdown(c, SHUT_WR) == 0, "shutdown(SHUT_WR)");
	fcntl(s, F_SETFL, 0);
	ok(recv(s, in, 10, 0) == 0, "the other side reads the end (0)");
	ok(send(s, out, 10, 0) == 10, "... and may still send");
	fcntl(c, F_SETFL, 0);
	ok(recv(c, in, 100, 0) == 10, "which the half-closed side receives");
	close(c);
	close(s);
	/* unread data at close: the connection is reset (RFC 2525 2.17) */
	c = socket(AF_INET, SOCK_STREAM, 0);
	connect(c, SA(to), sizeof(to));
	s = accept(l, NULL, NULL);
	send(s, out, 5, 0);
	struct pollfd p = { c, POLLIN, 0 };
	ok(poll(&p, 1, 5000) == 1 && close(c) == 0, "a new connection closed with 5 bytes unread");
	p = (struct pollfd){ s, POLLIN, 0 };
	int r = poll(&p, 1, 5000);
	ok(r == 1 && (p.revents & POLLERR), "the other side sees an error (the reset)");
	char b[16];
	ok(fails(recv(s, b, sizeof(b), 0), ECONNRESET), "recv: ECONNRESET");
	ok(fails(send(s, b, sizeof(b), 0), EPIPE), "send after it: EPIPE");
	close(s);
	int t = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in nobody = sa(SELF, 6999);
	ok(fails(connect(t, SA(nobody), sizeof(nobody)), EINPROGRESS), "non-blocking connect: EINPROGRESS");
	p = (struct pollfd){ t, POLLOUT, 0 };
	ok(poll(&p, 1, 5000) == 1 && (p.revents & POLLERR), "poll: it failed");
	ok(fails(connect(t, SA(nobody), sizeof(nobody)), ECONNREFUSED),
	   "connect again: ECONNREFUSED (nobody listens on 6999)");
	close(t);
	close(l);
}

/* Two sockets flooded with datagrams nobody reads: the server holds at
 * most sockmem= (128K) of them for this client, drops and counts the rest. */
static void flood(void)
{
	uint64_t v0[8], v[8];
	uint64_t net = l4_env_cap("net");
	int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in aa = sa(SELF, 5200), ba = sa(SELF, 5201);
	bind(a, SA(aa), sizeof(aa));
	bind(b, SA(ba), sizeof(ba));
	sock_stats(net, v0);
	int sent = 0;
	for (int i = 0; i < 100; i++) {
		sent += sendto(s, out, 1400, 0, SA(aa), sizeof(aa)) == 1400;
		sent += sendto(s, out, 1400, 0, SA(ba), sizeof(ba)) == 1400;
	}
	struct pollfd p = { a, POLLIN, 0 };
	poll(&p, 1, 1000);
	sock_stats(net, v);
	uint64_t held = v[SOCK_STAT_MEM_MINE], dropped = v[SOCK_STAT_RX_DROP] - v0[SOCK_STAT_RX_DROP];
	int got = 0;
	while (recv(a, in, sizeof(in), MSG_DONTWAIT) == 1400)
		got++;
	while (recv(b, in, sizeof(in), MSG_DONTWAIT) == 1400)
		got++;
	ok(sent == 200 && held <= 128 * 1024 && held > 100 * 1024 && got + (int)dropped == 200 &&
	   got < 100, "200 datagrams of 1400 unread: at most sockmem=128K held, the rest dropped and counted");
	printf("# %d sent, %llu bytes held, %d read, %llu dropped\n", sent, (unsigned long long)held,
	       got, (unsigned long long)dropped);
	close(a);
	close(b);
	close(s);
}

static void limits(void)
{
	int fds[LIMIT + 1], n = 0;
	while (n <= LIMIT && (fds[n] = socket(AF_INET, SOCK_DGRAM, 0)) >= 0)
		n++;
	ok(n == LIMIT && errno == EMFILE, "socks=24: the 25th socket refused with EMFILE");
	if (n != LIMIT)
		printf("# %d sockets, errno %d\n", n, errno);
	while (n > 0)
		close(fds[--n]);
	uint64_t v[8];
	ok(sock_stats(l4_env_cap("net"), v) == 0 && v[SOCK_STAT_MINE] == 0 && v[SOCK_STAT_MEM_MINE] == 0,
	   "all closed: no socket and no byte held in the server");
}

int main(void)
{
	printf("1..54\n");
	errors();
	udp_self();
	udp_peer();
	tcp_self();
	flood();
	limits();
	/* the host peer's signal to end */
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in stop = sa(PEER, 9);
	sendto(u, "STOP", 4, 0, SA(stop), sizeof(stop));
	close(u);
	printf("# socktest: %d passed, %d failed\n", test_no - failed, failed);
	return failed ? 1 : 0;
}
