/* test_bootinfo.c - boot_parse() on hand-built multiboot1/2 structures.
 *
 * A static buffer stands for physical memory [PHYS_BASE, PHYS_BASE+PHYS_SIZE);
 * p2v returns NULL for anything outside it, as the kernel's would for memory
 * it cannot map. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "k/bootinfo.h"

#define PHYS_BASE 0x100000ull
#define PHYS_SIZE 0x40000ull

static uint8_t phys[PHYS_SIZE] __attribute__((aligned(16)));
static uint64_t cursor;              /* bump allocator over phys[] */
static struct boot_info bi;

static const void *p2v(uint64_t pa, size_t len)
{
	if (pa < PHYS_BASE || pa - PHYS_BASE > PHYS_SIZE || len > PHYS_SIZE - (pa - PHYS_BASE))
		return NULL;
	return phys + (pa - PHYS_BASE);
}

static uint8_t *at(uint64_t pa) { return phys + (pa - PHYS_BASE); }
static void put32(uint64_t pa, uint32_t v) { memcpy(at(pa), &v, 4); }
static void put64(uint64_t pa, uint64_t v) { memcpy(at(pa), &v, 8); }

static uint64_t palloc(size_t n)
{
	uint64_t pa = PHYS_BASE + cursor;
	cursor = (cursor + n + 7) & ~7ull;
	assert_true(cursor <= PHYS_SIZE);
	return pa;
}

static uint64_t pstr(const char *s)
{
	uint64_t pa = palloc(strlen(s) + 1);
	memcpy(at(pa), s, strlen(s) + 1);
	return pa;
}

static int setup(void **state)
{
	(void)state;
	memset(phys, 0xcc, sizeof phys);     /* garbage, as real memory would hold */
	memset(&bi, 0x5a, sizeof bi);
	cursor = 0x100;                      /* keep PHYS_BASE itself unused */
	return 0;
}

/* ---------------- multiboot 1 ---------------- */

#define F_MEM (1u << 0)
#define F_CMD (1u << 2)
#define F_MODS (1u << 3)
#define F_MMAP (1u << 6)
#define F_LOADER (1u << 9)

struct e820 { uint64_t base, len; uint32_t type; };

static uint64_t mb1_info(uint32_t flags)
{
	uint64_t pa = palloc(116);
	memset(at(pa), 0, 116);
	put32(pa, flags);
	return pa;
}

/* An MB1 memory map whose entries have 'size' = esize (20 normally). */
static void mb1_set_mmap(uint64_t info, const struct e820 *e, unsigned n, uint32_t esize)
{
	uint64_t pa = palloc(n * (esize + 4));
	for (unsigned i = 0; i < n; i++) {
		uint64_t q = pa + i * (esize + 4);
		memset(at(q), 0xee, esize + 4);
		put32(q, esize);
		put64(q + 4, e[i].base);
		put64(q + 12, e[i].len);
		put32(q + 20, e[i].type);
	}
	put32(info, *(uint32_t *)at(info) | F_MMAP);
	put32(info + 44, n * (esize + 4));
	put32(info + 48, (uint32_t)pa);
}

struct mod { uint32_t start, end; const char *cmd; };

static uint64_t mb1_set_mods(uint64_t info, const struct mod *m, unsigned n)
{
	uint64_t pa = palloc(n * 16 + 16);
	for (unsigned i = 0; i < n; i++) {
		put32(pa + 16 * i, m[i].start);
		put32(pa + 16 * i + 4, m[i].end);
		put32(pa + 16 * i + 8, m[i].cmd ? (uint32_t)pstr(m[i].cmd) : 0);
		put32(pa + 16 * i + 12, 0);
	}
	put32(info, *(uint32_t *)at(info) | F_MODS);
	put32(info + 20, n);
	put32(info + 24, (uint32_t)pa);
	return pa;
}

static const struct e820 std_map[] = {
	{ 0, 0x9fc00, 1 },
	{ 0x9fc00, 0x400, 2 },
	{ 0xf0000, 0x10000, 2 },
	{ 0x100000, 0x7ee0000, 1 },
	{ 0x7fe0000, 0x20000, 3 },
	{ 0xfffc0000, 0x40000, 4 },
	{ 0x100000000ull, 0x40000000ull, 1 },
	{ 0x140000000ull, 0x1000, 5 },
};
#define NSTD (sizeof std_map / sizeof std_map[0])

