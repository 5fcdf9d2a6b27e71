/* socket.c - pkg/libsocket's session with servers/net and the calls that
 * move no data (doc/net.md section 5).
 *
 * The session opens at the first socket(): a notification from the
 * parent (the server's wake), a read-only copy of our first thread (its
 * end tells the server to close our sockets), and the server's buffer,
 * lent into our memory window at SK_BUF_AT.  A call the server answers
 * SOCK_EAGAIN (would block) is, unless the socket is non-blocking, waited
 * for on the notification and asked again: the server never holds a
 * reply, so it never waits for us. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <l4/rt/env.h>
#include <l4/sys/ipc.h>
#include <l4/sys/notification.h>
#include <parent_client.h>
#include <sock.h>
#include <sock_client.h>
#include "sk.h"

/* high in the receive window, clear of what programs put at its start
 * (a NIC region) and libc's console ring at its end */
#define SK_BUF_AT (L4_ENV_RECV_END - (1ull << 30))

#define SK_WAIT_MAX_US 1000000u

/* libc's capability slots (pkg/libc/lib/src/pthread.c) */
uint64_t __libc_slots_alloc(unsigned n);

uint8_t *sk_buf;
uint64_t sk_ep;
static uint64_t wake;
static int state;               /* 0 not tried, 1 open, -errno failed */

int sk_fail(int e)
{
	errno = e;
	return -1;
}

int sk_session(void)
{
	if (state > 0)
		return 0;
	if (state < 0)
		return sk_fail(-state);
	state = -ENETDOWN;
	if (!l4_env() || !(sk_ep = l4_env_cap("net")))
		return sk_fail(ENETDOWN);       /* no caps=net in the boot config */
	wake = __libc_slots_alloc(1);
	if (!wake || parent_notif_create(L4_ENV_PARENT, wake))
		return sk_fail(ENOBUFS);
	struct l4_utcb *u = l4_utcb();
	uint64_t mem_window = u->mem_window;
	struct minnow_idl_mem m;
	uint32_t max_socks;
	l4_mem_window(L4_FPAGE(SK_BUF_AT, SOCK_BUF_ORDER, 0));
	int e = sock_open(sk_ep, MINNOW_IDL_CAP(wake, L4_CAP_WRITE),
			  MINNOW_IDL_CAP(L4_ENV_THREAD, L4_CAP_READ), SK_BUF_AT, &m, &max_socks);
	u->mem_window = mem_window;
	if (e || m.addr != SK_BUF_AT || L4_FPAGE_ORDER(m.fpage) != SOCK_BUF_ORDER)
		return sk_fail(e ? sk_errno(e) : ENETDOWN);
	sk_buf = (uint8_t *)SK_BUF_AT;
	state = 1;
	return 0;
}

void sk_wait(uint32_t us)
{
	uint64_t bits;
	/* at most a second: should the server die, nobody would signal us,
	 * and the next question finds it gone (ENETDOWN) */
	if (us > SK_WAIT_MAX_US)
		us = SK_WAIT_MAX_US;
	l4_notification_wait(wake, us, &bits);
}

/* An answer: 0, or -1 with errno from the IPC status or the server's err. */
static int done(int e, int32_t err)
{
	if (e)
		return sk_fail(sk_errno(e));
	if (err)
		return sk_fail(err);
	return 0;
}

int socket(int domain, int type, int protocol)
{
	int stype;
	bool nonblock;
	int e = sk_check_socket(domain, type, protocol, &stype, &nonblock);
	if (e)
		return sk_fail(e);
	if (sk_session())
		return -1;
	int fd = sk_new();
	if (fd < 0)
		return -1;
	int32_t err = 0;
	uint32_t id;
	e = sock_socket(sk_ep, stype == SOCK_STREAM ? SOCK_TCP : SOCK_UDP, &err, &id);
	if (done(e, err)) {
		sk_free(fd);
		return -1;
	}
	struct sk *s = sk_get(fd);
	s->id = id;
	s->type = (uint8_t)stype;
	s->nonblock = nonblock;
	return fd;
}

int close(int fd)
{
	struct sk *s = sk_get(fd);
	if (!s)
		return -1;
	int32_t err = 0;
	int e = sock_close(sk_ep, s->id, &err);
	sk_free(fd);            /* gone for us whatever the server says */
	return done(e, err);
}

/* bind's and connect's arguments: fd's socket and the IPv4 address and
 * port in addr, or NULL with errno set. */
