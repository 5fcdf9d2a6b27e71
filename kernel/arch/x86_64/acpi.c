/* acpi.c - find the MADT ("APIC" table) through the RSDP and the RSDT or
 * XSDT, and parse it into struct madt_info.
 *
 * References: ACPI 6.5, 5.2.5 (RSDP: "RSD PTR ", checksum over the first 20
 * bytes, the extended checksum over Length bytes from revision 2), 5.2.6
 * (the 36-byte system description table header), 5.2.7/5.2.8 (RSDT: 32-bit
 * table addresses, XSDT: 64-bit), 5.2.12 (MADT: local APIC address and
 * flags after the header, then entries of type, length, body).
 *
 * Pure logic: memory is only read through the caller's p2v, with an explicit
 * length, and every length read from a table is checked against its
 * container before it is used.  Fields are assembled bytewise (tables need
 * not be aligned).  The host test (kernel/test/test_acpi.c) feeds it
 * hand-built and hostile tables. */
#define APIC_H_ACPI_ONLY
#include "apic.h"
#include "k/kstring.h"

#define SDT_HEADER_LEN 36
#define MADT_FIXED_LEN (SDT_HEADER_LEN + 8)   /* local APIC address, flags */
#define RSDP_V1_LEN 20
#define RSDP_V2_LEN 36
#define RSDP_MAX_LEN 4096                     /* revision 2+ Length field sanity cap */

enum madt_type {
	MADT_LAPIC = 0, MADT_IOAPIC = 1, MADT_OVERRIDE = 2, MADT_NMI_SOURCE = 3,
	MADT_LAPIC_NMI = 4, MADT_LAPIC_ADDR = 5,
};

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static bool sum_is_zero(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *p++);
	return s == 0;
}

const char *acpi_strerror(enum acpi_err e)
{
	switch (e) {
	case ACPI_OK:         return "ok";
	case ACPI_E_NO_RSDP:  return "no RSDP found";
	case ACPI_E_BAD_ROOT: return "RSDT/XSDT unreadable or corrupt";
	case ACPI_E_NO_MADT:  return "no MADT listed";
	case ACPI_E_BAD_MADT: return "MADT corrupt";
	}
	return "unknown error";
}

unsigned acpi_pc_ranges(acpi_p2v_fn p2v, struct acpi_range out[2])
{
	unsigned n = 0;
	/* BDA word 0x40e: the EBDA's real-mode segment.  Only believe it when it
	 * points into conventional memory below the VGA hole. */
	const uint8_t *bda = p2v(0x40e, 2);
	if (bda) {
		uint64_t ebda = (uint64_t)rd16(bda) << 4;
		if (ebda >= 0x1000 && ebda < 0xa0000) {
			uint64_t len = 0xa0000 - ebda < 1024 ? 0xa0000 - ebda : 1024;
			out[n++] = (struct acpi_range){ ebda, len };
		}
	}
	out[n++] = (struct acpi_range){ 0xe0000, 0x20000 };
	return n;
}

/* A valid RSDP at pa (ACPI 5.2.5.3): its revision in *rev. */
static bool rsdp_valid(acpi_p2v_fn p2v, uint64_t pa, uint8_t *rev)
{
	const uint8_t *p = p2v(pa, RSDP_V1_LEN);
	if (!p || memcmp(p, "RSD PTR ", 8) || !sum_is_zero(p, RSDP_V1_LEN))
		return false;
	*rev = p[15];
	if (*rev < 2)
		return true;
	p = p2v(pa, RSDP_V2_LEN);
	if (!p)
		return false;
	uint32_t len = rd32(p + 20);
	if (len < RSDP_V2_LEN || len > RSDP_MAX_LEN)
		return false;
	p = p2v(pa, len);
	return p && sum_is_zero(p, len);
}

uint64_t acpi_find_rsdp(acpi_p2v_fn p2v, const struct acpi_range *ranges, unsigned n)
{
	for (unsigned r = 0; r < n; r++) {
		uint64_t base = ranges[r].base, len = ranges[r].len;
		if (len > UINT64_MAX - base)
			len = UINT64_MAX - base;
		uint64_t end = base + len;
		uint64_t pa = (base + 15) & ~15ull;
		if (pa < base)                      /* aligning wrapped around */
			continue;
		for (; pa < end && end - pa >= RSDP_V1_LEN; pa += 16) {
			uint8_t rev;
			if (pa && rsdp_valid(p2v, pa, &rev))
				return pa;
			if (pa > UINT64_MAX - 16)
				break;
		}
	}
	return 0;
}

