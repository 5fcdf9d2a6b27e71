/* bootinfo.h - boot information, normalised from multiboot1 or multiboot2.
 *
 * The boot loader's structures live in physical memory the kernel will reuse,
 * so boot_parse() copies everything the kernel needs (memory map, module
 * extents, command lines) into one fixed-size struct boot_info.  It never
 * trusts a length or address it reads: every access goes through the p2v
 * callback, which returns NULL for a range it cannot map.
 */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#define MB1_BOOT_MAGIC 0x2BADB002u   /* EAX after a multiboot1 loader (spec 3.2) */
#define MB2_BOOT_MAGIC 0x36d76289u   /* EAX after a multiboot2 loader (spec 3.3) */

#define BOOT_MAX_MEMRANGES 64
#define BOOT_MAX_MODULES   32
#define BOOT_CMDLINE_MAX   256
#define BOOT_LOADER_MAX    64

enum boot_mem_type {
	BOOT_MEM_USABLE = 1,      /* free RAM */
	BOOT_MEM_RESERVED = 2,    /* anything else the firmware reserves */
	BOOT_MEM_ACPI = 3,        /* ACPI tables, reclaimable after parsing */
	BOOT_MEM_NVS = 4,         /* ACPI non-volatile storage */
	BOOT_MEM_BAD = 5,         /* defective RAM */
};

struct boot_memrange {
	uint64_t base;
	uint64_t len;
	uint32_t type;            /* enum boot_mem_type */
};

struct boot_module {
	uint64_t start;           /* physical, inclusive */
	uint64_t end;             /* physical, exclusive */
	char cmdline[BOOT_CMDLINE_MAX];
};

struct boot_info {
	int proto;                                 /* 1 or 2 */
	char cmdline[BOOT_CMDLINE_MAX];            /* kernel command line ("" if none) */
	char loader[BOOT_LOADER_MAX];              /* boot loader name ("" if none) */
	unsigned nmem;
	struct boot_memrange mem[BOOT_MAX_MEMRANGES];
	unsigned nmod;
	struct boot_module mod[BOOT_MAX_MODULES];
	uint64_t mbi_start, mbi_end;               /* physical extent of the loader's info */
};

enum boot_err {
	BOOT_OK = 0,
	BOOT_EMAGIC,        /* EAX held neither multiboot magic */
	BOOT_EACCESS,       /* a structure lies outside what p2v can map */
	BOOT_EMALFORMED,    /* inconsistent sizes, misaligned tags, missing end tag */
	BOOT_ENOMEM_MAP,    /* the loader passed no memory map at all */
	BOOT_ETOOMANY,      /* more ranges or modules than the fixed arrays hold */
};

/* Map [phys, phys+len) for reading; NULL if that range is not accessible. */
typedef const void *(*boot_p2v_fn)(uint64_t phys, size_t len);

/* Fill *out from the loader's info at physical address mbi_phys.  On error,
 * *out is partially filled and must not be used. */
enum boot_err boot_parse(uint32_t magic, uint64_t mbi_phys, boot_p2v_fn p2v,
			 struct boot_info *out);

const char *boot_strerror(enum boot_err e);

/* Does [pa, end) touch usable RAM or a boot module?  For the device-memory
 * rule (mm_is_device): RAM is never device memory, whatever its address.
 * The loader's own structures are in usable RAM too; their extent
 * (mbi_start..mbi_end) may span a hole between pieces, so it is not used. */
bool boot_is_ram(const struct boot_info *bi, uint64_t pa, uint64_t end);
