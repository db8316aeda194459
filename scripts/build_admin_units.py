"""Regenerate src/taizhang/extract/data/admin_units.tsv from a downloaded division list.

Source: `ok_data_level3.csv` of xiangyuecn/AreaCity-JsSpider-StatsGov (MIT License), the
province / prefecture / county list of the National Bureau of Statistics merged with the
Ministry of Civil Affairs' code list (new and abolished units applied), development zones
removed. Download the file of the release you want (the repository's
`src/采集到的数据/ok_data_level3.csv`), then:

    python scripts/build_admin_units.py ok_data_level3.csv --version "2023.240319.250114 (commit …)"

How rows are mapped (the source pads its tree to four levels; the Ministry's list has three):
- deep 0 → province. Taiwan, Hong Kong and Macao keep only their province row, as in the
  Ministry's list (their districts are not units of mainland policy text).
- deep 1 → city, except the padding rows: the city row of a municipality (北京 under 北京,
  重庆城区/重庆郊县), whose counties are attached to the province directly, and the city row made
  for a county-level city under a province (济源, 仙桃: adcode not ending in 00), kept as county.
- deep 2 → county, except the padding copies of a city without counties (东莞 under 东莞).
Adcodes are the first six digits of the source's twelve-digit `ext_id`; names are `ext_name`.

With `--former OLD.tsv` (a previous admin_units.tsv), also prints the units of the old list that
the new one no longer has under that name, matched to the current unit of the same short name in
the same province where there is one: the raw material for data/former_units.tsv, to be checked
by hand (a merged unit such as 莱芜市 has no namesake and needs its successor chosen).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src" / "taizhang" / "extract" / "data" / "admin_units.tsv"
OUTSIDE_MAINLAND = ("71", "81", "82")
HEADER = """\
# Chinese administrative divisions (province, prefecture, county level).
# Source: ok_data_level3.csv of xiangyuecn/AreaCity-JsSpider-StatsGov, version {version}
# (MIT License, (c) 2019 xiangyuecn): statistics office codes 2023-09-11 merged with the Ministry of
# Civil Affairs list 2023-04-23, development zones removed. Made by scripts/build_admin_units.py.
# Columns: adcode, name, level (province|city|county), parent adcode. Former names: former_units.tsv.
"""


def convert(rows: list[dict[str, str]]) -> list[tuple[str, str, str, str]]:
    by_id = {r["id"]: r for r in rows}
    out: list[tuple[str, str, str, str]] = []
    code_of: dict[str, str] = {}  # source id → adcode of the row kept for it (or its parent)
    for r in rows:
        deep, code, name = int(r["deep"]), r["ext_id"][:6], r["ext_name"]
        parent = by_id.get(r["pid"])
        parent_code = code_of.get(r["pid"], "")
        if code[:2] in OUTSIDE_MAINLAND and deep > 0 or not code.strip("0"):
            continue  # Taiwan, Hong Kong, Macao below the province; the source's own 国外 row
        if deep == 0:
            out.append((code, name, "province", ""))
        elif deep == 1 and parent and (name == parent["ext_name"] or r["name"].startswith(parent["name"] + "城")
                                       or r["name"].startswith(parent["name"] + "郊")):
            code_of[r["id"]] = parent_code  # 北京 under 北京, 重庆城区: counties go to the province
            continue
        elif deep == 1:
            out.append((code, name, "city" if code.endswith("00") else "county", parent_code))
        elif r["id"].startswith(r["pid"]) and set(r["id"][len(r["pid"]):]) == {"0"}:
            continue  # 东莞 padded under 东莞
        else:
            out.append((code, name, "county", parent_code))
        code_of[r["id"]] = code
    return out


def former(old_path: Path, new: list[tuple[str, str, str, str]]) -> None:
    from taizhang.extract.gazetteer import short_name

    current = {(code, name) for code, name, _, _ in new}
    names = {name for _, name, _, _ in new}
    for line in old_path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, name, level, _ = (line.split("\t") + [""] * 4)[:4]
        if (code, name) in current or name in names or len(name) < 2 or name in ("市辖区", "县"):
            continue
        short = short_name(name)
        same = [n for n in new if short_name(n[1]) == short and n[0][:2] == code[:2]]
        successor = min(same, key=lambda n: (n[0] != code, n[3] != code[:4] + "00"), default=None)
        print(name, code, level, successor[0] if successor else "?", successor[1] if successor else "?", sep="\t")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="ok_data_level3.csv")
    parser.add_argument("--version", required=True, help="release and commit of the source, for the header")
    parser.add_argument("--former", type=Path, help="previous admin_units.tsv: print its vanished names")
    parser.add_argument("--out", type=Path, default=TARGET)
    args = parser.parse_args()
    with args.source.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    table = convert(rows)
    if args.former:
        former(args.former, table)
    with args.out.open("w", encoding="utf-8") as f:
        f.write(HEADER.format(version=args.version))
        f.writelines("\t".join(row) + "\n" for row in table)
    print(f"{len(table)} units written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
