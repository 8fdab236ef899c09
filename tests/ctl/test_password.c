/* Tests of util/password.h: Argon2id round trip, refusals, bad hashes. */
#include <string.h>

#include "tap.h"
#include "util/password.h"

static void
test_round_trip(void)
{
	char	 phc[PASSWORD_PHC_MAX], phc2[PASSWORD_PHC_MAX];
	char	 tiny[16];
	const char *pw = "correct horse battery staple";

	ok(password_hash(pw, strlen(pw), phc, sizeof(phc)) == 0, "hash succeeds");
	ok(strncmp(phc, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0,
	    "PHC string is Argon2id with OWASP parameters: %s", phc);
	ok(strstr(phc, pw) == NULL, "the password is not in the hash");
	ok(password_verify(pw, strlen(pw), phc) == 0, "right password verifies");
	ok(password_verify("correct horse battery stapl", 27, phc) == -1,
	    "wrong password fails");
	ok(password_verify("", 0, phc) == -1, "empty password fails");
	ok(password_hash(pw, strlen(pw), phc2, sizeof(phc2)) == 0 &&
	    strcmp(phc, phc2) != 0, "a fresh salt each time");
	ok(password_verify(pw, strlen(pw), phc2) == 0, "second hash verifies too");
	ok(password_needs_rehash(phc) == 0, "current parameters need no rehash");
	ok(password_hash(pw, strlen(pw), tiny, sizeof(tiny)) == -1,
	    "too small an output buffer is refused");
	/* Bytes after a NUL count: the length is explicit. */
	ok(password_hash("abc\0defgh", 9, phc, sizeof(phc)) == 0 &&
	    password_verify("abc", 3, phc) == -1 &&
	    password_verify("abc\0defgh", 9, phc) == 0, "explicit length is honoured");
}

static void
test_malformed(void)
{
	static const char *const bad[] = {
		"",
		"plaintext-password",
		"$argon2id$",
		"$argon2id$v=19$",
		"$argon2id$v=19$m=19456,t=2,p=1$",
		"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$",
		"$argon2id$v=19$m=19456,t=2,p=1$!!!!$!!!!",
		"$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
		"$argon2d$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
		"$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
		"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
		"$argon2id$v=19$m=19456,t=4000000000,p=1$c2FsdHNhbHRzYWx0$aGFzaA",
		"$argon2id$v=19$m=19456,t=0,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
		"$argon2id$v=19$m=,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
		"$argon2id$v=19$t=2,m=19456,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
		"$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(password_verify("password", 8, bad[i]) == -1,
		    "malformed hash refused: '%s'", bad[i]);
	ok(password_verify(NULL, 0, "x") == -1, "NULL password refused");
	ok(password_verify("password", 8, NULL) == -1, "NULL hash refused");
	ok(password_needs_rehash("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA") == 1,
	    "other parameters need a rehash");
	ok(password_needs_rehash("junk") == 1, "junk needs a rehash");
}

static void
test_check(void)
{
	char long_pw[PASSWORD_MAX_LEN + 2];

	ok(password_check("1234567") != NULL, "7 characters too short");
	ok(password_check("12345678") == NULL, "8 characters fine");
	ok(strstr(password_check("short") ? password_check("short") : "", "8") != NULL,
	    "the reason says the minimum");
	ok(password_check("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9") != NULL,
	    "4 two-byte characters are 4 characters, too short");
	ok(password_check("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9") == NULL,
	    "8 two-byte characters are enough");
	ok(password_check("line one\nline two") != NULL, "newline refused");
	memset(long_pw, 'a', sizeof(long_pw) - 1);
	long_pw[sizeof(long_pw) - 1] = '\0';
	ok(password_check(long_pw) != NULL, "over the maximum refused");
}

int
main(void)
{
	test_round_trip();
	test_malformed();
	test_check();
	return done_testing();
}
