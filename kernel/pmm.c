/* pmm.c - physical frame allocator: one bit per 4 KiB frame, 1 = free.
 *
 * Init works in frame numbers throughout, which cannot overflow (a 64-bit
 * address has a 52-bit frame number):
 *   - usable map ranges are rounded inward to whole frames, everything that
 *     must not be handed out (non-usable map ranges, the caller's resv[], the
 *     bitmap itself) outward, so a partly reserved frame is never free;
 *   - a frame is free iff some usable range covers it and no reserved range
 *     does, whatever the order or overlap of the map entries.  Bits are set
 *     and cleared idempotently and the free count is taken from the finished
 *     bitmap, so overlapping usable ranges are never counted twice;
 *   - firmware maps can overlap usable and reserved entries; reserved wins.
 * Frame 0 is never marked free, so 0 can mean "no frame".
 */
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "k/pmm.h"
#include "k/kstring.h"

#define unlikely(x) __builtin_expect(!!(x), 0)

#define FRAME_MASK (PAGE_SIZE - 1)
#define MAX_FRAME  (UINT64_MAX >> PAGE_SHIFT)   /* frames in a 64-bit space */

static inline uint64_t down_frame(uint64_t a) { return a >> PAGE_SHIFT; }
static inline uint64_t up_frame(uint64_t a) { return (a >> PAGE_SHIFT) + ((a & FRAME_MASK) != 0); }
static inline uint64_t nwords(const struct pmm *p) { return (p->nframes + 63) / 64; }

/* No popcount instruction without -mpopcnt, and __builtin_popcountll would
 * then call into libgcc, which the kernel does not link. */
static unsigned popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

/* Mask of bits [lo, hi) within one word, 0 <= lo < hi <= 64. */
static inline uint64_t bits(unsigned lo, unsigned hi)
{
	uint64_t m = hi == 64 ? ~0ull : (1ull << hi) - 1;
	return m & ~((1ull << lo) - 1);
}

/* Set (free) or clear (in use) frames [a, b), clamped to the bitmap. */
static void mark(struct pmm *p, uint64_t a, uint64_t b, bool free)
{
	if (b > p->nframes)
		b = p->nframes;
	while (a < b) {
		uint64_t w = a / 64;
		unsigned lo = a % 64;
		unsigned hi = (b - w * 64) >= 64 ? 64 : (unsigned)(b - w * 64);
		if (free)
			p->bitmap[w] |= bits(lo, hi);
		else
			p->bitmap[w] &= ~bits(lo, hi);
		a = w * 64 + hi;
	}
}

/* First frame in [a, b) whose bit equals want (1 = free), or b. */
static uint64_t find(const struct pmm *p, uint64_t a, uint64_t b, bool want)
{
	while (a < b) {
		uint64_t w = a / 64;
		unsigned lo = a % 64;
		unsigned hi = (b - w * 64) >= 64 ? 64 : (unsigned)(b - w * 64);
		uint64_t v = want ? p->bitmap[w] : ~p->bitmap[w];
		v &= bits(lo, hi);
		if (v != 0)
			return w * 64 + (uint64_t)__builtin_ctzll(v);
		a = w * 64 + hi;
	}
	return b;
}

/* ---- views of the inputs, in frames ---- */

static bool usable_frames(const struct boot_memrange *m, uint64_t *fb, uint64_t *fe)
{
	if (m->type != BOOT_MEM_USABLE)
		return false;
	uint64_t end = m->base + m->len < m->base ? UINT64_MAX : m->base + m->len;
	*fb = up_frame(m->base);
	*fe = down_frame(end);
	if (*fb == 0)
		*fb = 1;                        /* frame 0 is never managed */
	return *fb < *fe;
}

struct inputs {
	const struct boot_memrange *mem;
	unsigned nmem;
	const struct pmm_range *resv;
	unsigned nresv;
};

/* Reserved range i in frames, i < nmem + nresv: first the non-usable map
 * entries, then resv[].  Rounded outward. */
static bool reserved_frames(const struct inputs *in, unsigned i, uint64_t *fb, uint64_t *fe)
{
	uint64_t base, end;

	if (i < in->nmem) {
		const struct boot_memrange *m = &in->mem[i];
		if (m->type == BOOT_MEM_USABLE)
			return false;
		base = m->base;
		end = base + m->len < base ? UINT64_MAX : base + m->len;
	} else {
		base = in->resv[i - in->nmem].base;
		end = in->resv[i - in->nmem].end;
	}
	if (end <= base)
		return false;
	*fb = down_frame(base);
	*fe = up_frame(end);
	return true;
}

/* Is [f, f+n) covered by usable ranges (possibly several, overlapping or
 * abutting) and clear of every reserved range? */
static bool span_ok(const struct inputs *in, uint64_t f, uint64_t n)
{
	uint64_t end = f + n, pos = f, fb, fe;

	while (pos < end) {
		uint64_t reach = pos;
		for (unsigned i = 0; i < in->nmem; i++)
			if (usable_frames(&in->mem[i], &fb, &fe) && fb <= pos && fe > reach)
				reach = fe;
		if (reach == pos)
			return false;
		pos = reach;
	}
	for (unsigned i = 0; i < in->nmem + in->nresv; i++)
		if (reserved_frames(in, i, &fb, &fe) && fb < end && f < fe)
			return false;
	return true;
}

/* The lowest frame >= lo where n frames fit, or 0 if none.  The lowest fit
 * can always be slid down until it meets the start of a usable range, the
 * end of a reserved one, or frame 1, so only those need be tried. */
