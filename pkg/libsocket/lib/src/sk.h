/* sk.h - pkg/libsocket inside: the descriptor table and argument checks
 * (check.c, pure logic, host-tested), the session (socket.c). */
#ifndef LIBSOCKET_SK_H
#define LIBSOCKET_SK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <netinet/in.h>

#define SK_FD_BASE 3            /* 0..2 are stdin, stdout, stderr */
#define SK_FDS     256          /* the server's socks= is at most 256 */

struct sk {
	bool used;
	bool nonblock;
	uint8_t type;           /* SOCK_STREAM, SOCK_DGRAM */
	uint32_t id;            /* the server's */
};

extern struct sk sk_tab[SK_FDS];

/* The descriptor's entry, or NULL (errno EBADF). */
struct sk *sk_get(int fd);
/* A free descriptor (marked used), or -1 (errno EMFILE). */
int sk_new(void);
void sk_free(int fd);

/* socket()'s arguments: 0 and the type and SOCK_NONBLOCK, or an errno. */
int sk_check_socket(int domain, int type, int protocol, int *stype, bool *nonblock);
/* An AF_INET address of len bytes: 0 and addr (network order) and port
 * (host order), or an errno (EFAULT, EINVAL, EAFNOSUPPORT). */
int sk_check_addr(const struct sockaddr *a, socklen_t len, uint32_t *addr, uint16_t *port);
/* Store addr:port into (a, *len) as BSD does: truncated to *len, *len
 * set to the full size.  a NULL: nothing. */
void sk_put_addr(struct sockaddr *a, socklen_t *len, uint32_t addr, uint16_t port);
/* One of <sock.h>'s errors, or an IPC error (negative L4_Exxx), as errno. */
int sk_errno(int err);

/* socket.c: open the session once; 0 or -1 with errno. */
int sk_session(void);
extern uint8_t *sk_buf;         /* the lent buffer */
extern uint64_t sk_ep;          /* the server */
/* Sleep until the server signals the session, us microseconds pass or a
 * second (the caller asks again). */
void sk_wait(uint32_t us);
/* Set errno to e and return -1. */
int sk_fail(int e);

#endif
