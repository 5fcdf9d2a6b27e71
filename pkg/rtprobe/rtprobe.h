/* rtprobe.h - what rtprobe's files share. */
#pragma once

extern const char *me;          /* the program's name in the boot config */

/* drivers.c */
int serve(unsigned calls);
int client(unsigned calls);
int uart(unsigned lines);
