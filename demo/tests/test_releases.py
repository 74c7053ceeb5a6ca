"""The releases demo seeder: one releaser, idempotent."""

from __future__ import annotations

from typing import Any

from access.releases import may_release
from accounts.models import Organisation, User
from demo.releases import RELEASER_USERNAME, seed_demo


def test_seeds_one_releaser_once(db: Any) -> None:
    lpsk = Organisation.objects.create(name="LPSK", kind="lpsk", region_id="31")
    first = seed_demo({"lpsk": lpsk})
    again = seed_demo({"lpsk": lpsk})
    assert [a.username for a in first] == [a.username for a in again] == [RELEASER_USERNAME]
    assert User.objects.filter(username=RELEASER_USERNAME).count() == 1
    assert may_release(User.objects.get(username=RELEASER_USERNAME))
    assert seed_demo({}) == []
