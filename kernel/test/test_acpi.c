/* test_acpi.c - the ACPI table walk (kernel/arch/x86_64/acpi.c) on
 * hand-built and hostile tables.
 *
 * A static buffer stands for physical memory [0, PHYS_SIZE), the first MiB
 * of a PC: BDA, EBDA, BIOS area.  p2v hands out a fresh heap copy of exactly
 * the bytes asked for, so AddressSanitizer catches any read past what the
 * parser asked p2v for; anything outside the buffer (or in the "hole" a test
 * sets) is NULL, as the kernel's would be for memory it cannot map. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#define APIC_H_ACPI_ONLY
#include "../arch/x86_64/apic.h"

#define PHYS_SIZE 0x100000ull
#define BIOS_BASE 0xe0000ull
#define TABLES    0x50000ull          /* where the tests build RSDT/XSDT/MADTs */

static uint8_t phys[PHYS_SIZE] __attribute__((aligned(16)));
static uint64_t hole_base, hole_len;  /* p2v refuses anything touching this */
static unsigned p2v_calls;

static void **copies;
static size_t ncopies, capcopies;

static const void *p2v(uint64_t pa, size_t len)
{
	p2v_calls++;
	if (pa >= PHYS_SIZE || len > PHYS_SIZE - pa)
		return NULL;
	if (hole_len && pa < hole_base + hole_len && pa + len > hole_base)
		return NULL;
	void *c = malloc(len ? len : 1);
	assert_non_null(c);
	memcpy(c, phys + pa, len);
	if (ncopies == capcopies) {
		capcopies = capcopies ? capcopies * 2 : 1024;
		copies = realloc(copies, capcopies * sizeof *copies);
		assert_non_null(copies);
	}
	copies[ncopies++] = c;
	return c;
}

static int setup(void **state)
{
	(void)state;
	memset(phys, 0, sizeof phys);
	hole_base = hole_len = 0;
	p2v_calls = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < ncopies; i++)
		free(copies[i]);
	ncopies = 0;
	return 0;
}

/* ---- builders ---- */

static void put16(uint64_t pa, uint16_t v) { memcpy(phys + pa, &v, 2); }
static void put32(uint64_t pa, uint32_t v) { memcpy(phys + pa, &v, 4); }
static void put64(uint64_t pa, uint64_t v) { memcpy(phys + pa, &v, 8); }

static uint8_t sum(uint64_t pa, size_t n)
{
	uint8_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + phys[pa + i]);
	return s;
}

/* An RSDP at pa: revision 0 (20 bytes) or 2 (36 bytes), checksums right. */
static void make_rsdp(uint64_t pa, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	memset(phys + pa, 0, 36);
	memcpy(phys + pa, "RSD PTR ", 8);
	memcpy(phys + pa + 9, "MINNOW", 6);
	phys[pa + 15] = rev;
	put32(pa + 16, rsdt);
	phys[pa + 8] = (uint8_t)-sum(pa, 20);
	if (rev >= 2) {
		put32(pa + 20, 36);
		put64(pa + 24, xsdt);
		phys[pa + 32] = (uint8_t)-sum(pa, 36);
	}
}

/* A table header at pa with length len; body already in place. */
static void seal(uint64_t pa, const char sig[4], uint32_t len)
{
	memcpy(phys + pa, sig, 4);
	put32(pa + 4, len);
	phys[pa + 8] = 1;
	memcpy(phys + pa + 10, "MINNOW", 6);
	phys[pa + 9] = 0;
	phys[pa + 9] = (uint8_t)-sum(pa, len);
}

static void make_root(uint64_t pa, const char sig[4], unsigned esize,
		      const uint64_t *tables, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (esize == 8)
			put64(pa + 36 + 8 * i, tables[i]);
		else
			put32(pa + 36 + 4 * i, (uint32_t)tables[i]);
	}
	seal(pa, sig, 36 + esize * n);
}

/* MADT under construction: entries are appended at madt_end. */
static uint64_t madt_pa, madt_end;

