/*
 * Allocation wrappers that abort on out-of-memory (the service manager
 * restarts us). Callers must cap sizes that come from the network before
 * allocating, so no client can trigger the abort.
 */
#ifndef MEENT_UTIL_MEM_H
#define MEENT_UTIL_MEM_H

#include <stddef.h>

void	*xmalloc(size_t n);			/* new; never NULL */
void	*xcalloc(size_t nmemb, size_t size);	/* new, zeroed */
void	*xrealloc(void *p, size_t n);		/* takes p; new */
char	*xstrdup(const char *s);		/* new copy */
char	*xstrndup(const char *s, size_t n);	/* new copy of at most n bytes */
char	*xasprintf(const char *fmt, ...)	/* new formatted string */
	    __attribute__((format(printf, 1, 2)));

#endif
