/*
 * Handlers of the client API group accounts (routes in api/routes_accounts.inc):
 * accounts, relationships, follows and follow requests, blocks and mutes,
 * and the uploaded files they show (/system/).
 */
#ifndef MEENT_API_ACCOUNTS_ROUTES_H
#define MEENT_API_ACCOUNTS_ROUTES_H

struct http_req;

/* api/accounts_credentials.c */
void	 api_accounts_verify_credentials(struct http_req *req);
void	 api_accounts_update_credentials(struct http_req *req);

/* api/accounts.c */
void	 api_accounts_get(struct http_req *req);
void	 api_accounts_index(struct http_req *req);
void	 api_accounts_lookup(struct http_req *req);
void	 api_accounts_statuses(struct http_req *req);
void	 api_accounts_followers(struct http_req *req);
void	 api_accounts_following(struct http_req *req);
void	 api_accounts_empty_list(struct http_req *req);	/* featured_tags, identity_proofs */

/* api/accounts_search.c */
void	 api_accounts_search(struct http_req *req);

/* api/relationship.c */
void	 api_accounts_relationships(struct http_req *req);

/* api/accounts_follow.c */
void	 api_accounts_follow(struct http_req *req);
void	 api_accounts_unfollow(struct http_req *req);
void	 api_accounts_remove_from_followers(struct http_req *req);
void	 api_follow_requests_list(struct http_req *req);
void	 api_follow_requests_authorize(struct http_req *req);
void	 api_follow_requests_reject(struct http_req *req);

/* api/accounts_block.c */
void	 api_accounts_block(struct http_req *req);
void	 api_accounts_unblock(struct http_req *req);
void	 api_accounts_mute(struct http_req *req);
void	 api_accounts_unmute(struct http_req *req);
void	 api_blocks_list(struct http_req *req);
void	 api_mutes_list(struct http_req *req);

/* api/system.c */
void	 api_system_get(struct http_req *req);

#endif
