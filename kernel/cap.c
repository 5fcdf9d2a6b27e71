/* cap.c - capability spaces and the derivation tree (see cap.h).
 *
 * Tree shape: every capability has a parent pointer (NULL for a root), a
 * pointer to its first child, and a doubly linked, NULL-terminated list of
 * siblings (next/prev).  The first child of a parent has prev == NULL; a
 * root has no siblings at all.  An empty slot has obj == NULL and every
 * other field zero.
 *
 * Nothing here recurses: the tree may be as deep as there are slots, and
 * kernel stacks are small.  Walks use the parent pointers to climb back.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "k/cap.h"
#include "k/kobj.h"

/* Bound on any walk in cspace_check: longer means a cycle (or a tree far
 * bigger than any cspace the kernel hands out). */
#define CHECK_WALK_MAX (1u << 20)

static inline bool cap_empty(const struct cap *c)
{
	return c->obj == NULL;
}

static inline void cap_zero(struct cap *c)
{
	c->obj = NULL;
	c->badge = 0;
	c->rights = 0;
	c->parent = NULL;
	c->child = NULL;
	c->next = NULL;
	c->prev = NULL;
}

static inline bool type_has_badge(uint8_t type)
{
	return type == KOBJ_ENDPOINT || type == KOBJ_NOTIFICATION;
}

void cspace_init(struct cspace *cs, struct cap *slots, uint32_t nslots)
{
	cs->slots = slots;
	cs->nslots = nslots;
	for (uint32_t i = 0; i < nslots; i++) {
		cap_zero(&slots[i]);
		slots[i].check_mark = 0;
	}
}

struct cap *cap_slot(struct cspace *cs, uint64_t idx)
{
	if (cs == NULL || cs->slots == NULL || idx >= cs->nslots)
		return NULL;
	return &cs->slots[idx];
}

enum cap_err cap_install(struct cap *dst, struct kobj *obj, uint32_t rights, uint64_t badge)
{
	if (dst == NULL)
		return CAP_ERANGE;
	if (obj == NULL)
		return CAP_EEMPTY;
	if (!cap_empty(dst))
		return CAP_EFULL;
	if (rights & ~(uint32_t)CAP_ALL)
		return CAP_ERIGHTS;
	if (badge != 0 && !type_has_badge(obj->type))
		return CAP_EBADGE;

	kobj_get(obj);
	dst->obj = obj;
	dst->badge = badge;
	dst->rights = rights;
	dst->parent = NULL;
	dst->child = NULL;
	dst->next = NULL;
	dst->prev = NULL;
	return CAP_OK;
}

/* What derive and move both need: two distinct slots, a full source, an
 * empty destination. */
static enum cap_err check_pair(const struct cap *src, const struct cap *dst)
{
	if (src == NULL || dst == NULL)
		return CAP_ERANGE;
	if (src == dst)
		return CAP_ESAME;
	if (!cap_empty(dst))
		return CAP_EFULL;
	if (cap_empty(src))
		return CAP_EEMPTY;
	return CAP_OK;
}

enum cap_err cap_derive(struct cap *src, struct cap *dst, uint32_t rights_mask, uint64_t badge)
{
	enum cap_err e = check_pair(src, dst);
	if (e != CAP_OK)
		return e;
	if (rights_mask & ~src->rights)
		return CAP_ERIGHTS;
	if (badge != 0 && (src->badge != 0 || !type_has_badge(src->obj->type)))
		return CAP_EBADGE;

	kobj_get(src->obj);
	dst->obj = src->obj;
	dst->badge = badge != 0 ? badge : src->badge;
	dst->rights = rights_mask;
	dst->child = NULL;

	/* Insert at the head of src's children. */
	dst->parent = src;
	dst->prev = NULL;
	dst->next = src->child;
	if (src->child != NULL)
		src->child->prev = dst;
	src->child = dst;
	return CAP_OK;
}

enum cap_err cap_move(struct cap *src, struct cap *dst)
{
	enum cap_err e = check_pair(src, dst);
	if (e != CAP_OK)
		return e;

	*dst = *src;
	if (dst->parent != NULL && dst->parent->child == src)
		dst->parent->child = dst;
	if (dst->prev != NULL)
		dst->prev->next = dst;
	if (dst->next != NULL)
		dst->next->prev = dst;
	for (struct cap *ch = dst->child; ch != NULL; ch = ch->next)
		ch->parent = dst;
	cap_zero(src);
	return CAP_OK;
}