static void madt_begin(uint64_t pa, uint32_t lapic, uint32_t flags)
{
	madt_pa = pa;
	memset(phys + pa, 0, 44);
	put32(pa + 36, lapic);
	put32(pa + 40, flags);
	madt_end = pa + 44;
}
static void madt_raw(const uint8_t *b, unsigned n) { memcpy(phys + madt_end, b, n); madt_end += n; }
static void madt_lapic(uint8_t uid, uint8_t id, uint32_t fl)
{
	uint8_t e[8] = { 0, 8, uid, id };
	memcpy(e + 4, &fl, 4);
	madt_raw(e, 8);
}
static void madt_ioapic(uint8_t id, uint32_t addr, uint32_t base)
{
	uint8_t e[12] = { 1, 12, id, 0 };
	memcpy(e + 4, &addr, 4);
	memcpy(e + 8, &base, 4);
	madt_raw(e, 12);
}
static void madt_iso(uint8_t bus, uint8_t src, uint32_t gsi, uint16_t fl)
{
	uint8_t e[10] = { 2, 10, bus, src };
	memcpy(e + 4, &gsi, 4);
	memcpy(e + 8, &fl, 2);
	madt_raw(e, 10);
}
static void madt_nmi(uint8_t uid, uint16_t fl, uint8_t lint)
{
	uint8_t e[6] = { 4, 6, uid };
	memcpy(e + 3, &fl, 2);
	e[5] = lint;
	madt_raw(e, 6);
}
static void madt_lapic_addr(uint64_t addr)
{
	uint8_t e[12] = { 5, 12 };
	memcpy(e + 4, &addr, 8);
	madt_raw(e, 12);
}
static uint32_t madt_seal(void)
{
	uint32_t len = (uint32_t)(madt_end - madt_pa);
	seal(madt_pa, "APIC", len);
	return len;
}

/* What QEMU's pc machine builds: one CPU, one IOAPIC, ISA 0 -> GSI 2, the
 * PCI-routed ISA lines 5, 9, 10, 11 level/high, LINT1 NMI for every CPU. */
static uint32_t qemu_madt(uint64_t pa)
{
	madt_begin(pa, 0xfee00000, MADT_PCAT_COMPAT);
	madt_lapic(0, 0, MADT_CPU_ENABLED);
	madt_ioapic(0, 0xfec00000, 0);
	madt_iso(0, 0, 2, 0);
	madt_iso(0, 5, 5, 0xd);
	madt_iso(0, 9, 9, 0xd);
	madt_iso(0, 10, 10, 0xd);
	madt_iso(0, 11, 11, 0xd);
	madt_nmi(0xff, 0, 1);
	return madt_seal();
}

static const struct acpi_range bios_range = { BIOS_BASE, 0x20000 };
static struct madt_info mi;

/* ---- RSDP ---- */

static void rsdp_rev0_found(void **state)
{
	(void)state;
	make_rsdp(BIOS_BASE + 0x4a0, 0, 0x1234, 0);
	assert_int_equal(acpi_find_rsdp(p2v, &bios_range, 1), BIOS_BASE + 0x4a0);
}

static void rsdp_bad_checksum_skipped(void **state)
{
	(void)state;
	make_rsdp(BIOS_BASE + 0x100, 0, 0x1234, 0);
	phys[BIOS_BASE + 0x100 + 16] ^= 0x40;          /* RSDT address changed, checksum not */
	make_rsdp(BIOS_BASE + 0x200, 0, 0x5678, 0);
	assert_int_equal(acpi_find_rsdp(p2v, &bios_range, 1), BIOS_BASE + 0x200);
}

static void rsdp_unaligned_ignored(void **state)
{
	(void)state;
	make_rsdp(BIOS_BASE + 0x108, 0, 0x1234, 0);    /* not on a 16-byte boundary */
	assert_int_equal(acpi_find_rsdp(p2v, &bios_range, 1), 0);
}

static void rsdp_rev2_extended_checksum(void **state)
{
	(void)state;
	uint64_t pa = BIOS_BASE + 0x300;
	make_rsdp(pa, 2, 0x1234, 0x56789abcull);
	assert_int_equal(acpi_find_rsdp(p2v, &bios_range, 1), pa);
	phys[pa + 33] ^= 1;                             /* reserved byte: only the extended sum sees it */
	assert_int_equal(acpi_find_rsdp(p2v, &bios_range, 1), 0);
}

