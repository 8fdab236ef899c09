/*
 * Event bases: see evbase.h. Meent never dup()s a descriptor it gives to
 * libevent, which is the one case epoll's changelist gets wrong (a change
 * to one copy applied to the file both share).
 */
#include <event2/event.h>

#include "util/evbase.h"

struct event_base *
evbase_new(void)
{
	struct event_config	*cfg;
	struct event_base	*base;

	if ((cfg = event_config_new()) == NULL)
		return NULL;
	if (event_config_set_flag(cfg, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST) == -1) {
		event_config_free(cfg);
		return NULL;
	}
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	return base;
}
