/* <unistd.h> - the part pkg/libsocket provides: close() for sockets. */
#pragma once

int close(int fd);