static uint64_t lowest_fit(const struct inputs *in, uint64_t n, uint64_t lo)
{
	uint64_t best = 0, fb, fe;

#define TRY(c) do { uint64_t c_ = (c); \
		if (c_ >= lo && (best == 0 || c_ < best) && c_ <= MAX_FRAME - n && \
		    span_ok(in, c_, n)) best = c_; } while (0)
	TRY(1);
	for (unsigned i = 0; i < in->nmem; i++)
		if (usable_frames(&in->mem[i], &fb, &fe))
			TRY(fb);
	for (unsigned i = 0; i < in->nmem + in->nresv; i++)
		if (reserved_frames(in, i, &fb, &fe))
			TRY(fe);
#undef TRY
	return best;
}

enum pmm_err pmm_init(struct pmm *p, const struct boot_memrange *mem, unsigned nmem,
		      const struct pmm_range *resv, unsigned nresv, pmm_p2v_fn p2v)
{
	struct inputs in = { mem, nmem, resv, nresv };
	uint64_t top = 0, fb, fe;

	memset(p, 0, sizeof *p);
	for (unsigned i = 0; i < nmem; i++)
		if (usable_frames(&mem[i], &fb, &fe) && fe > top)
			top = fe;
	if (unlikely(top == 0))
		return PMM_ENOMEM;
	p->nframes = top;

	/* The bitmap goes in the lowest gap that fits and that p2v can map
	 * (early on the kernel may map only part of RAM). */
	uint64_t bytes = nwords(p) * 8;
	uint64_t bm_frames = up_frame(bytes);
	uint64_t at = 0;
	for (uint64_t lo = 1;; lo = at + 1) {
		at = lowest_fit(&in, bm_frames, lo);
		if (unlikely(at == 0))
			return PMM_ENOMEM;
		p->bitmap = p2v(at << PAGE_SHIFT, (size_t)bytes);
		if (p->bitmap != NULL)
			break;
	}
	p->bitmap_phys = at << PAGE_SHIFT;

	memset(p->bitmap, 0, (size_t)bytes);
	for (unsigned i = 0; i < nmem; i++)
		if (usable_frames(&mem[i], &fb, &fe))
			mark(p, fb, fe, true);
	for (unsigned i = 0; i < nmem + nresv; i++)
		if (reserved_frames(&in, i, &fb, &fe))
			mark(p, fb, fe, false);
	mark(p, at, at + bm_frames, false);

	for (uint64_t w = 0; w < nwords(p); w++)
		p->nfree += popcount64(p->bitmap[w]);
	p->ntotal = p->nfree;
	p->hint = 0;
	return PMM_OK;
}

/* Scan words from the hint (where the last frame came from; frees below it
 * move it back), wrapping once.  Amortised O(1) while memory is plentiful. */
uint64_t pmm_alloc(struct pmm *p)
{
	uint64_t nw = nwords(p);

	if (p->nfree == 0 || nw == 0)
		return 0;
	if (p->hint >= nw)
		p->hint = 0;
	for (uint64_t i = 0; i < nw; i++) {
		uint64_t w = p->hint + i < nw ? p->hint + i : p->hint + i - nw;
		if (p->bitmap[w] != 0) {
			unsigned b = (unsigned)__builtin_ctzll(p->bitmap[w]);
			p->bitmap[w] &= ~(1ull << b);
			p->nfree--;
			p->hint = w;
			return (w * 64 + b) << PAGE_SHIFT;
		}
	}
	return 0;       /* nfree disagreed with the bitmap; treat as empty */
}

/* First-fit over aligned start frames. */
uint64_t pmm_alloc_contig(struct pmm *p, uint64_t n, uint64_t align)
{
	if (n == 0 || align == 0 || (align & (align - 1)) != 0)
		return 0;
	if (n > p->nfree || align >= p->nframes)
		return 0;
	for (uint64_t f = align; n <= p->nframes - f;) {   /* frame 0 is never free */
		uint64_t k = find(p, f, f + n, false);
		if (k == f + n) {
			mark(p, f, f + n, false);
			p->nfree -= n;
			return f << PAGE_SHIFT;
		}
		/* Resume at the first free frame past k, rounded up. */
		uint64_t nf = find(p, k + 1, p->nframes, true);
		if (nf >= p->nframes)
			break;
		f = (nf + align - 1) & ~(align - 1);
		if (f >= p->nframes)
			break;
	}
	return 0;
}

static enum pmm_err check_range(const struct pmm *p, uint64_t phys, uint64_t n)
{
	uint64_t f = phys >> PAGE_SHIFT;

	if (unlikely((phys & FRAME_MASK) != 0 || n == 0 || f == 0 || f >= p->nframes ||
		     n > p->nframes - f))
		return PMM_EINVAL;
	if (unlikely(find(p, f, f + n, true) != f + n))
		return PMM_EDOUBLE;
	return PMM_OK;
}

/* Any in-range frame may be freed, including ones that were reserved at init
 * (e.g. boot modules the kernel has finished with). */
enum pmm_err pmm_free(struct pmm *p, uint64_t phys)
{
	return pmm_free_contig(p, phys, 1);
}

/* All or nothing: the whole range is checked before any bit changes. */
enum pmm_err pmm_free_contig(struct pmm *p, uint64_t phys, uint64_t n)
{
	enum pmm_err e = check_range(p, phys, n);
	if (e != PMM_OK)
		return e;
	uint64_t f = phys >> PAGE_SHIFT;
	mark(p, f, f + n, true);
	p->nfree += n;
	if (f / 64 < p->hint)
		p->hint = f / 64;
	return PMM_OK;
}

/* 1 if the frame holding phys is free, 0 if in use or not managed. */
int pmm_is_free(const struct pmm *p, uint64_t phys)
{
	uint64_t f = phys >> PAGE_SHIFT;

	if (f >= p->nframes)
		return 0;
	return (int)((p->bitmap[f / 64] >> (f % 64)) & 1);
}
