/*
 * One-line key=value logging to stderr or a log file, safe from any thread.
 * Every line starts with ts=, level= and event=; callers add their own
 * key=value pairs. The file can be reopened on SIGHUP for log rotation.
 */
#ifndef MEENT_UTIL_LOG_H
#define MEENT_UTIL_LOG_H

#include <stddef.h>

enum log_level {
	LOG_LEVEL_DEBUG,
	LOG_LEVEL_INFO,
	LOG_LEVEL_WARN,
	LOG_LEVEL_ERROR,
};

/* Parses "debug", "info", "warn" or "error"; returns -1 on anything else. */
int	 log_level_parse(const char *name, enum log_level *out);
void	 log_set_level(enum log_level level);
int	 log_enabled(enum log_level level);

/*
 * Sends log lines to path (appending), or to stderr when path is NULL or
 * empty. Returns 0, or -1 with errno set when the file cannot be opened.
 */
int	 log_open(const char *path);
/* Reopens the file given to log_open (after rotation). 0 or -1. */
int	 log_reopen(void);

/*
 * Writes "ts=... level=... event=<event> <fmt...>\n" in one write(2), so
 * lines from several threads never interleave. Lines are cut at 4 KiB.
 */
void	 log_msg(enum log_level level, const char *event, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * Formats s as a log value into buf: unchanged when it is a plain token,
 * otherwise double-quoted with ", \ and control bytes escaped. Returns buf.
 */
const char *log_quote(char *buf, size_t bufsz, const char *s);

#define log_debug(ev, ...)	log_msg(LOG_LEVEL_DEBUG, ev, __VA_ARGS__)
#define log_info(ev, ...)	log_msg(LOG_LEVEL_INFO, ev, __VA_ARGS__)
#define log_warn(ev, ...)	log_msg(LOG_LEVEL_WARN, ev, __VA_ARGS__)
#define log_error(ev, ...)	log_msg(LOG_LEVEL_ERROR, ev, __VA_ARGS__)

#endif
