"""Mail from a realm (issue 5): the message itself, email verification,
password reset and self-registration on the hosted pages, with mail
captured by a stand-in sendmail (configured as the realm's
mail.sendmailPath) or a small SMTP server, and the links in it followed.

Rate limits under test: one verification mail per user per minute."""

import email
import email.policy
import html
import os
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

import authio_client as ac
from authio_client import AuthioTestCase

CB = "https://app.example/cb"
PW = "correct horse battery"
NEW = "a brand new secret 7"


class MailCapture:
    """A stand-in sendmail: a script appending each message (and its
    arguments) to a directory every worker user can write."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="aumail")
        os.chmod(self.dir, 0o777)
        self.path = os.path.join(self.dir, "sendmail")
        with open(self.path, "w") as f:
            f.write('#!/bin/sh\nn="%s/m.$(date +%%s%%N).$$"\n'
                    'printf "%%s\\n" "$@" > "$n.args"\n'
                    'cat > "$n.tmp" && mv "$n.tmp" "$n.eml"\n' % self.dir)
        os.chmod(self.path, 0o755)

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def files(self):
        return sorted(f for f in os.listdir(self.dir) if f.endswith(".eml"))

    def messages(self, to=None):
        out = []
        for f in self.files():
            with open(os.path.join(self.dir, f), "rb") as fh:
                m = email.message_from_bytes(fh.read(),
                                             policy=email.policy.default)
            with open(os.path.join(self.dir, f[:-4] + ".args")) as fh:
                m.args = fh.read().split("\n")[:-1]
            if to is None or m["To"] == to:
                out.append(m)
        return out

    def wait(self, to, count=1, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            ms = self.messages(to)
            if len(ms) >= count:
                return ms[count - 1]
            time.sleep(0.1)
        raise AssertionError("no mail #%d to %s" % (count, to))


def body(msg, subtype):
    return msg.get_body(preferencelist=(subtype,)).get_content()


def link_in(msg):
    m = re.search(r"(https?://\S+\?token=[A-Za-z0-9_-]{43})",
                  body(msg, "plain"))
    assert m, body(msg, "plain")
    return m.group(1)


def path_of(url):
    p = urllib.parse.urlsplit(url)
    return p.path + "?" + p.query


def post_form(form, jar, **fields):
    data = dict(form["fields"])
    data.update(fields)
    for k, v in list(data.items()):
        if v is None:
            del data[k]
    hdrs = dict(ac.HTML_ACCEPT)
    if jar:
        hdrs["Cookie"] = ac.cookie_header(jar)
    r = ac.request("POST", form["action"], form=data, headers=hdrs)
    ac.cookies_from(r, jar)
    return r


def get_page(path, jar):
    hdrs = dict(ac.HTML_ACCEPT)
    if jar:
        hdrs["Cookie"] = ac.cookie_header(jar)
    r = ac.get(path, headers=hdrs)
    ac.cookies_from(r, jar)
    return r


def link_href(text, ident):
    """The href of the login page's link with that id."""
    m = re.search(r'<a id="%s" href="([^"]+)"' % ident, text)
    assert m, "no link %s in %s" % (ident, text)
    return html.unescape(m.group(1))


def form_with(text, ident):
    for f in ac.parse_forms(text):
        if f["action"] and ident in f["action"]:
            return f
    raise AssertionError("no form posting to %s in %s" % (ident, text))


