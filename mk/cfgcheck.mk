# mk/cfgcheck.mk - $(O)/host/cfgcheck: the root task's boot-config parser
# (servers/roottask/config.c) built for the host, with which the build
# checks every boot config before it boots (mk/tool/minnow/bootcfg.py).
# Included by the top Makefile; `cfgcheck` checks every entry of
# $(MODULES_LIST), again only when the list, a config or the parser changed
# (a stamp per modules.list).  `image` and `iso` check their own entry.

CFGCHECK := $(O)/host/cfgcheck
CFGCHECK_SRC := servers/roottask/host/cfgcheck.c

$(CFGCHECK): $(CFGCHECK_SRC) servers/roottask/config.c servers/roottask/config.h
	$(call say,HOSTCC,host/cfgcheck)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -std=gnu11 -O1 -Wall -Wextra -Werror -o $@ $(CFGCHECK_SRC)

CFGCHECK_STAMP := $(O)/cfgcheck/$(subst /,_,$(MODULES_LIST)).ok
.PHONY: cfgcheck
cfgcheck: $(CFGCHECK_STAMP)
$(CFGCHECK_STAMP): $(MODULES_LIST) $(CFGCHECK) $(wildcard conf/*.cfg $(dir $(MODULES_LIST))*.cfg)
	$(Q)$(IMAGE) checkcfg
	@mkdir -p $(dir $@) && touch $@