static void rsdp_rev2_bad_length(void **state)
{
	(void)state;
	uint64_t pa = BIOS_BASE + 0x300;
	make_rsdp(pa, 2, 0x1234, 0x5000);
	put32(pa + 20, 20);                             /* shorter than the structure */
	phys[pa + 32] = 0;
	phys[pa + 32] = (uint8_t)-sum(pa, 36);
	assert_int_equal(acpi_find_rsdp(p2v, &bios_range, 1), 0);
	put32(pa + 20, 0x7fffffff);                     /* absurdly long */
	phys[pa + 32] = 0;
	phys[pa + 32] = (uint8_t)-sum(pa, 36);
	assert_int_equal(acpi_find_rsdp(p2v, &bios_range, 1), 0);
}

static void rsdp_not_read_past_range(void **state)
{
	(void)state;
	make_rsdp(BIOS_BASE + 0x10, 0, 0x1234, 0);
	struct acpi_range r = { BIOS_BASE, 0x20 };      /* 16 bytes left at 0x10: too few */
	assert_int_equal(acpi_find_rsdp(p2v, &r, 1), 0);
	r.len = 0x24;
	assert_int_equal(acpi_find_rsdp(p2v, &r, 1), BIOS_BASE + 0x10);
}

static void rsdp_ranges_wrap_and_holes(void **state)
{
	(void)state;
	struct acpi_range r[2] = { { UINT64_MAX - 40, 1000 }, { BIOS_BASE, 0x20000 } };
	make_rsdp(BIOS_BASE + 0x800, 0, 0x1234, 0);
	hole_base = BIOS_BASE;                          /* the first part of the area unreadable */
	hole_len = 0x400;
	assert_int_equal(acpi_find_rsdp(p2v, r, 2), BIOS_BASE + 0x800);
}

static void pc_ranges_ebda(void **state)
{
	(void)state;
	struct acpi_range r[2];
	put16(0x40e, 0x9fc0);
	assert_int_equal(acpi_pc_ranges(p2v, r), 2);
	assert_int_equal(r[0].base, 0x9fc00);
	assert_int_equal(r[0].len, 1024);
	assert_int_equal(r[1].base, BIOS_BASE);
	assert_int_equal(r[1].len, 0x20000);

	make_rsdp(0x9fc00 + 0x40, 0, 0x1234, 0);
	make_rsdp(BIOS_BASE + 0x40, 0, 0x5678, 0);
	assert_int_equal(acpi_find_rsdp(p2v, r, 2), 0x9fc40);   /* the EBDA is searched first */
}

static void pc_ranges_bogus_ebda(void **state)
{
	(void)state;
	struct acpi_range r[2];
	put16(0x40e, 0);                                /* no EBDA */
	assert_int_equal(acpi_pc_ranges(p2v, r), 1);
	assert_int_equal(r[0].base, BIOS_BASE);
	put16(0x40e, 0xa000);                           /* the VGA hole is no EBDA */
	assert_int_equal(acpi_pc_ranges(p2v, r), 1);
	put16(0x40e, 0x9ff0);                           /* only 256 bytes below the hole */
	assert_int_equal(acpi_pc_ranges(p2v, r), 2);
	assert_int_equal(r[0].len, 0x100);
}

/* ---- the whole walk ---- */

