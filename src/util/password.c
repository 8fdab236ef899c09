/* Argon2id password hashing: see password.h. */
#include <string.h>

#include <argon2.h>
#include <openssl/crypto.h>

#include "util/log.h"
#include "util/password.h"
#include "util/rand.h"

/* Bounds on the parameters of a stored hash, far above ours, so that a
 * corrupt or hostile row costs at most a quarter of a GiB and a second. */
#define PASSWORD_M_COST_MAX	262144	/* KiB */
#define PASSWORD_T_COST_MAX	16
#define PASSWORD_P_MAX		16

#define PASSWORD_PREFIX		"$argon2id$v=19$"

const char *
password_check(const char *password)
{
	size_t len = strlen(password), chars = 0;

	/* The minimum counts characters, not bytes: UTF-8 continuation
	 * bytes (10xxxxxx) do not start a character. */
	for (const unsigned char *p = (const unsigned char *)password; *p; p++)
		chars += (*p & 0xc0) != 0x80;
	if (chars < PASSWORD_MIN_LEN)
		return "password too short: it needs at least 8 characters";
	if (len > PASSWORD_MAX_LEN)
		return "password too long: at most 1024 bytes";
	for (const unsigned char *p = (const unsigned char *)password; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "password contains a control character";
	return NULL;
}

int
password_hash(const char *password, size_t len, char *out, size_t outsz)
{
	unsigned char	 salt[PASSWORD_SALT_LEN];
	size_t		 need;
	int		 err;

	need = argon2_encodedlen(PASSWORD_T_COST, PASSWORD_M_COST,
	    PASSWORD_PARALLELISM, PASSWORD_SALT_LEN, PASSWORD_HASH_LEN, Argon2_id);
	if (len > PASSWORD_MAX_LEN || need > outsz) {
		log_error("password_hash", "msg=\"bad length\" len=%zu outsz=%zu",
		    len, outsz);
		return -1;
	}
	rand_bytes(salt, sizeof(salt));
	err = argon2id_hash_encoded(PASSWORD_T_COST, PASSWORD_M_COST,
	    PASSWORD_PARALLELISM, password, len, salt, sizeof(salt),
	    PASSWORD_HASH_LEN, out, outsz);
	if (err != ARGON2_OK) {
		log_error("password_hash", "msg=\"%s\"", argon2_error_message(err));
		OPENSSL_cleanse(out, outsz);
		return -1;
	}
	return 0;
}

/* Reads "<key>=<decimal>" followed by end; advances *sp past end. */
static int
password_param(const char **sp, char key, char end, unsigned long max,
    unsigned long *out)
{
	const char	*s = *sp;
	unsigned long	 v = 0;
	int		 digits = 0;

	if (s[0] != key || s[1] != '=')
		return -1;
	for (s += 2; *s >= '0' && *s <= '9'; s++, digits++) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -1;
	}
	if (digits == 0 || *s != end)
		return -1;
	*sp = s + 1;
	*out = v;
	return 0;
}

/* Parses the cost parameters of an Argon2id v=19 PHC string. 0 or -1. */
static int
password_params(const char *phc, unsigned long *m, unsigned long *t,
    unsigned long *p)
{
	const char *s = phc;

	if (strncmp(s, PASSWORD_PREFIX, strlen(PASSWORD_PREFIX)) != 0)
		return -1;
	s += strlen(PASSWORD_PREFIX);
	if (password_param(&s, 'm', ',', PASSWORD_M_COST_MAX, m) == -1 ||
	    password_param(&s, 't', ',', PASSWORD_T_COST_MAX, t) == -1 ||
	    password_param(&s, 'p', '$', PASSWORD_P_MAX, p) == -1)
		return -1;
	if (*m == 0 || *t == 0 || *p == 0)
		return -1;
	return 0;
}

int
password_verify(const char *password, size_t len, const char *phc)
{
	unsigned long m, t, p;

	if (password == NULL || phc == NULL || len > PASSWORD_MAX_LEN ||
	    strlen(phc) > PASSWORD_PHC_MAX)
		return -1;
	if (password_params(phc, &m, &t, &p) == -1)
		return -1;
	return argon2id_verify(phc, password, len) == ARGON2_OK ? 0 : -1;
}

int
password_needs_rehash(const char *phc)
{
	unsigned long m, t, p;

	if (password_params(phc, &m, &t, &p) == -1)
		return 1;
	return m != PASSWORD_M_COST || t != PASSWORD_T_COST ||
	    p != PASSWORD_PARALLELISM;
}
