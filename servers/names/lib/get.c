/* get.c - names_get(): a lookup that waits for the name (<names.h>). */
#include <l4/sys/ipc.h>
#include <names.h>

#define PAUSE_US 10000      /* between tries: one timer tick */

int names_get(uint64_t names, const char *name, uint64_t slot, unsigned tries)
{
	struct l4_utcb *u = l4_utcb();
	uint64_t window = u->cap_window, got;
	int e;
	for (unsigned i = 1;; i++) {
		/* The reply's capability item lands in the receive window: open it
		 * on slot for this call only, and leave the caller's as it was. */
		u->cap_window = L4_CAP_WINDOW(slot, 1);
		e = names_lookup(names, name, &got);
		u->cap_window = window;
		if (e != -L4_ENOCAP || i >= tries)
			return e;
		l4_sleep_us(PAUSE_US);              /* lower priorities run meanwhile */
	}
}
