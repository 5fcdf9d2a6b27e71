/* x86.h - what the x86-64 files share with each other (not with generic code). */
#pragma once
#include <stdint.h>

/* Saved user or kernel state, built by entry.S (field order = push order
 * reversed).  The last five words are what the CPU pushes on an interrupt
 * (SDM 3A 6.14.2, figure 6-9); syscall entry builds the same shape. */
struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;           /* exception number, or VECTOR_SYSCALL */
	uint64_t error;            /* CPU error code, 0 where there is none */
	uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct trapframe) == 22 * 8, "entry.S pushes 22 words");

#define VECTOR_SYSCALL 0x100

void gdt_init(void);
void idt_init(void);
void pic_disable(void);
void syscall_init(void);
void trap_dispatch(struct trapframe *tf);
void syscall_entry(void);
void dump_trapframe(const struct trapframe *tf);
extern const uint64_t trap_stubs[32];
