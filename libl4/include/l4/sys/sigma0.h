/* <l4/sys/sigma0.h> - the root task's authority over physical resources
 * (its capability L4_CAP_SIGMA0; every operation needs the control right). */
#pragma once
#include <l4/sys/ipc.h>

/* ---- memory ---- */

/* npages of fresh zeroed RAM at addr in the caller's space (contiguous
 * frames with L4_S0_CONTIGUOUS); *phys (may be NULL) = the first page's
 * physical address. */
static inline int l4_sigma0_mem_alloc(uint64_t sigma0, uint64_t addr, uint64_t npages,
				      unsigned flags, uint64_t *phys)
{
	int e = l4_invoke(sigma0, L4_S0_MEM_ALLOC, addr, npages, flags, 0);
	if (!e && phys)
		*phys = l4_utcb()->mr[0];
	return e;
}

/* Device memory (not RAM) at addr, uncached. */
static inline int l4_sigma0_mem_device(uint64_t sigma0, uint64_t addr, uint64_t phys,
				       uint64_t npages)
{
	return l4_invoke(sigma0, L4_S0_MEM_DEVICE, addr, phys, npages, 0);
}

/* The physical address behind addr in task (a slot of the caller), for DMA. */
static inline int l4_sigma0_phys(uint64_t sigma0, uint64_t task, uint64_t addr, uint64_t *phys)
{
	int e = l4_invoke(sigma0, L4_S0_PHYS_QUERY, task, addr, 0, 0);
	if (!e)
		*phys = l4_utcb()->mr[0];
	return e;
}

/* ---- interrupts and I/O ports ---- */

/* An Irq object for line into slot dst of the caller.  flags: L4_S0_IRQ_ISA
 * (line is an ISA IRQ: the firmware's routing, trigger mode and polarity
 * apply), L4_S0_IRQ_LEVEL, L4_S0_IRQ_LOW.  L4_EINVAL for a line the machine
 * lacks, L4_ESLOT when the line already has an Irq (or the kernel keeps
 * it) or dst is occupied. */
static inline int l4_sigma0_irq_create(uint64_t sigma0, unsigned line, uint64_t dst,
				       unsigned flags)
{
	return l4_invoke(sigma0, L4_S0_IRQ_CREATE, line, dst, flags, 0);
}

/* Let task (a slot of the caller) use ports [first, first + count). */
static inline int l4_sigma0_io_grant(uint64_t sigma0, uint64_t task, unsigned first,
				     unsigned count)
{
	return l4_invoke(sigma0, L4_S0_IO_GRANT, task, first, count, 0);
}