class MailRealm(AuthioTestCase):
    """A realm whose mail goes to a MailCapture."""

    policies = {}
    branding = {}

    @classmethod
    def setUpClass(cls):
        cls.mail = MailCapture()
        cls.realm, _ = ac.create_realm(None)
        cls.client = ac.code_flow_client(cls.realm, pkceRequired=False)
        cls.put_policies(cls.policies)
        if cls.branding:
            r = ac.admin("PUT", "/realms/%s/settings/branding" % cls.realm,
                         cls.branding)
            assert r.status in (200, 204), r
        ac.settle()

    @classmethod
    def tearDownClass(cls):
        ac.delete_realm_quietly(cls.realm)
        cls.mail.close()

    @classmethod
    def put_policies(cls, extra, realm=None):
        doc = {"mail": {"from": "noreply@example.com",
                        "fromName": "Ünïcode Sender",
                        "replyTo": "help@example.com",
                        "transport": "sendmail",
                        "sendmailPath": cls.mail.path}}
        for k, v in extra.items():
            doc.setdefault(k, {}).update(v)
        r = ac.admin("PUT", "/realms/%s/settings/policies"
                     % (realm or cls.realm), doc)
        assert r.status in (200, 204), r

    def start(self, jar, realm=None, client=None):
        r = ac.authorize_get(realm or self.realm, {
            "client_id": client or self.client, "redirect_uri": CB,
            "response_type": "code", "scope": "openid", "state": "st"}, jar)
        self.assertStatus(r, 200)
        return r

    def sign_in(self, username, password=PW, jar=None):
        jar = {} if jar is None else jar
        r = self.start(jar)
        return ac.submit_login(ac.parse_forms(r.text)[0], jar, username,
                               password), jar

    def user(self, **fields):
        name = ac.unique("m")
        fields.setdefault("email", name + "@example.org")
        return ac.user_with_password(self.realm, PW, username=name, **fields)

    def events(self, type_):
        return ac.admin("GET", "/realms/%s/events?type=%s"
                        % (self.realm, type_)).json


