# mk/kernel.mk - the microkernel: generic sources in kernel/, the
# architecture's in kernel/arch/$(ARCH)/ (selected here, not by #ifdef).

KERNEL_SRC  := $(wildcard kernel/*.c kernel/lib/*.c kernel/arch/$(ARCH)/*.c kernel/arch/$(ARCH)/*.S)
# Pure-logic files the kernel shares with user space (the ELF checker the
# root task uses too), built here with the kernel's flags into kernel/shared/.
KERNEL_SHARED := libl4/lib/src/elf.c
KERNEL_OBJS := $(patsubst %,$(O)/%.o,$(basename $(KERNEL_SRC))) \
	       $(patsubst %.c,$(O)/kernel/shared/%.o,$(notdir $(KERNEL_SHARED)))
KERNEL_LDS  := kernel/arch/$(ARCH)/kernel.ld

# Headers generated from layout descriptions (doc/layout.md); every object
# waits for them once, the .d files track real use after that.
LAYOUT_GEN := $(O)/kernel/gen
include $(L4DIR)/mk/kernel_layout.mk
KERNEL_CPPFLAGS += -I$(LAYOUT_GEN)
$(KERNEL_OBJS): | $(KERNEL_LAYOUT_HDRS)

$(O)/kernel/%.o: kernel/%.c $(CONFIG_STAMP)
	$(call say,CC,$(patsubst $(O)/%,%,$@))
	@mkdir -p $(dir $@)
	$(call compile,$<,$(CC) $(KERNEL_CFLAGS) $(KERNEL_CPPFLAGS) -c $< -o $@)

# The IPC fast path is one straight line run on every call: no frame pointer
# there (2 of its ~150 instructions; backtraces through it are not needed).
$(O)/kernel/fastpath.o: KERNEL_CFLAGS += -fomit-frame-pointer

$(O)/kernel/shared/%.o: libl4/lib/src/%.c $(CONFIG_STAMP)
	$(call say,CC,$(patsubst $(O)/%,%,$@))
	@mkdir -p $(dir $@)
	$(call compile,$<,$(CC) $(KERNEL_CFLAGS) $(KERNEL_CPPFLAGS) -c $< -o $@)

$(O)/kernel/%.o: kernel/%.S $(CONFIG_STAMP)
	$(call say,AS,$(patsubst $(O)/%,%,$@))
	@mkdir -p $(dir $@)
	$(call compile,$<,$(CC) $(COMMON_ASFLAGS) $(KERNEL_CPPFLAGS) -D__ASSEMBLY__ -c $< -o $@)

# The kernel proper is an ELF64 file (GRUB's multiboot2 loads it, gdb reads
# its symbols); QEMU's -kernel only accepts a 32-bit multiboot ELF, so it
# gets a copy converted by objcopy (load addresses are all below 4 GiB).
$(BIN_DIR)/minnow: $(KERNEL_OBJS) $(KERNEL_LDS)
	$(call say,LD,bin/minnow)
	@mkdir -p $(dir $@)
	$(Q)$(LD) -n -z max-page-size=0x1000 --no-warn-rwx-segments -T $(KERNEL_LDS) -o $@ $(KERNEL_OBJS)

$(BIN_DIR)/minnow.elf32: $(BIN_DIR)/minnow
	$(call say,OBJCOPY,bin/minnow.elf32)
	$(Q)$(OBJCOPY) -O elf32-i386 $< $@

-include $(KERNEL_OBJS:.o=.d)
