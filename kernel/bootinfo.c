/* bootinfo.c - parse multiboot1 / multiboot2 boot information into
 * struct boot_info.
 *
 * References: "Multiboot Specification version 0.6.96" (MB1), section 3.3
 * "Boot information format"; "Multiboot2 Specification version 2.0" (MB2),
 * section 3.6 "Boot information".
 *
 * Nothing the loader wrote is trusted.  Every byte is read through p2v with
 * an explicit length, multi-byte fields are assembled bytewise (MB1 gives no
 * alignment guarantee for its memory map entries), every length is checked
 * against its container before use, and strings are copied with a bound and
 * always NUL-terminated.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "k/bootinfo.h"
#include "k/kstring.h"

#define unlikely(x) __builtin_expect(!!(x), 0)

/* Little-endian loads that need no alignment. */
static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Copy a NUL-terminated string of at most avail bytes from src (already
 * mapped), truncating to cap-1 characters. */
static void copy_str(char *dst, size_t cap, const uint8_t *src, size_t avail)
{
	size_t i = 0;

	while (i + 1 < cap && i < avail && src[i] != '\0') {
		dst[i] = (char)src[i];
		i++;
	}
	dst[i] = '\0';
}

/* Copy a string at a physical address whose length is unknown: map it one
 * byte at a time so that we never ask p2v for more than is really there.
 * Physical address 0 stands for "no string" (loaders leave unused string
 * pointers at 0). */
static enum boot_err copy_phys_str(boot_p2v_fn p2v, uint64_t phys, char *dst, size_t cap)
{
	size_t i = 0;

	dst[0] = '\0';
	if (phys == 0)
		return BOOT_OK;
	while (i + 1 < cap) {
		const uint8_t *c = p2v(phys + i, 1);
		if (unlikely(c == NULL))
			return BOOT_EACCESS;
		if (*c == '\0')
			break;
		dst[i++] = (char)*c;
	}
	dst[i] = '\0';
	return BOOT_OK;
}

/* Firmware (E820) type to ours.  MB1 3.3 and MB2 3.6.8 use the same numbers:
 * 1 available, 3 ACPI reclaimable, 4 preserve on hibernation, 5 defective,
 * anything else reserved. */
static uint32_t mem_type(uint32_t fw)
{
	switch (fw) {
	case 1: return BOOT_MEM_USABLE;
	case 3: return BOOT_MEM_ACPI;
	case 4: return BOOT_MEM_NVS;
	case 5: return BOOT_MEM_BAD;
	default: return BOOT_MEM_RESERVED;
	}
}

static enum boot_err add_range(struct boot_info *bi, uint64_t base, uint64_t len, uint32_t fwtype)
{
	if (len == 0)
		return BOOT_OK;                 /* says nothing; don't spend a slot */
	if (base + len < base)
		len = UINT64_MAX - base;        /* clamp a range that wraps */
	if (unlikely(bi->nmem >= BOOT_MAX_MEMRANGES))
		return BOOT_ETOOMANY;
	bi->mem[bi->nmem].base = base;
	bi->mem[bi->nmem].len = len;
	bi->mem[bi->nmem].type = mem_type(fwtype);
	bi->nmem++;
	return BOOT_OK;
}

/* mem_lower / mem_upper (KiB) when there is no full map: lower memory starts
 * at 0, upper memory at 1 MiB (MB1 3.3, MB2 3.6.3). */
static enum boot_err add_basic_mem(struct boot_info *bi, uint32_t lower_kb, uint32_t upper_kb)
{
	enum boot_err e = add_range(bi, 0, (uint64_t)lower_kb * 1024, 1);
	if (e != BOOT_OK)
		return e;
	return add_range(bi, 0x100000, (uint64_t)upper_kb * 1024, 1);
}

static void extend(struct boot_info *bi, uint64_t start, uint64_t len)
{
	if (start < bi->mbi_start)
		bi->mbi_start = start;
	if (start + len > bi->mbi_end)
		bi->mbi_end = start + len;
}

