/*
 * The event loops of meentd's threads. Each HTTP or job thread runs its
 * own base; they are made here so that they all make the same choices.
 */
#ifndef MEENT_UTIL_EVBASE_H
#define MEENT_UTIL_EVBASE_H

struct event_base;

/*
 * A new event base for one thread (free it with event_base_free), or NULL.
 * epoll's changes are batched per loop turn: a keep-alive request turns
 * its connection's read and write interest on and off several times
 * within one turn, and each change would otherwise be an epoll_ctl.
 */
struct event_base *evbase_new(void);

#endif