/* The table at pa checked: readable header, signature, a length that covers
 * the header and stays below the cap, readable, checksum.  The error says
 * how far it got: NO_MADT-style "not this table" vs. "corrupt". */
enum table_check { TABLE_OK, TABLE_UNREADABLE, TABLE_OTHER_SIG, TABLE_CORRUPT };

static enum table_check check_table(acpi_p2v_fn p2v, uint64_t pa, const char sig[4],
				    const uint8_t **out, uint32_t *len)
{
	if (!pa)
		return TABLE_UNREADABLE;
	const uint8_t *h = p2v(pa, SDT_HEADER_LEN);
	if (!h)
		return TABLE_UNREADABLE;
	if (sig && memcmp(h, sig, 4))
		return TABLE_OTHER_SIG;
	uint32_t l = rd32(h + 4);
	if (l < SDT_HEADER_LEN || l > ACPI_MAX_TABLE_LEN)
		return TABLE_CORRUPT;
	const uint8_t *t = p2v(pa, l);
	if (!t)
		return TABLE_CORRUPT;               /* header readable, body is not */
	if (!sum_is_zero(t, l))
		return TABLE_CORRUPT;
	*out = t;
	*len = l;
	return TABLE_OK;
}

const uint8_t *acpi_table(acpi_p2v_fn p2v, uint64_t pa, const char sig[4], uint32_t *len)
{
	const uint8_t *t = NULL;
	uint32_t l = 0;
	if (check_table(p2v, pa, sig, &t, &l) != TABLE_OK)
		return NULL;
	if (len)
		*len = l;
	return t;
}

/* Minimum body length of each entry type we read (ACPI 5.2.12.2-5.2.12.8). */
static uint8_t madt_min_len(uint8_t type)
{
	switch (type) {
	case MADT_LAPIC:      return 8;
	case MADT_IOAPIC:     return 12;
	case MADT_OVERRIDE:   return 10;
	case MADT_NMI_SOURCE: return 8;
	case MADT_LAPIC_NMI:  return 6;
	case MADT_LAPIC_ADDR: return 12;
	}
	return 2;
}

static enum acpi_err parse_madt(const uint8_t *t, uint32_t len, struct madt_info *mi)
{
	if (!t || len < MADT_FIXED_LEN || memcmp(t, "APIC", 4))
		return ACPI_E_BAD_MADT;
	uint32_t tl = rd32(t + 4);                  /* the table's own length rules ... */
	if (tl < MADT_FIXED_LEN || tl > len)        /* ... but only within what we were given */
		return ACPI_E_BAD_MADT;
	mi->lapic_addr = rd32(t + 36);
	mi->flags = rd32(t + 40);

	uint32_t off = MADT_FIXED_LEN;
	while (off < tl) {
		if (tl - off < 2)
			return ACPI_E_BAD_MADT;             /* a stray byte where a header should be */
		const uint8_t *e = t + off;
		uint8_t type = e[0], el = e[1];
		if (el < 2 || el > tl - off || el < madt_min_len(type))
			return ACPI_E_BAD_MADT;
		switch (type) {
		case MADT_LAPIC:
			if (mi->ncpus == MADT_MAX_CPUS) { mi->dropped++; break; }
			mi->cpu[mi->ncpus++] = (struct madt_cpu){
				.uid = e[2], .apic_id = e[3], .flags = rd32(e + 4) };
			break;
		case MADT_IOAPIC:
			if (mi->nioapics == MADT_MAX_IOAPICS) { mi->dropped++; break; }
			mi->ioapic[mi->nioapics++] = (struct madt_ioapic){
				.id = e[2], .addr = rd32(e + 4), .gsi_base = rd32(e + 8) };
			break;
		case MADT_OVERRIDE:
			if (mi->noverrides == MADT_MAX_OVERRIDES) { mi->dropped++; break; }
			mi->override[mi->noverrides++] = (struct madt_override){
				.bus = e[2], .source = e[3], .gsi = rd32(e + 4), .flags = rd16(e + 8) };
			break;
		case MADT_LAPIC_NMI:
			if (mi->nnmis == MADT_MAX_NMIS) { mi->dropped++; break; }
			mi->nmi[mi->nnmis++] = (struct madt_nmi){
				.uid = e[2], .flags = rd16(e + 3), .lint = e[5] };
			break;
		case MADT_LAPIC_ADDR:
			mi->lapic_addr = rd64(e + 4);
			break;
		default:                                /* NMI sources, x2APIC, GIC, ...: skipped */
			mi->unknown++;
			break;
		}
		off += el;
	}
	return ACPI_OK;
}

