/* <stdlib.h> - conversions, sorting, memory, program end. */
#pragma once
#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX     0x7fffffff

long strtol(const char *restrict s, char **restrict end, int base);
unsigned long strtoul(const char *restrict s, char **restrict end, int base);
long long strtoll(const char *restrict s, char **restrict end, int base);
unsigned long long strtoull(const char *restrict s, char **restrict end, int base);
int atoi(const char *s);
long atol(const char *s);
long long atoll(const char *s);

int abs(int v);
long labs(long v);
long long llabs(long long v);

void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t n, size_t size,
	      int (*cmp)(const void *, const void *));

/* 16-byte aligned; free/realloc of a pointer malloc did not return, or a
 * double free, aborts with a message. */
void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);

/* exit flushes stdout and stderr, then ends the program (l4_exit).  abort
 * prints a line and exits with status 62 (see lib/src/exit.c). */
void exit(int status) __attribute__((noreturn));
void abort(void) __attribute__((noreturn));
