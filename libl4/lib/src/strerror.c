/* strerror.c - names for the kernel's error codes. */
#include <l4/sys/debug.h>

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

const char *l4_strerror(long err)
{
	if (err < 0)
		err = -err;
	return err < L4_ERR_COUNT && names[err] ? names[err] : "unknown error";
}
