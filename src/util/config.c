/*
 * Configuration: see config.h. Each key is one row in config_keys; the
 * parser, the environment overrides and the error messages all work from
 * that table, so adding a key is one line.
 */
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/addrpolicy.h"
#include "util/config.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"

#ifndef MEENT_SCHEMADIR
#define MEENT_SCHEMADIR "/usr/local/share/meent/schema"
#endif

#define CONFIG_LINE_MAX	4096

enum config_type {
	CONFIG_STRING,
	CONFIG_INT,
	CONFIG_SIZE,		/* bytes, with an optional k, m or g suffix */
	CONFIG_LOGLEVEL,
	CONFIG_BOOL,		/* yes/no, true/false, on/off, 1/0; stored as int */
	CONFIG_CIDRS,		/* a string checked by http_addrpolicy_new */
};

struct config_key {
	const char		*name;
	enum config_type	 type;
	size_t			 offset;
	const char		*def;		/* NULL: required */
	long long		 min, max;	/* for numbers; for strings, min is "non-empty" */
	const char		*what;		/* what is expected, for errors */
};

#define CK(name, type, def, min, max, what) \
	{ #name, type, offsetof(struct config, name), def, min, max, what }

static const struct config_key config_keys[] = {
	CK(domain, CONFIG_STRING, NULL, 1, 253,
	    "a domain name such as social.example.nl"),
	CK(listen, CONFIG_STRING, "127.0.0.1:8080", 1, 1024,
	    "host:port, [ipv6]:port or unix:/path/to/socket"),
	CK(http_threads, CONFIG_INT, "0", 0, 256,
	    "an integer from 0 (two per core) to 256"),
	CK(database, CONFIG_STRING, NULL, 1, 4096,
	    "a libpq connection string such as \"host=/run/postgresql dbname=meent\""),
	CK(db_statement_timeout, CONFIG_INT, "5000", 100, 600000,
	    "milliseconds from 100 to 600000"),
	CK(log_level, CONFIG_LOGLEVEL, "info", 0, 0,
	    "debug, info, warn or error"),
	CK(log_file, CONFIG_STRING, "", 0, 1023,
	    "a file path, or empty for standard error"),
	CK(max_body_size, CONFIG_SIZE, "1m", 1024, 1LL << 30,
	    "a size from 1k to 1g (k, m and g suffixes allowed)"),
	CK(max_upload_size, CONFIG_SIZE, "40m", 1024, 1LL << 32,
	    "a size from 1k to 4g (k, m and g suffixes allowed)"),
	CK(request_timeout, CONFIG_INT, "30", 1, 3600,
	    "seconds from 1 to 3600"),
	CK(shutdown_timeout, CONFIG_INT, "10", 0, 3600,
	    "seconds from 0 to 3600"),
	CK(schema_dir, CONFIG_STRING, MEENT_SCHEMADIR, 1, 1023,
	    "the directory holding the schema migrations"),
	CK(instance_name, CONFIG_STRING, "Meent", 1, 200,
	    "a name of 1 to 200 characters"),
	CK(contact_email, CONFIG_STRING, "", 0, 320,
	    "an e-mail address, or empty"),
	CK(allow_private_addresses, CONFIG_CIDRS, "", 0, 4000,
	    "CIDR blocks such as \"10.0.0.0/8, fd00::/8\", or empty"),
	CK(allow_insecure_http_for_development, CONFIG_BOOL, "no", 0, 0,
	    "yes or no"),
	CK(http_proxy, CONFIG_STRING, "", 0, 1024,
	    "a proxy URL such as http://proxy.internal:3128, or empty"),
	CK(ca_bundle, CONFIG_STRING, "", 0, 1023,
	    "a CA certificate file path, or empty for the system's"),
	CK(fetch_timeout, CONFIG_INT, "30", 1, 600,
	    "seconds from 1 to 600"),
	CK(fetch_connect_timeout, CONFIG_INT, "5", 1, 120,
	    "seconds from 1 to 120"),
	CK(authorized_fetch, CONFIG_BOOL, "no", 0, 0,
	    "yes or no"),
	CK(collections_show_items, CONFIG_BOOL, "yes", 0, 0,
	    "yes or no"),
	CK(api_rate_limit, CONFIG_INT, "300", 0, 1000000,
	    "requests per 5 minutes from 0 (no limit) to 1000000"),
	CK(max_status_chars, CONFIG_INT, "500", 1, 100000,
	    "characters from 1 to 100000"),
	CK(media_dir, CONFIG_STRING, MEENT_MEDIADIR, 1, 1023,
	    "the directory for uploaded files"),
	CK(web_dir, CONFIG_STRING, MEENT_WEBDIR, 1, 1023,
	    "the directory holding templates/, locales/ and static/"),
	CK(page_cache_ms, CONFIG_INT, "1000", 0, 60000,
	    "milliseconds from 0 (off) to 60000"),
	CK(resolve_override, CONFIG_STRING, "", 0, 4000,
	    "host:port:address entries separated by commas, or empty"),
	CK(job_workers, CONFIG_INT, "2", 0, 64,
	    "an integer from 0 (run no jobs) to 64"),
	CK(job_concurrency, CONFIG_INT, "64", 1, 1024,
	    "an integer from 1 to 1024"),
	CK(job_poll_interval, CONFIG_INT, "2", 1, 3600,
	    "seconds from 1 to 3600"),
	CK(job_lease_timeout, CONFIG_INT, "300", 5, 86400,
	    "seconds from 5 to 86400"),
	CK(job_retry_base, CONFIG_INT, "30", 1, 3600,
	    "seconds from 1 to 3600"),
	CK(job_retry_window, CONFIG_INT, "172800", 0, 2592000,
	    "seconds from 0 to 2592000 (30 days)"),
	CK(job_domain_unavailable_after, CONFIG_INT, "604800", 60, 31536000,
	    "seconds from 60 to 31536000 (a year)"),
	CK(job_keep_done, CONFIG_INT, "86400", 0, 31536000,
	    "seconds from 0 (keep forever) to 31536000"),
	CK(job_keep_dead, CONFIG_INT, "2592000", 0, 31536000,
	    "seconds from 0 (keep forever) to 31536000"),
};

#define CONFIG_NKEYS	(sizeof(config_keys) / sizeof(config_keys[0]))

static const struct config_key *
config_key_find(const char *name)
{
	for (size_t i = 0; i < CONFIG_NKEYS; i++)
		if (strcmp(config_keys[i].name, name) == 0)
			return &config_keys[i];
	return NULL;
}

static int
config_parse_size(const char *s, long long *out)
{
	char		 num[32];
	size_t		 len = strlen(s);
	long long	 mult = 1, v;

	if (len == 0 || len >= sizeof(num))
		return -1;
	memcpy(num, s, len + 1);
	switch (tolower((unsigned char)num[len - 1])) {
	case 'k': mult = 1LL << 10; break;
	case 'm': mult = 1LL << 20; break;
	case 'g': mult = 1LL << 30; break;
	default: break;
	}
	if (mult != 1)
		num[len - 1] = '\0';
	if (str_to_ll(num, 0, (1LL << 40), &v) == -1)
		return -1;
	*out = v * mult;
	return 0;
}

static int
config_parse_bool(const char *s, int *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(s, yes[i]) == 0 || strcmp(s, no[i]) == 0) {
			*out = strcmp(s, yes[i]) == 0;
			return 0;
		}
	}
	return -1;
}

