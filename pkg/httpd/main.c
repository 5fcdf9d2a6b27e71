/* httpd - an HTTP/1.0 server (RFC 1945) of one page, the system's state
 * (page.c), on servers/net's sockets; a few connections at once through
 * poll().  GET / is the page, any other path 404, any other method 501;
 * every answer closes its connection.
 *
 *   args="[PORT] [count N]"
 *
 * PORT defaults to 80; count N: end (status 0) after N answers.  The
 * config gives it caps=net and `control` (the programs' list comes from
 * the root task's rtctl; httpd only reads with it). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>
#include <l4/rt/env.h>
#include "httpd.h"

#define CONNS  8
#define REQMAX 2048

struct conn {
	int fd;
	size_t got;
	char req[REQMAX + 1];
};

static struct conn conns[CONNS];
static unsigned nconn;
static const char *me = "httpd";
static char page[PAGE_MAX], head[256];
static long answered;

/* Write all of buf (a blocking socket). */
static int put_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, 0);
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static void answer(struct conn *c)
{
	const char *status = "200 OK", *body = page;
	size_t blen;
	if (strncmp(c->req, "GET ", 4) != 0) {
		status = "501 Not Implemented";
		body = "only GET\n";
	} else if (strncmp(c->req + 4, "/ ", 2) != 0 && strncmp(c->req + 4, "/index.html ", 12) != 0) {
		status = "404 Not Found";
		body = "one page here: /\n";
	} else {
		page_build(page, sizeof(page));
	}
	blen = strlen(body);
	int n = snprintf(head, sizeof(head), "HTTP/1.0 %s\r\nServer: Minnow httpd\r\n"
			 "Content-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
			 status, body == page ? "text/html; charset=utf-8" : "text/plain", blen);
	char line[64];
	snprintf(line, sizeof(line), "%s", c->req);
	line[strcspn(line, "\r\n")] = 0;
	if (put_all(c->fd, head, (size_t)n) || put_all(c->fd, body, blen))
		printf("%s: \"%s\": sending: %s\n", me, line, strerror(errno));
	else
		printf("%s: \"%s\": %.3s, %zu bytes\n", me, line, status, blen);
	answered++;
}

static void drop(unsigned i)
{
	shutdown(conns[i].fd, SHUT_WR);
	close(conns[i].fd);
	conns[i] = conns[--nconn];
}

int main(int argc, char **argv)
{
	long port = 80, count = -1;
	if (l4_env())
		me = l4_env()->name;
	for (int i = 1; i < argc; i++) {
		char *end = "";
		if (strcmp(argv[i], "count") == 0 && i + 1 < argc)
			count = strtol(argv[++i], &end, 10);
		else
			port = strtol(argv[i], &end, 10);
		if (*end || port < 1 || port > 65535) {
			printf("%s: argument '%s': expected [PORT] [count N]\n", me, argv[i]);
			return 2;
		}
	}
	int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 16)) {
		printf("%s: listening on port %ld: %s\n", me, port, strerror(errno));
		return 1;
	}
	printf("%s: serving the system's state on port %ld%s\n", me, port,
	       l4_env_cap("rtctl") ? "" : " (no `control`: without the programs)");
	struct pollfd pfd[CONNS + 1];
	while (count < 0 || answered < count) {
		pfd[0] = (struct pollfd){ l, (short)(nconn < CONNS ? POLLIN : 0), 0 };
		for (unsigned i = 0; i < nconn; i++)
			pfd[i + 1] = (struct pollfd){ conns[i].fd, POLLIN, 0 };
		if (poll(pfd, nconn + 1, -1) < 0) {
			printf("%s: poll: %s\n", me, strerror(errno));
			return 1;
		}
		for (unsigned i = nconn; i-- > 0; ) {
			if (!pfd[i + 1].revents)
				continue;
			struct conn *c = &conns[i];
			ssize_t n = recv(c->fd, c->req + c->got, REQMAX - c->got, MSG_DONTWAIT);
			if (n < 0 && errno == EAGAIN)
				continue;
			if (n <= 0) {
				drop(i);
				continue;
			}
			c->got += (size_t)n;
			c->req[c->got] = 0;
			/* the request's head ends with an empty line (RFC 1945 5) */
			if (strstr(c->req, "\r\n\r\n") || strstr(c->req, "\n\n") || c->got == REQMAX) {
				answer(c);
				drop(i);
			}
		}
		if (pfd[0].revents & POLLIN) {
			int fd = accept(l, NULL, NULL);
			if (fd < 0) {
				printf("%s: accept: %s\n", me, strerror(errno));
				continue;
			}
			conns[nconn++] = (struct conn){ .fd = fd };
		}
	}
	printf("%s: %ld requests answered\n", me, answered);
	close(l);
	return 0;
}
