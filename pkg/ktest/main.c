/* ktest - the kernel test suite: every object and operation, the success
 * and the refusal paths, printed as TAP on the serial line.  After each test
 * the kernel checks its own invariants (capability trees, run queues). */
#include "ktest.h"

extern const struct ktest factory_tests[], cap_tests[], thread_tests[], ipc_tests[],
	sched_tests[], fault_tests[], mem_tests[], notif_tests[], bound_tests[], irq_tests[],
	fpu_tests[], preempt_tests[];
extern const unsigned n_factory_tests, n_cap_tests, n_thread_tests, n_ipc_tests,
	n_sched_tests, n_fault_tests, n_mem_tests, n_notif_tests, n_bound_tests, n_irq_tests,
	n_fpu_tests, n_preempt_tests;

static const struct { const struct ktest *t; const unsigned *n; } groups[] = {
	{ factory_tests, &n_factory_tests }, { cap_tests, &n_cap_tests },
	{ thread_tests, &n_thread_tests }, { ipc_tests, &n_ipc_tests },
	{ sched_tests, &n_sched_tests }, { fault_tests, &n_fault_tests },
	{ mem_tests, &n_mem_tests }, { notif_tests, &n_notif_tests }, { bound_tests, &n_bound_tests },
	{ irq_tests, &n_irq_tests }, { fpu_tests, &n_fpu_tests },
	{ preempt_tests, &n_preempt_tests },
};

static void put(const char *s) { l4_debug_puts(s); }
static void putn(long v)
{
	if (v < 0) {
		put("-");
		v = -v;
	}
	l4_debug_putu((uint64_t)v, 10);
}

void ktest_fail(const char *file, int line, const char *what, long a, long b)
{
	put("# failed: ");
	put(what);
	put(" at ");
	put(file);
	put(":");
	putn(line);
	if (a || b) {
		put(" (");
		putn(a);
		put(" vs ");
		putn(b);
		put(")");
	}
	put("\n");
}

int main(int argc, char **argv)
{
	(void)argc; (void)argv;
	unsigned total = 0, failed = 0, n = 0;
	for (unsigned g = 0; g < sizeof groups / sizeof groups[0]; g++)
		total += *groups[g].n;
	put("1..");
	putn(total);
	put("\n");
	for (unsigned g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		for (unsigned i = 0; i < *groups[g].n; i++) {
			const struct ktest *t = &groups[g].t[i];
			int bad = t->fn();
			if (l4_kdb_check()) {
				put("# kernel invariants broken after this test\n");
				bad = 1;
			}
			failed += bad != 0;
			put(bad ? "not ok " : "ok ");
			putn(++n);
			put(" - ");
			put(t->name);
			put("\n");
		}
	}
	put("# ktest: ");
	putn(total - failed);
	put(" passed, ");
	putn(failed);
	put(" failed\n");
	return failed ? 1 : 0;
}