class VerificationTest(MailRealm):
    policies = {"emailVerification": {"required": True}}
    branding = {"title": "Acme <b>&</b>", "primaryColor": "#aa0000"}

    def test_message_is_well_formed(self):
        u = self.user()
        r, _ = self.sign_in(u["username"])
        self.assertStatus(r, 200)
        m = self.mail.wait(u["email"])
        self.assertEqual(m["To"], u["email"])
        self.assertEqual(m["From"].addresses[0].display_name,
                         "Ünïcode Sender")
        self.assertEqual(m["From"].addresses[0].addr_spec,
                         "noreply@example.com")
        self.assertEqual(m["Reply-To"], "help@example.com")
        self.assertEqual(m["Subject"], "Confirm your email address")
        self.assertIsNotNone(m["Date"].datetime)
        self.assertRegex(m["Message-ID"], r"^<[^@\s]+@example\.com>$")
        self.assertEqual(m.get_content_type(), "multipart/alternative")
        self.assertIn(b"=?UTF-8?B?", m.as_bytes())   # RFC 2047 name
        html = body(m, "html")
        self.assertIn("Acme &lt;b&gt;&amp;&lt;/b&gt;", html)   # escaped
        self.assertIn("#aa0000", html)                         # branded
        self.assertIn("Acme <b>&</b>", body(m, "plain"))       # not escaped
        self.assertIn(link_in(m).replace("&", "&amp;"), html)
        # sendmail ran with the recipient as its argument, not -t
        self.assertEqual(m.args[-2:], ["--", u["email"]])
        self.assertIn("-i", m.args)

    def test_verification_journey(self):
        u = self.user()
        self.assertFalse(u.get("emailVerified"))
        r, jar = self.sign_in(u["username"])
        self.assertStatus(r, 200)
        self.assertIn("Check your inbox", r.text)
        self.assertNotIn("AUTHIO_SESSION", jar)
        self.assertIsNone(r.header("Location"))
        self.assertIn("frame-ancestors 'none'",
                      r.header("Content-Security-Policy"))
        link = link_in(self.mail.wait(u["email"]))
        self.assertTrue(link.startswith(ac.issuer(self.realm) +
                                        "/login-actions/verify-email?"))
        # GET asks (a mail scanner spends nothing), POST verifies
        r = get_page(path_of(link), jar)
        self.assertStatus(r, 200)
        form = form_with(r.text, "verify-email")
        self.assertIn(u["email"], r.text)
        self.assertEqual(ac.admin("GET", ac.users_path(
            self.realm, u["id"])).json["emailVerified"], False)
        r = post_form(form, jar)
        self.assertStatus(r, 200)
        self.assertIn("Your email address is verified", r.text)
        self.assertEqual(ac.admin("GET", ac.users_path(
            self.realm, u["id"])).json["emailVerified"], True)
        # the sign-in goes on: the login page of the same request
        r = ac.submit_login(ac.parse_forms(r.text)[0], jar, u["username"],
                            PW)
        self.assertStatus(r, 302)
        q = ac.location_params(r)
        self.assertIn("code", q)
        self.assertEqual(q["state"], "st")
        # used once only
        r = post_form(form, jar)
        self.assertStatus(r, 400)
        self.assertIn("not valid", r.text)
        ev = self.events("email.verified")
        self.assertTrue(any(e.get("userId") == u["id"]
                            for e in ev["items"]), ev)

    def test_resend_is_rate_limited(self):
        u = self.user()
        r, jar = self.sign_in(u["username"])
        self.mail.wait(u["email"])
        form = form_with(r.text, "verify-email-resend")
        r = post_form(form, jar)
        self.assertStatus(r, 429)
        self.assertIn("less than a minute ago", r.text)
        self.assertEqual(len(self.mail.messages(u["email"])), 1)
        # CSRF missing
        r = post_form(form, jar, csrf=None)
        self.assertStatus(r, 403)
        # a tampered pending user
        r = post_form(form, jar, pending=form["fields"]["pending"][:-2] + "AA")
        self.assertStatus(r, 400)

    def test_bad_links(self):
        u = self.user()
        _, jar = self.sign_in(u["username"])
        link = link_in(self.mail.wait(u["email"]))
        token = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)[
            "token"][0]
        r = get_page(path_of(link), jar)
        form = form_with(r.text, "verify-email")
        # tampered token
        bad = token[:-1] + ("A" if token[-1] != "A" else "B")
        self.assertStatus(post_form(form, jar, token=bad), 400)
        self.assertStatus(post_form(form, jar, token="x"), 400)
        self.assertStatus(get_page("/realms/%s/login-actions/verify-email"
                                   % self.realm, jar), 400)
        # CSRF missing or wrong
        self.assertStatus(post_form(form, jar, csrf=None), 403)
        self.assertStatus(post_form(form, {}, token=token), 403)
        # the link in another realm
        other, _ = ac.create_realm(self)
        jar2 = {}
        r = get_page("/realms/%s/login-actions/verify-email?token=%s"
                     % (other, token), jar2)
        self.assertStatus(r, 400)
        r = post_form(dict(form, action=form["action"].replace(
            self.realm, other)), jar)
        self.assertStatus(r, 400)
        self.assertStatus(get_page("/realms/%s/login-actions/verify-email"
                                   "?token=%s" % (self.realm, bad), jar), 400)
        # none of it spent the link
        self.assertStatus(post_form(form, jar), 200)
        self.assertTrue(ac.admin("GET", ac.users_path(
            self.realm, u["id"])).json["emailVerified"])


