# mk/rules.mk - how a package's sources become objects (shared by prog.mk and
# lib.mk).  Objects go to $(OBJ_DIR), mirroring the source tree.

.DEFAULT_GOAL := all

SRC_C  ?=
SRC_S  ?=
SRC_IDL ?=
SRC_LAYOUT ?=
SRC_RS ?=
LAYOUT_INCDIR ?=
EXPORT_INCDIR ?=
EXPORT_CPPFLAGS := $(addprefix -I,$(abspath $(EXPORT_INCDIR)))
OBJS := $(addprefix $(OBJ_DIR)/,$(SRC_C:.c=.o) $(SRC_S:.S=.o))

# Interface definitions (mk/tool/idl.py): x.idl gives $(IDL_DIR)/x_client.h
# and x_server.h, out of tree; that directory is on the include path and
# every object waits for the headers (the .d files track real use after).
IDL_DIR  := $(OBJ_DIR)/idl
IDL_HDRS := $(foreach f,$(SRC_IDL:.idl=),$(IDL_DIR)/$(f)_client.h $(IDL_DIR)/$(f)_server.h)
# x.rs beside them: the same interface for Rust (mk/rust.mk, doc/rust.md).
IDL_RS   := $(addprefix $(IDL_DIR)/,$(SRC_IDL:.idl=.rs))
IDL_TOOL := $(L4DIR)/mk/tool/idl.py $(L4DIR)/mk/tool/minnow/lexer.py $(wildcard $(L4DIR)/mk/tool/minnow/idl/*.py)

# Register and memory-layout descriptions (mk/tool/layout.py, doc/layout.md):
# x.dev gives $(LAYOUT_DIR)/$(LAYOUT_INCDIR)/x.h, out of tree; $(LAYOUT_DIR) is
# on the include path (a library exports it), so with LAYOUT_INCDIR = devregs
# a source says #include <devregs/x.h>.
LAYOUT_DIR  := $(OBJ_DIR)/layout
LAYOUT_OUT  := $(LAYOUT_DIR)$(if $(LAYOUT_INCDIR),/$(LAYOUT_INCDIR))
LAYOUT_HDRS := $(addprefix $(LAYOUT_OUT)/,$(SRC_LAYOUT:.dev=.h))
LAYOUT_RS   := $(addprefix $(LAYOUT_OUT)/,$(SRC_LAYOUT:.dev=.rs))
LAYOUT_TOOL := $(L4DIR)/mk/tool/layout.py $(L4DIR)/mk/tool/minnow/lexer.py \
	       $(wildcard $(L4DIR)/mk/tool/minnow/layout/*.py)

# --- every source must exist: named here, not left to "no rule" or the linker
PKG_MISSING_SRC := $(strip $(foreach f,$(SRC_C) $(SRC_S) $(SRC_RS) $(SRC_IDL) $(SRC_LAYOUT),$(if $(wildcard $(f)),,$(f))))
ifneq ($(PKG_MISSING_SRC),)
$(shell $(PYTHON) $(L4DIR)/mk/tool/pkgcheck.py --root $(L4DIR) $(firstword $(MAKEFILE_LIST)) \
	missing $(PKG_MISSING_SRC) >&2)
$(error stopped: $(SRC_REL)/Makefile names sources that do not exist)
endif

# --- REQUIRES_LIBS must be declared in the package's Control file ------------
PKG_CONTROL := $(PKGDIR)/Control
ifeq ($(wildcard $(PKG_CONTROL)),)
$(error $(SRC_REL)/Makefile: no Control file at $(patsubst $(L4DIR)/%,%,$(PKG_CONTROL)) (PKGDIR is $(PKGDIR)))
endif
CONTROL_REQUIRES := $(shell sed -n 's/\#.*//; s/^[[:space:]]*\(requires\|optional\)[[:space:]]*:\(.*\)/\2/p' $(PKG_CONTROL) | tr ',' ' ')
# A part of a package may also use what its own package provides (lib/ for server/).
CONTROL_PROVIDES := $(shell sed -n 's/\#.*//; s/^[[:space:]]*provides[[:space:]]*:\(.*\)/\1/p' $(PKG_CONTROL) | tr ',' ' ')
UNDECLARED := $(filter-out $(CONTROL_REQUIRES) $(CONTROL_PROVIDES),$(REQUIRES_LIBS))
ifneq ($(UNDECLARED),)
$(error $(SRC_REL)/Makefile: REQUIRES_LIBS names '$(UNDECLARED)', which $(patsubst $(L4DIR)/%,%,$(PKG_CONTROL)) does not list under requires:)
endif

# Each library a package requires left a fragment in $(PC_DIR) when it was
# built (lib.mk) telling its include directories and archives, like pkg-config.
define need_pc
$(if $(wildcard $(PC_DIR)/$(1).mk),,$(error $(SRC_REL)/Makefile: library '$(1)' has not been built (no $(PC_DIR)/$(1).mk); build from the top with `make`, or build its package first))
endef
$(foreach l,$(REQUIRES_LIBS),$(call need_pc,$(l)))
-include $(foreach l,$(REQUIRES_LIBS),$(PC_DIR)/$(l).mk)

PKG_CPPFLAGS := $(foreach l,$(REQUIRES_LIBS),$(PC_CPPFLAGS_$(l))) -I$(PKGDIR)/include $(EXPORT_CPPFLAGS) -I$(CURDIR) \
		$(if $(SRC_IDL),-I$(IDL_DIR)) $(if $(SRC_LAYOUT),-I$(LAYOUT_DIR))
PKG_LIBS     := $(foreach l,$(REQUIRES_LIBS),$(PC_LIBS_$(l)))

# Compilers run in the tree's root on $(SRC_REL)/file.c, so that their
# messages (and __FILE__) name files from the root, as the kernel's do, and
# an editor started there can jump to them.  The .d files then name the
# package's own files that way too: vpath finds them from here.
vpath $(SRC_REL)/% $(L4DIR)

$(OBJ_DIR)/%.o: %.c $(GEN_INC)/generated/autoconf.h
	$(call say,CC,$(patsubst $(O)/%,%,$@))
	@mkdir -p $(dir $@)
	$(call compile,$(SRC_REL)/$<,$(CC) $(USER_CFLAGS) $(USER_CPPFLAGS) $(PKG_CPPFLAGS) $(CPPFLAGS) $(CFLAGS) -c $(SRC_REL)/$< -o $@)

$(OBJ_DIR)/%.o: %.S $(GEN_INC)/generated/autoconf.h
	$(call say,AS,$(patsubst $(O)/%,%,$@))
	@mkdir -p $(dir $@)
	$(call compile,$(SRC_REL)/$<,$(CC) $(COMMON_ASFLAGS) $(USER_CPPFLAGS) $(PKG_CPPFLAGS) $(CPPFLAGS) -c $(SRC_REL)/$< -o $@)

all: $(IDL_HDRS) $(LAYOUT_HDRS) $(IDL_RS) $(LAYOUT_RS)
$(OBJS): | $(IDL_HDRS) $(LAYOUT_HDRS)

$(IDL_DIR)/%_client.h $(IDL_DIR)/%_server.h: %.idl $(IDL_TOOL)
	$(call say,IDL,$(SRC_REL)/$<)
	@mkdir -p $(dir $@)
	$(Q)cd $(L4DIR) && $(PYTHON) mk/tool/idl.py --client $(IDL_DIR)/$*_client.h \
		--server $(IDL_DIR)/$*_server.h $(SRC_REL)/$<
	@touch $(IDL_DIR)/$*_client.h $(IDL_DIR)/$*_server.h

$(IDL_DIR)/%.rs: %.idl $(IDL_TOOL)
	$(call say,IDL-RS,$(SRC_REL)/$<)
	@mkdir -p $(dir $@)
	$(Q)cd $(L4DIR) && $(PYTHON) mk/tool/idl.py --rust $@ $(SRC_REL)/$<
	@touch $@

$(LAYOUT_OUT)/%.rs: %.dev $(LAYOUT_TOOL)
	$(call say,LAYOUT-RS,$(SRC_REL)/$<)
	@mkdir -p $(dir $@)
	$(Q)cd $(L4DIR) && $(PYTHON) mk/tool/layout.py --rust $@ $(SRC_REL)/$<
	@touch $@

$(LAYOUT_OUT)/%.h: %.dev $(LAYOUT_TOOL)
	$(call say,LAYOUT,$(SRC_REL)/$<)
	@mkdir -p $(dir $@)
	$(Q)cd $(L4DIR) && $(PYTHON) mk/tool/layout.py -o $@ $(SRC_REL)/$<
	@touch $@

$(GEN_INC)/generated/autoconf.h:
	$(error $@ missing: run `make` (or `make olddefconfig`) from the top directory first)

-include $(OBJS:.o=.d)

# A Rust crate (SRC_RS): mk/rust.mk.
RS_KIND  ?= staticlib
RS_CRATE ?= $(subst -,_,$(if $(filter rlib,$(RS_KIND)),$(patsubst lib%,%,$(TARGET:.a=)),$(TARGET)))
ifneq ($(strip $(SRC_RS)),)
include $(L4DIR)/mk/rust.mk
endif
