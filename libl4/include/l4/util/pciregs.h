/* <l4/util/pciregs.h> - the few PCI configuration-header and e1000 register
 * offsets the root task's PCI code and pkg/pcitest use.
 *
 * TO BE REPLACED by the header the register-description generator writes
 * (PCI configuration header, e1000 registers); until then, one place.
 *
 * Sources: PCI Local Bus Specification 3.0, 6.1-6.2 (configuration header,
 * command register, base address registers), 3.2.2.3.2 (configuration
 * mechanism #1); PCI-to-PCI Bridge Architecture Specification 1.2, 3.2
 * (type 1 header); Intel 8254x Family of Gigabit Ethernet Controllers
 * Software Developer's Manual (317453-006), 13.4 (register summary). */
#pragma once

/* Configuration mechanism #1: ports 0xcf8 (address) and 0xcfc (data). */
#define PCI_CFG_ADDR_PORT   0xcf8
#define PCI_CFG_DATA_PORT   0xcfc
#define PCI_CFG_ENABLE      0x80000000u
#define PCI_CFG_SPACE       256          /* what mechanism #1 reaches */

/* The common header (types 0 and 1). */
#define PCI_VENDOR_ID       0x00         /* 16 bits; 0xffff: no function */
#define PCI_DEVICE_ID       0x02
#define PCI_COMMAND         0x04         /* 16 bits */
#define PCI_STATUS          0x06         /* 16 bits, write 1 to clear */
#define PCI_CLASS_REVISION  0x08         /* class << 24 | subclass << 16 | prog-if << 8 | rev */
#define PCI_HEADER_TYPE     0x0e         /* bit 7: multi-function */
#define PCI_BAR0            0x10         /* 6 BARs (type 0), 2 (type 1), 4 bytes each */
#define PCI_ROM_TYPE0       0x30         /* expansion ROM base (type 0) */
#define PCI_ROM_TYPE1       0x38
#define PCI_INTERRUPT_LINE  0x3c         /* written by the firmware: its PIC IRQ */
#define PCI_INTERRUPT_PIN   0x3d         /* 1..4 = INTA#..INTD#, 0 = none */
#define PCI_HEADER_END      0x40         /* device-specific space from here */
#define PCI_SECONDARY_BUS   0x19         /* type 1: the bus behind the bridge */

#define PCI_COMMAND_IO      0x0001
#define PCI_COMMAND_MEMORY  0x0002
#define PCI_COMMAND_MASTER  0x0004
#define PCI_COMMAND_INTX_DISABLE 0x0400

#define PCI_HEADER_MULTI    0x80
#define PCI_HEADER_BRIDGE   0x01         /* type 1: PCI-to-PCI bridge */

#define PCI_BAR_IO          0x1          /* bit 0 */
#define PCI_BAR_MEM_TYPE    0x6          /* bits 2:1 of a memory BAR */
#define PCI_BAR_MEM_64      0x4
#define PCI_BAR_PREFETCH    0x8
#define PCI_BAR_IO_MASK     0xfffffffcu
#define PCI_BAR_MEM_MASK    0xfffffff0u

/* e1000 (82540EM, QEMU's e1000) registers, offsets into BAR 0. */
#define E1000_STATUS        0x0008
#define E1000_ICR           0x00c0       /* interrupt cause read (clears on read) */
#define E1000_ICS           0x00c8       /* interrupt cause set */
#define E1000_IMS           0x00d0       /* interrupt mask set */
#define E1000_IMC           0x00d8       /* interrupt mask clear */
#define E1000_RAL0          0x5400       /* receive address low: MAC bytes 0..3 */
#define E1000_RAH0          0x5404       /* high: MAC bytes 4..5, bit 31 address valid */
#define E1000_RAH_AV        0x80000000u
#define E1000_ICR_TXDW      0x00000001u  /* a cause we can set through ICS */
