/* devs.c - figures of the machine rather than of a call: an interrupt to a
 * user-level handler (the RTC's periodic interrupt, from the first
 * instruction of its vector's stub in the kernel to the handler thread's
 * first instructions after its wait), and boot (from the kernel's first
 * instructions to our main).
 *
 * The interrupt's start: the kernel reads the time stamp counter in the
 * common entry code, after it saved the registers, and takes off the
 * instructions the stub ran before (irq.c, irq_entry_insns): under
 * -icount shift=0, where the counter counts instructions, L4_DBG_STAMP 1 is
 * then the count at the vector's first instruction. */
#include "measure.h"
#include "setup.h"
#include <devregs/mc146818.h>
#include <l4/sys/irq.h>
#include <l4/sys/kdebug.h>
#include <l4/sys/notification.h>
#include <l4/sys/sigma0.h>
#include <l4/sys/syscall.h>
#include <l4/sys/thread.h>
#include <l4/util/port.h>

#define RTC_INDEX 0x70                   /* the MC146818's two ports (mc146818.dev) */
#define RTC_DATA  0x71
#define RTC_IRQ   8

static uint8_t rtc_read(uint8_t reg)
{
	l4_outb(RTC_INDEX, reg);
	return l4_inb(RTC_DATA);
}
static void rtc_write(uint8_t reg, uint8_t v)
{
	l4_outb(RTC_INDEX, reg);
	l4_outb(RTC_DATA, v);
}

static uint64_t irq_t[ROUNDS];

/* The handler: at our priority, so it first runs when we wait for its end,
 * after we bound the Irq to it (only the bound thread may wait). */
static void handler(uint64_t irq)
{
	for (int i = -WARMUP; i < ROUNDS; ) {
		int e = l4_irq_wait(irq, L4_TIMEOUT_NEVER, 0);
		uint64_t t = l4_rdtsc();
		if (e)
			fail("irq wait", e);
		uint64_t stamp = l4_kdb_stamp(1);
		rtc_read(MC146818_C_OFFSET);          /* acknowledge at the chip */
		/* Another device interrupt since we woke (QEMU may deliver missed
		 * RTC ticks back to back): this round measured nothing, again. */
		if (stamp > t)
			continue;
		if (i >= 0)
			irq_t[i] = t - stamp;
		i++;
	}
	rtc_write(MC146818_B_OFFSET, (uint8_t)mc146818_b_pie_insert(rtc_read(MC146818_B_OFFSET), 0));
	l4_notification_signal(SLOT_DONE, 1);
	for (;;)
		l4_yield();
}

void devs_figures(uint64_t main_stamp)
{
	uint64_t boot[ROUNDS];
	for (int i = 0; i < ROUNDS; i++)
		boot[i] = main_stamp - l4_kdb_stamp(0);
	report("boot-kernel-to-roottask-main", boot);

	int e;
	if ((e = l4_sigma0_io_grant(L4_CAP_SIGMA0, L4_CAP_SELF, RTC_INDEX, 2)) ||
	    (e = l4_sigma0_irq_create(L4_CAP_SIGMA0, RTC_IRQ, SLOT_IRQ, 0)))
		fail("rtc", e);
	uint64_t h = local_start(handler, SLOT_IRQ, 100);
	if ((e = l4_irq_bind_thread(SLOT_IRQ, h)))
		fail("irq bind", e);
	/* 1024 Hz: a round every ms (the figure does not depend on it). */
	rtc_write(MC146818_A_OFFSET,
		  (uint8_t)mc146818_a_rs_insert(rtc_read(MC146818_A_OFFSET), MC146818_A_RS_HZ1024));
	rtc_read(MC146818_C_OFFSET);
	rtc_write(MC146818_B_OFFSET, (uint8_t)mc146818_b_pie_insert(rtc_read(MC146818_B_OFFSET), 1));
	if ((e = l4_notification_wait(SLOT_DONE, L4_TIMEOUT_NEVER, 0)) || (e = l4_thread_stop(h)) ||
	    (e = l4_irq_unbind(SLOT_IRQ)))
		fail("irq handler", e);
	report("irq-to-user-handler", irq_t);
}
