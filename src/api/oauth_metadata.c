/*
 * GET /.well-known/oauth-authorization-server: OAuth 2.0 Authorization
 * Server Metadata (RFC 8414), as Mastodon 4.3 serves it
 * (OAuthMetadataPresenter), so apps can find the endpoints, the scopes
 * and PKCE support without guessing.
 */
#include <stdio.h>

#include "api/api.h"
#include "api/oauth_routes.h"
#include "api/scopes.h"
#include "http/reply.h"
#include "http/request.h"

void
api_oauth_metadata(struct http_req *req)
{
	char		 base[300];
	json_t		*scopes = json_array();
	const char	*name;

	for (size_t i = 0; (name = api_scope_name(i)) != NULL; i++)
		json_array_append_new(scopes, json_string(name));
	api_base(req, base, sizeof(base));
	/* Mastodon's issuer is its root URL, with the slash. */
	http_reply_header(req, "Cache-Control", "max-age=900, public");
	http_reply_json(req, 200, json_pack("{s:s+,s:s,s:s+,s:s+,s:s+,s:s+,"
	    "s:o,s:[s],s:[s],s:[s,s,s,s],s:[s,s],s:[s]}",
	    "issuer", base, "/",
	    "service_documentation", "https://docs.joinmastodon.org/",
	    "authorization_endpoint", base, "/oauth/authorize",
	    "token_endpoint", base, "/oauth/token",
	    "app_registration_endpoint", base, "/api/v1/apps",
	    "revocation_endpoint", base, "/oauth/revoke",
	    "scopes_supported", scopes,
	    "response_types_supported", "code",
	    "response_modes_supported", "query",
	    "grant_types_supported", "authorization_code", "password",
	    "client_credentials", "refresh_token",
	    "token_endpoint_auth_methods_supported", "client_secret_basic",
	    "client_secret_post",
	    "code_challenge_methods_supported", "S256"));
}