class ResetTest(MailRealm):
    branding = {"forgotPassword": True}

    def forgot_form(self, jar):
        r = self.start(jar)
        self.assertIn("Forgot password?", r.text)
        r = get_page(link_href(r.text, "forgot-password"), jar)
        self.assertStatus(r, 200)
        return form_with(r.text, "reset-credentials")

    def test_reset_journey(self):
        u = self.user()
        # a session elsewhere, to be ended
        other = {}
        r, _ = self.sign_in(u["username"], jar=other)
        self.assertStatus(r, 302)
        sessions = ac.admin("GET", ac.users_path(self.realm, u["id"],
                                                 "sessions")).json
        self.assertEqual(len(sessions["items"]), 1, sessions)
        r = ac.admin("PUT", ac.users_path(self.realm, u["id"], "password"),
                     {"password": PW, "temporary": True})
        self.assertStatus(r, 204)
        jar = {}
        r = post_form(self.forgot_form(jar), jar, username=u["username"])
        self.assertStatus(r, 200)
        self.assertIn("If an account matches", r.text)
        m = self.mail.wait(u["email"])
        self.assertEqual(m["Subject"], "Reset your password")
        link = link_in(m)
        r = get_page(path_of(link), jar)
        self.assertStatus(r, 200)
        form = form_with(r.text, "reset-password")
        # a refused password spends nothing
        r = post_form(form, jar, **{"password-new": NEW,
                                    "password-confirm": NEW + "x"})
        self.assertStatus(r, 400)
        self.assertIn("do not match", r.text)
        r = post_form(form, jar, **{"password-new": NEW,
                                    "password-confirm": NEW, "csrf": None})
        self.assertStatus(r, 403)
        r = post_form(form, jar, **{"password-new": NEW,
                                    "password-confirm": NEW})
        self.assertStatus(r, 200)
        self.assertIn("Your password has been changed", r.text)
        # signed out everywhere; UPDATE_PASSWORD cleared
        after = ac.admin("GET", ac.users_path(self.realm, u["id"],
                                              "sessions")).json
        self.assertEqual(after["items"], [], after)
        r3 = self.start(other)   # that browser must sign in again
        self.assertIn('id="login"', r3.text)
        user = ac.admin("GET", ac.users_path(self.realm, u["id"])).json
        self.assertNotIn("UPDATE_PASSWORD", user["requiredActions"])
        # the login page of the request goes on with the new password
        r2 = ac.submit_login(ac.parse_forms(r.text)[0], jar, u["username"],
                             NEW)
        self.assertStatus(r2, 302)
        self.assertIn("code", ac.location_params(r2))
        r2, _ = self.sign_in(u["username"], PW)
        self.assertStatus(r2, 401)
        # used once only
        self.assertStatus(get_page(path_of(link), jar), 400)
        self.assertStatus(post_form(form, jar, **{
            "password-new": "yet another one 9",
            "password-confirm": "yet another one 9"}), 400)
        ev = self.events("password.reset")
        self.assertTrue(any(e.get("userId") == u["id"]
                            for e in ev["items"]), ev)

    def test_unknown_account_looks_identical(self):
        u = self.user()
        before = len(self.mail.files())
        pages = []
        for name in (u["username"], ac.unique("nobody"),
                     ac.unique("nobody") + "@example.org"):
            jar = {}
            form = self.forgot_form(jar)
            t0 = time.time()
            r = post_form(form, jar, username=name)
            pages.append((r.status, re.sub(
                r'value="[A-Za-z0-9_\-]{20,}"|request [0-9a-f]+', "X",
                r.text), time.time() - t0))
        self.assertEqual(pages[0][0], 200)
        self.assertEqual(pages[0][:2], pages[1][:2])
        self.assertEqual(pages[0][:2], pages[2][:2])
        self.assertLess(max(p[2] for p in pages), 2.0)
        self.mail.wait(u["email"])
        time.sleep(0.5)
        self.assertEqual(len(self.mail.files()), before + 1)

    def test_bad_reset_links(self):
        u = self.user()
        jar = {}
        post_form(self.forgot_form(jar), jar, username=u["email"])
        link = link_in(self.mail.wait(u["email"]))
        token = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)[
            "token"][0]
        bad = token[:-1] + ("A" if token[-1] != "A" else "B")
        self.assertStatus(get_page("/realms/%s/login-actions/reset-password"
                                   "?token=%s" % (self.realm, bad), jar), 400)
        other, _ = ac.create_realm(self)
        self.assertStatus(get_page("/realms/%s/login-actions/reset-password"
                                   "?token=%s" % (other, token), jar), 400)
        # a verification link is no reset link
        self.assertStatus(post_form({"action": "/realms/%s/login-actions/"
                                     "verify-email" % self.realm,
                                     "fields": {"token": token,
                                                "csrf": jar["AUTHIO_CSRF"]}},
                                    jar), 400)
        self.assertStatus(get_page(path_of(link), jar), 200)

    def test_csrf_on_forgot_form(self):
        jar = {}
        form = self.forgot_form(jar)
        self.assertStatus(post_form(form, jar, username="x", csrf=None), 403)


