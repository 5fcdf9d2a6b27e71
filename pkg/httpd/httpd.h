/* httpd.h - pkg/httpd's parts: the page (page.c) and the server (main.c). */
#ifndef HTTPD_H
#define HTTPD_H

#include <stddef.h>

#define PAGE_MAX 16384

/* The system's state as an HTML page into buf (at most len bytes, NUL
 * ended); its length.  From the root task (rtctl: programs, its memory),
 * the kernel info page (uptime, RAM), the kernel's free frames, and
 * servers/net (interface, counters, sockets). */
size_t page_build(char *buf, size_t len);

#endif