static void walk_rsdt_qemu(void **state)
{
	(void)state;
	uint64_t facp = TABLES + 0x1000, madt = TABLES + 0x2000, rsdt = TABLES;
	memset(phys + facp, 0, 116);
	seal(facp, "FACP", 116);
	qemu_madt(madt);
	make_root(rsdt, "RSDT", 4, (uint64_t[]){ facp, madt }, 2);
	make_rsdp(BIOS_BASE + 0xf50, 0, (uint32_t)rsdt, 0);

	assert_int_equal(acpi_find_madt(p2v, &bios_range, 1, &mi), ACPI_OK);
	assert_int_equal(mi.rsdp_addr, BIOS_BASE + 0xf50);
	assert_int_equal(mi.rsdp_revision, 0);
	assert_false(mi.via_xsdt);
	assert_int_equal(mi.madt_addr, madt);
	assert_int_equal(mi.lapic_addr, 0xfee00000);
	assert_int_equal(mi.flags, MADT_PCAT_COMPAT);
	assert_int_equal(mi.ncpus, 1);
	assert_int_equal(mi.cpu[0].apic_id, 0);
	assert_int_equal(mi.cpu[0].flags, MADT_CPU_ENABLED);
	assert_int_equal(mi.nioapics, 1);
	assert_int_equal(mi.ioapic[0].addr, 0xfec00000);
	assert_int_equal(mi.ioapic[0].gsi_base, 0);
	assert_int_equal(mi.noverrides, 5);
	assert_int_equal(mi.override[0].bus, 0);
	assert_int_equal(mi.override[0].source, 0);
	assert_int_equal(mi.override[0].gsi, 2);
	assert_int_equal(mi.override[0].flags, 0);
	assert_int_equal(mi.override[4].source, 11);
	assert_int_equal(mi.override[4].flags & MPS_TRIG_MASK, MPS_TRIG_LEVEL);
	assert_int_equal(mi.override[4].flags & MPS_POL_MASK, MPS_POL_HIGH);
	assert_int_equal(mi.nnmis, 1);
	assert_int_equal(mi.nmi[0].uid, 0xff);
	assert_int_equal(mi.nmi[0].lint, 1);
	assert_int_equal(mi.dropped, 0);
	assert_int_equal(mi.unknown, 0);
}

static void walk_prefers_xsdt(void **state)
{
	(void)state;
	uint64_t m_x = TABLES + 0x2000, m_r = TABLES + 0x3000;
	madt_begin(m_x, 0xfee00000, 0);
	madt_ioapic(1, 0xfec01000, 0);
	madt_seal();
	madt_begin(m_r, 0xfee00000, 0);
	madt_ioapic(2, 0xfec02000, 0);
	madt_seal();
	make_root(TABLES, "RSDT", 4, (uint64_t[]){ m_r }, 1);
	make_root(TABLES + 0x800, "XSDT", 8, (uint64_t[]){ m_x }, 1);
	make_rsdp(BIOS_BASE + 0x20, 2, TABLES, TABLES + 0x800);

	assert_int_equal(acpi_find_madt(p2v, &bios_range, 1, &mi), ACPI_OK);
	assert_true(mi.via_xsdt);
	assert_int_equal(mi.rsdp_revision, 2);
	assert_int_equal(mi.madt_addr, m_x);
	assert_int_equal(mi.ioapic[0].addr, 0xfec01000);
}

static void walk_corrupt_xsdt_falls_back(void **state)
{
	(void)state;
	uint64_t m_r = TABLES + 0x3000;
	qemu_madt(m_r);
	make_root(TABLES, "RSDT", 4, (uint64_t[]){ m_r }, 1);
	make_root(TABLES + 0x800, "XSDT", 8, (uint64_t[]){ TABLES + 0x2000 }, 1);
	phys[TABLES + 0x800 + 36] ^= 0x10;              /* entry changed, checksum not */
	make_rsdp(BIOS_BASE + 0x20, 2, TABLES, TABLES + 0x800);

	assert_int_equal(acpi_find_madt(p2v, &bios_range, 1, &mi), ACPI_OK);
	assert_false(mi.via_xsdt);
	assert_int_equal(mi.madt_addr, m_r);
}

static void walk_no_rsdp(void **state)
{
	(void)state;
	qemu_madt(TABLES + 0x2000);
	assert_int_equal(acpi_find_madt(p2v, &bios_range, 1, &mi), ACPI_E_NO_RSDP);
	assert_int_equal(mi.nioapics, 0);
}

