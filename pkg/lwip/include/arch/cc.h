/* arch/cc.h - lwIP's compiler and platform port for Minnow (lwIP's
 * doc/sys_arch.txt, "Compiler/platform abstraction").
 *
 * The same header serves the guest (pkg/libc) and the host build of the
 * port's unit tests (glibc), so it asks only for what both C libraries
 * have: <stdio.h> printf and <stdlib.h> abort.  <inttypes.h> is not one of
 * them (pkg/libc has none, and the compiler would find glibc's), so the
 * print formats of lwIP's types are spelt out for x86-64 here. */
#ifndef MINNOW_LWIP_ARCH_CC_H
#define MINNOW_LWIP_ARCH_CC_H

#include <stdio.h>
#include <stdlib.h>

#define LWIP_NO_INTTYPES_H 1
#define X8_F  "02x"
#define U16_F "hu"
#define S16_F "hd"
#define X16_F "hx"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "zu"

/* pkg/libc's <limits.h> has SSIZE_MAX, on which lwIP would include
 * <unistd.h>: there is none in pkg/libc, and the compiler would take
 * glibc's.  ssize_t is long on x86-64 (glibc's is the same type, and C11
 * allows the typedef twice). */
#define LWIP_NO_UNISTD_H 1
typedef long ssize_t;

/* x86-64 is little-endian; lwIP's own byte swaps compile to bswap. */
#ifndef BYTE_ORDER
#define BYTE_ORDER LITTLE_ENDIAN
#endif

/* lwIP's messages and assertions go to the program's stdout (the serial
 * console in the guest).  An assertion is a broken invariant of lwIP or of
 * the port, never a bad packet: lwIP drops those and counts them. */
#define LWIP_PLATFORM_DIAG(x) do { printf x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) do { \
	printf("lwip: assertion \"%s\" failed at %s:%d\n", x, __FILE__, __LINE__); \
	abort(); \
} while (0)

/* Initial sequence numbers, DHCP transaction ids, ephemeral ports. */
#include <stdint.h>
uint32_t lwip_port_rand(void);
void lwip_port_seed(uint64_t seed);
#define LWIP_RAND() lwip_port_rand()

#endif