class FlagsOffTest(MailRealm):
    branding = {"forgotPassword": False, "registrationAllowed": False}

    def test_no_links_and_404(self):
        jar = {}
        r = self.start(jar)
        self.assertNotIn("Forgot password?", r.text)
        self.assertNotIn("Create an account", r.text)
        form = ac.parse_forms(r.text)[0]
        self.assertEqual(len(ac.parse_forms(r.text)), 1)
        for action in ("reset-credentials", "registration"):
            f = dict(form, action="/realms/%s/login-actions/%s"
                     % (self.realm, action))
            r = post_form(f, jar, username="someone", submitted="1")
            self.assertStatus(r, 404)
            r = get_page("%s?%s" % (f["action"], urllib.parse.urlencode(
                {"authreq": form["fields"]["authreq"]})), jar)
            self.assertStatus(r, 404)
        self.assertEqual(self.mail.files(), [])

    def test_links_need_a_valid_request(self):
        for action in ("reset-credentials", "registration"):
            r = get_page("/realms/%s/login-actions/%s?authreq=bogus"
                         % (self.realm, action), {})
            self.assertStatus(r, 400)


class RegistrationTest(MailRealm):
    branding = {"registrationAllowed": True}

    def register_form(self, jar, realm=None, client=None):
        r = self.start(jar, realm, client)
        self.assertIn("Create an account", r.text)
        r = get_page(link_href(r.text, "create-account"), jar)
        self.assertStatus(r, 200)
        return form_with(r.text, "registration")

    def fields(self, name=None, mail=None, pw=NEW, again=None):
        name = name or ac.unique("reg")
        return {"username": name, "email": mail or name + "@example.net",
                "password-new": pw,
                "password-confirm": pw if again is None else again}

    def test_register_and_continue(self):
        jar = {}
        f = self.fields()
        r = post_form(self.register_form(jar), jar, **f)
        self.assertStatus(r, 302)
        q = ac.location_params(r)
        self.assertIn("code", q)
        self.assertEqual(q["state"], "st")
        self.assertIn("AUTHIO_SESSION", jar)
        r, _ = self.sign_in(f["username"], NEW)
        self.assertStatus(r, 302)
        users = ac.admin("GET", ac.users_path(self.realm) + "?username="
                         + f["username"]).json
        self.assertTrue(users)
        ev = self.events("user.register")
        self.assertTrue(ev["items"], ev)

    def test_refusals(self):
        jar = {}
        form = self.register_form(jar)
        taken = self.fields()
        self.assertStatus(post_form(form, jar, **taken), 302)
        jar = {}
        form = self.register_form(jar)
        r = post_form(form, jar, **self.fields(name=taken["username"]))
        self.assertStatus(r, 409)
        self.assertIn("username is taken", r.text)
        r = post_form(form, jar, **self.fields(mail=taken["email"]))
        self.assertStatus(r, 409)
        self.assertIn("email address exists", r.text)
        r = post_form(form, jar, **self.fields(again="other thing 12"))
        self.assertStatus(r, 400)
        self.assertIn("do not match", r.text)
        r = post_form(form, jar, **self.fields(pw="short"))
        self.assertStatus(r, 400)
        r = post_form(form, jar, **self.fields(mail="not-an-address"))
        self.assertStatus(r, 400)
        r = post_form(form, jar, **dict(self.fields(), csrf=None))
        self.assertStatus(r, 403)
        self.assertNotIn("AUTHIO_SESSION", jar)

    def test_username_rules_apply(self):
        """The realm's username rules bind registration as they bind the
        admin API."""
        realm, _ = ac.create_realm(self)
        client = ac.code_flow_client(realm, pkceRequired=False)
        r = ac.admin("PUT", "/realms/%s/settings/branding" % realm,
                     {"registrationAllowed": True})
        self.assertIn(r.status, (200, 204), repr(r))
        self.put_policies({"username": {"reserved": ["root"],
                                        "minLength": 4}}, realm=realm)
        ac.settle()
        for name in ("root", "abc"):
            with self.subTest(name=name):
                jar = {}
                form = self.register_form(jar, realm, client)
                r = post_form(form, jar, **self.fields(name=name))
                self.assertStatus(r, 400)
                self.assertNotIn("AUTHIO_SESSION", jar)
        jar = {}
        form = self.register_form(jar, realm, client)
        self.assertStatus(post_form(form, jar, **self.fields()), 302)

    def test_register_with_verification(self):
        realm, _ = ac.create_realm(self)
        client = ac.code_flow_client(realm, pkceRequired=False)
        self.put_policies({"emailVerification": {"required": True}}, realm)
        ac.admin("PUT", "/realms/%s/settings/branding" % realm,
                 {"registrationAllowed": True})
        ac.settle()
        jar = {}
        f = self.fields()
        r = post_form(self.register_form(jar, realm, client), jar, **f)
        self.assertStatus(r, 200)
        self.assertIn("Check your inbox", r.text)
        self.assertNotIn("AUTHIO_SESSION", jar)
        link = link_in(self.mail.wait(f["email"]))
        r = post_form(form_with(get_page(path_of(link), jar).text,
                                "verify-email"), jar)
        self.assertStatus(r, 200)
        r = ac.submit_login(ac.parse_forms(r.text)[0], jar, f["username"],
                            NEW)
        self.assertStatus(r, 302)
        self.assertIn("code", ac.location_params(r))