static void check_std_map(void)
{
	static const uint32_t want_type[NSTD] = {
		BOOT_MEM_USABLE, BOOT_MEM_RESERVED, BOOT_MEM_RESERVED, BOOT_MEM_USABLE,
		BOOT_MEM_ACPI, BOOT_MEM_NVS, BOOT_MEM_USABLE, BOOT_MEM_BAD,
	};
	assert_int_equal(bi.nmem, NSTD);
	for (unsigned i = 0; i < NSTD; i++) {
		assert_int_equal(bi.mem[i].base, std_map[i].base);
		assert_int_equal(bi.mem[i].len, std_map[i].len);
		assert_int_equal(bi.mem[i].type, want_type[i]);
	}
}

static void mb1_full(void **state)
{
	(void)state;
	uint64_t info = mb1_info(F_MEM | F_CMD | F_LOADER);
	static const struct mod mods[] = {
		{ 0x200000, 0x201234, "/boot/sigma0 --verbose" },
		{ 0x300000, 0x300000, NULL },          /* empty module, no string */
	};
	put32(info + 4, 639);
	put32(info + 8, 130000);
	put32(info + 16, (uint32_t)pstr("console=serial loglevel=3"));
	put32(info + 64, (uint32_t)pstr("GRUB 2.06"));
	uint64_t mods_pa = mb1_set_mods(info, mods, 2);
	mb1_set_mmap(info, std_map, NSTD, 20);

	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_OK);
	assert_int_equal(bi.proto, 1);
	assert_string_equal(bi.cmdline, "console=serial loglevel=3");
	assert_string_equal(bi.loader, "GRUB 2.06");
	check_std_map();              /* the map wins over mem_lower/upper */
	assert_int_equal(bi.nmod, 2);
	assert_int_equal(bi.mod[0].start, 0x200000);
	assert_int_equal(bi.mod[0].end, 0x201234);
	assert_string_equal(bi.mod[0].cmdline, "/boot/sigma0 --verbose");
	assert_int_equal(bi.mod[1].start, 0x300000);
	assert_int_equal(bi.mod[1].end, 0x300000);
	assert_string_equal(bi.mod[1].cmdline, "");
	/* Extent covers the info struct and both arrays. */
	assert_true(bi.mbi_start <= info && bi.mbi_end >= info + 116);
	assert_true(bi.mbi_start <= mods_pa && bi.mbi_end >= mods_pa + 32);
	uint64_t mmap_pa = *(uint32_t *)at(info + 48);
	assert_true(bi.mbi_end >= mmap_pa + NSTD * 24);
}

static void mb1_extent_arrays_below_info(void **state)
{
	(void)state;
	static const struct e820 m[] = { { 0x100000, 0x100000, 1 } };
	static const struct mod mods[] = { { 0x200000, 0x300000, "a" } };
	/* Build the arrays in a scratch info, then the real info above them. */
	uint64_t scratch = mb1_info(0);
	uint64_t mods_pa = mb1_set_mods(scratch, mods, 1);
	mb1_set_mmap(scratch, m, 1, 20);
	uint64_t info = mb1_info(0);
	memcpy(at(info), at(scratch), 116);

	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_OK);
	assert_int_equal(bi.mbi_start, mods_pa);
	assert_int_equal(bi.mbi_end, info + 116);
}

static void mb1_flags_gate_fields(void **state)
{
	(void)state;
	/* Fields whose flag is clear are garbage and must be ignored. */
	uint64_t info = mb1_info(0);
	static const struct e820 m[] = { { 0x100000, 0x100000, 1 } };
	mb1_set_mmap(info, m, 1, 20);
	put32(info + 16, 0xdeadbeef);       /* cmdline, no F_CMD */
	put32(info + 20, 1000);             /* mods_count, no F_MODS */
	put32(info + 64, 0xdeadbeef);       /* loader, no F_LOADER */
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_OK);
	assert_string_equal(bi.cmdline, "");
	assert_string_equal(bi.loader, "");
	assert_int_equal(bi.nmod, 0);
	assert_int_equal(bi.nmem, 1);
}

