/* threadtest.h - what main.c and pthread.c share. */
#pragma once
extern const char *me;
int pthread_run(void);