/* ---- Multiboot 1 ---------------------------------------------------- */

/* Offsets in the MB1 info structure (MB1 3.3). */
#define MB1_FLAGS        0
#define MB1_MEM_LOWER    4
#define MB1_MEM_UPPER    8
#define MB1_CMDLINE      16
#define MB1_MODS_COUNT   20
#define MB1_MODS_ADDR    24
#define MB1_MMAP_LENGTH  44
#define MB1_MMAP_ADDR    48
#define MB1_LOADER_NAME  64
#define MB1_READ_SIZE    68    /* the prefix we read: through boot_loader_name */
#define MB1_INFO_SIZE    116   /* the whole structure, framebuffer fields included */

#define MB1_F_MEM     (1u << 0)
#define MB1_F_CMDLINE (1u << 2)
#define MB1_F_MODS    (1u << 3)
#define MB1_F_MMAP    (1u << 6)
#define MB1_F_LOADER  (1u << 9)

#define MB1_MOD_SIZE  16       /* mod_start, mod_end, string, reserved */

static enum boot_err mb1_mmap(struct boot_info *bi, const uint8_t *m, uint32_t length)
{
	uint32_t off = 0;

	/* Each entry is preceded by its own 'size', which does not count
	 * itself; base_addr, length and type need 20 bytes. */
	while (off < length) {
		if (unlikely(length - off < 4))
			return BOOT_EMALFORMED;
		uint32_t sz = rd32(m + off);
		if (unlikely(sz < 20 || sz > length - off - 4))
			return BOOT_EMALFORMED;
		enum boot_err e = add_range(bi, rd64(m + off + 4), rd64(m + off + 12),
					    rd32(m + off + 20));
		if (e != BOOT_OK)
			return e;
		off += 4 + sz;
	}
	return BOOT_OK;
}

static enum boot_err mb1_parse(uint64_t mbi, boot_p2v_fn p2v, struct boot_info *bi)
{
	const uint8_t *info = p2v(mbi, MB1_READ_SIZE);
	enum boot_err e;

	if (unlikely(info == NULL))
		return BOOT_EACCESS;
	bi->proto = 1;
	bi->mbi_start = mbi;
	bi->mbi_end = mbi + MB1_INFO_SIZE;

	uint32_t flags = rd32(info + MB1_FLAGS);

	if (flags & MB1_F_CMDLINE) {
		e = copy_phys_str(p2v, rd32(info + MB1_CMDLINE), bi->cmdline, sizeof bi->cmdline);
		if (e != BOOT_OK)
			return e;
	}
	if (flags & MB1_F_LOADER) {
		e = copy_phys_str(p2v, rd32(info + MB1_LOADER_NAME), bi->loader, sizeof bi->loader);
		if (e != BOOT_OK)
			return e;
	}

	if (flags & MB1_F_MODS) {
		uint32_t count = rd32(info + MB1_MODS_COUNT);
		uint32_t addr = rd32(info + MB1_MODS_ADDR);
		if (unlikely(count > BOOT_MAX_MODULES))
			return BOOT_ETOOMANY;
		if (count > 0) {
			const uint8_t *mods = p2v(addr, (size_t)count * MB1_MOD_SIZE);
			if (unlikely(mods == NULL))
				return BOOT_EACCESS;
			extend(bi, addr, (uint64_t)count * MB1_MOD_SIZE);
			for (uint32_t i = 0; i < count; i++) {
				const uint8_t *m = mods + i * MB1_MOD_SIZE;
				struct boot_module *bm = &bi->mod[i];
				bm->start = rd32(m);
				bm->end = rd32(m + 4);
				if (unlikely(bm->end < bm->start))
					return BOOT_EMALFORMED;
				e = copy_phys_str(p2v, rd32(m + 8), bm->cmdline, sizeof bm->cmdline);
				if (e != BOOT_OK)
					return e;
			}
			bi->nmod = count;
		}
	}