static void mb1_mmap_wide_entries(void **state)
{
	(void)state;
	/* size 28: entries 32 bytes apart; the extra bytes are skipped. */
	uint64_t info = mb1_info(0);
	mb1_set_mmap(info, std_map, NSTD, 28);
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_OK);
	check_std_map();
}

static void mb1_mmap_unaligned(void **state)
{
	(void)state;
	/* Standard 24-byte entries put base_addr at offset 4: misaligned u64
	 * fields must be read without faulting (UBSan checks alignment). */
	uint64_t info = mb1_info(0);
	palloc(0);
	cursor += 3;                      /* misalign the whole array */
	mb1_set_mmap(info, std_map, NSTD, 20);
	assert_int_equal(*(uint32_t *)at(info + 48) % 4, 3);
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_OK);
	check_std_map();
}

static void mb1_mmap_entry_too_small(void **state)
{
	(void)state;
	uint64_t info = mb1_info(0);
	mb1_set_mmap(info, std_map, NSTD, 20);
	put32(*(uint32_t *)at(info + 48) + 24, 16);   /* second entry's size */
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_EMALFORMED);
}

static void mb1_mmap_entry_overruns(void **state)
{
	(void)state;
	uint64_t info = mb1_info(0);
	mb1_set_mmap(info, std_map, 2, 20);
	put32(info + 44, 24 + 20);        /* second entry cut short */
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_EMALFORMED);
	put32(info + 44, 24 + 2);         /* not even room for its size field */
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_EMALFORMED);
}

static void mb1_mmap_zero_len_skipped(void **state)
{
	(void)state;
	static const struct e820 m[] = {
		{ 0x100000, 0, 1 }, { 0x100000, 0x1000, 1 }, { 0x200000, 0, 2 },
	};
	uint64_t info = mb1_info(0);
	mb1_set_mmap(info, m, 3, 20);
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_OK);
	assert_int_equal(bi.nmem, 1);
	assert_int_equal(bi.mem[0].base, 0x100000);
}

static void mb1_mmap_wrapping_clamped(void **state)
{
	(void)state;
	static const struct e820 m[] = { { 0xfffffffffffff000ull, 0x10000, 2 } };
	uint64_t info = mb1_info(0);
	mb1_set_mmap(info, m, 1, 20);
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_OK);
	assert_int_equal(bi.nmem, 1);
	assert_true(bi.mem[0].base + bi.mem[0].len >= bi.mem[0].base);   /* no wrap */
}

static void mb1_mem_upper_fallback(void **state)
{
	(void)state;
	uint64_t info = mb1_info(F_MEM);
	put32(info + 4, 639);
	put32(info + 8, 64512);           /* 63 MiB above 1 MiB */
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_OK);
	assert_int_equal(bi.nmem, 2);
	assert_int_equal(bi.mem[0].base, 0);
	assert_int_equal(bi.mem[0].len, 639 * 1024);
	assert_int_equal(bi.mem[0].type, BOOT_MEM_USABLE);
	assert_int_equal(bi.mem[1].base, 0x100000);
	assert_int_equal(bi.mem[1].len, 64512ull * 1024);
	assert_int_equal(bi.mem[1].type, BOOT_MEM_USABLE);
}

static void mb1_no_memory_info(void **state)
{
	(void)state;
	uint64_t info = mb1_info(F_CMD);
	put32(info + 16, (uint32_t)pstr("x"));
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_ENOMEM_MAP);
}

static void mb1_too_many_ranges(void **state)
{
	(void)state;
	struct e820 m[BOOT_MAX_MEMRANGES + 1];
	for (unsigned i = 0; i <= BOOT_MAX_MEMRANGES; i++)
		m[i] = (struct e820){ 0x100000ull * (i + 1), 0x1000, 1 };
	uint64_t info = mb1_info(0);
	mb1_set_mmap(info, m, BOOT_MAX_MEMRANGES, 20);
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_OK);
	assert_int_equal(bi.nmem, BOOT_MAX_MEMRANGES);
	info = mb1_info(0);
	mb1_set_mmap(info, m, BOOT_MAX_MEMRANGES + 1, 20);
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_ETOOMANY);
}

