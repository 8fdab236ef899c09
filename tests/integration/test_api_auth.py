"""The client API's door (api/auth): bearer tokens in the header or the
access_token parameter, Mastodon's errors for a missing, unknown,
revoked or expired token, a disabled user, a suspended account, a token
without the scope, an app token where a user is needed; the rate limit
with its X-RateLimit headers and 429, counted in the database; CORS."""

import time

from harness import Api, Cluster, Meentd, ctl, ctl_json, local_account, main

WINDOW = 300    # seconds: Mastodon's rate-limit window, aligned to the clock


def clear_of_window_end(margin=60):
    """Waits out the end of a rate-limit window that is near: the checks
    below count one window's requests, and a window that ends midway
    starts them afresh (a run that started at 20:00 failed so)."""
    left = WINDOW - time.time() % WINDOW
    if left < margin:
        time.sleep(left + 1)


def test(t):
    clear_of_window_end()
    with Cluster() as pg:
        conf = pg.config("a.test", api_rate_limit=8)
        with Meentd(conf) as d:
            token = local_account(conf, "alice", scopes="read")
            writer = local_account(conf, "bob", scopes="write")
            api = Api(d, token)
            path = "/api/v1/accounts/verify_credentials"

            r = api.get(path)
            t.is_(r.status_code, 200, "a valid token is let in")
            t.is_(r.json().get("username"), "alice", "as the account it acts as")
            t.is_(r.headers.get("X-RateLimit-Limit"), "8", "X-RateLimit-Limit")
            t.is_(r.headers.get("X-RateLimit-Remaining"), "7", "X-RateLimit-Remaining counts down")
            t.like(r.headers.get("X-RateLimit-Reset", ""), "Z", "X-RateLimit-Reset is a time")

            r = Api(d).get(path)
            t.is_((r.status_code, r.json()), (401, {"error": "The access token is invalid"}),
                  "no token: 401 with Mastodon's message")
            r = Api(d, "x" * 43).get(path)
            t.is_(r.status_code, 401, "an unknown token: 401")
            r = Api(d, "y" * 5000).get(path)
            t.is_(r.status_code, 401, "an absurdly long token: 401, not a crash")
            r = api.get(path, headers={"Authorization": "Basic " + token})
            t.is_(r.status_code, 401, "another scheme is not a bearer token")
            r = Api(d).get(path + "?access_token=" + token)
            t.is_(r.status_code, 200, "the access_token parameter works as Doorkeeper's")
            r = api.get(path, headers={"Authorization": "bearer " + token})
            t.is_(r.status_code, 200, "the scheme in any case")

            r = Api(d, writer).get(path)
            t.is_((r.status_code, r.json()),
                  (403, {"error": "This action is outside the authorized scopes"}),
                  "a token without read:accounts: 403")

            # Disabled user, suspended account, revoked and expired tokens.
            ctl(conf, "user", "disable", "bob")
            r = Api(d, writer).get(path)
            t.is_(r.status_code, 401, "a disabled user's tokens were revoked: 401")
            carol = local_account(conf, "carol", scopes="read")
            pg.psql("UPDATE users SET disabled_at = now() WHERE username = 'carol'")
            r = Api(d, carol).get(path)
            t.is_((r.status_code, r.json()), (403, {"error": "Your login is currently disabled"}),
                  "a user disabled behind meentctl's back: 403")
            dave = local_account(conf, "dave", scopes="read")
            ctl(conf, "account", "suspend", "dave")
            r = Api(d, dave).get(path)
            t.is_(r.status_code in (401, 403), True,
                  "a suspended account's token does not work (%d)" % r.status_code)
            erin = local_account(conf, "erin", scopes="read")
            pg.psql("UPDATE oauth_tokens SET expires_at = now() - interval '1 second' "
                    "WHERE user_id = (SELECT id FROM users WHERE username = 'erin')")
            t.is_(Api(d, erin).get(path).status_code, 401, "an expired token: 401")
            frank = local_account(conf, "frank", scopes="read")
            ctl(conf, "member", "remove", "frank", "frank")
            t.is_(Api(d, frank).get(path).status_code, 401,
                  "a token for an account the user no longer runs: 401")

            # An app-only token (client_credentials) where a user is needed.
            app = pg.psql("INSERT INTO oauth_applications (name, client_id, client_secret_hash) "
                          "VALUES ('x', 'cid', 'h') RETURNING id")[0][0]
            import hashlib
            pg.psql("INSERT INTO oauth_tokens (token_hash, application_id, scopes) "
                    "VALUES (:'p1', :'p2', 'read')",
                    hashlib.sha256(b"apptoken").hexdigest(), app)
            r = Api(d, "apptoken").get(path)
            t.is_((r.status_code, r.json()),
                  (422, {"error": "This method requires an authenticated user"}),
                  "an app token on a user endpoint: 422")

            # The rate limit: 8 per window for alice's token; 3 used so far
            # (the Basic one was not hers).
            codes = [api.get(path).status_code for _ in range(7)]
            t.is_(codes, [200] * 5 + [429, 429], "over the limit: 429")
            r = api.get(path)
            t.is_(r.json(), {"error": "Too many requests"}, "with Mastodon's message")
            t.is_(r.headers.get("X-RateLimit-Remaining"), "0", "and nothing remaining")
            t.ok(int(r.headers.get("Retry-After", "0")) > 0, "and a Retry-After")
            t.is_(pg.psql("SELECT hits > 8 FROM rate_limits WHERE key LIKE 'token:%' "
                          "ORDER BY hits DESC LIMIT 1"), [["t"]],
                  "counted in the database, shared by every meentd")
            pg.psql("UPDATE rate_limits SET window_start = window_start - interval '10 minutes'")
            t.is_(api.get(path).status_code, 200, "a new window starts afresh")

            # CORS, for browser apps.
            r = d.request("OPTIONS", path, headers={
                "Origin": "https://elk.zone", "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization"})
            t.ok(r.status_code in (200, 204), "a CORS preflight is answered")
            t.like(r.headers.get("Access-Control-Allow-Headers", "").lower(), "authorization",
                   "and allows the Authorization header")
            r = api.get(path, headers={"Origin": "https://elk.zone"})
            t.is_(r.headers.get("Access-Control-Allow-Origin"), "*", "replies carry CORS headers")
            t.like(r.headers.get("Access-Control-Expose-Headers", ""), "X-RateLimit-Remaining",
                   "and expose the rate limit and Link headers")


main(test)