	if (flags & MB1_F_MMAP) {
		uint32_t length = rd32(info + MB1_MMAP_LENGTH);
		uint32_t addr = rd32(info + MB1_MMAP_ADDR);
		if (length > 0) {
			const uint8_t *m = p2v(addr, length);
			if (unlikely(m == NULL))
				return BOOT_EACCESS;
			extend(bi, addr, length);
			e = mb1_mmap(bi, m, length);
			if (e != BOOT_OK)
				return e;
		}
	}
	/* Only mem_lower/mem_upper (or an empty map): synthesise two ranges. */
	if (bi->nmem == 0 && (flags & MB1_F_MEM))
		return add_basic_mem(bi, rd32(info + MB1_MEM_LOWER), rd32(info + MB1_MEM_UPPER));
	return bi->nmem == 0 ? BOOT_ENOMEM_MAP : BOOT_OK;
}

/* ---- Multiboot 2 ---------------------------------------------------- */

#define MB2_MAX_TOTAL   (64u * 1024)   /* far more than any loader produces */
#define MB2_TAG_END     0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER  2
#define MB2_TAG_MODULE  3
#define MB2_TAG_MEMINFO 4
#define MB2_TAG_MMAP    6
#define MB2_MMAP_ENTRY  24    /* base_addr u64, length u64, type u32, reserved u32 */

/* Memory map tag (MB2 3.6.8): type, size, entry_size, entry_version, then
 * entries of entry_size bytes.  entry_version is ignored: later versions
 * promise to stay compatible.  A trailing partial entry is ignored. */
static enum boot_err mb2_mmap(struct boot_info *bi, const uint8_t *t, uint32_t size)
{
	if (unlikely(size < 16))
		return BOOT_EMALFORMED;
	uint32_t esz = rd32(t + 8);
	if (unlikely(esz < MB2_MMAP_ENTRY))
		return BOOT_EMALFORMED;
	for (uint32_t off = 16; size - off >= esz; off += esz) {
		enum boot_err e = add_range(bi, rd64(t + off), rd64(t + off + 8), rd32(t + off + 16));
		if (e != BOOT_OK)
			return e;
	}
	return BOOT_OK;
}

/* Module tag (MB2 3.6.6): type, size, mod_start, mod_end, string. */
static enum boot_err mb2_module(struct boot_info *bi, const uint8_t *t, uint32_t size)
{
	if (unlikely(size < 16))
		return BOOT_EMALFORMED;
	if (unlikely(bi->nmod >= BOOT_MAX_MODULES))
		return BOOT_ETOOMANY;
	struct boot_module *bm = &bi->mod[bi->nmod];
	bm->start = rd32(t + 8);
	bm->end = rd32(t + 12);
	if (unlikely(bm->end < bm->start))
		return BOOT_EMALFORMED;
	copy_str(bm->cmdline, sizeof bm->cmdline, t + 16, size - 16);
	bi->nmod++;
	return BOOT_OK;
}

static enum boot_err mb2_parse(uint64_t mbi, boot_p2v_fn p2v, struct boot_info *bi)
{
	/* 3.6.2: the structure "is 8-bytes aligned" and starts with
	 * total_size, which includes the fixed part and the end tag. */
	if (unlikely(mbi & 7))
		return BOOT_EMALFORMED;
	const uint8_t *hdr = p2v(mbi, 8);
	if (unlikely(hdr == NULL))
		return BOOT_EACCESS;
	uint32_t total = rd32(hdr);
	if (unlikely(total < 8 || total > MB2_MAX_TOTAL))
		return BOOT_EMALFORMED;
	const uint8_t *base = p2v(mbi, total);
	if (unlikely(base == NULL))
		return BOOT_EACCESS;

	bi->proto = 2;
	bi->mbi_start = mbi;
	bi->mbi_end = mbi + total;