static void mb1_too_many_modules(void **state)
{
	(void)state;
	struct mod m[BOOT_MAX_MODULES + 1];
	for (unsigned i = 0; i <= BOOT_MAX_MODULES; i++)
		m[i] = (struct mod){ 0x1000000 + i * 0x1000, 0x1000000 + i * 0x1000 + 10, "m" };
	uint64_t info = mb1_info(F_MEM);
	mb1_set_mods(info, m, BOOT_MAX_MODULES);
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_OK);
	assert_int_equal(bi.nmod, BOOT_MAX_MODULES);
	info = mb1_info(F_MEM);
	mb1_set_mods(info, m, BOOT_MAX_MODULES + 1);
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_ETOOMANY);
	/* A huge count must not be multiplied into a bogus mapping first. */
	put32(info + 20, 0x80000000u);
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_ETOOMANY);
}

static void mb1_module_end_before_start(void **state)
{
	(void)state;
	static const struct mod m[] = { { 0x200000, 0x1fffff, "bad" } };
	uint64_t info = mb1_info(F_MEM);
	mb1_set_mods(info, m, 1);
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_EMALFORMED);
}

static void mb1_bad_pointers(void **state)
{
	(void)state;
	static const struct e820 m[] = { { 0x100000, 0x100000, 1 } };
	static const struct mod md[] = { { 0x200000, 0x300000, "ok" } };

	/* The info structure itself, straddling the end of memory. */
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, PHYS_BASE + PHYS_SIZE - 40, p2v, &bi),
			 BOOT_EACCESS);
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, 0x1000, p2v, &bi), BOOT_EACCESS);

	uint64_t info = mb1_info(F_MEM);
	mb1_set_mmap(info, m, 1, 20);
	put32(info + 48, 0x5000);                                  /* mmap_addr */
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_EACCESS);

	info = mb1_info(F_MEM);
	mb1_set_mmap(info, m, 1, 20);
	put32(info + 44, 0x7ffffff0);                              /* mmap_length */
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_EACCESS);

	info = mb1_info(F_MEM);
	mb1_set_mods(info, md, 1);
	put32(info + 24, (uint32_t)(PHYS_BASE + PHYS_SIZE - 8));  /* mods_addr */
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_EACCESS);

	info = mb1_info(F_MEM);
	uint64_t mods = mb1_set_mods(info, md, 1);
	put32(mods + 8, 0xfff00000u);                              /* module string */
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_EACCESS);

	info = mb1_info(F_MEM | F_CMD);
	put32(info + 16, 0x10);                                    /* cmdline */
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_EACCESS);

	info = mb1_info(F_MEM | F_LOADER);
	put32(info + 64, 0xffffffffu);                             /* loader name */
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_EACCESS);
}

static void mb1_cmdline_truncated(void **state)
{
	(void)state;
	char longs[400];
	for (unsigned i = 0; i < sizeof longs - 1; i++)
		longs[i] = (char)('a' + i % 26);
	longs[sizeof longs - 1] = '\0';
	uint64_t info = mb1_info(F_MEM | F_CMD | F_LOADER);
	put32(info + 16, (uint32_t)pstr(longs));
	put32(info + 64, (uint32_t)pstr(longs));
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_OK);
	assert_int_equal(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	assert_memory_equal(bi.cmdline, longs, BOOT_CMDLINE_MAX - 1);
	assert_int_equal(strlen(bi.loader), BOOT_LOADER_MAX - 1);
	assert_memory_equal(bi.loader, longs, BOOT_LOADER_MAX - 1);
}

static void mb1_string_runs_off_memory(void **state)
{
	(void)state;
	/* No NUL before the end of accessible memory, and shorter than the
	 * buffer: must fail rather than read past the end. */
	uint64_t info = mb1_info(F_MEM | F_CMD);
	uint64_t s = PHYS_BASE + PHYS_SIZE - 10;
	memset(at(s), 'x', 10);
	put32(info + 16, (uint32_t)s);
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_EACCESS);
	/* Exactly fitting, with its NUL as the last byte: fine. */
	at(s)[9] = '\0';
	assert_int_equal(boot_parse(MB1_BOOT_MAGIC, info, p2v, &bi), BOOT_OK);
	assert_string_equal(bi.cmdline, "xxxxxxxxx");
}

static void bad_magic(void **state)
{
	(void)state;
	uint64_t info = mb1_info(F_MEM);
	assert_int_equal(boot_parse(0, info, p2v, &bi), BOOT_EMAGIC);
	assert_int_equal(boot_parse(0x1BADB002, info, p2v, &bi), BOOT_EMAGIC);   /* header magic */
	assert_int_equal(boot_parse(0xe85250d6, info, p2v, &bi), BOOT_EMAGIC);   /* MB2 header magic */
}

