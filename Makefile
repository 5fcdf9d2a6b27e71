# Minnow top-level Makefile.  `make help` lists the targets; doc/build.md
# explains every variable.  Objects go to $(O) (default build/), never into
# the source tree.

L4DIR := $(CURDIR)
include mk/Makeconf

PKG_ROOTS    := libl4 servers pkg
MODULES_LIST ?= $(L4DIR)/conf/modules.list
override MODULES_LIST := $(abspath $(MODULES_LIST))
E            ?=
T            ?=
DEFCONFIG    ?= conf/defconfig
KVM          ?=
ICOUNT       ?=
QEMU_MEM     ?=
QEMU_ARGS    ?=
# The gdb stub's port: one per user on a shared machine (as xv6 does).
GDBPORT      ?= $(shell expr $$(id -u) % 5000 + 25000)

.DEFAULT_GOAL := all
.PHONY: all kernel pkgs image iso qemu qemu-iso qemu-gdb trace lab grade test hosttest hostfuzz bench bench-net fuzz \
	config menuconfig olddefconfig savedefconfig clean distclean help

# After every build: $(O)/compile_commands.json for clangd (mk/tool/compiledb.py),
# when something was compiled since; and every boot config of $(MODULES_LIST)
# checked by the root task's parser (mk/cfgcheck.mk).
COMPILE_DB := $(O)/compile_commands.json
all: kernel pkgs cfgcheck
	$(Q)if [ ! -e $(COMPILE_DB) ] || [ -n "$$(find $(O) -name '*.o.cmd' \
		-newer $(COMPILE_DB) -print -quit)" ]; then $(PYTHON) mk/tool/compiledb.py $(O); fi

# --- configuration -------------------------------------------------------------
KCONFIG_FILES := Kconfig $(wildcard servers/*/Kconfig pkg/*/Kconfig)
CONFIG_STAMP  := $(O)/include/config/auto.conf
KCONF          = KCONFIG_CONFIG=$(KCONFIG_CONFIG) srctree=$(L4DIR) $(PYTHON) -m

# A fresh build directory starts from $(DEFCONFIG) (conf/defconfig).
$(KCONFIG_CONFIG): $(DEFCONFIG)
	@mkdir -p $(dir $@)
	$(call say,CONF,$(patsubst $(L4DIR)/%,%,$@) from $(DEFCONFIG))
	$(Q)if [ -f $@ ]; then $(KCONF) olddefconfig Kconfig >/dev/null; \
	    else cp $(DEFCONFIG) $@ && $(KCONF) olddefconfig Kconfig >/dev/null; fi

$(CONFIG_STAMP): $(KCONFIG_CONFIG) $(KCONFIG_FILES)
	$(call say,GEN,include/generated/autoconf.h)
	@mkdir -p $(GEN_INC)/generated $(dir $@)
	$(Q)$(KCONF) genconfig --header-path $(GEN_INC)/generated/autoconf.h \
		--config-out $@ Kconfig >/dev/null
	@touch $@

config: ; @mkdir -p $(O); $(KCONF) oldconfig Kconfig
menuconfig: ; @mkdir -p $(O); $(KCONF) menuconfig Kconfig
olddefconfig: ; @mkdir -p $(O); [ -f $(KCONFIG_CONFIG) ] || cp $(DEFCONFIG) $(KCONFIG_CONFIG); $(KCONF) olddefconfig Kconfig
savedefconfig: ; $(KCONF) savedefconfig --out $(O)/defconfig Kconfig && echo "wrote $(O)/defconfig"

# --- kernel ----------------------------------------------------------------------
include mk/kernel.mk
kernel: $(BIN_DIR)/minnow $(BIN_DIR)/minnow.elf32

