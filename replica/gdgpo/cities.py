"""Other Guangdong cities on the provincial platform: purchasers and agencies (data only).

The platform lists every city; the replica serves a smaller number of announcements of
广州, 佛山 and 茂名 beside 湛江's, so that filtering by ``regionCode`` matters. Their projects are
made like 湛江's and then moved: purchaser (one of the same kind), agency, phone area code.
Names of units are real-looking; addresses are fictional.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass

from replica.procurement.catalog import Agency, Purchaser
from replica.procurement.model import Project


@dataclass(frozen=True)
class City:
    name: str
    area: str  # telephone area code
    code: str  # two letters for contract numbers
    purchasers: tuple[Purchaser, ...]
    agencies: tuple[Agency, ...]
    weight: int


ROADS = ("府前路1号", "学院路8号", "中山二路58号", "解放北路99号", "东风路3号")
TAGS = ("gov", "school", "hospital", "police", "city")


def _units(city: str, district: str, names: tuple[str, ...]) -> tuple[Purchaser, ...]:
    """One purchaser per kind (gov, school, hospital, police, city), in that order."""
    places = zip(names, TAGS, ROADS, strict=True)
    return tuple(
        Purchaser(name, city, tag, f"{city}{district}{road}") for name, tag, road in places
    )


CITIES = (
    City("广州市", "020", "GZ", _units("广州市", "越秀区", (
        "广州市财政局", "广州市第六中学", "广州市第一人民医院", "广州市公安局越秀区分局",
        "广州市城市管理和综合执法局")),
        (Agency("广州公共资源交易中心", "广州市天河区天润路333号", "GZ"),
         Agency("广东华禹工程咨询有限公司", "广州市越秀区环市东路339号", "GZ")), 3),
    City("佛山市", "0757", "FS", _units("佛山市", "禅城区", (
        "佛山市教育局", "佛山市第一中学", "佛山市第一人民医院", "佛山市公安局禅城分局",
        "佛山市城市管理和综合执法局")),
        (Agency("佛山市公共资源交易中心", "佛山市禅城区季华五路22号", "FS"),), 2),
    City("茂名市", "0668", "MM", _units("茂名市", "茂南区", (
        "茂名市财政局", "茂名市第一中学", "茂名市人民医院", "茂名市公安局茂南分局",
        "茂名市城市管理和综合执法局")),
        (Agency("茂名市公共资源交易中心", "茂名市茂南区油城四路8号", "MM"),), 2),
)  # fmt: skip


def move(project: Project, rng: random.Random) -> None:
    """Move a 湛江 project to another city: purchaser of the same kind, a local agency (or
    none when it had none), the name's purchaser part, the phone's area code, contract numbers."""
    city = rng.choices(CITIES, [c.weight for c in CITIES])[0]
    old = project.purchaser.name
    same_kind = [p for p in city.purchasers if p.tag == project.purchaser.tag]
    project.purchaser = (same_kind or list(city.purchasers))[0]
    if project.agency is not None:
        project.agency = rng.choice(city.agencies)
    project.name = project.name.replace(old, project.purchaser.name, 1)
    project.phone = f"{city.area}-{project.phone.split('-', 1)[1]}"
    project.contracts = [
        dataclasses.replace(c, number=c.number.replace("ZJHT", f"{city.code}HT", 1))
        for c in project.contracts
    ]
