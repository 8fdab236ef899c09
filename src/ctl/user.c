/*
 * meentctl user: the people who sign in. A user is not an account: which
 * accounts a user may act as is a membership (meentctl member).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "ctl/ctl.h"
#include "util/password.h"
#include "util/validate.h"

/* Room for the longest password we accept, its newline and one more byte
 * to notice a longer one. */
#define USER_PWBUF	(PASSWORD_MAX_LEN + 3)

/* Strips one trailing "\n" or "\r\n"; -1 when the line did not end in
 * the buffer (too long) unless at end of file. */
static int
user_chomp(char *line, int at_eof)
{
	size_t len = strlen(line);

	if (len > 0 && line[len - 1] == '\n')
		line[--len] = '\0';
	else if (!at_eof)
		return -1;
	if (len > 0 && line[len - 1] == '\r')
		line[--len] = '\0';
	return 0;
}

/* Reads one line of stdin: scripts pipe the password in (--password-stdin). */
static int
user_password_stdin(char *out, size_t outsz)
{
	if (fgets(out, (int)outsz, stdin) == NULL)
		return ctl_fail(CTL_USAGE, "no password on standard input");
	if (user_chomp(out, feof(stdin)) == -1)
		return ctl_fail(CTL_USAGE, "password too long: at most %d bytes",
		    PASSWORD_MAX_LEN);
	return CTL_OK;
}

static void
user_on_signal(int sig)
{
	(void)sig;	/* only interrupts read(2): see user_password_tty */
}

/* Prompts on the terminal with echo off and reads a line into out. */
static int
user_tty_line(int fd, const char *prompt, char *out, size_t outsz)
{
	size_t	n = 0;
	char	ch;
	ssize_t	r;

	if (write(fd, prompt, strlen(prompt)) < 0)
		return -1;
	while ((r = read(fd, &ch, 1)) == 1 && ch != '\n') {
		if (n + 1 < outsz)
			out[n++] = ch;
		else
			n = outsz;	/* too long: keep reading to the newline */
	}
	if (r != 1 || n >= outsz)
		return -1;
	out[n] = '\0';
	return user_chomp(out, 1);
}

/*
 * Reads a password from the controlling terminal without echo, like
 * getpass(3) (obsolete in POSIX). Asks twice when confirm is set. SIGINT
 * and friends interrupt the read instead of killing us, so the terminal
 * always gets its echo back.
 */
