/* elf.h - checking an ELF64 executable before loading it (System V ABI,
 * "ELF-64 Object File Format" 1.5).  Pure logic, host-tested: nothing in a
 * module is trusted until elf_parse() has accepted it. */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

/* ELF64 header and program header (gABI figures 2 and 7). */
struct elf64_ehdr {
	unsigned char e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};
struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};
_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header");

#define ELF_MAX_SEGMENTS 16

enum elf_prot { ELF_PF_X = 1, ELF_PF_W = 2, ELF_PF_R = 4 };   /* p_flags bits */

/* The rights a segment is mapped with: always readable (x86 pages cannot be
 * execute- or write-only), writable and executable as its p_flags say. */
static inline unsigned elf_mem_rights(unsigned prot)
{
	return 4u | (prot & ELF_PF_W ? 2u : 0) | (prot & ELF_PF_X ? 1u : 0);   /* L4_MEM_R/W/X */
}

struct elf_segment {
	uint64_t vaddr, memsz;     /* where, and how much, in the address space */
	uint64_t offset, filesz;   /* what to copy from the file */
	unsigned prot;             /* enum elf_prot */
};

struct elf_image {
	uint64_t entry;
	unsigned nseg;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

enum elf_err {
	ELF_OK = 0,
	ELF_ETRUNC,       /* shorter than an ELF header */
	ELF_EMAGIC,       /* not an ELF file */
	ELF_ECLASS,       /* not ELFCLASS64 little-endian version 1 */
	ELF_ETYPE,        /* not an executable (ET_EXEC) */
	ELF_EMACHINE,     /* not for x86-64 */
	ELF_EPHDR,        /* program header table malformed or outside the file */
	ELF_ENOLOAD,      /* no loadable segment */
	ELF_ETOOMANY,     /* more than ELF_MAX_SEGMENTS loadable segments */
	ELF_ESEGFILE,     /* segment's file bytes lie outside the file */
	ELF_ESEGSIZE,     /* filesz larger than memsz */
	ELF_ESEGADDR,     /* segment outside user space, or p_align violated */
	ELF_EOVERLAP,     /* two segments share a page */
	ELF_EENTRY,       /* entry point not in an executable segment */
};

/* Accept or refuse the image [img, img+size).  Loadable segments must lie
 * in [min_va, max_va), keep p_vaddr = p_offset modulo p_align, and not share
 * a page with each other.  On a segment error, *where is its program header
 * index. */
enum elf_err elf_parse(const void *img, size_t size, uint64_t min_va, uint64_t max_va,
		       struct elf_image *out, unsigned *where);
const char *elf_strerror(enum elf_err e);
