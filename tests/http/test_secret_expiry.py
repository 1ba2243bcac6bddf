"""Secret expiry: settings/tokens secretLifetimeDays is the default
lifetime of new client and consumer secrets (created or rotated); an
explicit expiresAt still wins; expired secrets are refused with 401
invalid_client at /token, /introspect and /revoke; lastUsedAt is kept."""

import datetime
import time

import authio_client as ac
from test_introspect_revoke import introspect, revoke

DAY = 86400


def at(seconds_from_now):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(
        seconds=seconds_from_now)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def ts(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


def secrets_path(realm, client, *rest):
    return "/".join(["/realms/%s/clients/%s/secrets" % (ac.quote(realm),
                                                        ac.quote(client))]
                    + list(rest))


class SecretLifetimeTest(ac.RealmTestCase):

    def set_lifetime(self, days):
        r = ac.admin("PUT", "/realms/%s/settings/tokens" % ac.quote(
            self.realm), {"secretLifetimeDays": days})
        self.assertStatus(r, 200)
        self.addCleanup(ac.admin, "PUT", "/realms/%s/settings/tokens"
                        % ac.quote(self.realm), {})

    def assertAbout(self, when, seconds):
        self.assertAlmostEqual(ts(when) - time.time(), seconds, delta=120)

    def test_default_lifetime_for_new_and_rotated_secrets(self):
        client, _ = ac.create_client(self.realm)
        _, never = ac.create_secret(self.realm, client)
        self.assertIsNone(never["expiresAt"])       # 0 = never (default)
        self.set_lifetime(30)
        _, s = ac.create_secret(self.realm, client)
        self.assertAbout(s["expiresAt"], 30 * DAY)
        r = ac.admin("POST", secrets_path(self.realm, client, s["id"],
                                          "rotate"),
                     {"gracePeriodSeconds": 60})
        self.assertStatus(r, 201)
        self.assertAbout(r.json["expiresAt"], 30 * DAY)
        # an explicit expiresAt still wins, on create and rotate
        r = ac.admin("POST", secrets_path(self.realm, client),
                     {"expiresAt": at(2 * DAY)})
        self.assertStatus(r, 201)
        self.assertAbout(r.json["expiresAt"], 2 * DAY)
        r = ac.admin("POST", secrets_path(self.realm, client, r.json["id"],
                                          "rotate"),
                     {"gracePeriodSeconds": 0, "expiresAt": at(3 * DAY)})
        self.assertStatus(r, 201)
        self.assertAbout(r.json["expiresAt"], 3 * DAY)
        # existing secrets keep their expiry
        listed = ac.admin("GET", secrets_path(self.realm, client)).json
        self.assertEqual([s["expiresAt"] for s in listed["items"]
                          if s["id"] == never["id"]], [None])

    def test_consumer_secrets_too(self):
        self.set_lifetime(7)
        consumer, _ = ac.create_consumer(self.realm)
        _, s = ac.create_consumer_secret(self.realm, consumer)
        self.assertAbout(s["expiresAt"], 7 * DAY)

    def test_past_expiry_refused(self):
        client, _ = ac.create_client(self.realm)
        r = ac.admin("POST", secrets_path(self.realm, client),
                     {"expiresAt": at(-60)})
        self.assertProblem(r, 400, "expiresAt")

    def test_expired_secret_is_invalid_client_everywhere(self):
        client, _ = ac.create_client(self.realm)
        r = ac.admin("POST", secrets_path(self.realm, client),
                     {"expiresAt": at(3)})
        self.assertStatus(r, 201)
        secret, sid = r.json["secret"], r.json["id"]
        t = ac.token_request(self.realm, client, secret)
        self.assertStatus(t, 200)
        token = t.json["access_token"]
        listed = ac.admin("GET", secrets_path(self.realm, client)).json
        used = [s for s in listed["items"] if s["id"] == sid][0]
        self.assertIsNotNone(used["lastUsedAt"])
        time.sleep(4.5)
        self.assertOAuthError(ac.token_request(self.realm, client, secret),
                              401, "invalid_client")
        self.assertOAuthError(introspect(self.realm, client, secret, token),
                              401, "invalid_client")
        self.assertOAuthError(revoke(self.realm, client, secret, token),
                              401, "invalid_client")
        listed = ac.admin("GET", secrets_path(self.realm, client)).json
        self.assertEqual([s["status"] for s in listed["items"]
                          if s["id"] == sid], ["expired"])
