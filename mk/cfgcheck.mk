# mk/cfgcheck.mk - $(O)/host/cfgcheck: the root task's boot-config parser
# (servers/roottask/config.c) built for the host, with which the build
# checks every boot config before it boots (mk/tool/minnow/bootcfg.py).

CFGCHECK := $(O)/host/cfgcheck
CFGCHECK_SRC := servers/roottask/host/cfgcheck.c

$(CFGCHECK): $(CFGCHECK_SRC) servers/roottask/config.c servers/roottask/config.h
	$(call say,HOSTCC,host/cfgcheck)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -std=gnu11 -O1 -Wall -Wextra -Werror -o $@ $(CFGCHECK_SRC)
