/* get.c - names_get(): a lookup that waits for the name (<names.h>). */
#include <l4/sys/thread.h>
#include <names.h>

#define YIELDS_PER_TRY 10   /* a round of every ready program, several times over */

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
		for (int k = 0; k < YIELDS_PER_TRY; k++)
			l4_yield();
	}
}
