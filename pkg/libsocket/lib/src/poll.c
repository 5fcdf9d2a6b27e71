/* poll.c - <poll.h> over sock_poll: the entries go to the server in the
 * buffer, the server fills in revents and, when none is ready, arms the
 * session's wake; then we sleep on it (at most the time left) and ask
 * again.  The server signals at the next event on any of our sockets,
 * so a wakeup may find nothing for these: the loop asks once more. */
#include <errno.h>
#include <poll.h>
#include <l4/sys/abi.h>
#include <l4/sys/ipc.h>
#include <sock.h>
#include <sock_client.h>
#include "sk.h"

#define MAX_ENTS (SOCK_BUF_SIZE / sizeof(struct sock_pollent))

static uint64_t now_us(void)
{
	return ((const volatile struct l4_kip *)L4_KIP_ADDR)->clock_ns / 1000u;
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	if (n > MAX_ENTS)
		return sk_fail(EINVAL);
	if (n && !fds)
		return sk_fail(EFAULT);
	if (sk_session())
		return -1;
	uint64_t end = timeout > 0 ? now_us() + (uint64_t)timeout * 1000u : 0;
	struct sock_pollent *pe = (struct sock_pollent *)sk_buf;
	for (;;) {
		uint32_t k = 0;
		int bad = 0;
		for (nfds_t i = 0; i < n; i++) {
			fds[i].revents = 0;
			if (fds[i].fd < 0)
				continue;
			struct sk *s = sk_get(fds[i].fd);
			if (!s) {
				fds[i].revents = POLLNVAL;
				bad++;
				continue;
			}
			pe[k++] = (struct sock_pollent){ s->id, (uint16_t)fds[i].events, 0 };
		}
		int32_t err = 0;
		uint32_t ready = 0;
		int e = sock_poll(sk_ep, 0, k, !bad && timeout != 0, &err, &ready);
		if (e)
			return sk_fail(sk_errno(e));
		if (err && err != SOCK_EAGAIN)
			return sk_fail(err);
		k = 0;
		for (nfds_t i = 0; i < n; i++)
			if (fds[i].fd >= 0 && !fds[i].revents)
				fds[i].revents = (short)pe[k++].revents;
		if (ready || bad || timeout == 0)
			return (int)ready + bad;
		uint32_t us = L4_TIMEOUT_NEVER;
		if (timeout > 0) {
			uint64_t t = now_us();
			if (t >= end)
				return 0;
			us = end - t > L4_TIMEOUT_NEVER - 1 ? L4_TIMEOUT_NEVER - 1 : (uint32_t)(end - t);
		}
		sk_wait(us);
	}
}
