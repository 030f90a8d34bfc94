"""Reference data of the simulated world: reliers, countries, platforms, release trains.

Everything here is fixed; the random choices among these values are made in
``world.py`` (people and flows).
"""
from __future__ import annotations

from .common import cumulative

BROWSER_SCOPES = "profile,https://identity.mozilla.com/apps/oldsync"


class Relier:
    """A service that signs people in with Mozilla accounts (Sync, a browser, an OAuth site)."""

    __slots__ = ("key", "client_id", "legacy_name", "kind", "user_weight", "scopes",
                 "db_name", "redirect", "entrypoints", "rp_ua")

    def __init__(self, key, client_id, legacy_name, kind, user_weight, scopes, db_name,
                 redirect, entrypoints, rp_ua):
        self.key = key
        self.client_id = client_id
        self.legacy_name = legacy_name
        self.kind = kind              # sync | browser | oauth
        self.user_weight = user_weight
        self.scopes = scopes
        self.db_name = db_name        # None: not in the OAuth clients replica
        self.redirect = redirect
        self.entrypoints = entrypoints
        self.rp_ua = rp_ua            # user agent of the relier's token checks

    @property
    def cn_ok(self):
        return self.kind == "oauth"


_SYNC_EP = ("preferences", "menupanel", "fxa-discoverability-native", "synced-tabs",
            "activity-stream-firstrun", "new-install-page", "mozilla.org-whatsnew126", "")
_MOBILE_EP = ("menupanel", "synced-tabs", "sendtab", "fxa-discoverability-native", "")
_WEB_EP = ("", "", "", "", "fxa-discoverability-native", "preferences", "app-menu")
_SERVER_UA = ("Other", "Other", "")
_FX_UA = ("Firefox", "Windows", "126.0")

RELIERS = (
    Relier("sync", "5882386c6d801776", "sync", "sync", 0.42, BROWSER_SCOPES, "Firefox",
           "urn:ietf:wg:oauth:2.0:oob:oauth-redirect-webchannel", _SYNC_EP, _FX_UA),
    Relier("firefox_ios", "1b1a3e44c54fbb58", "1b1a3e44c54fbb58", "browser", 0.12,
           BROWSER_SCOPES, "Firefox for iOS", "urn:ietf:wg:oauth:2.0:oob:oauth-redirect-webchannel",
           _MOBILE_EP, ("Firefox iOS", "iOS", "126.2")),
    Relier("firefox_android", "a2270f727f45f648", "a2270f727f45f648", "browser", 0.14,
           BROWSER_SCOPES, "Firefox for Android", "urn:ietf:wg:oauth:2.0:oob:oauth-redirect-webchannel",
           _MOBILE_EP, ("Firefox Mobile", "Android", "126.0")),
    Relier("monitor", "802d56ef2a9af9fa", "fx-monitor", "oauth", 0.25, "profile",
           "Mozilla Monitor", "https://monitor.mozilla.org/oauth/init", _WEB_EP, _SERVER_UA),
    Relier("relay", "9ebfe2c2f9ea3c58", "fx-private-relay", "oauth", 0.16, "profile",
           "Firefox Relay", "https://relay.firefox.com/accounts/fxa/login/callback/", _WEB_EP,
           _SERVER_UA),
    Relier("vpn", "e6eb0d1e856335fc", "guardian-vpn", "oauth", 0.11,
           "profile,https://identity.mozilla.com/apps/vpn", "Mozilla VPN",
           "https://vpn.mozilla.org/oauth/success", _WEB_EP, _SERVER_UA),
    Relier("pocket", "749818d3f2e7857f", "pocket-web", "oauth", 0.12, "profile", "Pocket",
           "https://getpocket.com/auth/mozilla", _WEB_EP, _SERVER_UA),
    Relier("amo", "a4907de5fa9d78fc", "amo-web", "oauth", 0.10, "profile", "Firefox Add-ons",
           "https://addons.mozilla.org/api/v5/accounts/authenticate/", _WEB_EP, _SERVER_UA),
    Relier("mdn", "720bc80adfa6988d", "mdn-plus", "oauth", 0.07, "profile", "MDN Plus",
           "https://developer.mozilla.org/users/fxa/login/callback/", _WEB_EP, _SERVER_UA),
    Relier("settings", "ea3ca969f8c6bb0d", "fxa-content", "oauth", 0.08, "profile",
           "Mozilla accounts", "https://accounts.firefox.com/oauth/success/ea3ca969f8c6bb0d",
           _WEB_EP, ("Firefox", "Windows", "126.0")),
    Relier("unknown", "0f5e6d7c8b9a0123", "undefined_oauth", "oauth", 0.06, "profile", None,
           "https://unknown-relier.example/callback", _WEB_EP, _SERVER_UA),
)
CN_RELIERS = tuple(r for r in RELIERS if r.cn_ok)