/* ---------------- multiboot 2 ---------------- */

static uint64_t mb2, mb2_off;          /* structure being built */

static void mb2_begin(void)
{
	mb2 = palloc(0);
	assert_int_equal(mb2 % 8, 0);
	mb2_off = 8;
	put32(mb2 + 4, 0);
}

static uint64_t tag_begin(uint32_t type)
{
	uint64_t t = mb2 + mb2_off;
	put32(t, type);
	return t;
}

static void tag_end(uint64_t t, uint32_t size)
{
	put32(t + 4, size);
	mb2_off = (t - mb2) + ((size + 7) & ~7u);
	memset(at(t + size), 0xcc, ((size + 7) & ~7u) - size);
}

static void tag_str(uint32_t type, const char *s)
{
	uint64_t t = tag_begin(type);
	memcpy(at(t + 8), s, strlen(s) + 1);
	tag_end(t, 8 + (uint32_t)strlen(s) + 1);
}

static void tag_module(uint32_t start, uint32_t end, const char *s)
{
	uint64_t t = tag_begin(3);
	put32(t + 8, start);
	put32(t + 12, end);
	memcpy(at(t + 16), s, strlen(s) + 1);
	tag_end(t, 16 + (uint32_t)strlen(s) + 1);
}

static void tag_mmap(const struct e820 *e, unsigned n, uint32_t esize, uint32_t version)
{
	uint64_t t = tag_begin(6);
	put32(t + 8, esize);
	put32(t + 12, version);
	for (unsigned i = 0; i < n; i++) {
		uint64_t q = t + 16 + i * esize;
		memset(at(q), 0xee, esize);
		put64(q, e[i].base);
		put64(q + 8, e[i].len);
		put32(q + 16, e[i].type);
		if (esize >= 24)
			put32(q + 20, 0);
	}
	tag_end(t, 16 + n * esize);
}

static void tag_meminfo(uint32_t lower, uint32_t upper)
{
	uint64_t t = tag_begin(4);
	put32(t + 8, lower);
	put32(t + 12, upper);
	tag_end(t, 16);
}

static void mb2_finish(void)
{
	uint64_t t = tag_begin(0);
	tag_end(t, 8);
	put32(mb2, (uint32_t)mb2_off);
	cursor = mb2 - PHYS_BASE + mb2_off;
}

static void mb2_full(void **state)
{
	(void)state;
	mb2_begin();
	tag_str(1, "root=sigma0 debug");
	tag_str(2, "GRUB 2.06-13");
	tag_module(0x400000, 0x401000, "/boot/root --x");
	{       /* a framebuffer tag (8): ignored */
		uint64_t t = tag_begin(8);
		memset(at(t + 8), 0xab, 30);
		tag_end(t, 38);
	}
	tag_meminfo(639, 1000);
	tag_mmap(std_map, NSTD, 24, 0);
	tag_module(0x500000, 0x500001, "");
	mb2_finish();

	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_OK);
	assert_int_equal(bi.proto, 2);
	assert_string_equal(bi.cmdline, "root=sigma0 debug");
	assert_string_equal(bi.loader, "GRUB 2.06-13");
	check_std_map();
	assert_int_equal(bi.nmod, 2);
	assert_int_equal(bi.mod[0].start, 0x400000);
	assert_int_equal(bi.mod[0].end, 0x401000);
	assert_string_equal(bi.mod[0].cmdline, "/boot/root --x");
	assert_int_equal(bi.mod[1].start, 0x500000);
	assert_int_equal(bi.mod[1].end, 0x500001);
	assert_string_equal(bi.mod[1].cmdline, "");
	assert_int_equal(bi.mbi_start, mb2);
	assert_int_equal(bi.mbi_end, mb2 + *(uint32_t *)at(mb2));
}

static void mb2_minimal_defaults(void **state)
{
	(void)state;
	static const struct e820 m[] = { { 0x100000, 0x100000, 1 } };
	mb2_begin();
	tag_mmap(m, 1, 24, 0);
	mb2_finish();
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_OK);
	assert_string_equal(bi.cmdline, "");
	assert_string_equal(bi.loader, "");
	assert_int_equal(bi.nmod, 0);
	assert_int_equal(bi.nmem, 1);
}

