/* idltest.h - what main.c (the client, TAP) and server.c share. */
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

int server_start(void);
