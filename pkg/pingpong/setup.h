/* setup.h - the benchmark's objects: a second task with servers in it,
 * threads in our own task, and the capability slots that name them. */
#pragma once
#include <stdint.h>

enum {
	/* Our slots. */
	SLOT_TASK = 20,          /* the second task */
	SLOT_EP_X,               /* echo server in the second task */
	SLOT_EP_XT,              /* timing server in the second task */
	SLOT_EP_XG,              /* capability server in the second task */
	SLOT_EP_S,               /* echo server in our task */
	SLOT_EP_SF,              /* echo server in our task that uses SSE */
	SLOT_NOTIF,              /* notification a waiter in our task waits on */
	SLOT_GRANT,              /* the capability sent there and back */
	SLOT_SCRATCH,            /* objects created and destroyed */
	SLOT_TAKER,              /* wakes the FPU taker (main.c) */
	SLOT_EP_PAGER,           /* the pager of the faulting thread (kops.c) */
	SLOT_DONE,               /* a measuring thread signals its end */
	SLOT_IRQ,                /* the RTC's interrupt (devs.c) */
	SLOT_THREADS = 40,       /* our threads, one slot each */
	/* The second task's slots. */
	B_EP_X = 5, B_EP_XT, B_EP_XG, B_WINDOW = 10,
};

/* A thread in task (a slot of ours: SLOT_TASK or L4_CAP_SELF) running
 * fn(arg) on stack top sp with its UTCB at utcb; its slot is returned. */
uint64_t thread_start(uint64_t task, void (*fn)(uint64_t), uint64_t arg, uint64_t sp,
		      uint64_t utcb, unsigned prio, uint64_t pager);
/* A thread in our task, on a stack of ours; with a pager (an endpoint slot
 * of ours, 0 for none). */
uint64_t local_start(void (*fn)(uint64_t), uint64_t arg, unsigned prio);
uint64_t local_start_paged(void (*fn)(uint64_t), uint64_t arg, unsigned prio, uint64_t pager);
/* The second task, seeing our code at the same addresses, with n stacks. */
void remote_setup(unsigned n);
/* Top of the second task's stack i, and a UTCB address there. */
uint64_t remote_stack(unsigned i);
uint64_t remote_utcb(unsigned i);

/* The figure groups (ipc.c, kops.c, devs.c). */
void ipc_figures(void);
void kops_figures(void);
/* main_stamp: rdtsc at the top of main. */
void devs_figures(uint64_t main_stamp);
