/* <sock.h> - what servers/net's socket interface (lib/sock.idl; the stubs
 * in <sock_client.h>) and its clients share besides the stubs: the
 * session's buffer, socket kinds, poll entries, errors and counters.
 * pkg/libsocket builds the BSD calls on it; doc/net.md section 5. */
#pragma once
#include <stdint.h>

/* The buffer the server lends each session (sock_open): every byte a
 * send or recv moves, and the poll entries, pass through it.  The
 * server's memory, so a client that ends cannot take it away. */
#define SOCK_BUF_ORDER  16
#define SOCK_BUF_SIZE   (1u << SOCK_BUF_ORDER)

/* The bit the server sets in the session's wake notification when one of
 * the client's sockets has news (data, a connection, room, an error, the
 * end) after a call answered "would block" (SOCK_EAGAIN). */
#define SOCK_WAKE_BIT   0x1

enum { SOCK_UDP = 1, SOCK_TCP = 2 };            /* sock_socket's kind */
enum { SOCK_SHUT_RD = 1, SOCK_SHUT_WR = 2 };     /* sock_shutdown's how (bits) */
enum { SOCK_OPT_REUSEADDR = 1 };                 /* sock_setopt */
enum { SOCK_RECV_PEEK = 1 };                     /* sock_recv's flags */

/* poll's events (the same bits as <poll.h>'s) */
enum { SOCK_POLLIN = 0x1, SOCK_POLLOUT = 0x4, SOCK_POLLERR = 0x8, SOCK_POLLHUP = 0x10,
       SOCK_POLLNVAL = 0x20 };

/* One entry of sock_poll's array in the buffer. */
struct sock_pollent {
	uint32_t id;
	uint16_t events, revents;
};
_Static_assert(sizeof(struct sock_pollent) == 8, "ABI: sock_pollent");

/* The `err` every call answers besides the IPC status: 0 or one of these
 * (Linux's numbers, which pkg/libc's <errno.h> uses too). */
enum {
	SOCK_EBADF = 9, SOCK_EAGAIN = 11, SOCK_ENOMEM = 12, SOCK_EINVAL = 22, SOCK_EMFILE = 24,
	SOCK_EPIPE = 32, SOCK_EMSGSIZE = 90, SOCK_EPROTONOSUPPORT = 93, SOCK_EOPNOTSUPP = 95,
	SOCK_EADDRINUSE = 98, SOCK_EADDRNOTAVAIL = 99, SOCK_ENETUNREACH = 101,
	SOCK_ECONNABORTED = 103, SOCK_ECONNRESET = 104, SOCK_ENOBUFS = 105, SOCK_EISCONN = 106,
	SOCK_ENOTCONN = 107, SOCK_ETIMEDOUT = 110, SOCK_ECONNREFUSED = 111,
	SOCK_EHOSTUNREACH = 113, SOCK_EALREADY = 114, SOCK_EINPROGRESS = 115,
};

/* sock_stats' counters */
enum {
	SOCK_STAT_SESSIONS,     /* sessions open now */
	SOCK_STAT_SOCKETS,      /* sockets open now, all clients */
	SOCK_STAT_MINE,         /* ... of the asking client */
	SOCK_STAT_MEM_MINE,     /* bytes the asking client holds in the server (queued both ways) */
	SOCK_STAT_REFUSED,      /* sockets refused by a limit (EMFILE), connections reset by one */
	SOCK_STAT_RX_DROP,      /* datagrams dropped: a full queue or a client over its memory */
	SOCK_STAT_REAPED,       /* sockets closed because their client ended */
	SOCK_STAT_OPENED,       /* sockets made since the start (socket and accept) */
	SOCK_STAT_COUNT
};
_Static_assert(SOCK_STAT_COUNT <= 8, "sock_stats returns 8 counters");
