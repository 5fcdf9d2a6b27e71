/* lc.h - what the host tests see of libc: its functions under the lc_
 * names (rename.h), declared here because the tests also use glibc's
 * headers, and the test system layer (host_sys.c). */
#pragma once
#include <stddef.h>
#include <stdarg.h>
#include <setjmp.h>

typedef struct __libc_file LC_FILE;
extern LC_FILE *const lc_stdin, *const lc_stdout, *const lc_stderr;
extern int lc_errno;

void *lc_memcpy(void *d, const void *s, size_t n);
void *lc_memmove(void *d, const void *s, size_t n);
void *lc_memset(void *d, int c, size_t n);
int lc_memcmp(const void *a, const void *b, size_t n);
void *lc_memchr(const void *s, int c, size_t n);
size_t lc_strlen(const char *s);
size_t lc_strnlen(const char *s, size_t max);
char *lc_strcpy(char *d, const char *s);
char *lc_strncpy(char *d, const char *s, size_t n);
char *lc_strcat(char *d, const char *s);
char *lc_strncat(char *d, const char *s, size_t n);
int lc_strcmp(const char *a, const char *b);
int lc_strncmp(const char *a, const char *b, size_t n);
char *lc_strchr(const char *s, int c);
char *lc_strrchr(const char *s, int c);
char *lc_strstr(const char *h, const char *n);
size_t lc_strspn(const char *s, const char *a);
size_t lc_strcspn(const char *s, const char *r);
char *lc_strpbrk(const char *s, const char *a);
char *lc_strtok(char *s, const char *d);
char *lc_strtok_r(char *s, const char *d, char **save);
char *lc_strdup(const char *s);
char *lc_strndup(const char *s, size_t n);
char *lc_strerror(int e);

int lc_isalnum(int c); int lc_isalpha(int c); int lc_isblank(int c); int lc_iscntrl(int c);
int lc_isdigit(int c); int lc_isgraph(int c); int lc_islower(int c); int lc_isprint(int c);
int lc_ispunct(int c); int lc_isspace(int c); int lc_isupper(int c); int lc_isxdigit(int c);
int lc_tolower(int c); int lc_toupper(int c);

long lc_strtol(const char *s, char **end, int base);
unsigned long lc_strtoul(const char *s, char **end, int base);
long long lc_strtoll(const char *s, char **end, int base);
unsigned long long lc_strtoull(const char *s, char **end, int base);
int lc_atoi(const char *s);
long lc_atol(const char *s);
long long lc_atoll(const char *s);
int lc_abs(int v);
long lc_labs(long v);
long long lc_llabs(long long v);
void lc_qsort(void *b, size_t n, size_t size, int (*cmp)(const void *, const void *));
void *lc_bsearch(const void *k, const void *b, size_t n, size_t size,
		 int (*cmp)(const void *, const void *));
void *lc_malloc(size_t n);
void *lc_calloc(size_t n, size_t size);
void *lc_realloc(void *p, size_t n);
void lc_free(void *p);
void lc_exit(int status) __attribute__((noreturn));
void lc_abort(void) __attribute__((noreturn));
void __libc_assert_fail(const char *e, const char *f, int l, const char *fn)
	__attribute__((noreturn));

int lc_printf(const char *fmt, ...);
int lc_fprintf(LC_FILE *f, const char *fmt, ...);
int lc_sprintf(char *b, const char *fmt, ...);
int lc_snprintf(char *b, size_t n, const char *fmt, ...);
int lc_vsnprintf(char *b, size_t n, const char *fmt, va_list ap);
int lc_fputc(int c, LC_FILE *f);
int lc_putchar(int c);
int lc_fputs(const char *s, LC_FILE *f);
int lc_puts(const char *s);
int lc_fflush(LC_FILE *f);
int lc_fgetc(LC_FILE *f);
int lc_getchar(void);
int lc_ungetc(int c, LC_FILE *f);
char *lc_fgets(char *s, int size, LC_FILE *f);
int lc_feof(LC_FILE *f);
int lc_ferror(LC_FILE *f);
void lc_clearerr(LC_FILE *f);
int lc_scanf(const char *fmt, ...);
int lc_sscanf(const char *s, const char *fmt, ...);

/* host_sys.c: output captured per write, exits caught. */
extern char host_out[1 << 16];       /* everything written, both streams */
extern size_t host_out_len;
extern int host_writes;              /* number of __libc_sys_write calls */
extern jmp_buf *host_exit_jmp;       /* set: __libc_sys_exit longjmps here with status + 1000 */
void host_out_reset(void);
size_t host_heap_used(void);
/* stdin: host_in_set gives the chunks successive reads return (as the
 * console hands over a line at a time); NULL chunk: an interrupted read
 * (-1); past the last: end of input. */
void host_in_set(const char *const *chunks, int n);
extern int host_reads;               /* __libc_sys_read calls */
