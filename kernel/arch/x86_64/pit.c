/* pit.c - the 8254 programmable interval timer (Intel 8254 datasheet;
 * PC wiring: input clock 1.193182 MHz, channel 0 on ISA IRQ 0, channel 2's
 * gate and output on port 0x61 bits 0 and 5, its output also to the
 * speaker through bit 1).
 *
 * Channel 2 is the calibration reference: mode 0 ("interrupt on terminal
 * count") drives OUT low when the mode is written and high when the count
 * runs out, which port 0x61 shows without any interrupt.  Channel 0 is the
 * tick of last resort (mode 2, rate generator). */
#include "k/kernel.h"
#include <arch/cpu.h>
#include "apic.h"

enum {
	PIT_CH0 = 0x40, PIT_CH2 = 0x42, PIT_CMD = 0x43, PORT_B = 0x61,
	/* control word: channel << 6 | access << 4 | mode << 1 | bcd */
	CW_CH0 = 0u << 6, CW_CH2 = 2u << 6,
	CW_LOHI = 3u << 4,                     /* low byte, then high byte */
	CW_MODE0 = 0u << 1, CW_MODE2 = 2u << 1,
	PB_GATE2 = 1u << 0, PB_SPEAKER = 1u << 1, PB_OUT2 = 1u << 5,
};

/* How long to wait for channel 2 before deciding it is not there.  Each
 * port read takes about a microsecond on real hardware; the measurement
 * asks for at most 55 ms. */
#define POLL_LIMIT 20000000u

bool pit_measure(uint16_t pit_ticks, bool lapic, uint64_t *tsc_delta, uint32_t *lapic_delta)
{
	if (pit_ticks == 0)
		return false;
	uint64_t flags = irq_save();
	uint8_t pb = inb(PORT_B);
	outb(PORT_B, (uint8_t)((pb & ~PB_SPEAKER) | PB_GATE2));
	outb(PIT_CMD, CW_CH2 | CW_LOHI | CW_MODE0);
	outb(PIT_CH2, pit_ticks & 0xff);

	/* Start readings first, end readings last: any delay makes the deltas
	 * longer, never shorter. */
	uint64_t t0 = rdtsc();
	uint32_t l0 = lapic ? lapic_timer_current() : 0;
	outb(PIT_CH2, pit_ticks >> 8);            /* counting starts here */
	/* With the count loaded OUT is low until it runs out (a real 8254
	 * drives it low on the mode write already; QEMU's only on the load).
	 * High right away: no channel 2 behind port 0x61. */
	bool ok = !(inb(PORT_B) & PB_OUT2);
	for (uint32_t n = 0; ok && !(inb(PORT_B) & PB_OUT2); )
		if (++n == POLL_LIMIT)
			ok = false;
	uint32_t l1 = lapic ? lapic_timer_current() : 0;
	uint64_t t1 = rdtsc();
	outb(PORT_B, pb);
	irq_restore(flags);
	if (!ok)
		return false;
	*tsc_delta = t1 - t0;
	if (lapic)
		*lapic_delta = l0 - l1;               /* the LAPIC counts down */
	return true;
}

unsigned pit_periodic(unsigned hz)
{
	uint32_t count = hz ? PIT_HZ / hz : 0;
	if (count < 2)
		count = 2;                            /* mode 2 needs at least 2 */
	if (count > 0xffff)
		count = 0xffff;
	outb(PIT_CMD, CW_CH0 | CW_LOHI | CW_MODE2);
	outb(PIT_CH0, count & 0xff);
	outb(PIT_CH0, (uint8_t)(count >> 8));
	return PIT_HZ / count;
}
