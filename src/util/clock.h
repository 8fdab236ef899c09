/*
 * Milliseconds on the monotonic clock, for timeouts, back-off and ages
 * within a process: wall-clock steps (NTP, an operator) never move it.
 */
#ifndef MEENT_UTIL_CLOCK_H
#define MEENT_UTIL_CLOCK_H

/* Milliseconds since an arbitrary moment, never going back. */
long long	 clock_ms(void);

#endif
