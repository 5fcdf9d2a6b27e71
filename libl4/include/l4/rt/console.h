/* <l4/rt/console.h> - what a client of the console server
 * (servers/console, libl4/lib/console.idl) needs besides the stubs:
 * the mode flag and the bits the console signals a client's wake
 * notification with.  libc uses it for stdin, stdout and stderr. */
#pragma once
#include <stdint.h>
#include <l4/util/ring.h>
#include <console_client.h>

#define CONSOLE_RAW        1u   /* console_mode: bytes as typed, no echo, no line editing */
#define CONSOLE_WAKE_INPUT 1u   /* input (or its end) is ready for console_read */
#define CONSOLE_WAKE_INTR  2u   /* ^C: the next console_read fails with L4_ECANCELED */
#define CONSOLE_WAKE_ROOM  4u   /* the output ring has room again */
#define CONSOLE_WAKE_AGAIN 8u   /* the console was restarted: open again (libc asks
                                   the root task for it, parent_watch) */
#define CONSOLE_OPEN_AGAIN 1u   /* console_open's flags: after the console's restart */

/* The output ring (console_open): 16 KiB of the console's memory, entries
 * of up to 63 bytes of text; the producer signals the doorbell with this
 * bit. */
#define CONSOLE_RING_ORDER 14
#define CONSOLE_RING_BYTES (1u << CONSOLE_RING_ORDER)
#define CONSOLE_DOORBELL   0x10u

/* The ring header's spare word (pad0), which only the console writes: its
 * epoch, changed when a restarted console takes the ring on.  A client
 * that finds it changed before it rings the doorbell opens again with
 * CONSOLE_OPEN_AGAIN (the old doorbell is the dead console's). */
#define CONSOLE_RING_EPOCH(shared) (&(shared)->pad0)

struct console_chunk {
	uint8_t len;            /* 1..63 */
	char text[63];
};
_Static_assert(sizeof(struct console_chunk) == 64, "ABI: console ring entry");
