/* <l4/sys/thread.h> - thread control. */
#pragma once
#include <l4/sys/ipc.h>

/* Run the thread in task (a slot of the caller) with its UTCB at utcb. */
static inline int l4_thread_bind(uint64_t thread, uint64_t task, uint64_t utcb)
{
	return l4_invoke(thread, L4_THREAD_BIND, task, utcb, 0, 0);
}
static inline int l4_thread_start(uint64_t thread, uint64_t ip, uint64_t sp, uint64_t arg)
{
	return l4_invoke(thread, L4_THREAD_START, ip, sp, arg, 0);
}
static inline int l4_thread_stop(uint64_t thread)
{
	return l4_invoke(thread, L4_THREAD_STOP, 0, 0, 0, 0);
}
/* Priority and maximum controlled priority, both at most the caller's mcp. */
static inline int l4_thread_set_prio(uint64_t thread, unsigned prio, unsigned mcp)
{
	return l4_invoke(thread, L4_THREAD_SET_PRIO, prio, mcp, 0, 0);
}
/* Endpoints (slots of the caller, 0 = none) for page faults and exceptions. */
static inline int l4_thread_set_handlers(uint64_t thread, uint64_t pager, uint64_t exc)
{
	return l4_invoke(thread, L4_THREAD_SET_HANDLERS, pager, exc, 0, 0);
}
static inline int l4_thread_info(uint64_t thread, unsigned *state, unsigned *prio, unsigned *mcp)
{
	int e = l4_invoke(thread, L4_THREAD_INFO, 0, 0, 0, 0);
	if (!e) {
		struct l4_utcb *u = l4_utcb();
		*state = (unsigned)u->mr[0];
		*prio = (unsigned)u->mr[1];
		*mcp = (unsigned)u->mr[2];
	}
	return e;
}
static inline int l4_thread_set_name(uint64_t thread, const char *name)
{
	uint64_t w[2] = { 0, 0 };
	char *c = (char *)w;
	for (int i = 0; i < 15 && name[i]; i++)
		c[i] = name[i];
	return l4_invoke(thread, L4_THREAD_SET_NAME, w[0], w[1], 0, 0);
}
/* A thread's user registers, v[L4_REG_COUNT] in enum l4_reg order.  Reading
 * needs no right; writing needs control and a stopped thread. */
static inline int l4_thread_regs_get(uint64_t thread, uint64_t v[L4_REG_COUNT])
{
	int e = l4_invoke(thread, L4_THREAD_REGS_GET, 0, 0, 0, 0);
	if (!e)
		for (int i = 0; i < L4_REG_COUNT; i++)
			v[i] = l4_utcb()->mr[i];
	return e;
}

static inline int l4_thread_regs_set(uint64_t thread, const uint64_t v[L4_REG_COUNT])
{
	struct l4_utcb *u = l4_utcb();
	for (int i = 0; i < L4_REG_COUNT; i++)
		u->mr[i] = v[i];
	return l4_error(l4_call(thread, L4_TAG(L4_THREAD_REGS_SET, L4_REG_COUNT, 0)));
}

/* Let a stopped thread go on where it stopped. */
static inline int l4_thread_resume(uint64_t thread)
{
	return l4_invoke(thread, L4_THREAD_RESUME, 0, 0, 0, 0);
}

/* Bind the notification in slot notif (0: unbind): the thread's receives
 * then also end with label L4_LABEL_NOTIFY and MR0 = its bits. */
static inline int l4_thread_bind_notif(uint64_t thread, uint64_t notif)
{
	return l4_invoke(thread, L4_THREAD_BIND_NOTIF, notif, 0, 0, 0);
}

static inline void l4_yield(void)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"((long)L4_SYS_YIELD) : "rcx", "r11", "memory");
}