class SettingsTest(AuthioTestCase):

    def test_header_injection_refused(self):
        realm, _ = ac.create_realm(self)
        for field, value in (("fromName", "Acme\r\nBcc: victim@example.com"),
                             ("from", "a@example.com\nX-Evil: 1"),
                             ("replyTo", "a@example.com\r\nBcc: b@c.de"),
                             ("smtpUser", "u\r\nRCPT TO:<x@y.z>")):
            r = ac.admin("PUT", "/realms/%s/settings/policies" % realm,
                         {"mail": {field: value}})
            self.assertProblem(r, 400, "mail." + field)


class SmtpServer(threading.Thread):
    """A small SMTP server (RFC 5321 subset) for one test: EHLO with
    AUTH (mechs, PLAIN and LOGIN by default; STARTTLS when a context is
    given), MAIL, RCPT, DATA, QUIT.  Received messages and commands are
    kept."""

    def __init__(self, tls=None, mechs="PLAIN LOGIN"):
        super().__init__(daemon=True)
        self.mechs = mechs
        self.login = None
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(20)
        self.port = self.sock.getsockname()[1]
        self.tls = tls
        self.commands, self.messages = [], []

    def run(self):
        try:
            conn, _ = self.sock.accept()
            with conn:
                self.session(conn)
        except (OSError, ssl.SSLError) as e:
            self.commands.append("ERROR " + str(e))
        finally:
            self.sock.close()

    def session(self, conn):
        f = conn.makefile("rb")

        def send(line):
            conn.sendall(line.encode() + b"\r\n")
        send("220 test ESMTP")
        rcpt = []
        while True:
            line = f.readline().decode().rstrip("\r\n")
            if not line:
                return
            self.commands.append(line)
            verb = line.split(" ")[0].upper()
            if verb == "EHLO":
                send("250-test")
                if self.tls is not None:
                    send("250-STARTTLS")
                send("250 AUTH " + self.mechs)
            elif verb == "STARTTLS":
                send("220 go ahead")
                conn = self.tls.wrap_socket(conn, server_side=True)
                f = conn.makefile("rb")
            elif verb == "AUTH" and line.upper() == "AUTH LOGIN":
                # RFC 4954 with the LOGIN mechanism: two challenges
                self.auth = line
                send("334 VXNlcm5hbWU6")
                user = f.readline().decode().rstrip("\r\n")
                send("334 UGFzc3dvcmQ6")
                password = f.readline().decode().rstrip("\r\n")
                self.login = (user, password)
                send("235 ok")
            elif verb == "AUTH":
                self.auth = line
                send("235 ok")
            elif verb in ("MAIL", "RSET"):
                send("250 ok")
            elif verb == "RCPT":
                rcpt.append(line)
                send("250 ok")
            elif verb == "DATA":
                send("354 go")
                lines = []
                while True:
                    d = f.readline()
                    if d in (b".\r\n", b""):
                        break
                    lines.append(d[1:] if d.startswith(b".") else d)
                self.messages.append(b"".join(lines))
                send("250 queued")
            elif verb == "QUIT":
                send("221 bye")
                return
            else:
                send("502 no")


