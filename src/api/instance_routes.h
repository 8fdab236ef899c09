/*
 * Handlers of the client API group instance (routes in api/routes_instance.inc):
 * the Instance entity and what the instance says about itself, direct
 * conversations, the endpoints of features that do not exist yet, and
 * the default images.
 */
#ifndef MEENT_API_INSTANCE_ROUTES_H
#define MEENT_API_INSTANCE_ROUTES_H

struct http_req;

/* api/instance.c */
void	 api_instance_v2_get(struct http_req *req);
void	 api_instance_v1_get(struct http_req *req);

/* api/instance_about.c */
void	 api_instance_rules_get(struct http_req *req);
void	 api_instance_peers_get(struct http_req *req);
void	 api_instance_activity_get(struct http_req *req);
void	 api_instance_extended_description_get(struct http_req *req);
void	 api_instance_domain_blocks_get(struct http_req *req);
void	 api_instance_translation_languages_get(struct http_req *req);
void	 api_instance_languages_get(struct http_req *req);

/* api/conversations.c */
void	 api_conversations_get(struct http_req *req);
void	 api_conversation_read(struct http_req *req);

/* api/absent.c */
void	 api_custom_emojis_get(struct http_req *req);
void	 api_trends_get(struct http_req *req);
void	 api_announcements_get(struct http_req *req);
void	 api_announcement_dismiss(struct http_req *req);
void	 api_announcement_reaction(struct http_req *req);
void	 api_lists_get(struct http_req *req);
void	 api_list_get(struct http_req *req);
void	 api_account_lists_get(struct http_req *req);
void	 api_filters_get(struct http_req *req);
void	 api_filter_get(struct http_req *req);
void	 api_followed_tags_get(struct http_req *req);
void	 api_suggestions_get(struct http_req *req);
void	 api_scheduled_statuses_get(struct http_req *req);
void	 api_scheduled_status(struct http_req *req);
void	 api_featured_tags_get(struct http_req *req);
void	 api_endorsements_get(struct http_req *req);
void	 api_domain_blocks_get(struct http_req *req);
void	 api_push_subscription(struct http_req *req);
void	 api_streaming_health_get(struct http_req *req);

/* api/instance_images.c */
void	 api_image_avatar_missing_get(struct http_req *req);
void	 api_image_header_missing_get(struct http_req *req);
void	 api_image_get(struct http_req *req);

#endif