static struct sk *sk_get_addr(int fd, const struct sockaddr *addr, socklen_t len, uint32_t *a,
			      uint16_t *port)
{
	struct sk *s = sk_get(fd);
	if (!s)
		return NULL;
	int e = sk_check_addr(addr, len, a, port);
	if (e) {
		sk_fail(e);
		return NULL;
	}
	return s;
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	uint32_t a;
	uint16_t port;
	struct sk *s = sk_get_addr(fd, addr, len, &a, &port);
	if (!s)
		return -1;
	int32_t err = 0;
	int ec = sock_bind(sk_ep, s->id, a, port, &err);
	return done(ec, err);
}

int listen(int fd, int backlog)
{
	struct sk *s = sk_get(fd);
	if (!s)
		return -1;
	int32_t err = 0;
	int ec = sock_listen(sk_ep, s->id, backlog < 1 ? 1 : (uint32_t)backlog, &err);
	return done(ec, err);
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	struct sk *s = sk_get(fd);
	if (!s)
		return -1;
	int nfd = sk_new();
	if (nfd < 0)
		return -1;
	for (;;) {
		int32_t err = 0;
		uint32_t nid, a, port;
		int e = sock_accept(sk_ep, s->id, &err, &nid, &a, &port);
		if (!e && err == SOCK_EAGAIN && !s->nonblock) {
			sk_wait(L4_TIMEOUT_NEVER);
			continue;
		}
		if (done(e, err)) {
			sk_free(nfd);
			return -1;
		}
		struct sk *n = sk_get(nfd);
		n->id = nid;
		n->type = SOCK_STREAM;
		sk_put_addr(addr, len, a, (uint16_t)port);
		return nfd;
	}
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	uint32_t a;
	uint16_t port;
	struct sk *s = sk_get_addr(fd, addr, len, &a, &port);
	if (!s)
		return -1;
	int32_t err = 0;
	int e = sock_connect(sk_ep, s->id, a, port, &err);
	if (e || err != SOCK_EINPROGRESS || s->nonblock)
		return done(e, err);
	for (;;) {                      /* TCP: until it is up or has failed */
		sk_wait(L4_TIMEOUT_NEVER);
		e = sock_connect(sk_ep, s->id, a, port, &err);
		if (!e && err == SOCK_EALREADY)
			continue;
		return done(e, err == SOCK_EISCONN ? 0 : err);
	}
}

int shutdown(int fd, int how)
{
	struct sk *s = sk_get(fd);
	if (!s)
		return -1;
	if (how < SHUT_RD || how > SHUT_RDWR)
		return sk_fail(EINVAL);
	int32_t err = 0;
	int ec = sock_shutdown(sk_ep, s->id, (uint32_t)how + 1, &err);
	return done(ec, err);
}

static int name(int fd, int peer, struct sockaddr *addr, socklen_t *len)
{
	struct sk *s = sk_get(fd);
	if (!s)
		return -1;
	if (!addr || !len)
		return sk_fail(EFAULT);
	int32_t err = 0;
	uint32_t a, port;
	int ec = sock_name(sk_ep, s->id, (uint32_t)peer, &err, &a, &port);
	if (done(ec, err))
		return -1;
	sk_put_addr(addr, len, a, (uint16_t)port);
	return 0;
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	return name(fd, 0, addr, len);
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	return name(fd, 1, addr, len);
}

int setsockopt(int fd, int level, int opt, const void *val, socklen_t len)
{
	struct sk *s = sk_get(fd);
	if (!s)
		return -1;
	if (level != SOL_SOCKET || opt != SO_REUSEADDR)
		return sk_fail(ENOPROTOOPT);
	if (!val || len < sizeof(int))
		return sk_fail(EINVAL);
	int on;
	memcpy(&on, val, sizeof(on));
	int32_t err = 0;
	int ec = sock_setopt(sk_ep, s->id, SOCK_OPT_REUSEADDR, on != 0, &err);
	return done(ec, err);
}

int getsockopt(int fd, int level, int opt, void *val, socklen_t *len)
{
	struct sk *s = sk_get(fd);
	if (!s)
		return -1;
	if (!val || !len || *len < sizeof(int))
		return sk_fail(EINVAL);
	int v;
	if (level == SOL_SOCKET && opt == SO_TYPE)
		v = s->type;
	else if (level == SOL_SOCKET && opt == SO_ERROR)
		v = 0;                  /* errors are reported by the call they end */
	else
		return sk_fail(ENOPROTOOPT);
	memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

int fcntl(int fd, int cmd, ...)
{
	struct sk *s = sk_get(fd);
	if (!s)
		return -1;
	if (cmd == F_GETFL)
		return s->nonblock ? O_NONBLOCK : 0;
	if (cmd != F_SETFL)
		return sk_fail(EINVAL);
	va_list ap;
	va_start(ap, cmd);
	int flags = va_arg(ap, int);
	va_end(ap);
	s->nonblock = flags & O_NONBLOCK;
	return 0;
}
