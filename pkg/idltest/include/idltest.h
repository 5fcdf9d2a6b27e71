/* idltest.h - what lib/client.c (the client, TAP, and main) and a server
 * (c/server.c, rust/server.rs) share. */
#pragma once
#include <stdint.h>
#include <l4/sys/abi.h>

enum {
	EP = L4_CAP_FIRST_FREE,   /* the endpoint, all rights */
	BADGED,                   /* the client's badged copy */
	SRV_WINDOW,               /* where the server receives capabilities */
	NOTIF,                    /* a notification the client passes */
	CLI_WINDOW,               /* where the client receives capabilities */
	SRV_THREAD,
};
#define CLIENT_BADGE 0x1dcull
/* Memory windows: where the server receives pages, where the client does. */
#define SRV_MEM 0x0000510000000000ull
#define CLI_MEM 0x0000520000000000ull

/* The server thread's body, the program's own: the C or the Rust server.
 * It receives on ep (EP) forever, capabilities into srv_window, memory
 * into the 2 MiB at srv_mem, and maps a page back at cli_mem; client.c
 * starts it in a second thread.  (Arguments, so that the Rust server
 * takes the numbers from here too.) */
void idltest_serve(uint64_t ep, uint64_t srv_window, uint64_t srv_mem, uint64_t cli_mem)
	__attribute__((noreturn));
