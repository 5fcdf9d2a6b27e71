# Commands for gdb.test, after the script make qemu-gdb writes (kernel
# symbols, the minnow- helpers of mk/tool/gdb/minnow.py, target remote).
# Every program starts at _start, 0x400000: names and the greeter run it
# before the client does, so the first stop proves the breakpoint's task
# condition.
minnow-break greeter-client _start client
continue
minnow-current
delete 1
minnow-break greeter-server greet greeter
continue
minnow-current
print who
print me
print nclients
minnow-tasks
minnow-threads
minnow-caps greeter
