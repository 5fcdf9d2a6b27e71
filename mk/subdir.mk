# mk/subdir.mk - a package's top Makefile when the package has parts:
#   PKGDIR ?= .
#   L4DIR  ?= ../..
#   include $(L4DIR)/mk/subdir.mk
# builds whichever of include/ lib/ server/ examples/ test/ have a Makefile,
# in that order (a part may use the libraries of the parts before it).
# Set TARGET to a list of directories to choose others.

PKG_ROLE := mk/subdir.mk
PKG_ROLE_VARS :=
include $(L4DIR)/mk/pkgvars.mk
PKGDIR := $(abspath $(PKGDIR))
include $(L4DIR)/mk/Makeconf

SUBDIRS_DEFAULT := include lib server examples test
TARGET ?= $(foreach d,$(SUBDIRS_DEFAULT),$(if $(wildcard $(d)/Makefile),$(d)))

.PHONY: all clean $(TARGET)
all: $(TARGET)

# One after another: later parts link against earlier ones.
prev :=
$(foreach d,$(TARGET),$(eval $(d): $(prev))$(eval prev := $(d)))

$(TARGET):
	$(Q)$(MAKE) $(SUBMAKE_FLAGS) -C $@ O=$(O) L4DIR=$(L4DIR) PKGDIR=$(PKGDIR)

clean:
	$(Q)for d in $(TARGET); do $(MAKE) -C $$d O=$(O) L4DIR=$(L4DIR) PKGDIR=$(PKGDIR) clean || exit 1; done
