/* udpecho - the echo service over UDP (RFC 862): every datagram goes
 * back to its sender as it came.  args="[PORT] [count N]": the port
 * (default 7); with count, it ends (status 0) after N datagrams.
 * Needs caps=net; with caps=idle too, answers make bench-net's MARK
 * datagrams (mark.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>
#include <l4/rt/env.h>
#include "udpecho.h"

static char buf[65536] __attribute__((unused));  /* unused only in lab 6's skeleton */

int main(int argc, char **argv)
{
	const char *me = l4_env() ? l4_env()->name : "udpecho";
	long port = 7, count = -1;
	for (int i = 1; i < argc; i++) {
		char *end;
		if (strcmp(argv[i], "count") == 0 && i + 1 < argc)
			count = strtol(argv[++i], &end, 10);
		else
			port = strtol(argv[i], &end, 10);
		if (*end || port < 1 || port > 65535) {
			printf("%s: argument '%s': expected [PORT] [count N]\n", me, argv[i]);
			return 2;
		}
	}
	int fd = -1;
	/* LAB 6 BEGIN: fd = a UDP socket bound to port on every address (socket, bind; say why not and return 1) */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		printf("%s: socket: %s\n", me, strerror(errno));
		return 1;
	}
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr = { INADDR_ANY } };
	if (bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		printf("%s: bind to port %ld: %s\n", me, port, strerror(errno));
		return 1;
	}
	/* LAB 6 END */
	if (fd < 0) {
		printf("%s: no socket\n", me);
		return 1;
	}
	printf("%s: echoing UDP on port %ld\n", me, port);
	for (long n = 0; count < 0 || n < count; n++) {
		ssize_t got = -1;
		/* LAB 6 BEGIN: got = one datagram received into buf (recvfrom), sent back as it came to its sender (sendto); say why not and return 1 */
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);
		got = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
		if (got < 0) {
			printf("%s: recvfrom: %s\n", me, strerror(errno));
			return 1;
		}
		got = mark_answer(buf, got, sizeof(buf));     /* make bench-net's counts */
		if (sendto(fd, buf, (size_t)got, 0, (struct sockaddr *)&from, flen) != got) {
			printf("%s: sendto %s:%u: %s\n", me, inet_ntoa(from.sin_addr),
			       ntohs(from.sin_port), strerror(errno));
			return 1;
		}
		/* LAB 6 END */
		if (got < 0) {
			printf("%s: no datagram\n", me);
			return 1;
		}
	}
	printf("%s: %ld datagrams echoed\n", me, count);
	close(fd);
	return 0;
}
