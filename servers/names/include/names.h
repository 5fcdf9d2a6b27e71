/* <names.h> - the client side of the name service (servers/names): the
 * generated stubs (names_publish, names_lookup; lib/names.idl) and a
 * lookup that waits for the name to appear. */
#pragma once
#include <stdint.h>
#include <names_client.h>

/* Look name up through `names` (the name service capability) into the
 * caller's empty slot `slot`.  While nothing is published under the name
 * (L4_ENOCAP), sleep a tick (10 ms) and try again, up to `tries` times in
 * all: programs start in boot-config order, but a server may not have
 * published yet (sleeping lets servers of any priority run meanwhile).
 * 0, or a negative L4_Exxx (L4_ENOCAP: still not published). */
int names_get(uint64_t names, const char *name, uint64_t slot, unsigned tries);