/* All or nothing: a corrupt MADT leaves *mi empty, not half filled. */
enum acpi_err acpi_parse_madt(const uint8_t *t, uint32_t len, struct madt_info *mi)
{
	memset(mi, 0, sizeof *mi);
	enum acpi_err e = parse_madt(t, len, mi);
	if (e != ACPI_OK)
		memset(mi, 0, sizeof *mi);
	return e;
}

/* Walk one root table (esize 4: RSDT, 8: XSDT) for the first valid MADT. */
static enum acpi_err walk_root(acpi_p2v_fn p2v, uint64_t root, const char sig[4],
			       unsigned esize, struct madt_info *mi)
{
	const uint8_t *t;
	uint32_t len;
	if (check_table(p2v, root, sig, &t, &len) != TABLE_OK)
		return ACPI_E_BAD_ROOT;
	uint32_t n = (len - SDT_HEADER_LEN) / esize;   /* a partial last entry is ignored */
	bool corrupt = false;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = t + SDT_HEADER_LEN + (size_t)i * esize;
		uint64_t pa = esize == 8 ? rd64(e) : rd32(e);
		const uint8_t *m;
		uint32_t ml;
		enum table_check c = check_table(p2v, pa, "APIC", &m, &ml);
		if (c == TABLE_CORRUPT)
			corrupt = true;
		if (c != TABLE_OK)
			continue;
		enum acpi_err err = acpi_parse_madt(m, ml, mi);
		if (err == ACPI_OK) {
			mi->madt_addr = pa;
			return ACPI_OK;
		}
		corrupt = true;
	}
	return corrupt ? ACPI_E_BAD_MADT : ACPI_E_NO_MADT;
}

enum acpi_err acpi_find_madt(acpi_p2v_fn p2v, const struct acpi_range *ranges, unsigned n,
			     struct madt_info *mi)
{
	memset(mi, 0, sizeof *mi);
	uint64_t rsdp = acpi_find_rsdp(p2v, ranges, n);
	if (!rsdp)
		return ACPI_E_NO_RSDP;
	/* Validated already, but p2v is asked again: never assume it answers twice. */
	const uint8_t *p = p2v(rsdp, RSDP_V1_LEN);
	const uint8_t *p2 = p && p[15] >= 2 ? p2v(rsdp, RSDP_V2_LEN) : NULL;
	if (!p || (p[15] >= 2 && !p2))
		return ACPI_E_NO_RSDP;
	uint8_t rev = p[15];
	uint64_t rsdt = rd32(p + 16), xsdt = p2 ? rd64(p2 + 24) : 0;

	/* ACPI 5.2.5.3: an OS uses the XSDT when there is one.  A corrupt XSDT
	 * is no reason to give up while a valid RSDT is there. */
	enum acpi_err err = ACPI_E_BAD_ROOT;
	bool via_xsdt = false;
	if (xsdt) {
		err = walk_root(p2v, xsdt, "XSDT", 8, mi);
		via_xsdt = err != ACPI_E_BAD_ROOT;
	}
	if (err == ACPI_E_BAD_ROOT && rsdt)
		err = walk_root(p2v, rsdt, "RSDT", 4, mi);
	if (err != ACPI_OK) {
		memset(mi, 0, sizeof *mi);
		return err;
	}
	mi->rsdp_addr = rsdp;
	mi->rsdp_revision = rev;
	mi->via_xsdt = via_xsdt;
	return ACPI_OK;
}