static void walk_bad_root(void **state)
{
	(void)state;
	uint64_t madt = TABLES + 0x2000;
	qemu_madt(madt);
	make_root(TABLES, "RSDT", 4, (uint64_t[]){ madt }, 1);
	make_rsdp(BIOS_BASE, 0, TABLES, 0);

	phys[TABLES + 9]++;                                    /* checksum */
	assert_int_equal(acpi_find_madt(p2v, &bios_range, 1, &mi), ACPI_E_BAD_ROOT);
	phys[TABLES + 9]--;
	assert_int_equal(acpi_find_madt(p2v, &bios_range, 1, &mi), ACPI_OK);

	memcpy(phys + TABLES, "XSDT", 4);                      /* wrong signature */
	assert_int_equal(acpi_find_madt(p2v, &bios_range, 1, &mi), ACPI_E_BAD_ROOT);
	memcpy(phys + TABLES, "RSDT", 4);

	put32(TABLES + 4, 20);                                 /* shorter than a header */
	assert_int_equal(acpi_find_madt(p2v, &bios_range, 1, &mi), ACPI_E_BAD_ROOT);
	put32(TABLES + 4, (uint32_t)(PHYS_SIZE - TABLES + 4)); /* runs off the end of memory */
	assert_int_equal(acpi_find_madt(p2v, &bios_range, 1, &mi), ACPI_E_BAD_ROOT);
	put32(TABLES + 4, 0xfffffff0);                         /* beyond the cap */
	assert_int_equal(acpi_find_madt(p2v, &bios_range, 1, &mi), ACPI_E_BAD_ROOT);

	make_rsdp(BIOS_BASE, 0, (uint32_t)PHYS_SIZE + 0x1000, 0); /* root not in memory */
	assert_int_equal(acpi_find_madt(p2v, &bios_range, 1, &mi), ACPI_E_BAD_ROOT);
}

static void walk_no_madt(void **state)
{
	(void)state;
	uint64_t facp = TABLES + 0x1000;
	memset(phys + facp, 0, 116);
	seal(facp, "FACP", 116);
	make_root(TABLES, "RSDT", 4, (uint64_t[]){ facp, 0, 0xfffff000 }, 3);
	make_rsdp(BIOS_BASE, 0, TABLES, 0);
	assert_int_equal(acpi_find_madt(p2v, &bios_range, 1, &mi), ACPI_E_NO_MADT);
}

static void walk_skips_unreadable_entries(void **state)
{
	(void)state;
	uint64_t madt = TABLES + 0x2000;
	qemu_madt(madt);
	make_root(TABLES, "RSDT", 4, (uint64_t[]){ 0xffffffff, 0, madt }, 3);
	make_rsdp(BIOS_BASE, 0, TABLES, 0);
	assert_int_equal(acpi_find_madt(p2v, &bios_range, 1, &mi), ACPI_OK);
	assert_int_equal(mi.madt_addr, madt);
}

static void walk_partial_root_entry_ignored(void **state)
{
	(void)state;
	uint64_t madt = TABLES + 0x2000;
	qemu_madt(madt);
	put32(TABLES + 36, (uint32_t)madt);
	put16(TABLES + 40, 0x1234);                     /* 2 stray bytes: half an entry */
	seal(TABLES, "RSDT", 42);
	make_rsdp(BIOS_BASE, 0, TABLES, 0);
	assert_int_equal(acpi_find_madt(p2v, &bios_range, 1, &mi), ACPI_OK);
}

static void walk_madt_bad_checksum(void **state)
{
	(void)state;
	uint64_t madt = TABLES + 0x2000;
	qemu_madt(madt);
	phys[madt + 44 + 8 + 4] ^= 0xff;                /* IOAPIC address, checksum stale */
	make_root(TABLES, "RSDT", 4, (uint64_t[]){ madt }, 1);
	make_rsdp(BIOS_BASE, 0, TABLES, 0);
	assert_int_equal(acpi_find_madt(p2v, &bios_range, 1, &mi), ACPI_E_BAD_MADT);
	assert_int_equal(mi.nioapics, 0);               /* nothing half-filled left behind */
}

