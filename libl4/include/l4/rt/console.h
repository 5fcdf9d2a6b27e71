/* <l4/rt/console.h> - what a client of the console server
 * (servers/console, libl4/lib/console.idl) needs besides the stubs:
 * the mode flag and the bits the console signals a client's wake
 * notification with.  libc uses it for stdin, stdout and stderr. */
#pragma once
#include <console_client.h>

#define CONSOLE_RAW        1u   /* console_mode: bytes as typed, no echo, no line editing */
#define CONSOLE_WAKE_INPUT 1u   /* input (or its end) is ready for console_read */
#define CONSOLE_WAKE_INTR  2u   /* ^C: the next console_read fails with L4_ECANCELED */