class SmtpTest(MailRealm):
    policies = {"emailVerification": {"required": True}}

    def smtp_policies(self, port, starttls):
        self.put_policies({"mail": {"transport": "smtp",
                                    "smtpHost": "127.0.0.1",
                                    "smtpPort": port,
                                    "smtpStartTls": starttls,
                                    "smtpUser": "mailer",
                                    "smtpPassword": "s3cret pass"},
                           "emailVerification": {"required": True}})
        ac.settle()

    def sign_in_through(self, srv, starttls=False):
        """A sign-in of a new user that mails a verification link through
        srv; the sign-in page and the user once srv's session ended."""
        srv.start()
        self.smtp_policies(srv.port, starttls)
        u = self.user()
        r, _ = self.sign_in(u["username"])
        self.assertStatus(r, 200)
        srv.join(15)
        return r, u

    def test_smtp_with_auth(self):
        srv = SmtpServer()
        _, u = self.sign_in_through(srv)
        self.assertEqual(len(srv.messages), 1, srv.commands)
        m = email.message_from_bytes(srv.messages[0],
                                     policy=email.policy.default)
        self.assertEqual(m["To"], u["email"])
        self.assertIn("/login-actions/verify-email?token=", body(m, "plain"))
        import base64
        self.assertEqual(base64.b64decode(srv.auth.split()[2]),
                         b"\0mailer\0s3cret pass")
        self.assertIn("MAIL FROM:<noreply@example.com>", srv.commands)
        self.assertIn("RCPT TO:<%s>" % u["email"], srv.commands)

    def test_smtp_auth_login(self):
        # a relay offering only LOGIN (RFC 4954 + the LOGIN mechanism)
        srv = SmtpServer(mechs="LOGIN")
        self.sign_in_through(srv)
        self.assertEqual(len(srv.messages), 1, srv.commands)
        import base64
        self.assertEqual(srv.auth, "AUTH LOGIN")
        self.assertEqual(tuple(base64.b64decode(x) for x in srv.login),
                         (b"mailer", b"s3cret pass"))

    def test_smtp_without_a_known_mechanism_refused(self):
        srv = SmtpServer(mechs="CRAM-MD5")
        r, _ = self.sign_in_through(srv)
        self.assertIn("could not be sent", r.text)
        self.assertFalse(any(c.startswith("AUTH") for c in srv.commands))
        self.assertEqual(srv.messages, [])

    def test_starttls_untrusted_certificate_refused(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d, True)
        key, crt = os.path.join(d, "k.pem"), os.path.join(d, "c.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                        "-nodes", "-keyout", key, "-out", crt, "-days", "1",
                        "-subj", "/CN=127.0.0.1"], check=True,
                       capture_output=True)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(crt, key)
        srv = SmtpServer(tls=ctx)
        r, _ = self.sign_in_through(srv, starttls=True)
        self.assertIn("could not be sent", r.text)
        self.assertIn("STARTTLS", srv.commands)
        # nothing after the refused handshake: no AUTH, no message
        self.assertFalse(any(c.startswith("AUTH") for c in srv.commands))
        self.assertEqual(srv.messages, [])


def configured_ca_file():
    """[security] smtp_ca_file of the stack's authio.conf, or None."""
    import configparser
    path = os.environ.get("AUTHIO_CONFIG")
    if not path or not os.path.exists(path):
        return None
    cp = configparser.ConfigParser(interpolation=None,
                                   inline_comment_prefixes=("#", ";"))
    cp.read(path, encoding="utf-8")
    v = cp.get("security", "smtp_ca_file", fallback="").strip()
    return v or None


