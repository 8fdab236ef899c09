/* The instance actor: see instance_actor.h. */
#include <stdlib.h>

#include "ap/instance_actor.h"
#include "ap/keys.h"
#include "ap/urls.h"
#include "db/db.h"
#include "util/config.h"
#include "util/log.h"

int
ap_instance_actor_ensure(struct db *db, const struct config *cfg)
{
	PGresult	*res;
	char		*priv = NULL, *pub = NULL, base[300];
	int		 rc = -1, exists;

	if ((res = DB_EXEC0(db, STMT_AP_INSTANCE_ACTOR_GET)) == NULL)
		goto out;
	exists = PQntuples(res) > 0;
	PQclear(res);
	if (exists)
		return 0;
	if (ap_keys_generate(&priv, &pub) == -1)
		goto out;
	ap_url_base(cfg, base, sizeof(base));
	/* ON CONFLICT DO NOTHING: another node starting now may win. */
	if ((res = DB_EXEC(db, STMT_AP_INSTANCE_ACTOR_CREATE, cfg->domain, base,
	    priv, pub)) == NULL)
		goto out;
	PQclear(res);
	log_info("instance_actor_created", "uri=%s/actor", base);
	rc = 0;
out:
	if (rc == -1)
		log_error("instance_actor_failed", "msg=\"%s\"", db_errmsg(db));
	ap_keys_pem_free(priv);
	ap_keys_pem_free(pub);
	return rc;
}
