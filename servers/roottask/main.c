/* main.c - the root task: read the boot config named on our command line
 * (`roottask FILE`, FILE a boot module), start its programs, serve them. */
#include <stdio.h>
#include <l4/sys/bootinfo.h>
#include <l4/sys/debug.h>
#include <l4/sys/factory.h>
#include <l4/sys/thread.h>
#include <string.h>
#include "pci.h"
#include "roottask.h"

bool rt_verbose;

int main(int argc, char **argv)
{
	if (!l4_bootinfo() || l4_env()) {
		printf("roottask: not started by the kernel: nothing to do\n");
		return RT_EXIT_CONFIG;
	}
	if (argc == 3 && !strcmp(argv[1], "-v")) {
		rt_verbose = true;
		argv++, argc--;
	}
	if (argc != 2) {
		printf("roottask: usage: roottask [-v] CONFIG (a boot module of this entry)\n");
		return RT_EXIT_CONFIG;
	}
	const struct l4_bootinfo_module *m = boot_module(argv[1]);
	if (!m) {
		printf("roottask: boot config '%s' is not among the boot modules\n", argv[1]);
		return RT_EXIT_CONFIG;
	}
	char err[200];
	if (config_parse((const char *)m->start, m->size, argv[1], &rt_config, err, sizeof err)) {
		printf("roottask: %s\n", err);
		printf("roottask: boot config refused; nothing started\n");
		return RT_EXIT_CONFIG;
	}
	rt_config_name = argv[1];
	/* Above every program: faults are served before anyone else runs. */
	l4_thread_set_prio(L4_CAP_THREAD, RT_PRIO, RT_PRIO);
	rt_service_ep = slot_alloc();
	int e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_ENDPOINT, rt_service_ep, 0);
	if (e) {
		printf("roottask: cannot create our endpoint: %s\n", l4_strerror(e));
		return RT_EXIT_CONFIG;
	}
	printf("roottask: %s: %u program%s\n", argv[1], rt_config.nprogs,
	       rt_config.nprogs == 1 ? "" : "s");
	/* The PCI bus only when asked: a listing, or a program's pci=. */
	bool want_pci = rt_verbose;
	for (unsigned i = 0; i < rt_config.nprogs; i++)
		want_pci |= rt_config.prog[i].pci.set;
	if (want_pci && pci_scan(rt_verbose)) {
		printf("roottask: boot config refused; nothing started\n");
		return RT_EXIT_CONFIG;
	}
	prog_start_all();
	service_loop();
}