static void mb2_entry_size_larger(void **state)
{
	(void)state;
	mb2_begin();
	tag_mmap(std_map, NSTD, 40, 1);    /* a future, bigger entry version */
	mb2_finish();
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_OK);
	check_std_map();
}

static void mb2_entry_size_too_small(void **state)
{
	(void)state;
	mb2_begin();
	tag_mmap(std_map, NSTD, 20, 0);
	mb2_finish();
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_EMALFORMED);
	put32(mb2 + 8 + 8, 0);              /* entry_size 0: no division by zero */
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_EMALFORMED);
}

static void mb2_mmap_tag_too_short(void **state)
{
	(void)state;
	mb2_begin();
	uint64_t t = tag_begin(6);
	tag_end(t, 12);                      /* no room for entry_version */
	mb2_finish();
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_EMALFORMED);
}

static void mb2_two_mmaps(void **state)
{
	(void)state;
	mb2_begin();
	tag_mmap(std_map, 2, 24, 0);
	tag_mmap(std_map, 2, 24, 0);
	mb2_finish();
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_EMALFORMED);
}

static void mb2_tag_overrun(void **state)
{
	(void)state;
	mb2_begin();
	tag_str(1, "hello");
	mb2_finish();
	put32(mb2 + 8 + 4, 0x100);          /* cmdline tag claims past total_size */
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_EMALFORMED);
}

static void mb2_tag_size_too_small(void **state)
{
	(void)state;
	mb2_begin();
	tag_str(1, "hello");
	mb2_finish();
	put32(mb2 + 8 + 4, 4);
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_EMALFORMED);
	put32(mb2 + 8 + 4, 0);              /* would loop forever if accepted */
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_EMALFORMED);
}

static void mb2_missing_end(void **state)
{
	(void)state;
	static const struct e820 m[] = { { 0x100000, 0x100000, 1 } };
	mb2_begin();
	tag_mmap(m, 1, 24, 0);
	put32(mb2, (uint32_t)mb2_off);      /* total_size stops before any end tag */
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_EMALFORMED);
	/* A last tag whose padding runs past total_size, and no end tag. */
	mb2_begin();
	tag_str(1, "abc");                  /* size 12, padded to 16 */
	put32(mb2, 8 + 12);
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_EMALFORMED);
}

static void mb2_total_size_bounds(void **state)
{
	(void)state;
	mb2_begin();
	mb2_finish();
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_ENOMEM_MAP);  /* fine, but no map */
	put32(mb2, 4);
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_EMALFORMED);
	put32(mb2, 0);
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_EMALFORMED);
	put32(mb2, 8);                      /* no room for the end tag */
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_EMALFORMED);
	put32(mb2, 64 * 1024 + 8);          /* absurdly big, although mappable */
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_EMALFORMED);
	put32(mb2, 0xfffffff8u);
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_EMALFORMED);
}

static void mb2_beyond_memory(void **state)
{
	(void)state;
	/* total_size plausible, but the structure runs past accessible memory. */
	uint64_t pa = PHYS_BASE + PHYS_SIZE - 64;
	put32(pa, 128);
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, pa, p2v, &bi), BOOT_EACCESS);
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, 0x8000, p2v, &bi), BOOT_EACCESS);
}

static void mb2_misaligned(void **state)
{
	(void)state;
	static const struct e820 m[] = { { 0x100000, 0x100000, 1 } };
	mb2_begin();
	tag_mmap(m, 1, 24, 0);
	mb2_finish();
	memmove(at(mb2 + 4), at(mb2), mb2_off);
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2 + 4, p2v, &bi), BOOT_EMALFORMED);
}

static void mb2_too_many_modules(void **state)
{
	(void)state;
	static const struct e820 m[] = { { 0x100000, 0x100000, 1 } };
	mb2_begin();
	tag_mmap(m, 1, 24, 0);
	for (unsigned i = 0; i < BOOT_MAX_MODULES; i++)
		tag_module(0x1000000 + i * 0x1000, 0x1000000 + i * 0x1000 + 1, "m");
	mb2_finish();
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_OK);
	assert_int_equal(bi.nmod, BOOT_MAX_MODULES);

	mb2_begin();
	tag_mmap(m, 1, 24, 0);
	for (unsigned i = 0; i <= BOOT_MAX_MODULES; i++)
		tag_module(0x1000000 + i * 0x1000, 0x1000000 + i * 0x1000 + 1, "m");
	mb2_finish();
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_ETOOMANY);
}

