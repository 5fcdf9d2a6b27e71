/* ethecho.h - what ethecho's parts share. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <nic.h>

#include "frame.h"

extern const char *me;

/* bench.c: instruction accounting between the peer's MARK and STOP.
 * user and sys: our turns (from waking to sleeping) and the system calls
 * in them. */
struct bench_acct {
	uint64_t idle;                  /* the spinner's endpoint */
	uint64_t user, sys, turn, turn_sys;  /* turn: when it began, sys then */
	uint64_t frames, start[5];     /* spinner, driver, us, interrupts, wake-ups */
	bool marked;
};
extern struct bench_acct acct;
int bench_init(struct nic *n);
int bench_mark(struct nic *n, const struct counts *c);
int bench_stop(struct nic *n, const struct counts *c);

/* idle.c: the benchmark's lowest-priority spinner. */
int idle(void);

/* garbage.c: bad descriptors and broken indices into the driver's rings. */
void garbage_descriptors(struct nic *n);
void garbage_indices(struct nic *n);
