/* <fcntl.h> - descriptor flags (pkg/libsocket): O_NONBLOCK on sockets. */
#pragma once

#define F_GETFL    3
#define F_SETFL    4
#define O_NONBLOCK 04000

int fcntl(int fd, int cmd, ...);
