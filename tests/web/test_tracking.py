"""The web's two ways to get statuses (whole-ledger SQL, a few targets one by one) agree."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Engine

from taizhang.ledger import make_sessionmaker
from taizhang.ledger.models import ProgressReport
from taizhang.web import tracking


def test_few_and_all_agree(engine: Engine, seeded: dict[str, int]) -> None:
    with make_sessionmaker(engine)() as s:
        s.add_all([ProgressReport(target_id=seeded["t_jy"], as_of=date(2024, 6, 30), value=Decimal(500)),
                   ProgressReport(target_id=seeded["t_zone"], as_of=date(2024, 9, 30), value=Decimal(12))])
        s.commit()
        ids = [seeded["t_jy"], seeded["t_yx"], seeded["t_zone"]]
        for day in (date(2024, 7, 31), date(2024, 10, 31), date(2025, 3, 1)):
            whole = tracking.statuses(s, day)
            few = tracking.statuses(s, day, target_ids=ids)
            assert few == {i: whole[i] for i in ids}
            if day == date(2024, 10, 31):
                assert {st.status for st in few.values()} == {"seriously_behind", "no_data", "achieved"}
        # after the deadline a target nobody reported on is overdue (red), not "no data"
        assert {st.status for st in few.values()} == {"overdue", "achieved"}
