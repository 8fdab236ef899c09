/* Per-thread state: see thread_slot.h. */
#include <stdlib.h>

#include "util/mem.h"
#include "util/thread_slot.h"

/* Makes the keys; taken once per slot, the first time any thread asks. */
static pthread_mutex_t	 slot_lock = PTHREAD_MUTEX_INITIALIZER;

void *
thread_slot_get(struct thread_slot *s)
{
	void	*p;

	if (!atomic_load_explicit(&s->ready, memory_order_acquire)) {
		pthread_mutex_lock(&slot_lock);
		if (!atomic_load_explicit(&s->ready, memory_order_relaxed) &&
		    pthread_key_create(&s->key, s->destroy) == 0)
			atomic_store_explicit(&s->ready, 1, memory_order_release);
		pthread_mutex_unlock(&slot_lock);
		if (!atomic_load_explicit(&s->ready, memory_order_acquire))
			return NULL;
	}
	if ((p = pthread_getspecific(s->key)) == NULL) {
		p = xcalloc(1, s->size);
		if (pthread_setspecific(s->key, p) != 0) {
			free(p);
			return NULL;
		}
	}
	return p;
}