static void walk_second_madt_used_when_first_corrupt(void **state)
{
	(void)state;
	uint64_t bad = TABLES + 0x2000, good = TABLES + 0x3000;
	madt_begin(bad, 0xfee00000, 0);
	madt_raw((const uint8_t[]){ 1, 0 }, 2);         /* entry length 0 */
	madt_seal();
	qemu_madt(good);
	make_root(TABLES, "RSDT", 4, (uint64_t[]){ bad, good }, 2);
	make_rsdp(BIOS_BASE, 0, TABLES, 0);
	assert_int_equal(acpi_find_madt(p2v, &bios_range, 1, &mi), ACPI_OK);
	assert_int_equal(mi.madt_addr, good);
}

/* ---- MADT entries ---- */

static const uint8_t *madt_image(uint32_t *len)
{
	*len = (uint32_t)(madt_end - madt_pa);
	return p2v(madt_pa, *len);
}

static void madt_entry_length_zero_or_one(void **state)
{
	(void)state;
	for (uint8_t k = 0; k < 4; k++) {
		uint8_t type = k < 2 ? 0 : 0x7f, el = k & 1;   /* a known and an unknown type */
		madt_begin(TABLES, 0xfee00000, 0);
		madt_lapic(0, 0, 1);
		madt_raw((const uint8_t[]){ type, el, 0, 0, 0, 0, 0, 0 }, 8);
		madt_seal();
		uint32_t len;
		const uint8_t *t = madt_image(&len);
		assert_int_equal(acpi_parse_madt(t, len, &mi), ACPI_E_BAD_MADT);
		assert_int_equal(mi.ncpus, 0);
	}
}

static void madt_entry_overruns_table(void **state)
{
	(void)state;
	madt_begin(TABLES, 0xfee00000, 0);
	madt_lapic(0, 0, 1);
	madt_raw((const uint8_t[]){ 1, 12, 0, 0, 0, 0, 0xc0, 0xfe }, 8);   /* says 12, has 8 */
	uint32_t len = madt_seal();
	assert_int_equal(acpi_parse_madt(p2v(TABLES, len), len, &mi), ACPI_E_BAD_MADT);
}

static void madt_entry_too_short_for_type(void **state)
{
	(void)state;
	madt_begin(TABLES, 0xfee00000, 0);
	madt_raw((const uint8_t[]){ 1, 8, 0, 0, 0, 0, 0xc0, 0xfe }, 8);    /* IOAPIC needs 12 */
	uint32_t len = madt_seal();
	assert_int_equal(acpi_parse_madt(p2v(TABLES, len), len, &mi), ACPI_E_BAD_MADT);

	madt_begin(TABLES, 0xfee00000, 0);
	madt_raw((const uint8_t[]){ 5, 8, 0, 0, 0, 0, 0, 0 }, 8);          /* address override needs 12 */
	len = madt_seal();
	assert_int_equal(acpi_parse_madt(p2v(TABLES, len), len, &mi), ACPI_E_BAD_MADT);
}

static void madt_trailing_byte(void **state)
{
	(void)state;
	madt_begin(TABLES, 0xfee00000, 0);
	madt_lapic(0, 0, 1);
	madt_raw((const uint8_t[]){ 0 }, 1);
	uint32_t len = madt_seal();
	assert_int_equal(acpi_parse_madt(p2v(TABLES, len), len, &mi), ACPI_E_BAD_MADT);
}

static void madt_declared_length_beyond_buffer(void **state)
{
	(void)state;
	uint32_t len = qemu_madt(TABLES);
	/* The caller vouches for len - 1 bytes only: the table's own length
	 * must not take the parser beyond them. */
	assert_int_equal(acpi_parse_madt(p2v(TABLES, len - 1), len - 1, &mi), ACPI_E_BAD_MADT);
	assert_int_equal(acpi_parse_madt(p2v(TABLES, 43), 43, &mi), ACPI_E_BAD_MADT);
	assert_int_equal(acpi_parse_madt(NULL, 100, &mi), ACPI_E_BAD_MADT);
	/* A longer buffer is fine: the declared length rules. */
	assert_int_equal(acpi_parse_madt(p2v(TABLES, len + 64), len + 64, &mi), ACPI_OK);
	assert_int_equal(mi.noverrides, 5);
}

