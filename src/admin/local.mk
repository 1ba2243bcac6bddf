libauthio_a_SOURCES += \
	src/admin/api_auth.c src/admin/api_auth.h \
	src/admin/api_client.c src/admin/api_client.h \
	src/admin/api_client_user.c src/admin/api_client_user.h \
	src/admin/api_common.c src/admin/api_common.h \
	src/admin/api_event.c src/admin/api_event.h \
	src/admin/api_realm.c src/admin/api_realm.h \
	src/admin/api_scope.c src/admin/api_scope.h \
	src/admin/api_secret.c src/admin/api_secret.h
