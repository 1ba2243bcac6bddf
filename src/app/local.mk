libauthio_a_SOURCES += \
	src/app/app_ctx.c src/app/app_ctx.h \
	src/app/app_health.c src/app/app_health.h \
	src/app/app_serve.c src/app/app_serve.h \
	src/http/http_routes.c src/http/http_routes.h
