libauthio_a_SOURCES += \
	src/admin/api_auth.c src/admin/api_auth.h \
	src/admin/api_client.c src/admin/api_client.h \
	src/admin/api_client_user.c src/admin/api_client_user.h \
	src/admin/api_common.c src/admin/api_common.h \
	src/admin/api_consumer.c src/admin/api_consumer.h \
	src/admin/api_event.c src/admin/api_event.h \
	src/admin/api_posture.c src/admin/api_posture.h \
	src/admin/api_export.c src/admin/api_export.h \
	src/admin/api_import.c src/admin/api_import.h \
	src/admin/api_key.c src/admin/api_key.h \
	src/admin/api_realm.c src/admin/api_realm.h \
	src/admin/api_role.c src/admin/api_role.h \
	src/admin/api_role_map.c \
	src/admin/api_scope.c src/admin/api_scope.h \
	src/admin/api_secret.c src/admin/api_secret.h \
	src/admin/api_settings.c src/admin/api_settings.h \
	src/admin/api_user.c src/admin/api_user.h \
	src/admin/api_user_account.c src/admin/api_user_account.h \
	src/admin/api_user_fields.c src/admin/api_user_fields.h
