/*
 * Per-thread state made on first use and freed when its thread ends: the
 * caches that each thread keeps for itself (parsed keys, signing keys,
 * recent signers), with no locking on the way to them.
 */
#ifndef MEENT_UTIL_THREAD_SLOT_H
#define MEENT_UTIL_THREAD_SLOT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

struct thread_slot {
	atomic_int	 ready;
	pthread_key_t	 key;
	size_t		 size;			/* of the zeroed block each thread gets */
	void		(*destroy)(void *);	/* frees a thread's block at its end */
};

#define THREAD_SLOT(size, destroy)	{ 0, 0, (size), (destroy) }

/* The calling thread's block of s, made (zeroed) on first use; NULL if it cannot be. */
void	*thread_slot_get(struct thread_slot *s);

#endif
