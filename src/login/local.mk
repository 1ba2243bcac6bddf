libauthio_a_SOURCES += src/login/login_error.c src/login/login_error.h
libauthio_a_SOURCES += src/login/login_authorize.c src/login/login_authorize.h
libauthio_a_SOURCES += src/login/login_authenticate.c src/login/login_authenticate.h
libauthio_a_SOURCES += src/login/login_logout.c src/login/login_logout.h
libauthio_a_SOURCES += src/login/login_device.c src/login/login_device.h
libauthio_a_SOURCES += src/login/login_email.c src/login/login_email.h
