"""The access matrix: request one URL as every kind of user and compare with what is expected.

``expected`` maps each name of :data:`ROLES` to a status code, or to :data:`LOGIN` for
"redirected to the login page". A matrix that forgets a role fails, so a new view
cannot be tested for only some of its users.
"""
from django.urls import reverse

LOGIN = "login"

ROLES = (
    "anonymous",
    "superuser",
    "admin",
    "advisor",
    "other_office_advisor",
    "migrant",
    "other_migrant",
    "authority",
    "partner",
)


def assert_access_matrix(client, url, expected, users, *, method="get", data=None):
    """Assert that each role gets its expected answer at ``url``. ``users`` maps roles to users."""
    missing = [role for role in ROLES if role not in expected]
    assert not missing, f"the access matrix of {url} misses roles: {missing}"
    login_url = reverse("login")
    failures = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        response = getattr(client, method)(url, data or {})
        wanted = expected[role]
        if wanted == LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith(login_url)
        else:
            ok = response.status_code == wanted
        if not ok:
            failures.append(f"  {role}: expected {wanted}, got {response.status_code}")
    client.logout()
    assert not failures, f"access matrix of {method.upper()} {url}:\n" + "\n".join(failures)


def staff_only(*, admin=200, advisor=200, superuser=200, other_office_advisor=200):
    """The usual matrix of a staff page: office staff in, everyone else out."""
    return {
        "anonymous": LOGIN,
        "superuser": superuser,
        "admin": admin,
        "advisor": advisor,
        "other_office_advisor": other_office_advisor,
        "migrant": 403,
        "other_migrant": 403,
        "authority": 403,
        "partner": 403,
    }