static int
config_fail(struct config_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
config_fail(struct config_err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* Checks a CIDR list; on -1, perr says which entry is bad and why. */
static int
config_check_cidrs(const char *value, struct http_addrpolicy_err *perr)
{
	struct http_addrpolicy *p = http_addrpolicy_new(value, perr);

	if (p == NULL)
		return -1;
	http_addrpolicy_free(p);
	return 0;
}

static int
config_apply(struct config *cfg, const struct config_key *k, const char *value,
    const char *origin, struct config_err *err)
{
	char		*base = (char *)cfg;
	long long	 v;
	enum log_level	 lvl;
	size_t		 len;
	struct http_addrpolicy_err perr;

	switch (k->type) {
	case CONFIG_STRING:
		len = strlen(value);
		if ((long long)len < k->min || (long long)len > k->max)
			goto bad;
		free(*(char **)(base + k->offset));
		*(char **)(base + k->offset) = xstrdup(value);
		return 0;
	case CONFIG_INT:
		if (str_to_ll(value, k->min, k->max, &v) == -1)
			goto bad;
		*(long long *)(base + k->offset) = v;
		return 0;
	case CONFIG_SIZE:
		if (config_parse_size(value, &v) == -1 || v < k->min || v > k->max)
			goto bad;
		*(long long *)(base + k->offset) = v;
		return 0;
	case CONFIG_LOGLEVEL:
		if (log_level_parse(value, &lvl) == -1)
			goto bad;
		free(*(char **)(base + k->offset));
		*(char **)(base + k->offset) = xstrdup(value);
		return 0;
	case CONFIG_BOOL:
		if (config_parse_bool(value, (int *)(base + k->offset)) == -1)
			goto bad;
		return 0;
	case CONFIG_CIDRS:
		/* Parsed here only to fail at start; the HTTP client parses it again. */
		if (strlen(value) > (size_t)k->max)
			goto bad;
		if (config_check_cidrs(value, &perr) == -1)
			return config_fail(err, "%s: key '%s': %s; expected %s",
			    origin, k->name, perr.msg, k->what);
		free(*(char **)(base + k->offset));
		*(char **)(base + k->offset) = xstrdup(value);
		return 0;
	}
bad:
	return config_fail(err, "%s: key '%s': expected %s, got '%.64s'",
	    origin, k->name, k->what, value);
}

void
config_init(struct config *cfg)
{
	struct config_err err;

	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < CONFIG_NKEYS; i++)
		if (config_keys[i].def != NULL)
			(void)config_apply(cfg, &config_keys[i],
			    config_keys[i].def, "default", &err);
}

void
config_cleanup(struct config *cfg)
{
	char *base = (char *)cfg;

	for (size_t i = 0; i < CONFIG_NKEYS; i++) {
		const struct config_key *k = &config_keys[i];
		if (k->type == CONFIG_STRING || k->type == CONFIG_LOGLEVEL ||
		    k->type == CONFIG_CIDRS) {
			free(*(char **)(base + k->offset));
			*(char **)(base + k->offset) = NULL;
		}
	}
}

int
config_set(struct config *cfg, const char *key, const char *value,
    const char *origin, struct config_err *err)
{
	const struct config_key *k = config_key_find(key);

	if (k == NULL)
		return config_fail(err, "%s: unknown key '%.64s'", origin, key);
	return config_apply(cfg, k, value, origin, err);
}

/* Removes one level of matching double quotes, so values may hold '#'. */
static int
config_unquote(char *v)
{
	size_t len = strlen(v);

	if (len == 0 || v[0] != '"')
		return 0;
	if (len < 2 || v[len - 1] != '"')
		return -1;
	memmove(v, v + 1, len - 2);
	v[len - 2] = '\0';
	return 0;
}

/* The '#' that starts a comment in line, or NULL: quotes hide a '#'. */
static char *
config_comment(char *line)
{
	int quoted = 0;

	for (char *p = line; *p != '\0'; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == '#' && !quoted)
			return p;
	}
	return NULL;
}

