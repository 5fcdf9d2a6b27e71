/* trace.c - every call the fuzzer makes is recorded in a ring of the last
 * 64, printed when an invariant check fails; with trace=N on the command
 * line every call from the Nth on is printed before it is made, so a seed
 * that panics the kernel shows the calls that led there. */
#include "fuzz.h"
#include <l4/sys/debug.h>
#include <l4/sys/ipc.h>
#include <l4/sys/syscall.h>

#define RING 64
static struct rec ring[RING];
uint64_t calls_done, calls_ok, trace_from = ~0ull;
int raw_tags;

void out(const char *s) { l4_debug_puts(s); }
void outx(uint64_t v) { out("0x"); l4_debug_putu(v, 16); }
void outu(uint64_t v) { l4_debug_putu(v, 10); }

static void rec_print(const struct rec *r)
{
	out("fuzz: call ");
	outu(r->n);
	out(" ");
	out(r->name);
	out(" sys ");
	outx(r->sys);
	out(" dest ");
	outx(r->dest);
	out(" tag ");
	outx(r->tag);
	out(" rcv ");
	outx(r->rcv);
	out(" tmo ");
	outx(r->tmo);
	out(" mr");
	for (int i = 0; i < 6; i++) {
		out(" ");
		outx(r->mr[i]);
	}
	out("\n");
}

void rec_begin(const char *name, uint64_t sys, uint64_t dest, uint64_t tag, uint64_t rcv,
	       uint64_t tmo)
{
	struct rec *r = &ring[calls_done % RING];
	struct l4_utcb *u = l4_utcb();
	*r = (struct rec){ calls_done, name, sys, dest, tag, rcv, tmo,
			   { u->mr[0], u->mr[1], u->mr[2], u->mr[3], u->mr[4], u->mr[5] }, 0 };
	if (calls_done >= trace_from)
		rec_print(r);
}

void rec_end(uint64_t result)
{
	struct rec *r = &ring[calls_done % RING];
	r->result = result;
	if ((r->sys & 0xff) == L4_SYS_IPC ? L4_TAG_ERROR(result) == 0 : (long)result >= 0)
		calls_ok++;
	calls_done++;
}

void rec_dump(unsigned last)
{
	if (last > RING)
		last = RING;
	if (last > calls_done)
		last = (unsigned)calls_done;
	for (uint64_t i = calls_done - last; i < calls_done; i++) {
		rec_print(&ring[i % RING]);
		out("fuzz:   -> ");
		outx(ring[i % RING].result);
		out("\n");
	}
}

uint64_t fz_ipc(const char *name, unsigned flags, uint64_t dest, uint64_t tag, uint64_t rcv,
		uint64_t tmo)
{
	rec_begin(name, L4_SYS_IPC | (uint64_t)flags << L4_IPC_FLAGS_SHIFT, dest, tag, rcv, tmo);
	uint64_t r = l4_ipc(flags, dest, tag, rcv, tmo, 0);
	rec_end(r);
	return r;
}

long fz_sys(const char *name, long nr, long a0, long a1)
{
	struct l4_utcb *u = l4_utcb();
	u->mr[0] = (uint64_t)a0;
	u->mr[1] = (uint64_t)a1;
	rec_begin(name, (uint64_t)nr, 0, 0, 0, 0);
	long r = l4_syscall2(nr, a0, a1);
	rec_end((uint64_t)r);
	return r;
}
