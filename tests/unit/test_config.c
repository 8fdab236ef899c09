/* Tests of util/config.h: parsing, defaults, environment overrides, errors. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "util/config.h"

static char path[] = "/tmp/meent-test-config-XXXXXX";

static void
write_conf(const char *text)
{
	FILE *fp = fopen(path, "w");

	fputs(text, fp);
	fclose(fp);
}

/* Loads text; returns the error message ("" on success) in err. */
static int
load(const char *text, struct config *cfg, struct config_err *err)
{
	write_conf(text);
	config_init(cfg);
	err->msg[0] = '\0';
	return config_load(cfg, path, err);
}

int
main(void)
{
	struct config		 cfg;
	struct config_err	 err;
	int			 fd = mkstemp(path);

	close(fd);
	unsetenv("MEENT_HTTP_THREADS");

	ok(load("# comment\ndomain = a.example\n  database = \"host=/x dbname=y\" # trailing\n",
	    &cfg, &err) == 0, "minimal config loads: %s", err.msg);
	is_str(cfg.domain, "a.example", "domain read");
	is_str(cfg.database, "host=/x dbname=y", "quoted value unquoted");
	is_str(cfg.listen, "127.0.0.1:8080", "listen default");
	is_int(cfg.max_body_size, 1024 * 1024, "size default 1m");
	config_cleanup(&cfg);

	ok(load("domain = a\ndatabase = x\nmax_body_size = 64k\nlog_level = debug\n",
	    &cfg, &err) == 0, "sizes with suffix");
	is_int(cfg.max_body_size, 64 * 1024, "64k");
	is_str(cfg.log_level, "debug", "log level");
	config_cleanup(&cfg);

	ok(load("domain = a\ndatabase = x\nbogus = 1\n", &cfg, &err) == -1,
	    "unknown key rejected");
	ok(strstr(err.msg, ":3: unknown key 'bogus'") != NULL, "names line and key: %s", err.msg);
	config_cleanup(&cfg);

	ok(load("domain = a\ndatabase = x\nhttp_threads = many\n", &cfg, &err) == -1,
	    "bad integer rejected");
	ok(strstr(err.msg, ":3: key 'http_threads': expected an integer") != NULL,
	    "says what was expected: %s", err.msg);
	config_cleanup(&cfg);

	ok(load("domain = a\ndatabase = x\nhttp_threads = 999\n", &cfg, &err) == -1,
	    "out-of-range integer rejected");
	config_cleanup(&cfg);

	ok(load("domain = a\ndatabase = x\nlog_level = loud\n", &cfg, &err) == -1 &&
	    strstr(err.msg, "debug, info, warn or error") != NULL, "bad enum: %s", err.msg);
	config_cleanup(&cfg);

	ok(load("database = x\n", &cfg, &err) == -1, "missing required key");
	ok(strstr(err.msg, "missing required key 'domain'") != NULL, "names it: %s", err.msg);
	config_cleanup(&cfg);

	ok(load("domain = a\ndatabase = x\njust words\n", &cfg, &err) == -1 &&
	    strstr(err.msg, ":3: expected 'key = value'") != NULL, "syntax error: %s", err.msg);
	config_cleanup(&cfg);

	ok(load("domain = a\ndomain = b\ndatabase = x\n", &cfg, &err) == -1 &&
	    strstr(err.msg, "set twice") != NULL, "duplicate key: %s", err.msg);
	config_cleanup(&cfg);

	ok(load("domain = a # the # domain\ndatabase = \"x # not a comment\" # comment\n",
	    &cfg, &err) == 0, "comments after values: %s", err.msg);
	is_str(cfg.domain, "a", "comment stripped after a plain value");
	is_str(cfg.database, "x # not a comment", "'#' inside quotes kept");
	config_cleanup(&cfg);

	ok(load("domain = a\ndatabase = \"x\n", &cfg, &err) == -1 &&
	    strstr(err.msg, "unterminated quote") != NULL, "unterminated quote");
	config_cleanup(&cfg);

	setenv("MEENT_HTTP_THREADS", "7", 1);
	ok(load("domain = a\ndatabase = x\nhttp_threads = 3\n", &cfg, &err) == 0,
	    "environment override loads");
	is_int(cfg.http_threads, 7, "MEENT_HTTP_THREADS wins over the file");
	is_int(config_http_threads(&cfg), 7, "thread count");
	config_cleanup(&cfg);

	setenv("MEENT_HTTP_THREADS", "x", 1);
	ok(load("domain = a\ndatabase = x\n", &cfg, &err) == -1 &&
	    strstr(err.msg, "environment MEENT_HTTP_THREADS") != NULL,
	    "bad environment value names the variable: %s", err.msg);
	config_cleanup(&cfg);
	unsetenv("MEENT_HTTP_THREADS");

	setenv("MEENT_DOMAIN", "env.example", 1);
	ok(load("database = x\n", &cfg, &err) == 0, "required key from the environment");
	is_str(cfg.domain, "env.example", "domain from MEENT_DOMAIN");
	ok(config_http_threads(&cfg) >= 2, "default threads: two per core");
	config_cleanup(&cfg);
	unsetenv("MEENT_DOMAIN");

	config_init(&cfg);
	ok(config_load(&cfg, "/nonexistent/meent.conf", &err) == -1 &&
	    strstr(err.msg, "cannot open") != NULL, "missing file");
	config_cleanup(&cfg);

	unlink(path);
	return done_testing();
}