static int
config_read_file(struct config *cfg, const char *path, unsigned char *seen,
    struct config_err *err)
{
	FILE	*fp;
	char	 line[CONFIG_LINE_MAX], origin[1100];
	int	 lineno = 0, rc = -1;

	if ((fp = fopen(path, "r")) == NULL)
		return config_fail(err, "%s: cannot open: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *key, *value, *eq, *hash;
		const struct config_key *k;

		lineno++;
		snprintf(origin, sizeof(origin), "%s:%d", path, lineno);
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			config_fail(err, "%s: line longer than %d bytes", origin,
			    CONFIG_LINE_MAX - 2);
			goto out;
		}
		/* A '#' starts a comment unless it sits inside a quoted value. */
		if ((hash = config_comment(line)) != NULL)
			*hash = '\0';
		str_trim(line);
		if (line[0] == '\0')
			continue;
		if ((eq = strchr(line, '=')) == NULL) {
			config_fail(err, "%s: expected 'key = value', got '%.64s'",
			    origin, line);
			goto out;
		}
		*eq = '\0';
		key = str_trim(line);
		value = str_trim(eq + 1);
		if ((k = config_key_find(key)) == NULL) {
			config_fail(err, "%s: unknown key '%.64s'", origin, key);
			goto out;
		}
		if (seen[k - config_keys]) {
			config_fail(err, "%s: key '%s' is set twice", origin, key);
			goto out;
		}
		seen[k - config_keys] = 1;
		if (config_unquote(value) == -1) {
			config_fail(err, "%s: key '%s': unterminated quote", origin, key);
			goto out;
		}
		if (config_apply(cfg, k, value, origin, err) == -1)
			goto out;
	}
	if (ferror(fp)) {
		config_fail(err, "%s: read error", path);
		goto out;
	}
	rc = 0;
out:
	fclose(fp);
	return rc;
}

int
config_load(struct config *cfg, const char *path, struct config_err *err)
{
	unsigned char	 seen[CONFIG_NKEYS] = { 0 };
	char		 env[128], origin[160];

	if (path != NULL && config_read_file(cfg, path, seen, err) == -1)
		return -1;
	for (size_t i = 0; i < CONFIG_NKEYS; i++) {
		const struct config_key *k = &config_keys[i];
		const char *v;
		size_t j;

		snprintf(env, sizeof(env), "MEENT_%s", k->name);
		for (j = 6; env[j] != '\0'; j++)
			env[j] = (char)toupper((unsigned char)env[j]);
		if ((v = getenv(env)) == NULL)
			continue;
		snprintf(origin, sizeof(origin), "environment %s", env);
		if (config_apply(cfg, k, v, origin, err) == -1)
			return -1;
		seen[i] = 1;
	}
	for (size_t i = 0; i < CONFIG_NKEYS; i++) {
		if (config_keys[i].def == NULL && !seen[i])
			return config_fail(err, "%s: missing required key '%s' (%s)",
			    path ? path : "configuration", config_keys[i].name,
			    config_keys[i].what);
	}
	return 0;
}

int
config_http_threads(const struct config *cfg)
{
	long ncpu;

	if (cfg->http_threads > 0)
		return (int)cfg->http_threads;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu < 1)
		ncpu = 1;
	if (ncpu > 64)
		ncpu = 64;
	return (int)ncpu * 2;
}
