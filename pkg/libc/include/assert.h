/* <assert.h> - assert(e): if e is false, print "file:line: function:
 * assertion 'e' failed" and abort().  NDEBUG turns it off.  (No include
 * guard: the standard lets each inclusion re-evaluate NDEBUG.) */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
void __libc_assert_fail(const char *expr, const char *file, int line, const char *func)
	__attribute__((noreturn));
#define assert(e) ((e) ? (void)0 : __libc_assert_fail(#e, __FILE__, __LINE__, __func__))
#endif

#ifndef static_assert
#define static_assert _Static_assert
#endif
