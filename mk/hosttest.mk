# mk/hosttest.mk - what every host unit test's Makefile shares: where the
# binaries go, the compiler and its sanitizers, Kbuild-style quiet lines,
# and (with HOSTTEST_LAYOUT set) the generated <l4/sys/abi_layout.h> that
# <l4/sys/abi.h> includes.  A test Makefile sets SRCDIR and TOPDIR,
# includes this, and names its binaries under $(B); its first target must
# come after the include (none here is a default goal).
#
#   HOSTTEST_LAYOUT := NAME    generate abi_layout.h into $(B)/gen/NAME
#                              (LAYOUT_GEN, LAYOUT_HDRS) by the kernel's rules

O ?= $(TOPDIR)/build
override O := $(abspath $(O))
B := $(O)/hosttest

HOSTCC ?= cc
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
HOSTCFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter -fno-omit-frame-pointer $(SAN)

ifneq ($(HOSTTEST_LAYOUT),)
L4DIR  := $(TOPDIR)
ARCH   ?= x86_64
PYTHON ?= $(firstword $(wildcard /usr/bin/python3) python3)
LAYOUT_GEN := $(B)/gen/$(HOSTTEST_LAYOUT)
include $(TOPDIR)/mk/kernel_layout.mk
LAYOUT_HDRS := $(LAYOUT_GEN)/l4/sys/abi_layout.h
endif

ifeq ($(V),1)
quiet =
else
quiet = @printf '  %-8s%s\n' '$(1)' '$(2)';
endif

.PHONY: all clean
.DELETE_ON_ERROR:
.SUFFIXES:
.SECONDARY:
MAKEFLAGS += --no-builtin-rules
