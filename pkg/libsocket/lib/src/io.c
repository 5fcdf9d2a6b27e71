/* io.c - pkg/libsocket's data calls: the bytes go through the server's
 * buffer (copied in before a send, out after a recv), the call names only
 * where they are.  A blocking stream send sends everything, in pieces of
 * at most the buffer, waiting for room between them; a datagram goes
 * whole or not at all (EMSGSIZE past the buffer). */
#include <errno.h>
#include <string.h>
#include <l4/sys/ipc.h>
#include <sock.h>
#include <sock_client.h>
#include "sk.h"

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
	       socklen_t tolen)
{
	struct sk *s = sk_get(fd);
	uint32_t addr = 0;
	uint16_t port = 0;
	if (!s)
		return -1;
	if (flags & ~(MSG_DONTWAIT | MSG_NOSIGNAL))
		return sk_fail(EOPNOTSUPP);
	if (to && s->type == SOCK_DGRAM) {
		int e = sk_check_addr(to, tolen, &addr, &port);
		if (e)
			return sk_fail(e);
		if (!addr)
			return sk_fail(EDESTADDRREQ);
	}
	if (len && !buf)
		return sk_fail(EFAULT);
	bool wait = !s->nonblock && !(flags & MSG_DONTWAIT);
	if (s->type == SOCK_DGRAM && len > SOCK_BUF_SIZE)
		return sk_fail(EMSGSIZE);
	size_t sent = 0;
	const uint8_t *p = buf;
	do {
		uint32_t n = len - sent > SOCK_BUF_SIZE ? SOCK_BUF_SIZE : (uint32_t)(len - sent);
		memcpy(sk_buf, p + sent, n);
		int32_t err;
		uint32_t done;
		int e = sock_send(sk_ep, s->id, 0, n, addr, port, &err, &done);
		if (e)
			return sent ? (ssize_t)sent : sk_fail(sk_errno(e));
		if (err == SOCK_EAGAIN && wait) {
			sk_wait(L4_TIMEOUT_NEVER);
			continue;
		}
		if (err)
			return sent ? (ssize_t)sent : sk_fail(err);
		sent += done;
		if (!wait && done < n)
			break;
	} while (sent < len);
	return (ssize_t)sent;
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return sendto(fd, buf, len, flags, NULL, 0);
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
		 socklen_t *fromlen)
{
	struct sk *s = sk_get(fd);
	if (!s)
		return -1;
	if (flags & ~(MSG_DONTWAIT | MSG_PEEK))
		return sk_fail(EOPNOTSUPP);
	if (len && !buf)
		return sk_fail(EFAULT);
	uint32_t max = len > SOCK_BUF_SIZE ? SOCK_BUF_SIZE : (uint32_t)len;
	for (;;) {
		int32_t err;
		uint32_t n, addr, port;
		int e = sock_recv(sk_ep, s->id, 0, max, flags & MSG_PEEK ? SOCK_RECV_PEEK : 0,
				  &err, &n, &addr, &port);
		if (e)
			return sk_fail(sk_errno(e));
		if (err == SOCK_EAGAIN && !s->nonblock && !(flags & MSG_DONTWAIT)) {
			sk_wait(L4_TIMEOUT_NEVER);
			continue;
		}
		if (err)
			return sk_fail(err);
		if (n > max)
			return sk_fail(EIO);    /* the server broke its word */
		memcpy(buf, sk_buf, n);
		sk_put_addr(from, fromlen, addr, (uint16_t)port);
		return (ssize_t)n;
	}
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	return recvfrom(fd, buf, len, flags, NULL, NULL);
}
