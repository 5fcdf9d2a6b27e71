/* percpu.h - everything one CPU owns, in one structure so that SMP can
 * follow by making more of them.  Assembly reaches the first fields through
 * %gs (the kernel GS base points here while in the kernel). */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <arch/percpu.h>

struct thread;

struct percpu {
	uint64_t kernel_rsp;      /* [entry.S] stack top loaded on syscall entry */
	uint64_t user_rsp;        /* [entry.S] user rsp saved during a syscall */
	struct percpu *self;      /* so C can find this struct from %gs */
	struct thread *current;   /* running thread; written only by this CPU */
	struct thread *idle;      /* runs when nothing else is ready */
	struct thread *zombie;    /* destroyed while running: freed after the next switch */
	bool need_resched;        /* a thread better than current became ready */
	unsigned id;
	struct arch_percpu arch;  /* GDT, TSS, IST stacks */
};

#define PERCPU_KERNEL_RSP 0
#define PERCPU_USER_RSP   8
_Static_assert(offsetof(struct percpu, kernel_rsp) == PERCPU_KERNEL_RSP, "entry.S");
_Static_assert(offsetof(struct percpu, user_rsp) == PERCPU_USER_RSP, "entry.S");

extern struct percpu cpu0;
static inline struct percpu *this_cpu(void) { return &cpu0; }   /* one CPU for now */
