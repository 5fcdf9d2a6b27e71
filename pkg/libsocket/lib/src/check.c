/* check.c - pkg/libsocket's pure logic: the descriptor table and the
 * checks of arguments before anything goes to the server (sk.h). */
#include <errno.h>
#include <string.h>
#include <l4/sys/abi.h>
#include "sk.h"

struct sk sk_tab[SK_FDS];

struct sk *sk_get(int fd)
{
	if (fd < SK_FD_BASE || fd >= SK_FD_BASE + SK_FDS || !sk_tab[fd - SK_FD_BASE].used) {
		errno = EBADF;
		return NULL;
	}
	return &sk_tab[fd - SK_FD_BASE];
}

int sk_new(void)
{
	for (int i = 0; i < SK_FDS; i++)
		if (!sk_tab[i].used) {
			sk_tab[i] = (struct sk){ .used = true };
			return SK_FD_BASE + i;
		}
	errno = EMFILE;
	return -1;
}

void sk_free(int fd)
{
	if (fd >= SK_FD_BASE && fd < SK_FD_BASE + SK_FDS)
		sk_tab[fd - SK_FD_BASE] = (struct sk){ 0 };
}

int sk_check_socket(int domain, int type, int protocol, int *stype, bool *nonblock)
{
	if (domain != AF_INET)
		return EAFNOSUPPORT;
	*nonblock = type & SOCK_NONBLOCK;
	type &= ~SOCK_NONBLOCK;
	if (type != SOCK_STREAM && type != SOCK_DGRAM)
		return EINVAL;
	if (protocol && protocol != (type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP))
		return EPROTONOSUPPORT;
	*stype = type;
	return 0;
}

int sk_check_addr(const struct sockaddr *a, socklen_t len, uint32_t *addr, uint16_t *port)
{
	struct sockaddr_in in;
	if (!a)
		return EFAULT;
	if (len < sizeof(in))
		return EINVAL;
	memcpy(&in, a, sizeof(in));
	if (in.sin_family != AF_INET)
		return EAFNOSUPPORT;
	*addr = in.sin_addr.s_addr;
	*port = ntohs(in.sin_port);
	return 0;
}

void sk_put_addr(struct sockaddr *a, socklen_t *len, uint32_t addr, uint16_t port)
{
	if (!a || !len)
		return;
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr = { addr } };
	memcpy(a, &in, *len < sizeof(in) ? *len : sizeof(in));
	*len = sizeof(in);
}

int sk_errno(int err)
{
	if (err > 0)
		return err;             /* <sock.h>'s are <errno.h>'s numbers */
	switch (-err) {
	case L4_EPERM:
		return EACCES;
	case L4_EINVAL:
		return EINVAL;
	case L4_ENOMEM:
		return ENOBUFS;
	case L4_ESTATE:                 /* the server lost our session: it restarted */
		return ENETDOWN;
	default:                        /* the server is gone (L4_ECANCELED, L4_ENOCAP) */
		return ENETDOWN;
	}
}