UTM_SETS = (
    ("fx-sync-get-started", "", "referral", "fx-website", ""),
    ("vpn-product-page", "download-button", "referral", "www.mozilla.org-vpn-product-page", ""),
    ("", "", "email", "activity-stream", "aboutwelcome-default-screen"),
    ("page+referral+-+not+part+of+a+campaign", "", "referral", "www.mozilla.org", ""),
    ("monitor-signup", "hero", "cpc", "google", "data-breach"),
    ("relay-onboarding", "", "email", "fx-website", ""),
)


class Country:
    """A country people live in: weight among users, (region, city) places, languages."""

    __slots__ = ("iso", "name", "weight", "places", "accept_languages")

    def __init__(self, iso, name, weight, places, accept_languages):
        self.iso = iso
        self.name = name
        self.weight = weight
        self.places = places
        self.accept_languages = accept_languages


COUNTRIES = (
    Country("US", "United States", 0.27, (("California", "San Francisco"), ("New York", "New York"),
            ("Texas", "Austin"), ("Washington", "Seattle")),
            ("en-US,en;q=0.5", "en-US", "en-US,en;q=0.9,es;q=0.8")),
    Country("DE", "Germany", 0.12, (("Berlin", "Berlin"), ("Bavaria", "Munich"), ("Hamburg", "Hamburg")),
            ("de", "de-DE,de;q=0.8,en-US;q=0.5,en;q=0.3")),
    Country("FR", "France", 0.09, (("Île-de-France", "Paris"), ("Auvergne-Rhône-Alpes", "Lyon")),
            ("fr-FR", "fr,fr-FR;q=0.8,en-US;q=0.5,en;q=0.3")),
    Country("GB", "United Kingdom", 0.07, (("England", "London"), ("Scotland", "Edinburgh")),
            ("en-GB,en;q=0.5",)),
    Country("CA", "Canada", 0.05, (("Ontario", "Toronto"), ("Quebec", "Montreal"),
            ("British Columbia", "Vancouver")), ("en-CA,en-US;q=0.7,en;q=0.3", "fr-CA,fr;q=0.8")),
    Country("BR", "Brazil", 0.07, (("São Paulo", "São Paulo"), ("Rio de Janeiro", "Rio de Janeiro")),
            ("pt-BR,pt;q=0.8,en-US;q=0.5,en;q=0.3",)),
    Country("IN", "India", 0.08, (("Karnataka", "Bengaluru"), ("Maharashtra", "Mumbai")),
            ("en-US,en;q=0.5", "hi-IN,hi;q=0.9,en;q=0.8")),
    Country("JP", "Japan", 0.05, (("Tokyo", "Tokyo"), ("Osaka", "Osaka")),
            ("ja,en-US;q=0.7,en;q=0.3",)),
    Country("CN", "China", 0.05,
            (("Beijing", "Beijing"), ("Shanghai", "Shanghai"), ("Guangdong", "Shenzhen")),
            ("zh-CN,zh;q=0.8,zh-TW;q=0.7,en-US;q=0.5",)),
    Country("PL", "Poland", 0.06, (("Mazovia", "Warsaw"), ("Lesser Poland", "Krakow")),
            ("pl,en-US;q=0.7,en;q=0.3",)),
    Country("ES", "Spain", 0.045, (("Madrid", "Madrid"), ("Catalonia", "Barcelona")),
            ("es-ES,es;q=0.8,en-US;q=0.5,en;q=0.3",)),
    Country("IT", "Italy", 0.045, (("Lazio", "Rome"), ("Lombardy", "Milan")),
            ("it-IT,it;q=0.8,en-US;q=0.5,en;q=0.3",)),
)


