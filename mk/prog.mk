# mk/prog.mk - a user program.  A package Makefile sets
#   PKGDIR ?= .          the package root (where Control is)
#   L4DIR  ?= ../..      the source root
#   TARGET = hello       program name: $(O)/bin/hello
#   SRC_C  = main.c      sources (SRC_S for assembly)
#   SRC_RS = main.rs     or a Rust crate root (mk/rust.mk, doc/rust.md)
#   REQUIRES_LIBS = libl4   libraries, each listed in Control's requires:
# and includes this file.

PKG_ROLE := mk/prog.mk
PKG_ROLE_VARS := SRC_C SRC_S SRC_RS RS_CRATE SRC_IDL SRC_LAYOUT LAYOUT_INCDIR REQUIRES_LIBS
include $(L4DIR)/mk/pkgvars.mk
PKGDIR := $(abspath $(PKGDIR))
include $(L4DIR)/mk/Makeconf
include $(L4DIR)/mk/rules.mk

ifeq ($(strip $(TARGET)),)
$(error $(SRC_REL)/Makefile: TARGET is not set)
endif

PROG := $(BIN_DIR)/$(TARGET)

.PHONY: all clean
all: $(PROG)

# A Rust crate is linked as one more archive in the group: it calls the C
# libraries (l4rs's binding, libc's memcpy and malloc) and crt0 calls its main.
RS_LINK := $(if $(strip $(SRC_RS)),$(RS_OUT))

$(PROG): $(OBJS) $(RS_LINK) $(CRT0) $(PKG_LIBS) $(L4DIR)/mk/arch/$(ARCH)/prog.ld
	$(call say,LD,bin/$(TARGET))
	@mkdir -p $(dir $@)
	$(Q)$(LD) $(USER_LDFLAGS) -o $@ $(CRT0) $(OBJS) --start-group $(RS_LINK) $(PKG_LIBS) --end-group $(LIBGCC)

$(CRT0):
	$(error $@ missing: build from the top with `make` (the framework builds crt0 first))

clean:
	rm -rf $(OBJ_DIR) $(PROG)