# --- crt0: the framework's program start, built once for all packages -------------
# It includes libl4's headers directly (it is built before libl4), and so
# also the ABI layout header generated for the kernel from the same description.
$(O)/mk/crt0.o: mk/arch/$(ARCH)/crt0.S mk/arch/$(ARCH)/start.c $(CONFIG_STAMP) | $(KERNEL_LAYOUT_HDRS)
	$(call say,CRT0,mk/crt0.o)
	@mkdir -p $(O)/mk
	$(Q)$(CC) $(COMMON_ASFLAGS) -c mk/arch/$(ARCH)/crt0.S -o $(O)/mk/crt0_S.o
	$(Q)$(CC) $(USER_CFLAGS) -I$(L4DIR)/libl4/include -I$(LAYOUT_GEN) -c mk/arch/$(ARCH)/start.c -o $(O)/mk/start.o
	$(Q)$(LD) -r -o $@ $(O)/mk/crt0_S.o $(O)/mk/start.o
-include $(O)/mk/crt0_S.d $(O)/mk/start.d

# --- packages: order from the Control files (mk/tool/pkgdeps.py) -----------------
PKG_CONTROLS := $(sort $(shell find $(PKG_ROOTS) -name Control -not -path '*/.*' 2>/dev/null))
ifeq ($(filter clean distclean help,$(MAKECMDGOALS)),)
# A package path with white space (make splits words there) or a directory
# named Control would break or be skipped below: pkgdeps.py says which and
# where, and the build stops (doc/build.md, "Refused package trees").
ifneq ($(shell find $(PKG_ROOTS) -name Control -not -path '*/.*' \( -path '*[[:space:]]*' -o \
	-not -type f \) 2>/dev/null),)
$(shell $(PYTHON) mk/tool/pkgdeps.py --srcdir $(L4DIR) --order $(wildcard $(PKG_ROOTS)) >/dev/null)
$(error the package tree was refused (the lines above say where))
endif
# The list of Control files, rewritten only when it changes: a package
# deleted (or added) since the last build makes .pkgdeps.mk again, which
# the Control files' own dates cannot tell (a deleted file has none).
PKG_CONTROL_LIST := $(O)/.pkgdeps.controls
$(shell mkdir -p $(O) && { printf '%s\n' $(PKG_CONTROLS) | cmp -s - $(PKG_CONTROL_LIST) || \
	printf '%s\n' $(PKG_CONTROLS) > $(PKG_CONTROL_LIST); })
