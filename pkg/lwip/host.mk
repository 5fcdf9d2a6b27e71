# pkg/lwip/host.mk - lwIP and Minnow's port built for the host, for the
# host unit tests that run the real stack (pkg/lwiptest, servers/net).
# The same sources as the guest's library (lwip.files) and the port's
# portable files (lwipopts.h, arch/cc.h, rand.c, route.c); only sys_now()
# is the host's (host/sys_now.c: CLOCK_MONOTONIC).
#
# The including Makefile sets TOPDIR, B (its $(O)/hosttest), HOSTCC,
# HOSTCFLAGS and quiet, and gets LWIP_HOST_INC (include flags) and
# LWIP_HOST_OBJS (to link).  The objects are shared: host tests are built
# one directory after another, so the second finds them made.

LWIP_HOST_SRC := $(TOPDIR)/contrib/lwip/src
LWIP_HOST_PORT := $(TOPDIR)/pkg/lwip
LWIP_HOST_OBJ := $(B)/obj/pkg/lwip

ifeq ($(wildcard $(TOPDIR)/contrib/lwip/.minnow-fetched),)
$(error $(patsubst $(TOPDIR)/%,%,$(firstword $(abspath $(MAKEFILE_LIST)))): lwIP's source is missing from contrib/lwip: run `sh mk/fetch-lwip.sh` (mk/install-deps.sh does))
endif

LWIP_HOST_INC := -I$(LWIP_HOST_PORT)/include -I$(LWIP_HOST_SRC)/include
LWIP_HOST_SRCS := $(shell sed 's/\#.*//' $(LWIP_HOST_PORT)/lwip.files)
LWIP_HOST_OBJS := $(addprefix $(LWIP_HOST_OBJ)/contrib/,$(LWIP_HOST_SRCS:.c=.o)) \
	$(LWIP_HOST_OBJ)/port/rand.o $(LWIP_HOST_OBJ)/port/route.o $(LWIP_HOST_OBJ)/host/sys_now.o

$(LWIP_HOST_OBJ)/contrib/%.o: $(LWIP_HOST_SRC)/%.c
	@mkdir -p $(@D)
	$(call quiet,HOSTCC,contrib/lwip/src/$*.c)$(HOSTCC) $(HOSTCFLAGS) $(LWIP_HOST_INC) -MMD -MP -c $< -o $@

$(LWIP_HOST_OBJ)/%.o: $(LWIP_HOST_PORT)/%.c
	@mkdir -p $(@D)
	$(call quiet,HOSTCC,pkg/lwip/$*.c)$(HOSTCC) $(HOSTCFLAGS) $(LWIP_HOST_INC) -MMD -MP -c $< -o $@

-include $(shell find $(LWIP_HOST_OBJ) -name '*.d' 2>/dev/null)