size_t cap_revoke(struct cap *c, struct kobj_list *dead)
{
	bool more;
	return cap_revoke_bounded(c, dead, SIZE_MAX, &more);
}

size_t cap_revoke_bounded(struct cap *c, struct kobj_list *dead, size_t max, bool *more)
{
	size_t n = 0;
	struct cap *cur;

	*more = false;
	if (c == NULL || cap_empty(c))
		return 0;

	/* Go down first children to a leaf, remove it (it is then its parent's
	 * first child), step back to the parent and repeat.  Every step either
	 * descends or removes one capability, so this is linear. */
	cur = c;
	for (;;) {
		if (cur->child != NULL) {
			cur = cur->child;
			continue;
		}
		if (cur == c)
			break;
		if (n == max) {
			*more = true;        /* what is left is still a tree below c */
			break;
		}

		struct cap *p = cur->parent;
		p->child = cur->next;
		if (cur->next != NULL)
			cur->next->prev = NULL;
		kobj_put(cur->obj, dead);
		cap_zero(cur);
		n++;
		cur = p;
	}
	return n;
}

void cap_delete(struct cap *c, struct kobj_list *dead)
{
	struct cap *parent, *first, *last, *ch;

	if (c == NULL || cap_empty(c))
		return;

	parent = c->parent;
	first = c->child;

	if (first != NULL && parent == NULL) {
		/* The children become roots: no parent, no siblings. */
		ch = first;
		while (ch != NULL) {
			struct cap *nx = ch->next;
			ch->parent = NULL;
			ch->next = NULL;
			ch->prev = NULL;
			ch = nx;
		}
	} else if (first != NULL) {
		/* Splice the children into c's place in the parent's list. */
		last = first;
		for (;;) {
			last->parent = parent;
			if (last->next == NULL)
				break;
			last = last->next;
		}
		first->prev = c->prev;
		last->next = c->next;
		if (c->prev != NULL)
			c->prev->next = first;
		else
			parent->child = first;
		if (c->next != NULL)
			c->next->prev = last;
	} else if (parent != NULL) {
		/* A leaf: just unlink it. */
		if (c->prev != NULL)
			c->prev->next = c->next;
		else
			parent->child = c->next;
		if (c->next != NULL)
			c->next->prev = c->prev;
	}

	kobj_put(c->obj, dead);
	cap_zero(c);
}

void cspace_clear(struct cspace *cs, struct kobj_list *dead)
{
	for (uint32_t i = 0; i < cs->nslots; i++)
		cap_delete(&cs->slots[i], dead);
}

size_t cap_descendants(const struct cap *c)
{
	size_t n = 0;
	const struct cap *cur;

	if (c == NULL || c->child == NULL)
		return 0;

	/* Pre-order walk: down to first children, then along siblings, climbing
	 * through parents when a sibling list ends. */
	cur = c->child;
	for (;;) {
		n++;
		if (cur->child != NULL) {
			cur = cur->child;
			continue;
		}
		while (cur->next == NULL) {
			cur = cur->parent;
			if (cur == c)
				return n;
		}
		cur = cur->next;
	}
}

/* ---- the invariant check ---- */

/* check_mark holds two stamps: the low half for "in its parent's child
 * list", the high half for "its parent chain ends at a root".  A stamp is
 * 2 * epoch while a walk passes the capability and 2 * epoch + 1 once the
 * walk has proved it; meeting one's own walk again is a cycle.  An epoch
 * left over from 2^31 checks ago could be taken as proof: the check is a
 * debug aid, run far fewer times than that. */
enum { MARK_LISTED = 0, MARK_ROOTED = 32 };
static uint32_t check_epoch;
uint64_t cap_check_steps;

static inline uint32_t mark_get(const struct cap *c, unsigned which)
{
	return (uint32_t)(c->check_mark >> which);
}

static inline void mark_set(struct cap *c, unsigned which, uint32_t v)
{
	c->check_mark = (c->check_mark & ~(0xffffffffull << which)) | ((uint64_t)v << which);
}

/* c is in its parent's child list: follow prev links to the list's head
 * (or to a sibling already proved), each link agreeing both ways. */
