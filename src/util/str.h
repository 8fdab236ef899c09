/*
 * String helpers: checked number parsing (instead of atoi), bounded copies
 * and a growable byte buffer with a hard size cap for untrusted input.
 */
#ifndef MEENT_UTIL_STR_H
#define MEENT_UTIL_STR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Parses the whole of s as a decimal integer in [min, max]. Leading and
 * trailing garbage, empty strings and overflow fail. 0 or -1.
 */
int	 str_to_ll(const char *s, long long min, long long max, long long *out);
/* The same for unsigned 64-bit values (snowflake IDs). */
int	 str_to_u64(const char *s, uint64_t *out);

/* strlcpy: copies at most dstsz-1 bytes, always terminates; returns strlen(src). */
size_t	 str_lcpy(char *dst, const char *src, size_t dstsz);

/* Removes leading and trailing ASCII whitespace in place; returns s. */
char	*str_trim(char *s);

/* The value of hexadecimal digit c (either case), or -1. */
int	 str_hexval(int c);

/* 1 when s starts with prefix. */
int	 str_has_prefix(const char *s, const char *prefix);

/* A growable buffer; always NUL-terminated after any append. */
struct buf {
	char	*data;		/* owned; NULL until the first append */
	size_t	 len;		/* bytes used, excluding the terminator */
	size_t	 cap;		/* bytes allocated */
	size_t	 max;		/* refuse to grow past this (0: no cap) */
};

void	 buf_init(struct buf *b, size_t max);
void	 buf_cleanup(struct buf *b);
/* Appends; -1 (and nothing appended) when the cap would be exceeded. */
int	 buf_append(struct buf *b, const void *p, size_t n);
int	 buf_puts(struct buf *b, const char *s);
int	 buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	 buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Hands the data to the caller (new) and resets b. Never NULL. */
char	*buf_take(struct buf *b);

#endif
