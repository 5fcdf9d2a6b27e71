# mk/rust.mk - SRC_RS: a package's Rust crate (doc/rust.md), included by
# rules.mk.  rustc (Debian's, mk/install-deps.sh) is run directly: no cargo,
# nothing fetched.  A program's crate is a staticlib linked with crt0 and
# its libraries as C objects are; a library's crate is an rlib that Rust
# dependants get through `--extern` (lib.mk exports it in $(PC_DIR)).
#   SRC_RS   = main.rs   the crate root (one file; it names its modules)
#   RS_CRATE = name      the crate's name (default: TARGET, or PC_NAME
#                        without its "lib", with - as _)
# Generated Rust is found through environment variables the crate reads with
# env!(): MINNOW_GEN is this package's object directory, MINNOW_GEN_<lib> that
# of each library in REQUIRES_LIBS (idl/x.rs from x.idl, layout/.../x.rs from
# x.dev); the l4 crate's gen! macro wraps this.  rustc's dep-info (the files
# read, include!d ones too) rebuilds the crate when any of them changes.

RS_KIND    ?= staticlib
RS_DIR     := $(OBJ_DIR)/rs
RS_OUT     := $(RS_DIR)/lib$(RS_CRATE).$(if $(filter rlib,$(RS_KIND)),rlib,a)
RS_EXTERNS := $(foreach l,$(REQUIRES_LIBS),$(PC_RSEXTERN_$(l)))
RS_LIBDIRS := $(sort $(foreach l,$(REQUIRES_LIBS),$(PC_RSLIBDIRS_$(l))))
RS_DEPS    := $(foreach l,$(REQUIRES_LIBS),$(PC_RSDEPS_$(l)))
RS_ENV     := MINNOW_GEN=$(OBJ_DIR) $(foreach l,$(REQUIRES_LIBS),MINNOW_GEN_$(l)=$(PC_GEN_$(l)))

ifneq ($(words $(SRC_RS)),1)
$(error $(SRC_REL)/Makefile: SRC_RS names one crate root (got '$(SRC_RS)'); the root names its modules)
endif
ifeq ($(wildcard $(RUSTC)),)
$(error $(SRC_REL)/Makefile: SRC_RS needs rustc ($(RUSTC) not found): run mk/install-deps.sh (Debian's rustc-web))
endif

all: $(RS_OUT)

$(RS_OUT): $(SRC_RS) $(RS_DEPS) $(GEN_INC)/generated/autoconf.h | $(IDL_HDRS) $(IDL_RS) $(LAYOUT_HDRS) $(LAYOUT_RS)
	$(call say,RUSTC,$(SRC_REL)/$(SRC_RS))
	@mkdir -p $(RS_DIR)
	$(Q)env -u MAKEFLAGS -u MFLAGS $(RS_ENV) $(RUSTC) $(RUST_FLAGS) $(if $(filter staticlib,$(RS_KIND)),$(RUST_LINK_FLAGS)) \
		--crate-type $(RS_KIND) --crate-name $(RS_CRATE) --emit=dep-info,link --out-dir $(RS_DIR) \
		$(RS_EXTERNS) $(addprefix -L dependency=,$(RS_LIBDIRS)) \
		--remap-path-prefix=$(L4DIR)/= $(abspath $<)

-include $(RS_DIR)/$(RS_CRATE).d
