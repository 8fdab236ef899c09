/*
 * The configuration of meentd and meentctl: one "key = value" file with
 * '#' comments, every key overridable by the environment variable
 * MEENT_<KEY>. Every key, its type, default and meaning lives in one table
 * in config.c, which deploy/meent.conf.example documents.
 */
#ifndef MEENT_UTIL_CONFIG_H
#define MEENT_UTIL_CONFIG_H

#include <stddef.h>

struct config {
	char	*domain;		/* the instance's own domain name */
	char	*listen;		/* host:port, [v6]:port or unix:/path */
	long long http_threads;		/* 0: two per core */
	char	*database;		/* libpq connection string */
	long long db_statement_timeout;	/* milliseconds per SQL statement */
	char	*log_level;		/* debug, info, warn or error */
	char	*log_file;		/* empty: stderr */
	long long max_body_size;	/* bytes accepted in an API request body */
	long long max_upload_size;	/* bytes accepted by the transport at all */
	long long request_timeout;	/* seconds to read a request or write a reply */
	long long shutdown_timeout;	/* seconds to finish requests on SIGTERM */
	char	*schema_dir;		/* where the numbered migrations are */
	char	*instance_name;		/* shown to people and in NodeInfo */
	char	*contact_email;		/* the operator's address, may be empty */
	char	*allow_private_addresses; /* CIDRs outbound requests may reach anyway */
	int	 allow_insecure_http_for_development; /* outbound plain http:// too */
	char	*http_proxy;		/* egress proxy URL for outbound requests, or "" */
	char	*ca_bundle;		/* CA file for outbound TLS; "": the system's */
	long long fetch_timeout;	/* seconds for a whole outbound request */
	long long fetch_connect_timeout; /* seconds to connect for one */
	int	 authorized_fetch;	/* GETs of actors and objects need a signature */
	int	 collections_show_items; /* followers/following list actors, not totals only */
	long long page_cache_ms;	/* how long a process reuses a rendered public page; 0: off */
	long long api_rate_limit;	/* client API requests per 5 minutes per token or address; 0: off */
	long long max_status_chars;	/* characters in a post, as Mastodon counts them */
	char	*media_dir;		/* where uploaded files (avatars, headers, media) are kept */
	char	*web_dir;		/* templates, locales and static files of the HTML pages */
	char	*resolve_override;	/* host:port:address pins for outbound requests */
	long long job_workers;		/* job threads; 0: this node runs no jobs */
	long long job_concurrency;	/* jobs one job thread runs at once */
	long long job_poll_interval;	/* seconds between looks at the queue without a NOTIFY */
	long long job_lease_timeout;	/* seconds before another node may take a running job */
	long long job_retry_base;	/* seconds before the first retry; doubles each time */
	long long job_retry_window;	/* seconds a job is retried before it is dead */
	long long job_domain_unavailable_after; /* seconds of failing before a domain is skipped */
	long long job_keep_done;	/* seconds done jobs are kept; 0: forever */
	long long job_keep_dead;	/* seconds dead jobs are kept; 0: forever */
};

/* Error detail for the caller to print; msg names file, line and key. */
struct config_err {
	char	 msg[512];
};

/* Fills every key with its default. The strings are owned by cfg. */
void	 config_init(struct config *cfg);
void	 config_cleanup(struct config *cfg);

/*
 * Reads path into cfg (on top of the defaults) and then applies MEENT_*
 * environment overrides. Fails on an unreadable file, a syntax error, an
 * unknown key, a bad value or a missing required key. 0 or -1 with err set.
 */
int	 config_load(struct config *cfg, const char *path, struct config_err *err);

/* Applies one key = value pair; origin ("file:line") is used in errors. */
int	 config_set(struct config *cfg, const char *key, const char *value,
	    const char *origin, struct config_err *err);

/* Number of HTTP threads to start: http_threads, or two per online core. */
int	 config_http_threads(const struct config *cfg);

#endif
