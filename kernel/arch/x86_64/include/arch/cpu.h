/* <arch/cpu.h> - x86-64 instructions the kernel needs, as inline functions. */
#pragma once
#include <stdint.h>
#include <layout/x86_seg.h>

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}
static inline uint64_t read_cr0(void) { uint64_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr0(uint64_t v) { __asm__ volatile("mov %0, %%cr0" :: "r"(v) : "memory"); }
static inline void write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory"); }
static inline void write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" :: "r"(v) : "memory"); }
static inline void invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory"); }
static inline __attribute__((noreturn)) void cpu_halt_forever(void) { for (;;) __asm__ volatile("cli; hlt"); }

/* Model-specific registers (SDM vol. 4, table 2-2). */
enum msr {
	MSR_EFER           = 0xC0000080,  /* extended features: SCE, LME, NXE */
	MSR_STAR           = 0xC0000081,  /* syscall/sysret segment selectors */
	MSR_LSTAR          = 0xC0000082,  /* syscall entry RIP in 64-bit mode */
	MSR_FMASK          = 0xC0000084,  /* RFLAGS bits cleared on syscall */
	MSR_GS_BASE        = 0xC0000101,  /* current GS base */
	MSR_KERNEL_GS_BASE = 0xC0000102,  /* swapped with GS base by swapgs */
};

enum efer_bits {
	EFER_SCE = 1u << 0,    /* syscall/sysret enable */
	EFER_LME = 1u << 8,    /* long mode enable */
	EFER_NXE = 1u << 11,   /* execute-disable bit in page tables */
};

enum cr0_bits {
	CR0_MP = 1u << 1,      /* monitor coprocessor: WAIT honours TS */
	CR0_EM = 1u << 2,      /* emulate x87: must be clear for SSE */
};

enum cr4_bits {
	CR4_PAE  = 1u << 5,    /* physical address extension */
	CR4_PGE  = 1u << 7,    /* global pages survive CR3 writes */
	CR4_OSFXSR = 1u << 9,  /* OS saves SSE state with fxsave: SSE allowed */
	CR4_OSXMMEXCPT = 1u << 10, /* SIMD exceptions raise #XM */
	CR4_SMEP = 1u << 20,   /* fault on kernel instruction fetch from user pages */
	CR4_SMAP = 1u << 21,   /* fault on kernel data access to user pages */
};

enum rflags_bits {
	RFLAGS_TF = 1u << 8,   /* single step */
	RFLAGS_IF = 1u << 9,   /* interrupts enabled */
	RFLAGS_DF = 1u << 10,  /* string direction */
	RFLAGS_IOPL = 3u << 12,
	RFLAGS_NT = 1u << 14,
	RFLAGS_AC = 1u << 18,  /* alignment check / SMAP override */
};

/* Segment selectors (layout/x86_seg.dev, which explains their order). */
enum gdt_selector {
	SEL_KCODE = X86_SEL_KCODE,
	SEL_KDATA = X86_SEL_KDATA,
	SEL_UDATA = X86_SEL_UDATA,
	SEL_UCODE = X86_SEL_UCODE,
	SEL_TSS   = X86_SEL_TSS,
};
