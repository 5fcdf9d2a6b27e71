"""The C runtime both generated headers carry, guarded so that a file may
include a client and a server header: capability items, byte packing into
message words without memcpy (there is no libc), bool-array checks."""

RUNTIME = r"""
#ifndef MINNOW_IDL_RUNTIME
#define MINNOW_IDL_RUNTIME
/* A capability argument: a slot of the sender, mapped with `rights`
 * (enum l4_cap_rights); a bare slot number maps with L4_CAP_ALL. */
#define MINNOW_IDL_CAP(slot, rights) ((uint64_t)(slot) | ((uint64_t)(rights) & 0xff) << 32)

/* A memory argument: the sender's pages `fpage` (L4_FPAGE(base, order,
 * rights): the rights given) mapped at `addr` in the receiver, which must
 * lie in the receiver's mem_window (<l4/sys/ipc.h> l4_mem_window).  The
 * receiver gets the pair as sent: where the pages are now, their size
 * (1 << L4_FPAGE_ORDER(fpage)) and the rights offered. */
struct minnow_idl_mem {
	uint64_t fpage, addr;
};

static inline uint64_t minnow_idl_item(uint64_t cap)
{
	unsigned rights = (unsigned)(cap >> 32) & 0xff;
	return L4_ITEM(L4_ITEM_MAP, rights ? rights : L4_CAP_ALL);
}

static inline int minnow_idl_is_cap_item(uint64_t w0)
{
	return L4_ITEM_TYPE(w0) == L4_ITEM_MAP || L4_ITEM_TYPE(w0) == L4_ITEM_GRANT;
}

/* Copy len bytes into mr[n..], zero-padding the last word; the next free word. */
static inline unsigned minnow_idl_put(uint64_t *mr, unsigned n, const void *src, size_t len)
{
	const uint8_t *s = (const uint8_t *)src;
	uint8_t *d = (uint8_t *)&mr[n];
	if (len)
		mr[n + (len - 1) / 8] = 0;
	for (size_t i = 0; i < len; i++) {
		d[i] = s[i];
		__asm__("" : "+r"(d));     /* no memcpy call: there is no libc */
	}
	return n + (unsigned)((len + 7) / 8);
}

static inline void minnow_idl_get(const uint64_t *mr, unsigned n, void *dst, size_t len)
{
	const uint8_t *s = (const uint8_t *)&mr[n];
	uint8_t *d = (uint8_t *)dst;
	for (size_t i = 0; i < len; i++) {
		d[i] = s[i];
		__asm__("" : "+r"(d));
	}
}

static inline void minnow_idl_zero(void *dst, size_t len)
{
	uint8_t *d = (uint8_t *)dst;
	for (size_t i = 0; i < len; i++) {
		d[i] = 0;
		__asm__("" : "+r"(d));
	}
}

/* Every byte of len at mr[n..] is 0 or 1 (a bool array). */
static inline int minnow_idl_bools_ok(const uint64_t *mr, unsigned n, size_t len)
{
	const uint8_t *s = (const uint8_t *)&mr[n];
	for (size_t i = 0; i < len; i++)
		if (s[i] > 1)
			return 0;
	return 1;
}
#endif
"""
