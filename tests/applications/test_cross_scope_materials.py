"""Files on record across provinces (issue 12 #1): Jilin staff entering an application for the ID number
of a person whose earlier files are in Xinjiang are offered none of them, cannot reuse or download one,
and see nothing of the Xinjiang record."""

from accounts.models import User
from applications.models import Material
from tests.applications.helpers import submit
from tests.conftest import api_as
from tests.factories import ApplicationFactory, PersonFactory, facts_for

JILIN_UNIT = "220102001001"


def test_jilin_staff_get_no_xinjiang_files(community_user, demo):
    jilin = User.objects.select_related("unit").get(username="jl_community")
    person = PersonFactory(region="650102")
    xinjiang = ApplicationFactory(actor=community_user, person=person, state="withdrawn", materials=True)
    xinjiang_files = list(Material.objects.filter(application=xinjiang).values_list("pk", flat=True))
    assert xinjiang_files
    stranger = {**person, "name": "李四", "phone": "13911112222", "address": "长春市朝阳路1号"}
    response = submit(jilin, unit_code=JILIN_UNIT, person=stranger, facts=facts_for(JILIN_UNIT, person))
    assert response.status_code == 201, response.content
    created = response.json()
    assert [m["on_file_material_id"] for m in created["required_materials"]] == [None] * len(
        created["required_materials"]
    )
    assert person["phone"] not in response.content.decode() and person["address"] not in response.content.decode()
    client = api_as(jilin)
    for material_id in xinjiang_files:
        reuse = client.post(
            f"/api/v1/applications/{created['id']}/materials/",
            {"kind": "id_card", "reuse_material_id": material_id},
            format="multipart",
        )
        assert reuse.status_code == 404
        assert client.get(f"/api/v1/applications/{created['id']}/materials/{material_id}/file").status_code == 404
        assert client.get(f"/api/v1/applications/{xinjiang.pk}/materials/{material_id}/file").status_code == 404
    assert not Material.objects.filter(application_id=created["id"]).exists()
    detail = client.get(f"/api/v1/applications/{created['id']}/").json()
    assert all(m["on_file_material_id"] is None and not m["provided"] for m in detail["required_materials"])