static int
user_password_tty(int confirm, char *out, size_t outsz)
{
	struct termios		 old, quiet;
	struct sigaction	 sa, oint, oterm, ohup;
	char			 again[USER_PWBUF];
	int			 fd, rc = CTL_ERR;

	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1)
		return ctl_fail(CTL_USAGE, "no terminal to read the password from: "
		    "use --password-stdin");
	if (tcgetattr(fd, &old) == -1) {
		close(fd);
		return ctl_fail(CTL_USAGE, "cannot read the password: %s: "
		    "use --password-stdin", strerror(errno));
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = user_on_signal;	/* no SA_RESTART: read returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &oint);
	sigaction(SIGTERM, &sa, &oterm);
	sigaction(SIGHUP, &sa, &ohup);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	if (tcsetattr(fd, TCSAFLUSH, &quiet) == -1) {
		rc = ctl_fail(CTL_ERR, "cannot turn off echo: %s", strerror(errno));
		goto out;
	}
	if (user_tty_line(fd, "Password: ", out, outsz) == -1) {
		rc = ctl_fail(CTL_ERR, "no password read (interrupted, or too long)");
		goto out;
	}
	if (confirm) {
		if (user_tty_line(fd, "Repeat password: ", again, sizeof(again)) == -1) {
			rc = ctl_fail(CTL_ERR, "no password read");
			goto out;
		}
		if (strcmp(out, again) != 0) {
			rc = ctl_fail(CTL_USAGE, "the passwords do not match");
			goto out;
		}
	}
	rc = CTL_OK;
out:
	tcsetattr(fd, TCSAFLUSH, &old);
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGTERM, &oterm, NULL);
	sigaction(SIGHUP, &ohup, NULL);
	close(fd);
	OPENSSL_cleanse(again, sizeof(again));
	return rc;
}

/* Reads a new password (stdin or terminal), checks it and hashes it into phc. */
static int
user_new_password(int from_stdin, char *phc, size_t phcsz)
{
	char		 pw[USER_PWBUF];
	const char	*why;
	int		 rc;

	pw[0] = '\0';
	rc = from_stdin ? user_password_stdin(pw, sizeof(pw)) :
	    user_password_tty(1, pw, sizeof(pw));
	if (rc != CTL_OK)
		goto out;
	if ((why = password_check(pw)) != NULL) {
		rc = ctl_fail(CTL_USAGE, "%s", why);
		goto out;
	}
	if (password_hash(pw, strlen(pw), phc, phcsz) == -1)
		rc = ctl_fail(CTL_ERR, "hashing the password failed");
out:
	OPENSSL_cleanse(pw, sizeof(pw));
	return rc;
}

static int
ctl_user_create(struct ctl *c, int argc, char **argv)
{
	struct ctl_opt	 opts[] = {
		{ "--email", 1, NULL },
		{ "--role", 1, NULL },
		{ "--password-stdin", 0, NULL },
		{ NULL, 0, NULL },
	};
	const char	*pos[1], *why, *email, *role;
	char		 phc[PASSWORD_PHC_MAX], subject[128];
	PGresult	*res = NULL;
	int		 rc;

	if ((rc = ctl_args(c, "user create", argc, argv, opts, pos, 1, 1, NULL)) != CTL_OK)
		return rc;
	email = opts[0].value ? opts[0].value : "";
	role = opts[1].value ? opts[1].value : "none";
	if ((why = validate_user_username(pos[0])) != NULL)
		return ctl_fail(CTL_USAGE, "user create: %s", why);
	if (email[0] != '\0' && (why = validate_email(email)) != NULL)
		return ctl_fail(CTL_USAGE, "user create: %s", why);
	if (strcmp(role, "admin") != 0 && strcmp(role, "moderator") != 0 &&
	    strcmp(role, "none") != 0)
		return ctl_fail(CTL_USAGE, "user create: --role is admin, moderator or none");
	if ((rc = user_new_password(opts[2].value != NULL, phc, sizeof(phc))) != CTL_OK)
		return rc;

	res = DB_EXEC(c->db, STMT_CTL_USER_INSERT, pos[0], email, phc, role);
	if (res == NULL) {
		/* Two unique indexes: say which one refused. */
		if (strstr(db_errmsg(c->db), "users_email") != NULL)
			snprintf(subject, sizeof(subject), "a user with e-mail '%s'", email);
		else
			snprintf(subject, sizeof(subject), "user '%s'", pos[0]);
		rc = ctl_stmt_fail(c, subject);
		goto out;
	}
	if (c->json)
		ctl_print_json(json_pack("{s:o,s:o,s:o,s:o,s:o}",
		    "id", ctl_json_cell(res, 0, 0), "username", ctl_json_cell(res, 0, 1),
		    "email", ctl_json_cell(res, 0, 2), "role", ctl_json_cell(res, 0, 3),
		    "created_at", ctl_json_cell(res, 0, 4)));
	else
		printf("created user %s (role %s), id %s\n", PQgetvalue(res, 0, 1),
		    PQgetvalue(res, 0, 3), PQgetvalue(res, 0, 0));
	rc = CTL_OK;
out:
	PQclear(res);
	OPENSSL_cleanse(phc, sizeof(phc));
	return rc;
}

static int
ctl_user_list(struct ctl *c, int argc, char **argv)
{
	json_t		*arr;
	PGresult	*res;
	int		 rc;

	if ((rc = ctl_args(c, "user list", argc, argv, NULL, NULL, 0, 0, NULL)) != CTL_OK)
		return rc;
	if ((res = DB_EXEC0(c->db, STMT_CTL_USER_LIST)) == NULL)
		return ctl_stmt_fail(c, "listing users");
	if (c->json) {
		arr = json_array();
		for (int i = 0; i < PQntuples(res); i++)
			json_array_append_new(arr, json_pack(
			    "{s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:b,s:I}",
			    "id", ctl_json_cell(res, i, 0),
			    "username", ctl_json_cell(res, i, 1),
			    "email", ctl_json_cell(res, i, 2),
			    "role", ctl_json_cell(res, i, 3),
			    "disabled", !PQgetisnull(res, i, 4),
			    "disabled_at", ctl_json_cell(res, i, 4),
			    "created_at", ctl_json_cell(res, i, 5),
			    "has_password", ctl_cell_bool(res, i, 6),
			    "accounts", (json_int_t)ctl_cell_ll(res, i, 7)));
		ctl_print_json(arr);
	} else {
		printf("%-24s %-9s %-8s %8s  %s\n", "USERNAME", "ROLE", "STATE",
		    "ACCOUNTS", "EMAIL");
		for (int i = 0; i < PQntuples(res); i++)
			printf("%-24s %-9s %-8s %8s  %s\n", PQgetvalue(res, i, 1),
			    PQgetvalue(res, i, 3),
			    PQgetisnull(res, i, 4) ? "active" : "disabled",
			    PQgetvalue(res, i, 7), PQgetvalue(res, i, 2));
	}
	PQclear(res);
	return CTL_OK;
}

static int
ctl_user_passwd(struct ctl *c, int argc, char **argv)
{
	struct ctl_opt	 opts[] = {
		{ "--password-stdin", 0, NULL },
		{ NULL, 0, NULL },
	};
	const char	*pos[1];
	char		 phc[PASSWORD_PHC_MAX], subject[128];
	PGresult	*res = NULL;
	int		 rc;

	if ((rc = ctl_args(c, "user passwd", argc, argv, opts, pos, 1, 1, NULL)) != CTL_OK)
		return rc;
	snprintf(subject, sizeof(subject), "user '%s'", pos[0]);
	/* Look the user up first, so a typo does not cost a password prompt. */
	if ((res = DB_EXEC(c->db, STMT_CTL_USER_GET, pos[0])) == NULL)
		return ctl_stmt_fail(c, subject);
	rc = PQntuples(res) == 0 ? ctl_fail(CTL_ERR, "%s not found", subject) : CTL_OK;
	PQclear(res);
	res = NULL;
	if (rc != CTL_OK)
		return rc;
	if ((rc = user_new_password(opts[0].value != NULL, phc, sizeof(phc))) != CTL_OK)
		goto out;
	if ((res = DB_EXEC(c->db, STMT_CTL_USER_SET_PASSWORD, pos[0], phc)) == NULL) {
		rc = ctl_stmt_fail(c, subject);
		goto out;
	}
	if (PQntuples(res) == 0) {
		rc = ctl_fail(CTL_ERR, "%s not found", subject);
		goto out;
	}
	if (c->json)
		ctl_print_json(json_pack("{s:o,s:b}", "username",
		    ctl_json_cell(res, 0, 1), "password_changed", 1));
	else
		printf("password of %s changed\n", PQgetvalue(res, 0, 1));
	rc = CTL_OK;
out:
	PQclear(res);
	OPENSSL_cleanse(phc, sizeof(phc));
	return rc;
}

/* Disables the user and ends every way in: tokens and pending codes. */
static int
ctl_user_disable(struct ctl *c, int argc, char **argv)
{
	const char	*pos[1], *uid;
	char		 subject[128];
	PGresult	*res = NULL, *rev = NULL, *codes = NULL;
	int		 rc;

	if ((rc = ctl_args(c, "user disable", argc, argv, NULL, pos, 1, 1, NULL)) != CTL_OK)
		return rc;
	snprintf(subject, sizeof(subject), "user '%s'", pos[0]);
	if (db_begin(c->db) == -1)
		return ctl_stmt_fail(c, subject);
	if ((res = DB_EXEC(c->db, STMT_CTL_USER_DISABLE, pos[0])) == NULL) {
		rc = ctl_stmt_fail(c, subject);
		goto fail;
	}
	if (PQntuples(res) == 0) {
		rc = ctl_fail(CTL_ERR, "%s not found", subject);
		goto fail;
	}
	uid = PQgetvalue(res, 0, 0);
	if ((rev = DB_EXEC(c->db, STMT_CTL_USER_REVOKE_TOKENS, uid)) == NULL ||
	    (codes = DB_EXEC(c->db, STMT_CTL_USER_EXPIRE_CODES, uid)) == NULL) {
		rc = ctl_stmt_fail(c, subject);
		goto fail;
	}
	if (db_commit(c->db) == -1) {
		rc = ctl_stmt_fail(c, subject);
		goto out;
	}
	if (c->json)
		ctl_print_json(json_pack("{s:o,s:o,s:I}",
		    "username", ctl_json_cell(res, 0, 1),
		    "disabled_at", ctl_json_cell(res, 0, 2),
		    "tokens_revoked", (json_int_t)ctl_affected(rev)));
	else
		printf("user %s disabled; %s token(s) revoked\n", PQgetvalue(res, 0, 1),
		    PQcmdTuples(rev));
	rc = CTL_OK;
	goto out;
fail:
	db_rollback(c->db);
out:
	PQclear(codes);
	PQclear(rev);
	PQclear(res);
	return rc;
}

static int
ctl_user_enable(struct ctl *c, int argc, char **argv)
{
	const char	*pos[1];
	char		 subject[128];
	PGresult	*res;
	int		 rc;

	if ((rc = ctl_args(c, "user enable", argc, argv, NULL, pos, 1, 1, NULL)) != CTL_OK)
		return rc;
	snprintf(subject, sizeof(subject), "user '%s'", pos[0]);
	if ((res = DB_EXEC(c->db, STMT_CTL_USER_ENABLE, pos[0])) == NULL)
		return ctl_stmt_fail(c, subject);
	if (PQntuples(res) == 0)
		rc = ctl_fail(CTL_ERR, "%s not found", subject);
	else if (c->json)
		ctl_print_json(json_pack("{s:o,s:n}", "username",
		    ctl_json_cell(res, 0, 1), "disabled_at"));
	else
		printf("user %s enabled (revoked tokens stay revoked)\n",
		    PQgetvalue(res, 0, 1));
	PQclear(res);
	return rc;
}

const struct ctl_cmd ctl_user_cmds[] = {
	{ "user", "create", "USERNAME [--email E] [--role admin|moderator|none] [--password-stdin]",
	    "create a user who can sign in; the password (8 characters or more) is "
	    "asked on the terminal, or read as one line from standard input",
	    ctl_user_create, 1 },
	{ "user", "list", "", "list the users, their instance role and state",
	    ctl_user_list, 1 },
	{ "user", "passwd", "USERNAME [--password-stdin]",
	    "set a user's password (asked on the terminal, or one line of standard input)",
	    ctl_user_passwd, 1 },
	{ "user", "disable", "USERNAME",
	    "stop a user from signing in and revoke all of the user's tokens",
	    ctl_user_disable, 1 },
	{ "user", "enable", "USERNAME",
	    "let a disabled user sign in again (revoked tokens stay revoked)",
	    ctl_user_enable, 1 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
