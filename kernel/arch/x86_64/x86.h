/* x86.h - what the x86-64 files share with each other (not with generic code). */
#pragma once
#include <stdint.h>

#include <arch/regs.h>

#define VECTOR_SYSCALL 0x100

void gdt_init(void);
void idt_init(void);
void pic_disable(void);
void trap_dispatch(struct trapframe *tf);
void syscall_entry(void);
void dump_trapframe(const struct trapframe *tf);
extern const uint64_t trap_stubs[32];
