/* <arch/cpu.h> - x86-64 instructions the kernel needs, as inline functions. */
#pragma once
#include <stdint.h>
#include <layout/x86_ctl.h>
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
/* CR0.TS: the next FPU/SSE instruction raises #NM (SDM 3A 2.5, 13.4). */
static inline void clts(void) { __asm__ volatile("clts" ::: "memory"); }
static inline void write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory"); }
static inline void write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" :: "r"(v) : "memory"); }
static inline void invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory"); }
static inline __attribute__((noreturn)) void cpu_halt_forever(void) { for (;;) __asm__ volatile("cli; hlt"); }

/* Model-specific registers and control-register bits: layout/x86_ctl.dev. */
enum msr {
	MSR_EFER           = X86_MSR_EFER_OFFSET,
	MSR_STAR           = X86_MSR_STAR_OFFSET,
	MSR_LSTAR          = X86_MSR_LSTAR_OFFSET,
	MSR_FMASK          = X86_MSR_FMASK_OFFSET,
	MSR_GS_BASE        = X86_MSR_GS_BASE_OFFSET,
	MSR_KERNEL_GS_BASE = X86_MSR_KERNEL_GS_BASE_OFFSET,
};

enum efer_bits {
	EFER_SCE = X86_MSR_EFER_SCE,
	EFER_LME = X86_MSR_EFER_LME,
	EFER_NXE = X86_MSR_EFER_NXE,
};

enum cr0_bits {
	CR0_MP = X86_CR0_MP,
	CR0_EM = X86_CR0_EM,
	CR0_TS = X86_CR0_TS,
};

enum cr4_bits {
	CR4_PAE  = X86_CR4_PAE,
	CR4_PGE  = X86_CR4_PGE,
	CR4_OSFXSR = X86_CR4_OSFXSR,
	CR4_OSXMMEXCPT = X86_CR4_OSXMMEXCPT,
	CR4_SMEP = X86_CR4_SMEP,
	CR4_SMAP = X86_CR4_SMAP,
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
