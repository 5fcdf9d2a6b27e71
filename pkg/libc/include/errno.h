/* <errno.h> - error numbers.  errno is one plain global, shared by a
 * program's threads (<pthread.h>); a per-thread errno (in the UTCB or
 * thread-local storage) is still to come. */
#pragma once

extern int errno;

#define EPERM      1
#define ENOENT     2
#define EINTR      4
#define EIO        5
#define EBADF      9
#define EAGAIN    11
#define ENOMEM    12
#define EACCES    13
#define EFAULT    14
#define EBUSY     16
#define EEXIST    17
#define EINVAL    22
#define ENOSPC    28
#define EDOM      33
#define EDEADLK   35
#define ERANGE    34
#define ENOSYS    38
#define EOVERFLOW 75
