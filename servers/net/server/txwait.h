/* txwait.h - frames lwIP sent while the link had no transmit buffer,
 * waiting in order for one (txwait.c; the e1000 link's). */
#ifndef NET_TXWAIT_H
#define NET_TXWAIT_H

struct pbuf;

#define NET_TXWAIT_MAX 128      /* frames held; one more is dropped (TCP sends again) */

/* Hold p (a reference: lwIP may free its own) after the others: 0, or
 * -L4_ENOMEM when NET_TXWAIT_MAX are held. */
int net_txwait_put(struct pbuf *p);
/* The oldest frame held, or NULL. */
struct pbuf *net_txwait_first(void);
/* Drop the oldest (sent now): its reference goes. */
void net_txwait_pop(void);
unsigned net_txwait_count(void);

#endif
