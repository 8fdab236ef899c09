/* The per-domain circuit breaker of deliveries: see domain.h. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "db/db.h"
#include "jobs/domain.h"
#include "util/log.h"
#include "util/str.h"

int
job_domain_of_url(const char *url, char *out, size_t outsz)
{
	CURLU	*u = NULL;
	char	*host = NULL;
	int	 rc = -1;

	/* curl's parser, so the host is the one the client will connect to. */
	if ((u = curl_url()) == NULL)
		goto out;
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		goto out;
	if (host[0] == '\0' || str_lcpy(out, host, outsz) >= outsz)
		goto out;
	for (char *p = out; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	rc = 0;
out:
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

int
job_domain_skip(struct db *db, const char *domain, int *record)
{
	PGresult	*res;
	char		 probe[16];
	int		 skip = 0;

	*record = 1;
	snprintf(probe, sizeof(probe), "%d", JOB_DOMAIN_PROBE_EVERY);
	if ((res = DB_EXEC(db, STMT_JOB_DOMAIN_UNAVAILABLE, domain, probe)) == NULL) {
		log_debug("job_domain_check_failed", "domain=%s msg=\"%s\"", domain,
		    db_errmsg(db));
		return 0;
	}
	*record = 0;
	if (PQntuples(res) == 1) {
		skip = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		*record = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	}
	PQclear(res);
	return skip;
}

void
job_domain_failed(struct db *db, const char *domain, long unavailable_after,
    const char *why)
{
	PGresult	*res;
	char		 after[24], qwhy[256];

	snprintf(after, sizeof(after), "%ld", unavailable_after);
	if ((res = DB_EXEC(db, STMT_JOB_DOMAIN_FAILED, domain, after, why)) == NULL) {
		log_warn("job_domain_update_failed", "domain=%s msg=\"%s\"", domain,
		    db_errmsg(db));
		return;
	}
	if (PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't')
		log_warn("domain_unavailable", "domain=%s failing_for_s=%ld error=%s "
		    "msg=\"deliveries postponed until it answers again\"", domain,
		    unavailable_after, log_quote(qwhy, sizeof(qwhy), why));
	PQclear(res);
}

/* Logs when a clearing statement found the domain marked unavailable. */
static void
domain_cleared(PGresult *res, const char *domain, const char *how)
{
	if (PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't')
		log_info("domain_available", "domain=%s by=%s", domain, how);
	PQclear(res);
}

void
job_domain_succeeded(struct db *db, const char *domain)
{
	PGresult *res;

	if ((res = DB_EXEC(db, STMT_JOB_DOMAIN_SUCCEEDED, domain)) == NULL) {
		log_warn("job_domain_update_failed", "domain=%s msg=\"%s\"", domain,
		    db_errmsg(db));
		return;
	}
	domain_cleared(res, domain, "delivery");
}

