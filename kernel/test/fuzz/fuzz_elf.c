/* fuzz_elf.c - libFuzzer: the ELF checker (libl4/lib/src/elf.c), which the
 * kernel runs on the root task and the root task on every program.  Any
 * input is accepted or refused without a crash (ASan/UBSan watch), and what
 * it accepts keeps its promises: segments inside the file and the window,
 * page aligned apart, the entry in an executable segment. */
#include <stdlib.h>
#include <l4/util/elf.h>

#define MIN_VA 0x400000ull
#define MAX_VA 0x00007ffffffff000ull

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy: reading one byte past the end is caught. */
	uint8_t *img = malloc(size ? size : 1);
	for (size_t i = 0; i < size; i++)
		img[i] = data[i];
	struct elf_image im;
	unsigned where = 0;
	if (elf_parse(img, size, MIN_VA, MAX_VA, &im, &where) == ELF_OK) {
		int entry_ok = 0;
		if (!im.nseg || im.nseg > ELF_MAX_SEGMENTS)
			abort();
		for (unsigned i = 0; i < im.nseg; i++) {
			const struct elf_segment *s = &im.seg[i];
			if (s->offset > size || s->filesz > size - s->offset || s->filesz > s->memsz)
				abort();
			if (s->vaddr < MIN_VA || s->memsz > MAX_VA - s->vaddr)
				abort();
			if ((s->prot & ELF_PF_X) && im.entry >= s->vaddr && im.entry - s->vaddr < s->memsz)
				entry_ok = 1;
			for (unsigned j = 0; j < i; j++) {
				const struct elf_segment *t = &im.seg[j];
				uint64_t a0 = s->vaddr & ~0xfffull, a1 = (s->vaddr + s->memsz + 0xfff) & ~0xfffull;
				uint64_t b0 = t->vaddr & ~0xfffull, b1 = (t->vaddr + t->memsz + 0xfff) & ~0xfffull;
				if (s->memsz && t->memsz && a0 < b1 && b0 < a1)
					abort();           /* two segments on one page */
			}
		}
		if (!entry_ok)
			abort();
	}
	free(img);
	return 0;
}
