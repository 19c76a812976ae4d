from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditAction, AuditEvent
from applications.models import Material
from tests.conftest import api_as
from tests.factories import PDF, PNG, ApplicationFactory


def upload(user, app, name, content, kind="id_card"):
    return api_as(user).post(
        f"/api/v1/applications/{app}/materials/",
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


def test_a_pdf_is_stored_privately_and_served_through_the_gate(community_user, other_community_user, settings):
    app = ApplicationFactory(actor=community_user).pk
    response = upload(community_user, app, "身份证.pdf", PDF)
    assert response.status_code == 201 and response.json()["content_type"] == "application/pdf"
    material = response.json()["id"]
    download = api_as(community_user).get(f"/api/v1/applications/{app}/materials/{material}/file")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert api_as(other_community_user).get(f"/api/v1/applications/{app}/materials/{material}/file").status_code == 404
    stored = list((settings.MEDIA_ROOT / "materials").rglob("*"))
    assert any(p.is_file() for p in stored) and not any(p.suffix for p in stored if p.is_file())


def test_a_renamed_executable_is_refused(community_user):
    app = ApplicationFactory(actor=community_user).pk
    response = upload(community_user, app, "scan.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 64)
    assert response.status_code == 400 and "只能上传 PDF、JPEG 或 PNG" in response.json()["file"][0]


def test_an_oversized_file_is_refused(community_user):
    big = PNG + b"\x00" * (10 * 1024 * 1024)
    response = upload(community_user, ApplicationFactory(actor=community_user).pk, "big.png", big)
    assert response.status_code == 400 and "10 MB" in response.json()["file"][0]


def test_an_extension_that_lies_is_refused(community_user):
    app = ApplicationFactory(actor=community_user).pk
    assert "与文件内容不符" in upload(community_user, app, "photo.jpg", PNG).json()["file"][0]
    assert "与文件内容不符" in upload(community_user, app, "photo.exe", PDF).json()["file"][0]
    assert upload(community_user, app, "photo.PNG", PNG).status_code == 201


def test_an_unknown_kind_is_refused(community_user):
    response = upload(community_user, ApplicationFactory(actor=community_user).pk, "a.png", PNG, kind="passport")
    assert response.status_code == 400 and "kind" in response.json()


def test_materials_are_fixed_once_accepted(community_user):
    app = ApplicationFactory(actor=community_user, state="initial_review").pk
    assert upload(community_user, app, "late.png", PNG).status_code == 409


def test_only_the_applicant_or_the_handling_unit_uploads(county_user, community_user):
    assert upload(county_user, ApplicationFactory(actor=community_user).pk, "a.png", PNG).status_code == 403


def test_a_material_whose_file_is_gone_answers_404_in_chinese_not_500(community_user, client, caplog):
    """A material's row outlives its file (a restored database, a lost volume, `make run`'s generated
    cases, whose materials are metadata only): the download says so, and the operator's log names it."""
    app = ApplicationFactory(actor=community_user).pk
    material = upload(community_user, app, "身份证.pdf", PDF).json()["id"]
    stored = Material.objects.get(pk=material).file
    stored.storage.delete(stored.name)
    api = api_as(community_user).get(f"/api/v1/applications/{app}/materials/{material}/file")
    assert api.status_code == 404 and "文件已不在" in api.json()["detail"]
    client.force_login(community_user)
    page = client.get(f"/applications/{app}/materials/{material}/file")
    assert page.status_code == 404 and "文件已不在" in page.content.decode()
    assert f"material {material}" in caplog.text
    assert not AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, object_id=app).exists()