class Platform:
    """A browser and operating system as each source spells them (Glean, legacy, DB)."""

    __slots__ = ("key", "glean_os", "ua_browser", "ua_os", "os_version", "versions", "fe_device",
                 "legacy_os", "device_type", "os_label", "ua_template")

    def __init__(self, key, glean_os, ua_browser, ua_os, os_version, versions, fe_device,
                 legacy_os, device_type, os_label, ua_template):
        self.key = key
        self.glean_os = glean_os
        self.ua_browser = ua_browser
        self.ua_os = ua_os
        self.os_version = os_version
        self.versions = versions
        self.fe_device = fe_device
        self.legacy_os = legacy_os
        self.device_type = device_type
        self.os_label = os_label
        self.ua_template = ua_template


PLATFORMS = {
    "win": Platform("win", "Windows", "Firefox", "Windows", "10", ("126.0", "126.0.1", "125.0.3"),
                    "desktop", "Windows", "desktop", "Windows",
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{v}) Gecko/20100101 Firefox/{v}"),
    "mac": Platform("mac", "MacOS", "Firefox", "Mac OS X", "10.15", ("126.0", "125.0.3"), "desktop",
                    "Mac OS X", "desktop", "macOS",
                    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:{v}) Gecko/20100101 Firefox/{v}"),
    "linux": Platform("linux", "Linux", "Firefox", "Linux", "", ("126.0", "115.11.0"), "desktop",
                      "Linux", "desktop", "Linux",
                      "Mozilla/5.0 (X11; Linux x86_64; rv:{v}) Gecko/20100101 Firefox/{v}"),
    "android": Platform("android", "Android", "Firefox Mobile", "Android", "14", ("126.0", "125.2.0"),
                        "mobile", "Android", "mobile", "Android",
                        "Mozilla/5.0 (Android 14; Mobile; rv:{v}) Gecko/{v} Firefox/{v}"),
    "ios": Platform("ios", "iOS", "Firefox iOS", "iOS", "17.5", ("126.2", "126.0"), "mobile", "iOS",
                    "mobile", "iOS",
                    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
                    "(KHTML, like Gecko) FxiOS/{v} Mobile/15E148 Safari/605.1.15"),
    "ipad": Platform("ipad", "iOS", "Firefox iOS", "iOS", "17.5", ("126.2",), "tablet", "iOS", "tablet",
                     "iPadOS",
                     "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
                     "(KHTML, like Gecko) FxiOS/{v} Mobile/15E148 Safari/605.1.15"),
    "chrome": Platform("chrome", "Windows", "Chrome", "Windows", "10", ("125.0.0", "124.0.0"), "desktop",
                       "Windows", "desktop", "Windows",
                       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/{v} Safari/537.36"),
    "safari": Platform("safari", "MacOS", "Safari", "Mac OS X", "10.15", ("17.5", "17.4.1"), "desktop",
                       "Mac OS X", "desktop", "macOS",
                       "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
                       "(KHTML, like Gecko) Version/{v} Safari/605.1.15"),
}

# (display version, app version) of the weekly release trains, one per week of the window.
TRAIN_VERSIONS = (("1.283.2", "1.283"), ("1.284.0", "1.284"), ("1.284.1", "1.284"),
                  ("1.285.0", "1.285"), ("1.285.3", "1.285"), ("1.286.1", "1.286"))

# Cumulative weights, for weighted_index().
COUNTRY_CUM = cumulative(c.weight for c in COUNTRIES)
CN_RELIER_CUM = cumulative(r.user_weight for r in CN_RELIERS)
RELIER_CUM = cumulative(r.user_weight for r in RELIERS)