endif
$(O)/.pkgdeps.mk: $(PKG_CONTROLS) $(PKG_CONTROL_LIST) mk/tool/pkgdeps.py $(wildcard mk/tool/minnow/*.py)
	@mkdir -p $(O)
	$(call say,DEPS,$(words $(PKG_CONTROLS)) Control files)
	$(Q)$(PYTHON) mk/tool/pkgdeps.py --srcdir $(L4DIR) --out $@ $(wildcard $(PKG_ROOTS))
	@touch $@
ifeq ($(filter clean distclean help,$(MAKECMDGOALS)),)
include $(O)/.pkgdeps.mk
endif

define pkg_rule
.PHONY: pkg-$(1)
pkg-$(1): $(addprefix pkg-,$(MINNOW_PKG_DEPS.$(1))) $(O)/mk/crt0.o $(CONFIG_STAMP)
	$$(Q)$$(MAKE) $$(SUBMAKE_FLAGS) -C $(1) O=$(O) L4DIR=$(L4DIR)
endef
$(foreach p,$(MINNOW_PKGS),$(eval $(call pkg_rule,$(p))))
pkgs: $(addprefix pkg-,$(MINNOW_PKGS))

# --- images and QEMU ------------------------------------------------------------------
include mk/cfgcheck.mk
IMAGE = $(PYTHON) mk/tool/image.py --modules-list $(MODULES_LIST) --cfgcheck $(CFGCHECK) \
	--search $(BIN_DIR) --search $(L4DIR)/conf --search $(dir $(MODULES_LIST)) \
	$(if $(E),--entry $(E))
QEMU_OPTS = $(if $(filter 1,$(KVM)),--kvm) $(if $(filter 1,$(ICOUNT)),--icount) \
	$(if $(filter 1,$(VGA)),--window) \
	$(if $(QEMU_MEM),--memory $(QEMU_MEM)) $(if $(QEMU_ARGS),-- $(QEMU_ARGS))
# ISOs belong to the build directory: two build directories never share one.
ISO_DIR := $(O)/images

image: all
	$(Q)$(IMAGE) check
iso: all
	$(Q)$(IMAGE) iso --out-dir $(ISO_DIR) --workdir $(O)/iso/$(or $(E),default)
qemu: image
	$(Q)$(IMAGE) qemu --mode kernel $(QEMU_OPTS)
qemu-iso: iso
	$(Q)$(IMAGE) qemu --mode iso --iso-dir $(ISO_DIR) $(QEMU_OPTS)
qemu-gdb: image
	$(Q)$(IMAGE) qemu --mode kernel --gdb --gdb-port $(GDBPORT) --gdbinit $(O)/.gdbinit $(QEMU_OPTS)

# A sequence diagram of the IPC of entry E: $(O)/trace/E.svg (and .png); with
# T=path.test, of that run script's run (its netdevs, peer, typed input):
# $(O)/trace/NAME.svg.  MAX=n draws the first n messages (default 200).
trace: $(if $(T),all,image)
	$(Q)$(PYTHON) mk/tool/trace.py $(if $(T),--test $(T) --srcdir $(L4DIR) --builddir $(O), \
		--modules-list $(MODULES_LIST) --search $(BIN_DIR) --search $(L4DIR)/conf \
		--search $(dir $(MODULES_LIST)) $(if $(E),--entry $(E))) \
		$(if $(MAX),--max $(MAX)) --out-dir $(O)/trace --labels-from $(O)

# --- tests ------------------------------------------------------------------------------
# Host unit tests: the kernel's, and any package's test/host/Makefile.
HOSTTEST_DIRS := kernel/test kernel/test/fuzz $(patsubst %/Makefile,%,$(wildcard \
	libl4/test/host/Makefile servers/*/test/host/Makefile pkg/*/test/host/Makefile))
hosttest: $(CONFIG_STAMP)
	$(Q)for d in $(HOSTTEST_DIRS); do $(MAKE) $(SUBMAKE_FLAGS) -C $$d O=$(O) || exit 1; done
# T=pattern runs the tests whose names match; -jN boots N run scripts at once.
test: all hosttest
	$(Q)$(PYTHON) mk/tool/testall.py --builddir $(O) --srcdir $(L4DIR) $(if $(filter 1,$(KVM)),--kvm) \
		$(if $(T),--only '$(T)')

# Labs (doc/labs/): a skeleton work tree, and the lab's graders with points.
LAB  ?=
DEST ?=
lab:
	$(Q)$(if $(LAB),,$(error make lab needs LAB=n (doc/labs/labN.md)))$(if $(DEST),,$(error make lab needs DEST=dir, a new directory))
	$(Q)$(PYTHON) mk/tool/lab.py lab --srcdir $(L4DIR) --lab $(LAB) --dest $(DEST)
grade: all
	$(Q)$(if $(LAB),,$(error make grade needs LAB=n (doc/labs/labN.md)))
	$(Q)$(PYTHON) mk/tool/lab.py grade --srcdir $(L4DIR) --builddir $(O) --lab $(LAB)

# libFuzzer on the ELF checker, multiboot and boot-config parsers, FUZZTIME seconds each
# (make test runs them 10 s each; the corpus in $(O)/hostfuzz/corpus grows from run to run).
FUZZTIME ?= 600
hostfuzz: $(CONFIG_STAMP)
	$(Q)$(MAKE) $(SUBMAKE_FLAGS) -C kernel/test/fuzz O=$(O) FUZZTIME=$(FUZZTIME) long

# The system call fuzzer (pkg/sysfuzz), one boot per seed: SEEDS=1-20,33 CALLS=20000.
SEEDS ?= 1-4
CALLS ?= 20000
fuzz: all
	$(Q)$(PYTHON) mk/tool/fuzz.py --builddir $(O) --srcdir $(L4DIR) --seeds '$(SEEDS)' --calls $(CALLS)

# Benchmarks: a release build of its own (conf/bench_defconfig) in $(O)/bench.
bench:
	$(if $(filter 1,$(KVM)),$(Q)$(PYTHON) mk/tool/bench.py --builddir $(O)/bench --kvm --check-only)
	$(Q)$(MAKE) $(SUBMAKE_FLAGS) O=$(O)/bench DEFCONFIG=conf/bench_defconfig all
	$(Q)$(PYTHON) mk/tool/bench.py --builddir $(O)/bench --srcdir $(L4DIR) $(if $(filter 1,$(KVM)),--kvm) $(BENCH_FLAGS)
	$(Q)$(PYTHON) mk/tool/bench_net.py --builddir $(O)/bench --srcdir $(L4DIR) $(BENCH_NET_FLAGS)

# The network part alone: Minnow against a Linux guest assembled from Debian
# packages on first use (mk/tool/linux_guest.py, into $(O)/bench/linux-guest;
# needs apt's lists: apt-get update), then pkg/ethecho's figures (doc/net.md).
bench-net:
	$(Q)$(MAKE) $(SUBMAKE_FLAGS) O=$(O)/bench DEFCONFIG=conf/bench_defconfig all
	$(Q)$(PYTHON) mk/tool/bench_net.py --builddir $(O)/bench --srcdir $(L4DIR) $(BENCH_NET_FLAGS)

clean:
	rm -rf $(O)
# distclean also removes images/, where ISOs went before they moved to $(O).
distclean: clean
	rm -rf images

help:
	@echo 'Minnow targets (variables: O=builddir E=entry V=1 KVM=1 QEMU_ARGS=... T=pattern):'
	@echo '  all (default)   kernel and every package under libl4/ servers/ pkg/; checks the'
	@echo '                  boot configs of MODULES_LIST; writes $$(O)/compile_commands.json'
	@echo '  qemu            boot entry E through QEMU -kernel (serial on this terminal;'
	@echo '                  Ctrl-a x leaves; QEMU_ARGS="..." adds QEMU arguments;'
	@echo '                  VGA=1: a window with the VGA screen, whose keyboard types too)'
	@echo '  iso             $$(O)/images/E.iso, bootable by GRUB (multiboot2)'
	@echo '  qemu-iso        boot $$(O)/images/E.iso'
	@echo '  qemu-gdb        boot halted, gdb stub on 127.0.0.1:$$GDBPORT; gdb -x $(O)/.gdbinit attaches'
	@echo '  trace           boot E with the IPC trace on; draw $(O)/trace/E.svg and .png'
	@echo '                  (T=path.test: run that run script with the trace on; MAX=n messages)'
	@echo '  test            host unit tests, tool tests and every run script'
	@echo '                  (T=pattern: only the matching ones; -j2: two run scripts at once)'
	@echo '  lab LAB=n DEST=dir   a work tree with lab n cut out (doc/labs/labN.md)'
	@echo '  grade LAB=n     run lab n'"'"'s graders: points per test and a total'
	@echo '  bench           the benchmark suite (pkg/pingpong): table, JSON, plot, change against'
	@echo '                  conf/bench-baseline.json; and bench-net'"'"'s figures'
	@echo '  bench-net       Minnow against a Linux guest in the same QEMU (UDP/ICMP echo, iperf,'
	@echo '                  instructions per echo, first answer; BENCH_NET_FLAGS=--sets 5 ...),'
	@echo '                  then the raw echo (pkg/ethecho on servers/e1000); doc/net.md'
	@echo '  fuzz            system call fuzzing, one boot per seed (SEEDS=1-4 CALLS=20000)'
	@echo '  hostfuzz        libFuzzer on the ELF, multiboot and boot-config parsers (FUZZTIME=600 s each)'
	@echo '  config, menuconfig, olddefconfig, savedefconfig   Kconfig'
	@echo '  clean, distclean'
