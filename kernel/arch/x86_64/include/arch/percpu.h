/* <arch/percpu.h> - the x86-64 part of struct percpu. */
#pragma once
#include <stdint.h>

/* 64-bit task state segment (SDM vol. 3A, 8.7, figure 8-11). */
struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];          /* stack for entry from ring 0..2 (rsp[0] from user) */
	uint64_t reserved1;
	uint64_t ist[7];          /* interrupt stack table: IST1..IST7 */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iopb_offset;     /* I/O bitmap offset; >= limit means no bitmap */
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "TSS layout (SDM 3A figure 8-11)");

#define GDT_ENTRIES 7             /* null, kcode, kdata, udata, ucode, tss (2 slots) */
#define IST_STACK_SIZE 4096

struct arch_percpu {
	uint64_t gdt[GDT_ENTRIES];
	struct tss tss;
	uint8_t ist_stack[3][IST_STACK_SIZE] __attribute__((aligned(16)));  /* #DF, NMI, #MC */
};