static void madt_empty_is_valid(void **state)
{
	(void)state;
	madt_begin(TABLES, 0xfee00000, 0);
	uint32_t len = madt_seal();
	assert_int_equal(len, 44);
	assert_int_equal(acpi_parse_madt(p2v(TABLES, len), len, &mi), ACPI_OK);
	assert_int_equal(mi.ncpus + mi.nioapics + mi.noverrides + mi.nnmis, 0);
	assert_int_equal(mi.lapic_addr, 0xfee00000);
}

static void madt_too_many_ioapics_capped(void **state)
{
	(void)state;
	madt_begin(TABLES, 0xfee00000, 0);
	for (unsigned i = 0; i < MADT_MAX_IOAPICS + 3; i++)
		madt_ioapic((uint8_t)i, 0xfec00000 + 0x1000 * i, 24 * i);
	uint32_t len = madt_seal();
	assert_int_equal(acpi_parse_madt(p2v(TABLES, len), len, &mi), ACPI_OK);
	assert_int_equal(mi.nioapics, MADT_MAX_IOAPICS);
	assert_int_equal(mi.dropped, 3);
	assert_int_equal(mi.ioapic[MADT_MAX_IOAPICS - 1].addr,
			 0xfec00000 + 0x1000 * (MADT_MAX_IOAPICS - 1));
	assert_int_equal(mi.ioapic[MADT_MAX_IOAPICS - 1].gsi_base, 24 * (MADT_MAX_IOAPICS - 1));
}

static void madt_too_many_cpus_and_overrides(void **state)
{
	(void)state;
	madt_begin(TABLES, 0xfee00000, 0);
	for (unsigned i = 0; i < MADT_MAX_CPUS + 6; i++)
		madt_lapic((uint8_t)i, (uint8_t)i, 1);
	for (unsigned i = 0; i < MADT_MAX_OVERRIDES + 2; i++)
		madt_iso(0, (uint8_t)i, i, 0);
	for (unsigned i = 0; i < MADT_MAX_NMIS + 1; i++)
		madt_nmi((uint8_t)i, 0, 1);
	uint32_t len = madt_seal();
	assert_int_equal(acpi_parse_madt(p2v(TABLES, len), len, &mi), ACPI_OK);
	assert_int_equal(mi.ncpus, MADT_MAX_CPUS);
	assert_int_equal(mi.noverrides, MADT_MAX_OVERRIDES);
	assert_int_equal(mi.nnmis, MADT_MAX_NMIS);
	assert_int_equal(mi.dropped, 6 + 2 + 1);
	assert_int_equal(mi.cpu[MADT_MAX_CPUS - 1].apic_id, MADT_MAX_CPUS - 1);
}

static void madt_lapic_address_override(void **state)
{
	(void)state;
	madt_begin(TABLES, 0xfee00000, 0);
	madt_lapic(0, 0, 1);
	madt_lapic_addr(0x1234fee00000ull);
	uint32_t len = madt_seal();
	assert_int_equal(acpi_parse_madt(p2v(TABLES, len), len, &mi), ACPI_OK);
	assert_int_equal(mi.lapic_addr, 0x1234fee00000ull);
}

static void madt_unknown_types_skipped(void **state)
{
	(void)state;
	madt_begin(TABLES, 0xfee00000, 0);
	madt_raw((const uint8_t[]){ 9, 16, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 }, 16); /* x2APIC */
	madt_raw((const uint8_t[]){ 3, 8, 0, 0, 2, 0, 0, 0 }, 8);                         /* NMI source */
	madt_raw((const uint8_t[]){ 0x80, 2 }, 2);                                        /* OEM, bare */
	madt_ioapic(4, 0xfec00000, 0);
	madt_raw((const uint8_t[]){ 0, 10, 1, 1, 1, 0, 0, 0, 0xaa, 0xbb }, 10);           /* longer LAPIC */
	uint32_t len = madt_seal();
	assert_int_equal(acpi_parse_madt(p2v(TABLES, len), len, &mi), ACPI_OK);
	assert_int_equal(mi.unknown, 3);
	assert_int_equal(mi.nioapics, 1);
	assert_int_equal(mi.ioapic[0].id, 4);
	assert_int_equal(mi.ncpus, 1);
	assert_int_equal(mi.cpu[0].apic_id, 1);
	assert_int_equal(mi.cpu[0].flags, 1);
}

