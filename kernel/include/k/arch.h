/* arch.h - what the generic kernel asks of the architecture code.
 * The implementation lives in kernel/arch/$(ARCH)/, chosen by the build. */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include <arch/aspace.h>
#include "bootinfo.h"

void arch_early_init(void);                       /* consoles, GDT, IDT, PIC */
void arch_console_write(const char *s, size_t n);
/* Device memory [pa, end) is being mapped to a user program: a console of
 * the kernel's there (the VGA text buffer) is the program's from now on. */
void arch_device_lend(uint64_t pa, uint64_t end);
int arch_console_getc(void);                       /* blocking; -1 if no input */
int arch_console_poll(void);                       /* a character or -1 */
int arch_console_irq_enable(void);                 /* the input interrupt's line, or -1 */
void arch_cpu_init(void);                         /* syscall MSRs, SMEP/SMAP */
_Noreturn void arch_shutdown(unsigned status);
void arch_dump_regs(void);                        /* current registers, for panic */
uint32_t arch_features(void);                     /* L4_FEAT_* for the KIP */
uint64_t arch_stamp(unsigned which);              /* L4_DBG_STAMP: 0 boot, 1 last device interrupt */

/* Memory: the boot loader's data before the real page tables exist, then the
 * direct map of all RAM. */
const void *arch_boot_p2v(uint64_t phys, size_t len);
int arch_vm_init(const struct boot_info *bi);     /* 0 or -L4_Exxx */
void *phys_to_virt(uint64_t phys);
uint64_t phys_map_end(void);                      /* RAM mapped up to here */
uint64_t kernel_phys_start(void);
uint64_t kernel_phys_end(void);
/* Does [pa, end) touch device registers the kernel mapped for itself (the
 * local APIC, the IOAPICs, ACPI tables)?  They are never a program's. */
bool arch_mmio_is_kernels(uint64_t pa, uint64_t end);

/* User address spaces (struct aspace comes from <arch/aspace.h>). */
enum vm_prot {
	VM_READ  = 1u << 0,
	VM_WRITE = 1u << 1,
	VM_EXEC  = 1u << 2,
	VM_OWNED = 1u << 3,   /* the address space frees the frame when it dies */
	VM_UNCACHED = 1u << 4, /* device memory */
	VM_PINNED = 1u << 5,  /* kernel-managed (UTCB, KIP): no user mapping replaces it */
};
int as_create(struct aspace *as);                              /* 0 or -L4_ENOMEM */
int as_map(struct aspace *as, uint64_t va, uint64_t pa, unsigned prot);
/* Create or replace the mapping at va (no VM_OWNED); 0 or -L4_Exxx. */
int as_set(struct aspace *as, uint64_t va, uint64_t pa, unsigned prot);
/* Is va a kernel-managed page (a UTCB, the KIP) that no mapping may replace? */
bool as_pinned(struct aspace *as, uint64_t va);
/* Remove the mapping at va (flushing the TLB entry); the old frame or 0. */
uint64_t as_unmap(struct aspace *as, uint64_t va);
/* The first page at or above va, below end, that has a mapping (end if none):
 * the walk skips each absent table entry whole, so a sparse range costs what
 * is mapped in it, not its size. */
uint64_t as_next_present(struct aspace *as, uint64_t va, uint64_t end);
int as_copy_from_user(struct aspace *as, void *dst, uint64_t uva, size_t len);
int as_copy_to_user(struct aspace *as, uint64_t uva, const void *src, size_t len);
uint64_t as_frames(const struct aspace *as);                   /* tables + VM_OWNED pages */
void as_destroy(struct aspace *as);                            /* frees VM_OWNED frames */
/* The same in steps, from *cursor (0 first); false: stopped at a preemption point. */
bool as_destroy_step(struct aspace *as, uint64_t *cursor, bool preemptible);
void as_activate(struct aspace *as);