static void mb2_too_many_ranges(void **state)
{
	(void)state;
	struct e820 m[BOOT_MAX_MEMRANGES + 1];
	for (unsigned i = 0; i <= BOOT_MAX_MEMRANGES; i++)
		m[i] = (struct e820){ 0x100000ull * (i + 1), 0x1000, 2 };
	mb2_begin();
	tag_mmap(m, BOOT_MAX_MEMRANGES + 1, 24, 0);
	mb2_finish();
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_ETOOMANY);
}

static void mb2_module_bad(void **state)
{
	(void)state;
	static const struct e820 m[] = { { 0x100000, 0x100000, 1 } };
	mb2_begin();
	tag_mmap(m, 1, 24, 0);
	tag_module(0x300000, 0x2fffff, "backwards");
	mb2_finish();
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_EMALFORMED);

	mb2_begin();
	tag_mmap(m, 1, 24, 0);
	uint64_t t = tag_begin(3);
	put32(t + 8, 0x300000);
	tag_end(t, 12);                      /* no mod_end */
	mb2_finish();
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_EMALFORMED);
}

static void mb2_strings_bounded(void **state)
{
	(void)state;
	static const struct e820 m[] = { { 0x100000, 0x100000, 1 } };
	char longs[300];
	for (unsigned i = 0; i < sizeof longs - 1; i++)
		longs[i] = (char)('A' + i % 26);
	longs[sizeof longs - 1] = '\0';

	mb2_begin();
	tag_mmap(m, 1, 24, 0);
	tag_str(1, longs);
	tag_str(2, longs);
	tag_module(0x200000, 0x201000, longs);
	/* A module string with no NUL inside its tag: bounded by the tag. */
	uint64_t t = tag_begin(3);
	put32(t + 8, 0x300000);
	put32(t + 12, 0x301000);
	memcpy(at(t + 16), "abcdefgh", 8);
	tag_end(t, 16 + 5);                  /* only "abcde" is inside the tag */
	memset(at(t + 21), 'Z', 3);          /* padding is not part of the string */
	mb2_finish();

	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_OK);
	assert_int_equal(strlen(bi.cmdline), 255);
	assert_memory_equal(bi.cmdline, longs, 255);
	assert_int_equal(strlen(bi.loader), BOOT_LOADER_MAX - 1);
	assert_int_equal(strlen(bi.mod[0].cmdline), 255);
	assert_string_equal(bi.mod[1].cmdline, "abcde");
}

static void mb2_meminfo_fallback(void **state)
{
	(void)state;
	mb2_begin();
	tag_meminfo(600, 2048);
	mb2_finish();
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_OK);
	assert_int_equal(bi.nmem, 2);
	assert_int_equal(bi.mem[0].len, 600 * 1024);
	assert_int_equal(bi.mem[1].base, 0x100000);
	assert_int_equal(bi.mem[1].len, 2048 * 1024);

	mb2_begin();
	tag_str(1, "nothing about memory");
	mb2_finish();
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_ENOMEM_MAP);
}

static void mb2_end_tag_stops(void **state)
{
	(void)state;
	/* Whatever follows the end tag inside total_size is not parsed. */
	static const struct e820 m[] = { { 0x100000, 0x100000, 1 } };
	mb2_begin();
	tag_mmap(m, 1, 24, 0);
	mb2_finish();
	uint64_t total = *(uint32_t *)at(mb2);
	put32(mb2 + total, 1);               /* a broken tag after the end */
	put32(mb2 + total + 4, 3);
	put32(mb2, (uint32_t)total + 16);
	assert_int_equal(boot_parse(MB2_BOOT_MAGIC, mb2, p2v, &bi), BOOT_OK);
	assert_string_equal(bi.cmdline, "");
}

