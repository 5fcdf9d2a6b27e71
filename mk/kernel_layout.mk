# mk/kernel_layout.mk - the layout descriptions the kernel is built with
# (doc/layout.md), turned into headers under $(LAYOUT_GEN):
#   kernel/arch/$(ARCH)/layout/x.dev  ->  <layout/x.h>       (paging, segments)
#   pkg/devregs/uart16550.dev         ->  <devregs/uart16550.h> (shared with drivers)
#   libl4/lib/abi_layout.dev          ->  <l4/sys/abi_layout.h> (shared with libl4)
# Included by mk/kernel.mk and kernel/test/Makefile, which set LAYOUT_GEN,
# L4DIR, ARCH and PYTHON; they put $(LAYOUT_GEN) on the include path and make
# their objects wait for $(KERNEL_LAYOUT_HDRS).  Host tests of other packages
# include it for its rules alone (servers/roottask/test/host: devregs/pci.h).

KERNEL_LAYOUT_ARCH := $(wildcard $(L4DIR)/kernel/arch/$(ARCH)/layout/*.dev)
KERNEL_LAYOUT_HDRS := $(patsubst $(L4DIR)/kernel/arch/$(ARCH)/layout/%.dev,$(LAYOUT_GEN)/layout/%.h,$(KERNEL_LAYOUT_ARCH)) \
		      $(LAYOUT_GEN)/devregs/uart16550.h $(LAYOUT_GEN)/l4/sys/abi_layout.h
KERNEL_LAYOUT_TOOL := $(L4DIR)/mk/tool/layout.py $(L4DIR)/mk/tool/minnow/lexer.py \
		      $(wildcard $(L4DIR)/mk/tool/minnow/layout/*.py)

# Quiet like the rest of the build ("  LAYOUT  x.dev"); V=1 shows the command.
define kernel_layout
	$(if $(filter 1,$(V)),,@printf '  %-7s %s\n' LAYOUT '$(patsubst $(L4DIR)/%,%,$<)')
	@mkdir -p $(dir $@)
	$(if $(filter 1,$(V)),,@)cd $(L4DIR) && $(PYTHON) mk/tool/layout.py -o $@ $(patsubst $(L4DIR)/%,%,$<)
	@touch $@
endef

$(LAYOUT_GEN)/layout/%.h: $(L4DIR)/kernel/arch/$(ARCH)/layout/%.dev $(KERNEL_LAYOUT_TOOL)
	$(kernel_layout)
$(LAYOUT_GEN)/devregs/%.h: $(L4DIR)/pkg/devregs/%.dev $(KERNEL_LAYOUT_TOOL)
	$(kernel_layout)
$(LAYOUT_GEN)/l4/sys/%.h: $(L4DIR)/libl4/lib/%.dev $(KERNEL_LAYOUT_TOOL)
	$(kernel_layout)
