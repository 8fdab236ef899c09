/*
 * Password hashing for people who sign in: Argon2id (RFC 9106) through
 * libargon2, stored as the PHC string "$argon2id$v=19$m=...,t=...,p=...$
 * salt$hash". This module owns the parameters and the length rules; it
 * does not read passwords from anywhere or know about users.
 */
#ifndef MEENT_UTIL_PASSWORD_H
#define MEENT_UTIL_PASSWORD_H

#include <stddef.h>

/* OWASP's Password Storage Cheat Sheet: Argon2id, 19 MiB, t=2, p=1. */
#define PASSWORD_T_COST		2
#define PASSWORD_M_COST		19456	/* KiB */
#define PASSWORD_PARALLELISM	1
#define PASSWORD_SALT_LEN	16
#define PASSWORD_HASH_LEN	32

#define PASSWORD_MIN_LEN	8	/* characters (the reason text says 8) */
#define PASSWORD_MAX_LEN	1024	/* bytes: a cap, so no input is unbounded */
#define PASSWORD_PHC_MAX	160	/* room for any PHC string we write */

/*
 * The reason password (borrowed) is unacceptable as a new password, or
 * NULL when it is fine: too short, too long, or holding a control
 * character (a newline in a password is a pasting mistake, not a secret).
 * Says nothing about strength beyond the length rule.
 */
const char	*password_check(const char *password);

/*
 * Hashes password (borrowed, len bytes) with a fresh random salt and
 * writes the PHC string to out (outsz bytes, PASSWORD_PHC_MAX is enough).
 * 0, or -1 (logged) when libargon2 fails or out is too small.
 */
int		 password_hash(const char *password, size_t len, char *out,
		    size_t outsz);

/*
 * 0 when password (borrowed, len bytes) matches phc, -1 when it does not,
 * when phc is not an Argon2id PHC string, or when its cost parameters are
 * beyond sane bounds (a corrupt row must not make us allocate gigabytes).
 * libargon2 compares the hashes in constant time.
 */
int		 password_verify(const char *password, size_t len, const char *phc);

/* 1 when phc was made with other parameters than today's (rehash on sign-in). */
int		 password_needs_rehash(const char *phc);

#endif