static void strerror_all(void **state)
{
	(void)state;
	const char *seen[BOOT_ETOOMANY + 1];
	for (int e = BOOT_OK; e <= BOOT_ETOOMANY; e++) {
		seen[e] = boot_strerror((enum boot_err)e);
		assert_non_null(seen[e]);
		assert_true(strlen(seen[e]) > 0);
		for (int j = 0; j < e; j++)
			assert_string_not_equal(seen[j], seen[e]);
	}
	assert_non_null(boot_strerror((enum boot_err)99));
}

/* The device-memory rule's half that is about the boot information: RAM
 * (usable ranges) and modules, wherever they lie, and nothing else. */
static void is_ram(void **state)
{
	(void)state;
	static struct boot_info b;
	memset(&b, 0, sizeof b);
	b.nmem = 4;
	b.mem[0] = (struct boot_memrange){ 0, 0x9fc00, BOOT_MEM_USABLE };
	b.mem[1] = (struct boot_memrange){ 0xf0000, 0x10000, BOOT_MEM_RESERVED };
	b.mem[2] = (struct boot_memrange){ 0x100000, 0x7ff00000, BOOT_MEM_USABLE };   /* to 2 GiB */
	b.mem[3] = (struct boot_memrange){ 0x100000000ull, 0x40000000, BOOT_MEM_USABLE };
	b.nmod = 1;
	b.mod[0] = (struct boot_module){ .start = 0xd0000000, .end = 0xd0001000 };
	assert_true(boot_is_ram(&b, 0x9f000, 0xa0000));              /* the top of low RAM */
	assert_false(boot_is_ram(&b, 0x9fc00, 0xa0000));             /* just above it */
	assert_false(boot_is_ram(&b, 0xa0000, 0x100000));            /* VGA hole, BIOS (reserved) */
	assert_true(boot_is_ram(&b, 0xff000, 0x101000));             /* runs into RAM */
	assert_false(boot_is_ram(&b, 0x80000000, 0xd0000000));       /* the PCI hole, below RAM's top */
	assert_true(boot_is_ram(&b, 0xcffff000, 0xd0000001));        /* a module's first byte */
	assert_false(boot_is_ram(&b, 0xd0001000, 0x100000000ull));   /* after it, up to high RAM */
	assert_true(boot_is_ram(&b, 0xfffff000, 0x100001000ull));    /* into high RAM */
	assert_false(boot_is_ram(&b, 0x140000000ull, 1ull << 46));   /* above all RAM */
	b.mem[3].type = BOOT_MEM_ACPI;                                /* not usable: not RAM here */
	assert_false(boot_is_ram(&b, 0x100000000ull, 0x100001000ull));
	b.mem[3] = (struct boot_memrange){ 0xfffffffffffff000ull, 0x2000, BOOT_MEM_USABLE };
	assert_true(boot_is_ram(&b, 0xfffffffffffff000ull, ~0ull));  /* wraps: clamped */
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(is_ram),
		T(mb1_full),
		T(mb1_extent_arrays_below_info),
		T(mb1_flags_gate_fields),
		T(mb1_mmap_wide_entries),
		T(mb1_mmap_unaligned),
		T(mb1_mmap_entry_too_small),
		T(mb1_mmap_entry_overruns),
		T(mb1_mmap_zero_len_skipped),
		T(mb1_mmap_wrapping_clamped),
		T(mb1_mem_upper_fallback),
		T(mb1_no_memory_info),
		T(mb1_too_many_ranges),
		T(mb1_too_many_modules),
		T(mb1_module_end_before_start),
		T(mb1_bad_pointers),
		T(mb1_cmdline_truncated),
		T(mb1_string_runs_off_memory),
		T(bad_magic),
		T(mb2_full),
		T(mb2_minimal_defaults),
		T(mb2_entry_size_larger),
		T(mb2_entry_size_too_small),
		T(mb2_mmap_tag_too_short),
		T(mb2_two_mmaps),
		T(mb2_tag_overrun),
		T(mb2_tag_size_too_small),
		T(mb2_missing_end),
		T(mb2_total_size_bounds),
		T(mb2_beyond_memory),
		T(mb2_misaligned),
		T(mb2_too_many_modules),
		T(mb2_too_many_ranges),
		T(mb2_module_bad),
		T(mb2_strings_bounded),
		T(mb2_meminfo_fallback),
		T(mb2_end_tag_stops),
		T(strerror_all),
	};
	return cmocka_run_group_tests_name("bootinfo", tests, NULL, NULL);
}
