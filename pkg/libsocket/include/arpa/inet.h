/* <arpa/inet.h> - IPv4 address text (pkg/libsocket). */
#pragma once
#include <netinet/in.h>

/* "a.b.c.d" (each part decimal 0..255) to network order; INADDR_NONE if
 * it is not one (so 255.255.255.255 cannot be told apart: inet_aton can). */
in_addr_t inet_addr(const char *s);
/* 1 and *out, or 0 if s is not "a.b.c.d". */
int inet_aton(const char *s, struct in_addr *out);
/* "a.b.c.d" in a static buffer. */
char *inet_ntoa(struct in_addr a);
/* AF_INET only: 1, 0 (not an address), -1 (errno EAFNOSUPPORT). */
int inet_pton(int af, const char *src, void *dst);
/* AF_INET only: dst, or NULL (errno ENOSPC, EAFNOSUPPORT). */
const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);
