/* iobitmap.c - the I/O permission bitmap in the TSS (SDM 3A 19.5.2, 8.7).
 *
 * A user IN/OUT (CPL 3 > IOPL 0) is allowed when the TSS has a bitmap and
 * the bits of every port it touches are clear.  The TSS segment's limit
 * covers sizeof(struct tss) + 8 KiB + 1 (gdt.c); iopb_offset says whether
 * the bitmap there counts (sizeof(struct tss)) or not (beyond the limit).
 * The area holds a copy of one task's bitmap; io_copied remembers whose, so
 * switching back and forth between a driver and tasks without ports costs
 * no copy. */
#include "k/kernel.h"
#include "k/ioport.h"
#include "k/percpu.h"

void arch_io_bitmap_load(const uint8_t *bitmap)
{
	struct arch_percpu *a = &this_cpu()->arch;
	if (bitmap == a->io_active)
		return;
	if (!bitmap) {
		a->tss.iopb_offset = TSS_IOPB_NONE;
		a->io_active = NULL;
		return;
	}
	if (bitmap != a->io_copied) {
		memcpy(a->io_bitmap, bitmap, IO_BITMAP_BYTES);
		a->io_copied = bitmap;
	}
	a->tss.iopb_offset = sizeof(struct tss);
	a->io_active = bitmap;
}

void arch_io_bitmap_drop(const uint8_t *bitmap)
{
	struct arch_percpu *a = &this_cpu()->arch;
	if (a->io_copied == bitmap)
		a->io_copied = NULL;
	if (a->io_active == bitmap) {
		a->tss.iopb_offset = TSS_IOPB_NONE;
		a->io_active = NULL;
	}
}