	bool have_mmap = false, have_meminfo = false, have_end = false;
	uint32_t mem_lower = 0, mem_upper = 0;
	uint32_t off = 8;
	enum boot_err e = BOOT_OK;

	/* Tags start 8-byte aligned; 'size' excludes the padding. */
	while (!have_end && off + 8 <= total) {
		const uint8_t *t = base + off;
		uint32_t type = rd32(t), size = rd32(t + 4);

		if (unlikely(size < 8 || size > total - off))
			return BOOT_EMALFORMED;
		switch (type) {
		case MB2_TAG_END:
			have_end = true;
			break;
		case MB2_TAG_CMDLINE:
			copy_str(bi->cmdline, sizeof bi->cmdline, t + 8, size - 8);
			break;
		case MB2_TAG_LOADER:
			copy_str(bi->loader, sizeof bi->loader, t + 8, size - 8);
			break;
		case MB2_TAG_MODULE:
			e = mb2_module(bi, t, size);
			break;
		case MB2_TAG_MEMINFO:
			if (unlikely(size < 16))
				return BOOT_EMALFORMED;
			mem_lower = rd32(t + 8);
			mem_upper = rd32(t + 12);
			have_meminfo = true;
			break;
		case MB2_TAG_MMAP:
			if (unlikely(have_mmap))
				return BOOT_EMALFORMED;   /* two maps: which one is right? */
			have_mmap = true;
			e = mb2_mmap(bi, t, size);
			break;
		default:
			break;                        /* tags we do not need */
		}
		if (e != BOOT_OK)
			return e;
		off += (size + 7) & ~7u;          /* cannot overflow: size <= 64 KiB */
	}
	if (unlikely(!have_end))
		return BOOT_EMALFORMED;
	if (bi->nmem == 0 && have_meminfo)
		return add_basic_mem(bi, mem_lower, mem_upper);
	return bi->nmem == 0 ? BOOT_ENOMEM_MAP : BOOT_OK;
}

enum boot_err boot_parse(uint32_t magic, uint64_t mbi_phys, boot_p2v_fn p2v,
			 struct boot_info *out)
{
	memset(out, 0, sizeof *out);
	if (magic == MB1_BOOT_MAGIC)
		return mb1_parse(mbi_phys, p2v, out);
	if (magic == MB2_BOOT_MAGIC)
		return mb2_parse(mbi_phys, p2v, out);
	return BOOT_EMAGIC;
}

const char *boot_strerror(enum boot_err e)
{
	switch (e) {
	case BOOT_OK:         return "ok";
	case BOOT_EMAGIC:     return "not booted by a multiboot loader (bad magic)";
	case BOOT_EACCESS:    return "boot information outside accessible memory";
	case BOOT_EMALFORMED: return "malformed boot information";
	case BOOT_ENOMEM_MAP: return "boot loader passed no memory map";
	case BOOT_ETOOMANY:   return "too many memory ranges or modules";
	}
	return "unknown boot error";
}

static bool overlaps(uint64_t a, uint64_t b, uint64_t lo, uint64_t hi)
{
	return a < hi && lo < b;
}

bool boot_is_ram(const struct boot_info *bi, uint64_t pa, uint64_t end)
{
	for (unsigned i = 0; i < bi->nmem && i < BOOT_MAX_MEMRANGES; i++) {
		const struct boot_memrange *r = &bi->mem[i];
		/* The parser clamps ranges at 2^64; clamp again rather than trust it. */
		uint64_t hi = r->base + r->len < r->base ? ~0ull : r->base + r->len;
		if (r->type == BOOT_MEM_USABLE && overlaps(pa, end, r->base, hi))
			return true;
	}
	for (unsigned i = 0; i < bi->nmod && i < BOOT_MAX_MODULES; i++)
		if (overlaps(pa, end, bi->mod[i].start, bi->mod[i].end))
			return true;
	return false;
}
