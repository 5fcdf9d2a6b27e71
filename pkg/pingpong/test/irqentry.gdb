# Commands for irqentry.test, after the script make qemu-gdb writes.  At
# the first instruction of the LAPIC timer's stub (every vector's stub is
# the same three instructions, irq_entry.S), step to irq_entry_stamp and
# count; compare with what the kernel takes off its time stamp
# (irq.c, irq_entry_insns), once for an interrupt from kernel mode and once
# from user mode (the CPU frame's CS, above the return address).
break irq_stub_240
python
seen = {}
for _ in range(400):
    gdb.execute("continue", to_string=True)
    user = 1 if int(gdb.parse_and_eval("*(unsigned long *)($sp + 8)")) & 3 else 0
    if user in seen:
        continue
    stamp = int(gdb.parse_and_eval("(unsigned long)&irq_entry_stamp"))
    n = 0
    while int(gdb.parse_and_eval("(unsigned long)$pc")) != stamp and n < 100:
        gdb.execute("stepi", to_string=True)
        n += 1
    seen[user] = n
    if len(seen) == 2:
        break
for user in sorted(seen):
    n, k = seen[user], int(gdb.parse_and_eval("irq_entry_insns[%d]" % user))
    print("irq entry from %s mode: %d instructions before the stamp, the kernel takes off %d: %s"
          % ("user" if user else "kernel", n, k, "same" if n == k else "DIFFERENT"))
print("irq entry: both modes seen" if len(seen) == 2 else "irq entry: only %s seen" % seen)
end
delete
