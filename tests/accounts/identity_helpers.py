"""People and cases for the identity and message tests, built through the API as users would."""

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts import idnumber
from tests.conftest import api_as

PASSWORD = "Xq7-shen-fen-2025"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FACTS = {
    "female_original_retirement_age": 50,
    "local_resident": True,
    "local_hukou": True,
    "urban": True,
    "able_to_work": True,
    "willing_to_work": True,
    "unemployment_registered_on": "2024-01-02",
    "receiving_dibao": True,  # 第五条(二)
}


def make_id(birth: str = "19790101", seq: int = 1, region: str = "650102") -> str:
    """A valid 18-digit number of a man (odd 17th digit) born on `birth`."""
    first17 = f"{region}{birth}{seq:02d}1"
    return first17 + idnumber.check_digit(first17)


def person(seq: int = 1, **over) -> dict:
    return {
        "name": f"阿依古丽{seq}",
        "id_number": make_id(seq=seq),
        "phone": f"1380000{seq:04d}",
        "address": f"天山区东风路{seq}号",
        **over,
    }


def submit(user, who: dict, *, channel: str = "offline", unit_code: str = "650102001001", facts: dict = FACTS):
    body = {
        "unit_code": unit_code,
        "channel": channel,
        "applicant": who,
        "facts": dict(facts),
        "commitments": ["truthfulness"],
    }
    return api_as(user).post("/api/v1/applications/", body, format="json")


def received(staff, who: dict) -> int:
    response = submit(staff, who)
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def upload(user, application_id: int, kind: str = "id_card"):
    file = SimpleUploadedFile("scan.png", PNG, content_type="image/png")
    return api_as(user).post(
        f"/api/v1/applications/{application_id}/materials/", {"kind": kind, "file": file}, format="multipart"
    )


def act(user, application_id: int, name: str, **body):
    return api_as(user).post(f"/api/v1/applications/{application_id}/transitions/{name}/", body, format="json")


def register(name: str, id_number: str, phone: str, password: str = PASSWORD):
    return APIClient().post(
        "/api/v1/accounts/register",
        {"name": name, "id_number": id_number, "phone": phone, "password": password},
        format="json",
    )


def token_client(username: str, password: str = PASSWORD) -> APIClient:
    """Signed in as a client would be: a token from /api/v1/auth/token with the ID number."""
    client = APIClient()
    response = client.post("/api/v1/auth/token", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def provide_materials(user, application_id: int) -> None:
    """Upload every item of the checklist still missing (第八条)."""
    detail = api_as(user).get(f"/api/v1/applications/{application_id}/").json()
    for item in detail["required_materials"]:
        if not item["provided"]:
            assert upload(user, application_id, item["code"]).status_code == 201
