/* strerror.c - names for the kernel's error codes. */
#include <l4/sys/debug.h>
#include <l4/sys/abi_layout.h>

static const char *const names[L4_ERR_COUNT] = {
	[L4_EOK] = "success",
	[L4_ENOSYS] = "no such operation",
	[L4_EFAULT] = "bad address",
	[L4_EINVAL] = "invalid argument",
	[L4_ENOMEM] = "out of memory",
	[L4_ENOCAP] = "no capability in slot",
	[L4_EPERM] = "capability lacks the right",
	[L4_ETIMEOUT] = "timeout",
	[L4_ECANCELED] = "partner cancelled",
	[L4_EAGAIN] = "would block",
	[L4_ETYPE] = "capability of another type",
	[L4_ESLOT] = "slot occupied",
	[L4_ESTATE] = "object in the wrong state",
};
_Static_assert(L4_ERR_COUNT == L4_ESTATE + 1, "a name for every error");

/* abi_layout.dev names the same numbers (the tag's error field) for Rust. */
_Static_assert(L4_TAG_ERROR_NOSYS == L4_ENOSYS && L4_TAG_ERROR_FAULT == L4_EFAULT &&
	       L4_TAG_ERROR_INVAL == L4_EINVAL && L4_TAG_ERROR_NOMEM == L4_ENOMEM &&
	       L4_TAG_ERROR_NOCAP == L4_ENOCAP && L4_TAG_ERROR_PERM == L4_EPERM &&
	       L4_TAG_ERROR_TIMEOUT == L4_ETIMEOUT && L4_TAG_ERROR_CANCELED == L4_ECANCELED &&
	       L4_TAG_ERROR_AGAIN == L4_EAGAIN && L4_TAG_ERROR_TYPE == L4_ETYPE &&
	       L4_TAG_ERROR_SLOT == L4_ESLOT && L4_TAG_ERROR_STATE == L4_ESTATE,
	       "abi_layout.dev: l4_tag.error values are enum l4_err");

const char *l4_strerror(long err)
{
	if (err < 0)
		err = -err;
	return err < L4_ERR_COUNT && names[err] ? names[err] : "unknown error";
}
