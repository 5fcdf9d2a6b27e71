/* <poll.h> - wait for several sockets (pkg/libsocket).  The server says
 * which are ready; if none, the library sleeps on the session's wake
 * notification (signalled by the server at the next event on any of the
 * program's sockets, or the timeout) and asks again. */
#pragma once

#define POLLIN   0x001
#define POLLPRI  0x002
#define POLLOUT  0x004
#define POLLERR  0x008
#define POLLHUP  0x010
#define POLLNVAL 0x020
#define POLLRDNORM POLLIN
#define POLLWRNORM POLLOUT

typedef unsigned long nfds_t;

struct pollfd {
	int fd;                 /* negative: ignored (revents 0) */
	short events, revents;
};

/* timeout in ms, negative: none.  How many entries have revents, 0 on
 * timeout, -1 and errno. */
int poll(struct pollfd *fds, nfds_t n, int timeout);