class SmtpTrustedCaTest(MailRealm):
    """STARTTLS delivery to a relay whose certificate a private CA signed,
    trusted through [security] smtp_ca_file (scripts/up.sh points it at
    var/smtp-ca.pem, where this test puts its CA)."""
    policies = SmtpTest.policies
    smtp_policies = SmtpTest.smtp_policies
    sign_in_through = SmtpTest.sign_in_through

    def test_starttls_delivery(self):
        ca_path = configured_ca_file()
        if ca_path is None:
            self.skipTest("the stack's config names no smtp_ca_file")
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d, True)

        def openssl(*args):
            subprocess.run(["openssl"] + list(args), check=True,
                           capture_output=True, cwd=d)
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                "ca.key", "-out", "ca.pem", "-days", "1", "-subj",
                "/CN=authio test CA")
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "srv.key",
                "-out", "srv.csr", "-subj", "/CN=127.0.0.1")
        with open(os.path.join(d, "ext"), "w") as fh:
            fh.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
        openssl("x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey",
                "ca.key", "-CAcreateserial", "-out", "srv.pem", "-days", "1",
                "-extfile", "ext")
        shutil.copyfile(os.path.join(d, "ca.pem"), ca_path)
        os.chmod(ca_path, 0o644)
        self.addCleanup(lambda: os.path.exists(ca_path) and
                        os.remove(ca_path))
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(os.path.join(d, "srv.pem"),
                            os.path.join(d, "srv.key"))
        srv = SmtpServer(tls=ctx)
        r, u = self.sign_in_through(srv, starttls=True)
        self.assertNotIn("could not be sent", r.text)
        self.assertIn("STARTTLS", srv.commands)
        self.assertEqual(len(srv.messages), 1, srv.commands)
        # AUTH only after the handshake, over TLS
        self.assertGreater(srv.commands.index(
            [c for c in srv.commands if c.startswith("AUTH")][0]),
            srv.commands.index("STARTTLS"))
        m = email.message_from_bytes(srv.messages[0],
                                     policy=email.policy.default)
        self.assertEqual(m["To"], u["email"])


class ExpiryTest(MailRealm):
    """Links expire after emailVerification.linkLifetimeSeconds (here the
    minimum, 60 s: this test waits a minute)."""
    policies = {"emailVerification": {"required": True,
                                      "linkLifetimeSeconds": 60}}
    branding = {"forgotPassword": True}

    def test_links_expire(self):
        u = self.user()
        page, jar = self.sign_in(u["username"])
        resend = form_with(page.text, "verify-email-resend")
        verify = link_in(self.mail.wait(u["email"]))
        r = self.start(jar)
        r = get_page(link_href(r.text, "forgot-password"), jar)
        post_form(form_with(r.text, "reset-credentials"), jar,
                  username=u["username"])
        reset = link_in(self.mail.wait(u["email"], 2))
        self.assertIn("reset-password", reset)
        vform = form_with(get_page(path_of(verify), jar).text, "verify-email")
        self.assertStatus(get_page(path_of(reset), jar), 200)
        time.sleep(61)
        self.assertStatus(post_form(vform, jar), 400)
        self.assertStatus(get_page(path_of(reset), jar), 400)
        self.assertFalse(ac.admin("GET", ac.users_path(
            self.realm, u["id"])).json["emailVerified"])
        # a minute later the page sends a new link, which works
        r = post_form(resend, jar)
        self.assertStatus(r, 200)
        fresh = link_in(self.mail.wait(u["email"], 3))
        self.assertNotEqual(fresh, verify)
        r = post_form(form_with(get_page(path_of(fresh), jar).text,
                                "verify-email"), jar)
        self.assertStatus(r, 200)
        self.assertTrue(ac.admin("GET", ac.users_path(
            self.realm, u["id"])).json["emailVerified"])


if __name__ == "__main__":
    unittest.main()
