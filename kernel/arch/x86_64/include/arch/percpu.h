/* <arch/percpu.h> - the x86-64 part of struct percpu. */
#pragma once
#include <stdint.h>

struct arch_thread;

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

/* The I/O permission bitmap follows the TSS inside its limit (SDM 3A
 * 19.5.2): one bit per port, set = denied, and one more byte of all ones
 * that the CPU may read past the last port.  It holds a copy of the running
 * task's bitmap (iobitmap.c). */
#define IO_BITMAP_BYTES 8192
#define TSS_IOPB_NONE 0xffff      /* iopb_offset beyond the limit: every port denied */

struct arch_percpu {
	uint64_t gdt[GDT_ENTRIES];
	struct tss tss;
	uint8_t io_bitmap[IO_BITMAP_BYTES + 1];   /* right after tss: part of the TSS segment */
	const uint8_t *io_active;     /* the task bitmap the TSS enforces now, or NULL */
	const uint8_t *io_copied;     /* the task bitmap io_bitmap holds a copy of, or NULL */
	struct arch_thread *fpu_owner;  /* whose state the FPU registers hold, or NULL (thread.c) */
	uint64_t fpu_transfers;       /* fxsave and fxrstor executed: the cost lazy switching avoids */
	uint8_t ist_stack[3][IST_STACK_SIZE] __attribute__((aligned(16)));  /* #DF, NMI, #MC */
};
_Static_assert(__builtin_offsetof(struct arch_percpu, io_bitmap) ==
	       __builtin_offsetof(struct arch_percpu, tss) + sizeof(struct tss),
	       "the I/O bitmap must follow the TSS");
#define TSS_LIMIT (sizeof(struct tss) + IO_BITMAP_BYTES + 1 - 1)
