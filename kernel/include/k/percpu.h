/* percpu.h - everything one CPU owns, in one structure so that SMP can
 * follow by making more of them.  Assembly reaches the first fields through
 * %gs (the kernel GS base points here while in the kernel). */
#pragma once

/* syscall entry takes its stack from the TSS's rsp0, the one field a switch
 * writes for both ways in (<arch/switch.h>). */
#define PERCPU_USER_RSP   0
#define PERCPU_TSS_RSP0   108

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <arch/percpu.h>

struct thread;

struct percpu {
	uint64_t user_rsp;        /* [entry.S] user rsp saved during a syscall */
	struct percpu *self;      /* so C can find this struct from %gs */
	struct thread *current;   /* running thread; written only by this CPU */
	struct thread *idle;      /* runs when nothing else is ready */
	struct thread *zombie;    /* destroyed while running: freed after the next switch */
	/* What sends a system call's way out (syscall_handle) off its common
	 * branch, tested there as one word: */
	union {
		struct {
			bool need_resched; /* a thread better than current became ready */
			bool stretch;      /* L4_DBG_STRETCH measures (preempt.h) */
		};
		uint16_t exit_work;
	};
	unsigned id;
	struct arch_percpu arch;  /* GDT, TSS, IST stacks */
};

_Static_assert(offsetof(struct percpu, user_rsp) == PERCPU_USER_RSP, "entry.S");
_Static_assert(offsetof(struct percpu, arch.tss.rsp[0]) == PERCPU_TSS_RSP0, "entry.S");

extern struct percpu cpu0;
static inline struct percpu *this_cpu(void) { return &cpu0; }   /* one CPU for now */
#endif
