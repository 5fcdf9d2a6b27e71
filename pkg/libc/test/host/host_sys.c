/* host_sys.c - libc's system layer for the host tests: the sink records
 * into host_out, exit longjmps back into the test (so abort() is
 * testable), and the heap comes from one big anonymous mapping. */
#include <string.h>
#include <stdlib.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/mman.h>
#include "lc.h"

char host_out[1 << 16];
size_t host_out_len;
int host_writes;
jmp_buf *host_exit_jmp;

void __libc_sys_write(int fd, const char *buf, size_t len);
long __libc_sys_read(char *buf, size_t max);
void __libc_sys_exit(int status) __attribute__((noreturn));
void *__libc_morecore(size_t bytes);
void __libc_lock(void);
void __libc_unlock(void);

/* One thread: libc's lock has nothing to do. */
void __libc_lock(void) {}
void __libc_unlock(void) {}

void host_out_reset(void)
{
	host_out_len = 0;
	host_writes = 0;
	host_out[0] = '\0';
}

void __libc_sys_write(int fd, const char *buf, size_t len)
{
	(void)fd;
	host_writes++;
	if (len > sizeof host_out - 1 - host_out_len)
		len = sizeof host_out - 1 - host_out_len;
	memcpy(host_out + host_out_len, buf, len);
	host_out_len += len;
	host_out[host_out_len] = '\0';
}

static const char *const *in_chunks;
static int in_n, in_next;
int host_reads;

void host_in_set(const char *const *chunks, int n)
{
	in_chunks = chunks;
	in_n = n;
	in_next = 0;
	host_reads = 0;
}

long __libc_sys_read(char *buf, size_t max)
{
	host_reads++;
	if (in_next >= in_n)
		return 0;
	const char *c = in_chunks[in_next++];
	if (!c)
		return -1;
	size_t len = strlen(c);
	if (len > max)
		abort();        /* a test chunk longer than stdin's buffer */
	memcpy(buf, c, len);
	return (long)len;
}

void __libc_sys_exit(int status)
{
	if (host_exit_jmp)
		longjmp(*host_exit_jmp, status + 1000);
	fprintf(stderr, "libc exit(%d) outside a test\n", status);
	abort();
}

#define HEAP_MAX (1ull << 30)
static char *heap;
static size_t heap_used;

size_t host_heap_used(void) { return heap_used; }

void *__libc_morecore(size_t bytes)
{
	if (!heap) {
		heap = mmap(NULL, HEAP_MAX, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (heap == MAP_FAILED)
			return NULL;
	}
	if (bytes > HEAP_MAX - heap_used)
		return NULL;
	void *p = heap + heap_used;
	heap_used += bytes;
	return p;
}
