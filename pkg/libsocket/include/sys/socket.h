/* <sys/socket.h> - BSD sockets over servers/net (pkg/libsocket; doc/net.md
 * section 5).  IPv4 only: AF_INET, SOCK_STREAM (TCP) and SOCK_DGRAM (UDP).
 * A program needs caps=net in its boot config line; the first call opens
 * its session with the server.  Errors: -1 and errno (<errno.h>).
 * Descriptors are the library's (from 3 up), for sockets only; one thread
 * at a time may use them. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#ifndef MINNOW_SSIZE_T
#define MINNOW_SSIZE_T
typedef long ssize_t;
#endif
typedef uint32_t socklen_t;
typedef uint16_t sa_family_t;

#define AF_INET         2
#define PF_INET         AF_INET
#define SOCK_STREAM     1
#define SOCK_DGRAM      2
#define SOCK_NONBLOCK   04000           /* with the type: as O_NONBLOCK */
#define SOL_SOCKET      1
#define SO_REUSEADDR    2
#define SO_ERROR        4
#define SO_TYPE         3
#define MSG_PEEK        0x2
#define MSG_DONTWAIT    0x40
#define MSG_NOSIGNAL    0x4000          /* accepted; there are no signals */
#define SHUT_RD         0
#define SHUT_WR         1
#define SHUT_RDWR       2
#define SOMAXCONN       128

struct sockaddr {
	sa_family_t sa_family;
	char sa_data[14];
};

int socket(int domain, int type, int protocol);
int bind(int fd, const struct sockaddr *addr, socklen_t len);
int listen(int fd, int backlog);
int accept(int fd, struct sockaddr *addr, socklen_t *len);
int connect(int fd, const struct sockaddr *addr, socklen_t len);
ssize_t send(int fd, const void *buf, size_t len, int flags);
ssize_t recv(int fd, void *buf, size_t len, int flags);
ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
	       socklen_t tolen);
ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
		 socklen_t *fromlen);
int shutdown(int fd, int how);
int getsockname(int fd, struct sockaddr *addr, socklen_t *len);
int getpeername(int fd, struct sockaddr *addr, socklen_t *len);
int setsockopt(int fd, int level, int name, const void *val, socklen_t len);
int getsockopt(int fd, int level, int name, void *val, socklen_t *len);