static const char *check_listed(struct cap *c)
{
	const uint32_t busy = 2 * check_epoch, done = busy + 1;
	struct cap *p = c->parent, *s;
	for (s = c; mark_get(s, MARK_LISTED) != done; s = s->prev) {
		cap_check_steps++;
		if (mark_get(s, MARK_LISTED) == busy)
			return "cap: not in its parent's child list (sibling loop)";
		mark_set(s, MARK_LISTED, busy);
		if (s->parent != p)
			return "cap: not in its parent's child list (sibling of another parent)";
		if (s->prev == NULL) {
			if (p->child != s)
				return "cap: first sibling but not parent's first child";
			break;
		}
		if (s->prev->next != s)
			return "cap: prev->next does not point back";
	}
	for (s = c; s && mark_get(s, MARK_LISTED) == busy; s = s->prev)
		mark_set(s, MARK_LISTED, done);
	return NULL;
}

/* c's parent chain ends at a root. */
static const char *check_rooted(struct cap *c)
{
	const uint32_t busy = 2 * check_epoch, done = busy + 1;
	struct cap *s;
	for (s = c; s && mark_get(s, MARK_ROOTED) != done; s = s->parent) {
		cap_check_steps++;
		if (mark_get(s, MARK_ROOTED) == busy)
			return "cap: cycle through parent pointers";
		mark_set(s, MARK_ROOTED, busy);
	}
	for (s = c; s && mark_get(s, MARK_ROOTED) == busy; s = s->parent)
		mark_set(s, MARK_ROOTED, done);
	return NULL;
}

/* Check one non-empty capability and the links around it. */
static const char *check_cap(struct cap *c)
{
	const struct cap *p, *s;
	uint32_t k;
	const char *err;

	if (c->rights & ~(uint32_t)CAP_ALL)
		return "cap: rights outside CAP_ALL";
	if (c->obj->type == KOBJ_NONE || c->obj->type >= KOBJ_NTYPES)
		return "cap: object of invalid type";
	if (c->obj->refs == 0)
		return "cap: object has no references";
	if (c->badge != 0 && !type_has_badge(c->obj->type))
		return "cap: badge on a type without badges";

	/* Position among its siblings. */
	p = c->parent;
	if (p == NULL) {
		if (c->prev != NULL || c->next != NULL)
			return "cap: root with siblings";
	} else {
		if (p == c)
			return "cap: is its own parent";
		if (p->obj == NULL)
			return "cap: parent slot is empty";
		if (c->next != NULL && c->next->prev != c)
			return "cap: next->prev does not point back";
		if ((err = check_listed(c)))
			return err;
	}
	if ((err = check_rooted(c)))
		return err;

	/* Its children (each capability is walked once, from its parent). */
	if (c->child != NULL && c->child->prev != NULL)
		return "cap: first child has a prev";
	for (s = c->child, k = 0; s != NULL; s = s->next) {
		cap_check_steps++;
		if (s == c)
			return "cap: is its own child";
		if (s->parent != c)
			return "cap: child's parent is not this cap";
		if (s->obj != c->obj)
			return "cap: child refers to another object";
		if (s->rights & ~c->rights)
			return "cap: child has rights its parent lacks";
		if (c->badge != 0 && s->badge != c->badge)
			return "cap: child of a badged cap has another badge";
		if (s->next != NULL && s->next->prev != s)
			return "cap: child list next->prev does not point back";
		if (++k >= CHECK_WALK_MAX)
			return "cap: child list too long (cycle?)";
	}
	return NULL;
}

void cap_check_begin(void)
{
	check_epoch++;
}

const char *cspace_check(const struct cspace *cs)
{
	cap_check_begin();
	return cspace_check_more(cs);
}

const char *cspace_check_more(const struct cspace *cs)
{
	if (cs == NULL)
		return "cspace: NULL";
	if (cs->slots == NULL && cs->nslots != 0)
		return "cspace: no slot array";

	for (uint32_t i = 0; i < cs->nslots; i++) {
		struct cap *c = &cs->slots[i];
		const char *err;

		if (cap_empty(c)) {
			if (c->parent != NULL || c->child != NULL ||
			    c->next != NULL || c->prev != NULL)
				return "cap: empty slot with tree links";
			continue;
		}
		err = check_cap(c);
		if (err != NULL)
			return err;
	}
	return NULL;
}
