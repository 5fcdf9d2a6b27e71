# mk/pkgvars.mk - a package Makefile may set only what its role file reads.
# A misspelled name (SRC_CC, REQUIRE_LIBS) would otherwise be ignored: the
# build succeeds with a stale binary, or fails later on a missing header.
# Each role file sets PKG_ROLE and PKG_ROLE_VARS and includes this first,
# before anything else defines variables.

# First, before this file defines any: what the package Makefile set.
PKG_SET_VARS := $(strip $(foreach v,$(.VARIABLES),$(if $(filter file override,$(origin $(v))),$(v))))

# Set by make itself, in every makefile.
PKG_MAKE_OWN_VARS := MAKEFLAGS CURDIR MAKEFILE_LIST SHELL .DEFAULT_GOAL
# Every role reads these (doc/build.md, "Variables").
PKG_COMMON_VARS := PKGDIR L4DIR TARGET CFLAGS CPPFLAGS
PKG_UNKNOWN_VARS := $(filter-out $(PKG_MAKE_OWN_VARS) $(PKG_COMMON_VARS) $(PKG_ROLE_VARS) \
	PKG_ROLE PKG_ROLE_VARS,$(PKG_SET_VARS))
ifneq ($(PKG_UNKNOWN_VARS),)
$(shell $(firstword $(wildcard /usr/bin/python3) python3) $(L4DIR)/mk/tool/pkgcheck.py \
	--root $(L4DIR) $(firstword $(MAKEFILE_LIST)) unknown $(PKG_ROLE) \
	'$(PKG_COMMON_VARS) $(PKG_ROLE_VARS)' $(PKG_UNKNOWN_VARS) >&2)
$(error stopped: $(patsubst $(abspath $(L4DIR))/%,%,$(CURDIR))/$(firstword $(MAKEFILE_LIST)) sets what $(PKG_ROLE) does not read)
endif