static void madt_nmi_fields(void **state)
{
	(void)state;
	madt_begin(TABLES, 0xfee00000, 0);
	madt_nmi(3, MPS_POL_LOW | MPS_TRIG_LEVEL, 0);
	uint32_t len = madt_seal();
	assert_int_equal(acpi_parse_madt(p2v(TABLES, len), len, &mi), ACPI_OK);
	assert_int_equal(mi.nnmis, 1);
	assert_int_equal(mi.nmi[0].uid, 3);
	assert_int_equal(mi.nmi[0].flags, MPS_POL_LOW | MPS_TRIG_LEVEL);
	assert_int_equal(mi.nmi[0].lint, 0);
}

/* Flip every byte of a valid table set in turn (fixing nothing): the walk
 * must never crash, read out of bounds or loop, and must never report a
 * MADT whose bytes it did not check. */
static void corruption_sweep(void **state)
{
	(void)state;
	uint64_t madt = TABLES + 0x2000;
	uint32_t mlen = qemu_madt(madt);
	make_root(TABLES, "RSDT", 4, (uint64_t[]){ madt }, 1);
	uint64_t rsdp = BIOS_BASE + 0x40;
	make_rsdp(rsdp, 0, TABLES, 0);
	struct acpi_range r = { BIOS_BASE, 0x100 };

	const struct { uint64_t pa; uint32_t len; } regions[] = {
		{ rsdp, 20 }, { TABLES, 40 }, { madt, mlen },
	};
	for (unsigned k = 0; k < 3; k++)
		for (uint32_t i = 0; i < regions[k].len; i++) {
			uint8_t *b = &phys[regions[k].pa + i];
			*b ^= 0x5a;
			enum acpi_err e = acpi_find_madt(p2v, &r, 1, &mi);
			assert_int_not_equal(e, ACPI_OK);       /* every byte is under a checksum */
			*b ^= 0x5a;
			teardown(NULL);
		}
	assert_int_equal(acpi_find_madt(p2v, &r, 1, &mi), ACPI_OK);
}

static void strerror_names(void **state)
{
	(void)state;
	for (int e = ACPI_OK; e <= ACPI_E_BAD_MADT; e++) {
		assert_non_null(acpi_strerror(e));
		assert_string_not_equal(acpi_strerror(e), "unknown error");
	}
	assert_string_equal(acpi_strerror((enum acpi_err)99), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(rsdp_rev0_found),
		T(rsdp_bad_checksum_skipped),
		T(rsdp_unaligned_ignored),
		T(rsdp_rev2_extended_checksum),
		T(rsdp_rev2_bad_length),
		T(rsdp_not_read_past_range),
		T(rsdp_ranges_wrap_and_holes),
		T(pc_ranges_ebda),
		T(pc_ranges_bogus_ebda),
		T(walk_rsdt_qemu),
		T(walk_prefers_xsdt),
		T(walk_corrupt_xsdt_falls_back),
		T(walk_no_rsdp),
		T(walk_bad_root),
		T(walk_no_madt),
		T(walk_skips_unreadable_entries),
		T(walk_partial_root_entry_ignored),
		T(walk_madt_bad_checksum),
		T(walk_second_madt_used_when_first_corrupt),
		T(madt_entry_length_zero_or_one),
		T(madt_entry_overruns_table),
		T(madt_entry_too_short_for_type),
		T(madt_trailing_byte),
		T(madt_declared_length_beyond_buffer),
		T(madt_empty_is_valid),
		T(madt_too_many_ioapics_capped),
		T(madt_too_many_cpus_and_overrides),
		T(madt_lapic_address_override),
		T(madt_unknown_types_skipped),
		T(madt_nmi_fields),
		T(corruption_sweep),
		T(strerror_names),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
