/* elf.c - validate an ELF64 executable; see <l4/util/elf.h>.
 * Shared by the kernel (the root task's image) and the root task (every
 * program it loads): one checker, built twice, so it calls no library
 * function - the kernel and user space have different C libraries. */
#include <l4/util/elf.h>

static void copy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	while (n--)
		*d++ = *s++;
}


enum {
	EI_CLASS = 4, EI_DATA = 5, EI_VERSION = 6,
	ELFCLASS64 = 2, ELFDATA2LSB = 1, EV_CURRENT = 1,
	ET_EXEC = 2, EM_X86_64 = 62, PT_LOAD = 1,
	PAGE = 4096,
};

static const char *const messages[] = {
	[ELF_OK] = "ok",
	[ELF_ETRUNC] = "file shorter than an ELF header",
	[ELF_EMAGIC] = "not an ELF file (bad magic)",
	[ELF_ECLASS] = "not a 64-bit little-endian ELF version 1 file",
	[ELF_ETYPE] = "not an executable (e_type is not ET_EXEC)",
	[ELF_EMACHINE] = "not built for x86-64",
	[ELF_EPHDR] = "program header table malformed or outside the file",
	[ELF_ENOLOAD] = "no loadable segment",
	[ELF_ETOOMANY] = "too many loadable segments",
	[ELF_ESEGFILE] = "segment data extends past the end of the file",
	[ELF_ESEGSIZE] = "segment file size larger than its memory size",
	[ELF_ESEGADDR] = "segment outside user space or misaligned (p_align)",
	[ELF_EOVERLAP] = "segments overlap (share a page)",
	[ELF_EENTRY] = "entry point not inside an executable segment",
};

const char *elf_strerror(enum elf_err e)
{
	return (unsigned)e < sizeof messages / sizeof messages[0] ? messages[e] : "unknown ELF error";
}

static enum elf_err check_segment(const struct elf64_phdr *ph, size_t size,
				  uint64_t min_va, uint64_t max_va)
{
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
		return ELF_ESEGFILE;
	if (ph->p_filesz > ph->p_memsz)
		return ELF_ESEGSIZE;
	if (ph->p_vaddr < min_va || ph->p_vaddr >= max_va || ph->p_memsz > max_va - ph->p_vaddr)
		return ELF_ESEGADDR;
	/* gABI: p_align is 0, 1 or a power of two, and vaddr = offset modulo it.
	 * (The loader copies, so any alignment loads; the rule catches corruption.) */
	if (ph->p_align > 1 && ((ph->p_align & (ph->p_align - 1)) ||
				(ph->p_vaddr - ph->p_offset) % ph->p_align))
		return ELF_ESEGADDR;
	return ELF_OK;
}

enum elf_err elf_parse(const void *img, size_t size, uint64_t min_va, uint64_t max_va,
		       struct elf_image *out, unsigned *where)
{
	struct elf64_ehdr eh;
	*where = 0;
	if (size < sizeof eh)
		return ELF_ETRUNC;
	copy(&eh, img, sizeof eh);            /* the module may be unaligned */
	if (eh.e_ident[0] != 0x7f || eh.e_ident[1] != 'E' || eh.e_ident[2] != 'L' || eh.e_ident[3] != 'F')
		return ELF_EMAGIC;
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_ident[EI_VERSION] != EV_CURRENT || eh.e_version != EV_CURRENT)
		return ELF_ECLASS;
	if (eh.e_type != ET_EXEC)
		return ELF_ETYPE;
	if (eh.e_machine != EM_X86_64)
		return ELF_EMACHINE;
	if (eh.e_phentsize != sizeof(struct elf64_phdr) || eh.e_phnum == 0 ||
	    eh.e_phoff > size || (uint64_t)eh.e_phnum * sizeof(struct elf64_phdr) > size - eh.e_phoff)
		return ELF_EPHDR;

	out->entry = eh.e_entry;
	out->nseg = 0;
	bool entry_ok = false;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		struct elf64_phdr ph;
		copy(&ph, (const char *)img + eh.e_phoff + i * sizeof ph, sizeof ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)   /* empty segments are legal */
			continue;
		*where = i;
		enum elf_err e = check_segment(&ph, size, min_va, max_va);
		if (e)
			return e;
		if (out->nseg == ELF_MAX_SEGMENTS)
			return ELF_ETOOMANY;
		uint64_t lo = ph.p_vaddr / PAGE, hi = (ph.p_vaddr + ph.p_memsz - 1) / PAGE;
		for (unsigned j = 0; j < out->nseg; j++) {
			const struct elf_segment *s = &out->seg[j];
			uint64_t slo = s->vaddr / PAGE, shi = (s->vaddr + s->memsz - 1) / PAGE;
			if (lo <= shi && slo <= hi)
				return ELF_EOVERLAP;
		}
		out->seg[out->nseg++] = (struct elf_segment){
			.vaddr = ph.p_vaddr, .memsz = ph.p_memsz, .offset = ph.p_offset,
			.filesz = ph.p_filesz, .prot = ph.p_flags & (ELF_PF_R | ELF_PF_W | ELF_PF_X),
		};
		if ((ph.p_flags & ELF_PF_X) && eh.e_entry >= ph.p_vaddr &&
		    eh.e_entry - ph.p_vaddr < ph.p_memsz)
			entry_ok = true;
	}
	*where = 0;
	if (out->nseg == 0)
		return ELF_ENOLOAD;
	if (!entry_ok)
		return ELF_EENTRY;
	return ELF_OK;
}
