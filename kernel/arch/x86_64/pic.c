/* pic.c - the legacy 8259A pair.  Until interrupts are delivered as IPC the
 * kernel takes none, but the BIOS leaves the PICs mapped onto vectors 8-15,
 * where a timer tick would look like a double fault.  So remap them above
 * the exceptions (ICW2 = 0x20/0x28) and mask every line. */
#include "k/kernel.h"
#include <arch/cpu.h>
#include "x86.h"

enum {
	PIC1_CMD = 0x20, PIC1_DATA = 0x21,
	PIC2_CMD = 0xa0, PIC2_DATA = 0xa1,
	ICW1_INIT_ICW4 = 0x11,   /* edge triggered, cascade, ICW4 follows */
	ICW4_8086 = 0x01,
};

void pic_disable(void)
{
	outb(PIC1_CMD, ICW1_INIT_ICW4);
	outb(PIC2_CMD, ICW1_INIT_ICW4);
	outb(PIC1_DATA, 0x20);    /* ICW2: vector base of the master */
	outb(PIC2_DATA, 0x28);    /* ICW2: vector base of the slave */
	outb(PIC1_DATA, 0x04);    /* ICW3: slave on IR2 */
	outb(PIC2_DATA, 0x02);    /* ICW3: slave identity */
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	outb(PIC1_DATA, 0xff);    /* OCW1: mask everything */
	outb(PIC2_DATA, 0xff);
}
