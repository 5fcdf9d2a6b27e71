/* udpecho.h - udpecho's parts. */
#ifndef UDPECHO_H
#define UDPECHO_H

/* `got` bytes received into buf (of `size`): the length to send back,
 * the datagram answered in place if it is a MARK of make bench-net. */
long mark_answer(char *buf, long got, long size);

#endif
