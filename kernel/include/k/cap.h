/* cap.h - capability spaces and the derivation tree.
 *
 * A task names kernel objects by slot index in its capability space (cspace),
 * a fixed-size array of struct cap.  A capability carries rights and, for
 * endpoints and notifications, a badge.  Every capability made from another
 * (map: a copy with equal or fewer rights, optionally badged) becomes that
 * one's child in the derivation tree, so revoking a capability removes
 * everything derived from it, in every cspace, however deep.  Grant moves a
 * capability, keeping its place in the tree.  Deleting a capability hands its
 * children to its parent, so they stay revocable from above.
 *
 * Pure logic: no allocation, no locking (the caller holds the kernel lock),
 * no object destruction (see kobj.h: dead objects are returned on a list).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kobj.h"
#include <l4/sys/abi_layout.h>

/* Rights: the ABI's (layout l4_rights in libl4/lib/abi_layout.dev), under
 * the kernel's short names. */
enum cap_rights {
	CAP_READ    = L4_RIGHTS_READ,      /* receive from an endpoint; read object state */
	CAP_WRITE   = L4_RIGHTS_WRITE,     /* send to an endpoint; modify an object */
	CAP_GRANT   = L4_RIGHTS_GRANT,     /* transfer capabilities and memory through it */
	CAP_CONTROL = L4_RIGHTS_CONTROL,   /* control operations: thread control, create, bind */
	CAP_ALL     = L4_RIGHTS_ALL,
};

struct cap {
	struct kobj *obj;         /* NULL: the slot is empty */
	uint64_t badge;           /* 0: unbadged */
	uint32_t rights;          /* enum cap_rights */
	/* Derivation tree: parent, first child, and the sibling list. */
	struct cap *parent;
	struct cap *child;
	struct cap *next, *prev;
	uint64_t check_mark;      /* scratch of the invariant check (cap.c); also pads
	                             the slot to 64 bytes: a slot number becomes an
	                             address with one shift on the IPC fast path */
};
_Static_assert(sizeof(struct cap) == 64, "a capability slot is 64 bytes");

struct cspace {
	struct cap *slots;
	uint32_t nslots;
};

enum cap_err {
	CAP_OK = 0,
	CAP_ERANGE,     /* slot index outside the cspace */
	CAP_EEMPTY,     /* source slot is empty */
	CAP_EFULL,      /* destination slot is occupied */
	CAP_ERIGHTS,    /* asked for rights the source lacks */
	CAP_EBADGE,     /* badging an already badged capability, or a type without badges */
	CAP_ESAME,      /* source and destination are the same slot */
};

void cspace_init(struct cspace *cs, struct cap *slots, uint32_t nslots);

/* The slot at idx, or NULL if idx is out of range (empty slots are returned). */
struct cap *cap_slot(struct cspace *cs, uint64_t idx);

/* Put a new root capability to obj (just created) into an empty slot; takes a
 * reference on obj. */
enum cap_err cap_install(struct cap *dst, struct kobj *obj, uint32_t rights, uint64_t badge);

/* Map: dst becomes a child of src with rights src->rights & rights_mask; a
 * nonzero badge mints a badged capability from an unbadged endpoint or
 * notification.  rights_mask must not ask for more than src has (CAP_ERIGHTS);
 * takes a reference on the object. */
enum cap_err cap_derive(struct cap *src, struct cap *dst, uint32_t rights_mask, uint64_t badge);

/* Grant: move src to the empty slot dst, keeping its place in the tree. */
enum cap_err cap_move(struct cap *src, struct cap *dst);

/* Remove every capability derived from c (not c itself), deepest first,
 * without recursion.  Objects losing their last reference go on *dead.
 * Returns how many capabilities were removed. */
size_t cap_revoke(struct cap *c, struct kobj_list *dead);
/* The same, removing at most max; *more says whether some are left (then
 * a second call goes on: the progress is the tree itself).  The kernel's
 * preemptible revoke (obj.c). */
size_t cap_revoke_bounded(struct cap *c, struct kobj_list *dead, size_t max, bool *more);

/* Remove c itself; its children move up to c's parent. */
void cap_delete(struct cap *c, struct kobj_list *dead);

/* Delete every capability in the cspace (a task is going away). */
void cspace_clear(struct cspace *cs, struct kobj_list *dead);

/* Consistency check of the tree around every capability in cs: links agree
 * in both directions, no cycles, children hold a subset of their parent's
 * rights and the same object.  Returns NULL or a description of the first
 * violation (for the debug-build check after each kernel test).  Linear in
 * the capabilities it reaches: what it has proved of a capability (in its
 * parent's child list; its parent chain ends at a root) is marked in
 * check_mark for the current check epoch, and no walk passes a mark twice.
 * cspace_check starts an epoch of its own; to check many cspaces whose
 * trees cross, call cap_check_begin() once and cspace_check_more() for
 * each, so no capability is walked again for another cspace. */
const char *cspace_check(const struct cspace *cs);
void cap_check_begin(void);
const char *cspace_check_more(const struct cspace *cs);
/* Capabilities visited by the check's walks since boot (host tests bound it). */
extern uint64_t cap_check_steps;

/* Number of capabilities in the subtree below c (not counting c). */
size_t cap_descendants(const struct cap *c);
