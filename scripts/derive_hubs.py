#!/usr/bin/env python3
"""Writes geodata/hubs/*.csv from hand transcriptions of the seed documents.

Every row below was typed from ../shared/seeds/*.txt (line numbers given per row) and
hand-checked against the documents.  The script only
  * looks up the 5-digit N03 code of each (prefecture, municipality) in the N03 boundaries,
  * converts Japanese-era opening months (平成/令和) to YYYY-MM,
  * verifies that every transcribed Kochi label / date and every model-project municipality
    string really occurs at the cited line of the seed file (guards against typing slips),
  * writes the CSVs with the csv module (UTF-8, minimal quoting, LF line ends).

Usage:  python3 scripts/derive_hubs.py [--seeds DIR] [--boundaries DIR] [--out DIR]
Nothing here is invented: fields the documents do not give stay empty.
"""
from pathlib import Path
import argparse
import csv
import glob
import json
import os
import re
import sys

# The project's shared data lives beside the repository: ../shared.
SHARED = Path(__file__).resolve().parents[2] / "shared"

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

S0 = "000_4e4e7b1bbbf58c1d.txt"
S1 = "001_a35a68d246e3eeba.txt"
S2 = "002_8823d3e18bb7fa97.txt"
S3 = "003_1499ceb0d9c38e12.txt"
S4 = "004_e182cc50cc1476a1.txt"

COLUMNS = ["id", "kind", "name", "prefecture", "municipality", "code", "district", "lat", "lon",
           "precision", "opened", "programme", "fiscal_year", "operator", "source_ref", "source", "note"]

# ----------------------------------------------------------------------------------------------
# N03 lookup
# ----------------------------------------------------------------------------------------------

def load_n03(bdir):
    """(prefecture, name) -> code; designated cities by city name with city code."""
    ordinary, wards = {}, {}
    for f in sorted(glob.glob(os.path.join(bdir, "N03-21_[0-9][0-9]_210101.json"))):
        for ft in json.load(open(f, encoding="utf-8"))["features"]:
            p = ft["properties"]
            pref, county, name, code = p["N03_001"], p.get("N03_003"), p["N03_004"], p["N03_007"]
            if not code:
                continue
            if county and county.endswith("市"):  # ward of a designated city
                wards.setdefault((pref, county), []).append(code)
            else:
                ordinary.setdefault((pref, name), set()).add(code)
    table = {k: sorted(v)[0] for k, v in ordinary.items()}
    for k, codes in wards.items():
        table[k] = min(codes)[:4] + "0"
    return table


# ----------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------

Z2H = str.maketrans("０１２３４５６７８９", "0123456789")


def era_month(text):
    """'平成２４年６月' / '令和元年１０月' -> '2012-06' / '2019-10'."""
    t = text.translate(Z2H).replace("元年", "1年")
    m = re.fullmatch(r"(平成|令和)(\d+)年(\d+)月", t)
    if not m:
        raise ValueError(text)
    base = 1988 if m.group(1) == "平成" else 2018
    return "%04d-%02d" % (base + int(m.group(2)), int(m.group(3)))


class Seeds:
    def __init__(self, sdir):
        self.lines = {}
        for f in (S0, S1, S2, S3, S4):
            with open(os.path.join(sdir, f), encoding="utf-8") as fh:
                self.lines[f] = fh.read().split("\n")

    def check(self, f, line, *needles, span=0):
        """Assert every needle occurs in lines [line, line+span] of seed f (1-based)."""
        text = "".join(self.lines[f][line - 1: line + span]).replace(" ", "").replace("\u3000", "")
        for n in needles:
            if n.replace(" ", "") not in text:
                raise SystemExit(f"transcription check failed: {n!r} not in {f} l.{line}-{line + span}")


def row(**kw):
    r = {c: "" for c in COLUMNS}
    for k, v in kw.items():
        assert k in r, k
        r[k] = "" if v is None else str(v)
    return r


# ----------------------------------------------------------------------------------------------
# 1. Kochi 集落活動センター (seed 004, l.302-613)
# ----------------------------------------------------------------------------------------------
# (number, label as printed, municipality, district, opening as printed, line of the label)
KOCHI = [
    (1, "本山町汗見川", "本山町", "汗見川", "平成２４年６月", 317),
    (2, "土佐町石原", "土佐町", "石原", "平成２４年７月", 320),
    (3, "仁淀川町長者", "仁淀川町", "長者", "平成２４年１２月", 508),
    (4, "梼原町松原", "梼原町", "松原", "平成２５年１月", 311),
    (5, "梼原町初瀬", "梼原町", "初瀬", "平成２５年１月", 308),
    (6, "黒潮町北郷", "黒潮町", "北郷", "平成２５年３月", 464),
    (7, "安田町中山", "安田町", "中山", "平成２５年４月", 564),
    (8, "香南市西川", "香南市", "西川", "平成２５年４月", 579),
    (9, "四万十市大宮", "四万十市", "大宮", "平成２５年５月", 305),
    (10, "佐川町尾川", "佐川町", "尾川", "平成２５年９月", 446),
    (11, "安芸市東川", "安芸市", "東川", "平成２５年９月", 314),
    (12, "三原村全域", "三原村", "全域", "平成２６年３月", 302),
    (13, "梼原町四万川", "梼原町", "四万川", "平成２６年３月", 333),
    (14, "南国市稲生", "南国市", "稲生", "平成２６年６月", 573),
    (15, "いの町柳野", "いの町", "柳野", "平成２６年１１月", 325),
    (16, "黒潮町佐賀北部", "黒潮町", "佐賀北部", "平成２７年１月", 596),
    (17, "大豊町西峯", "大豊町", "西峯", "平成２７年３月", 329),
    (18, "津野町郷", "津野町", "郷", "平成２７年６月", 492),
    (19, "四万十町中津川", "四万十町", "中津川", "平成２８年２月", 336),
    (20, "四万十町仁井田", "四万十町", "仁井田", "平成２８年３月", 443),
    (21, "いの町越裏門・寺川", "いの町", "越裏門・寺川", "平成２８年３月", 351),
    (22, "高知市北七ツ渕", "高知市", "北七ツ渕", "平成２８年３月", 576),
    (23, "大川村全域", "大川村", "全域", "平成２８年３月", 607),
    (24, "梼原町越知面", "梼原町", "越知面", "平成２８年３月", 348),
    (25, "奈半利町全域", "奈半利町", "全域", "平成２８年３月", 339),
    (26, "芸西村全域", "芸西村", "全域", "平成２８年３月", 570),
    (27, "宿毛市沖の島", "宿毛市", "沖の島", "平成２８年４月", 458),
    (28, "宿毛市鵜来島", "宿毛市", "鵜来島", "平成２８年４月", 383),
    (29, "大月町姫ノ井", "大月町", "姫ノ井", "平成２８年４月", 380),
    (30, "黒潮町蜷川", "黒潮町", "蜷川", "平成２８年４月", 599),
    (31, "梼原町西区", "梼原町", "西区", "平成２９年３月", 422),
    (32, "梼原町東区", "梼原町", "東区", "平成２９年３月", 425),
    (33, "室戸市椎名", "室戸市", "椎名", "平成２９年３月", 419),
    (34, "中土佐町大野見南", "中土佐町", "大野見南", "平成２９年３月", 428),
    (35, "香美市美良布", "香美市", "美良布", "平成２９年３月", 431),
    (36, "佐川町黒岩", "佐川町", "黒岩", "平成２９年３月", 455),
    (37, "佐川町加茂", "佐川町", "加茂", "平成２９年３月", 437),
    (38, "黒潮町蛎瀬川", "黒潮町", "蛎瀬川", "平成２９年４月", 434),
    (39, "佐川町斗賀野", "佐川町", "斗賀野", "平成２９年６月", 440),
    (40, "大豊町岩原", "大豊町", "岩原", "平成２９年８月", 516),
    (41, "土佐清水市下川口", "土佐清水市", "下川口", "平成２９年８月", 461),
    (42, "大豊町東豊永", "大豊町", "東豊永", "平成３０年２月", 471),
    (43, "越知町横畠", "越知町", "横畠", "平成３０年３月", 479),
    (44, "本山町上関・下関", "本山町", "上関・下関", "平成３０年３月", 476),
    (45, "須崎市安和", "須崎市", "安和", "平成３０年４月", 482),
    (46, "香美市平山", "香美市", "平山", "平成３０年４月", 487),
    (47, "津野町白石", "津野町", "白石", "平成３０年５月", 500),
    (48, "馬路村魚梁瀬", "馬路村", "魚梁瀬", "平成３１年１月", 497),
    (49, "仁淀川町下名野川", "仁淀川町", "下名野川", "平成３１年３月", 505),
    (50, "津野町船戸", "津野町", "船戸", "平成３１年４月", 513),
    (51, "須崎市浦ノ内", "須崎市", "浦ノ内", "令和元年５月", 521),
    (52, "大豊町穴内", "大豊町", "穴内", "令和元年５月", 524),
    (53, "室戸市日南・大平", "室戸市", "日南・大平", "令和元年８月", 529),
    (54, "東洋町甲浦", "東洋町", "甲浦", "令和元年８月", 532),
    (55, "中土佐町大野見北", "中土佐町", "大野見北", "令和元年１０月", 537),
    (56, "大豊町立川", "大豊町", "立川", "令和元年１０月", 544),
    (57, "日高村能津", "日高村", "能津", "令和元年１０月", 549),
    (58, "高知市梅ノ木", "高知市", "梅ノ木", "令和元年１１月", 554),
    (59, "田野町大野・安田町大野", None, None, "令和２年３月", 557),  # two municipalities, below
    (60, "香南市岸本", "香南市", "岸本", "令和２年６月", 567),
    (61, "土佐町松ヶ丘", "土佐町", "松ヶ丘", "令和２年６月", 584),
    (62, "四万十町野地・家地川", "四万十町", "野地・家地川", "令和３年３月", 591),
    (63, "土佐町森", "土佐町", "森", "令和３年１０月", 604),
    (64, "土佐町地蔵寺", "土佐町", "地蔵寺", "令和４年４月", 612),
]
KOCHI_SECTION = "集落活動センターの開設状況 (l.302-613)"
KOCHI_PROGRAMME = "集落活動センター推進事業"


def kochi_rows(seeds, code_of):
    out = []
    for num, label, muni, district, opened_txt, line in KOCHI:
        if num == 59:
            seeds.check(S4, line, "59田野町大野・", span=0)
            seeds.check(S4, line + 2, "安田町大野", opened_txt, span=1)
            parts = [("", "田野町"), ("b", "安田町")]
            for suffix, m in parts:
                other = "安田町" if m == "田野町" else "田野町"
                out.append(row(
                    id=f"kochi-ac-{num:02d}{suffix}", kind="activity_centre", name=label,
                    prefecture="高知県", municipality=m, code=code_of("高知県", m), district="大野",
                    opened=era_month(opened_txt), programme=KOCHI_PROGRAMME, operator="",
                    source_ref=str(num), source=f"{S4}: {KOCHI_SECTION}, entry l.{line}-{line + 3}",
                    note=(f"one centre spanning two municipalities (document: 「{num} 田野町大野・ 安田町大野」); "
                          f"this row is the {m} part, the other row is {other} with the same source_ref; "
                          "as of 令和4年4月末")))
            continue
        seeds.check(S4, line, f"{num}{label}")
        seeds.check(S4, line, opened_txt, span=2)
        note = "as of 令和4年4月末"
        if district == "全域":
            note = "document gives the area as 全域 (whole municipality); " + note
        out.append(row(
            id=f"kochi-ac-{num:02d}", kind="activity_centre", name=label,
            prefecture="高知県", municipality=muni, code=code_of("高知県", muni), district=district,
            opened=era_month(opened_txt), programme=KOCHI_PROGRAMME,
            source_ref=str(num), source=f"{S4}: {KOCHI_SECTION}, entry l.{line}", note=note))
    return out


# ----------------------------------------------------------------------------------------------
# 2. 小さな拠点: case book 2019, tax measure, forums (seed 004)
# ----------------------------------------------------------------------------------------------
CASEBOOK = [  # (name, prefecture, municipality) in the printed order, seed 004 l.191-200
    ("店っこくちない", "岩手県", "北上市"),
    ("ひっぽのお店 ふでいち", "宮城県", "丸森町"),
    ("吉島地区交流センター", "山形県", "川西町"),
    ("瀬替えの郷せんだ", "新潟県", "十日町市"),
    ("南信州とよおかマルシェ", "長野県", "豊丘村"),
    ("くんま水車の里", "静岡県", "浜松市"),
    ("コミュニティうきさと みんなの店", "三重県", "松阪市"),
    ("奥永源寺渓流の里", "滋賀県", "東近江市"),
    ("ムラの駅 たなせん", "京都府", "南丹市"),
    ("村営ふれあいマーケット長谷店", "兵庫県", "神河町"),
    ("川上村ふれあいセンター", "奈良県", "川上村"),
    ("東西町コミュニティセンター", "鳥取県", "南部町"),
    ("はたマーケット", "島根県", "雲南市"),
    ("あば商店", "岡山県", "津山市"),
    ("きらめき広場哲西", "岡山県", "新見市"),
    ("川西郷の駅いつわの里", "広島県", "三次市"),
    ("ほほえみの郷トイトイ", "山口県", "山口市"),
    ("農村交流施設森の巣箱", "高知県", "津野町"),
    ("集落活動センター", "高知県", "梼原町"),
    ("宇佐市地域交流ステーション", "大分県", "宇佐市"),
]
CASEBOOK_NOTES = {
    3: "same area as the RMO (特非)きらりよしじまネットワーク (rmo.csv, rmo-soumu-01)",
    5: "also presented at the 令和3年度 全国フォーラム (sh-forum-r3f-1)",
    6: "浜松市 is a designated city: code is the city code 22130 (the document gives no ward)",
    17: "the RMO (特非)ほほえみの郷トイトイ is also in rmo.csv (rmo-soumu-02)",
    19: ("the document names only 「集落活動センター（高知県梼原町）」 without saying which one; "
         "梼原町 has six centres in the Kochi list (kochi-ac-04, 05, 13, 24, 31, 32)"),
}


def casebook_rows(seeds, code_of):
    text = "".join(seeds.lines[S4][190:200])
    out = []
    for i, (name, pref, muni) in enumerate(CASEBOOK, 1):
        needle = f"{name}（{pref}{muni}）"
        if needle.replace(" ", "") not in text.replace(" ", ""):
            raise SystemExit(f"case book entry not found: {needle}")
        note = "case book lists the 20 cases without numbers; source_ref is the position in the printed list"
        if i in CASEBOOK_NOTES:
            note = CASEBOOK_NOTES[i] + "; " + note
        out.append(row(
            id=f"sh2019-{i:02d}", kind="small_hub", name=name, prefecture=pref, municipality=muni,
            code=code_of(pref, muni), programme="「小さな拠点」づくり事例集（平成31年3月発行）",
            source_ref=str(i),
            source=f"{S4}: 具体的な取組 「小さな拠点」づくり事例集 【掲載事例：２０地区】 (l.181-204)",
            note=note))
    return out


TAX = [  # (name, prefecture, municipality, investment as printed, activities printed next to it, line)
    ("(株)豊かな丘", "長野県", "豊丘村", "平成30年3月、8月出資", "産直市場の運営、スーパーの運営", 147),
    ("(株)SD-WORLD", "山口県", "長門市", "令和2年4月出資", "ジビエ料理の提供、ゲストハウスの運営", 154),
    ("(株)地域商社おがの", "埼玉県", "小鹿野町", "令和4年度出資予定", "道の駅の運営、宿泊施設の運営", 170),
]


def tax_rows(seeds, code_of):
    out = []
    for i, (name, pref, muni, when, acts, line) in enumerate(TAX, 1):
        seeds.check(S4, line, f"{name}（{pref}{muni}）")
        seeds.check(S4, line + 1, when)
        out.append(row(
            id=f"sh-tax-{i:02d}", kind="small_hub", name=name, prefecture=pref, municipality=muni,
            code=code_of(pref, muni), operator=name,
            programme="小さな拠点税制（小さな拠点の形成に資する事業を行う株式会社に対する特例措置）",
            source_ref=str(i),
            source=f"{S4}: 小さな拠点の形成に資する事業を行う株式会社に対する特例措置 (l.126-177), entry l.{line}-{line + 1}",
            note=(f"document: 「{when}」 (date of the investment, not an opening date); activities printed "
                  f"next to it in the extracted layout: {acts}; the document says 税制適用実績は３件, "
                  "地域再生計画の認定は６件 and shows these three companies; source_ref is the printed order")))
    return out


def forum_rows(seeds, code_of):
    src = f"{S4}: 全国フォーラム・「小さな拠点」づくりHub (l.208-258)"
    out = []
    seeds.check(S4, 221, "株式会社カンマッセいいづな（長野県飯綱町）")
    out.append(row(
        id="sh-forum-hub2-1", kind="small_hub", name="株式会社カンマッセいいづな", prefecture="長野県",
        municipality="飯綱町", code=code_of("長野県", "飯綱町"), operator="株式会社カンマッセいいづな",
        programme="「小さな拠点」づくりHub 第２回（令和４年3月7日開催）", fiscal_year=2021, source_ref="2-①",
        source=src + ", entry l.218-221",
        note="talk ①「廃校を活用したまちづくり」; fiscal_year = 令和3年度 (the forum page is titled 令和３年度)"))
    seeds.check(S4, 224, "HUBanice d!（鹿児島県瀬戸内町）")
    out.append(row(
        id="sh-forum-hub2-2", kind="small_hub", name="HUB a nice d!", prefecture="鹿児島県",
        municipality="瀬戸内町", code=code_of("鹿児島県", "瀬戸内町"),
        programme="「小さな拠点」づくりHub 第２回（令和４年3月7日開催）", fiscal_year=2021, source_ref="2-②",
        source=src + ", entry l.223-224",
        note="talk ②「空き古民家を改築した小さな拠点」; fiscal_year = 令和3年度"))
    seeds.check(S4, 229, "島根県中山間地域・離島振興課")
    out.append(row(
        id="sh-forum-hub3-1", kind="small_hub", name="島根県の中山間地域対策「小さな拠点づくり」", prefecture="島根県",
        precision="prefecture", operator="島根県 中山間地域・離島振興課",
        programme="「小さな拠点」づくりHub 第３回（令和４年3月14日開催）", fiscal_year=2021, source_ref="3-①",
        source=src + ", entry l.226-229",
        note=("a prefecture-wide policy presentation, not a single hub: only the prefecture is given; "
              "the prefecture's 「小さな拠点づくり」モデル地区推進事業 is described at l.614-659 without naming "
              "places; fiscal_year = 令和3年度")))
    seeds.check(S4, 231, "住民組織「わっしょい！志々会」による地域づくり")
    seeds.check(S4, 232, "島根県飯南町志々地区")
    out.append(row(
        id="sh-forum-hub3-2", kind="rmo", name="わっしょい！志々会", prefecture="島根県",
        municipality="飯南町", code=code_of("島根県", "飯南町"), district="志々",
        operator="わっしょい！志々会",
        programme="「小さな拠点」づくりHub 第３回（令和４年3月14日開催）", fiscal_year=2021, source_ref="3-②",
        source=src + ", entry l.231-232",
        note=("talk ②『住民組織「わっしょい！志々会」による地域づくり』, area 「島根県飯南町 志々地区」 "
              "(district = 志々; 地区 dropped); kind rmo because the document presents it as a 住民組織 "
              "(residents' organisation); fiscal_year = 令和3年度")))
    seeds.check(S4, 242, "道の駅南信州とよおかマルシェ（長野県豊丘村）")
    out.append(row(
        id="sh-forum-r3f-1", kind="small_hub", name="道の駅南信州とよおかマルシェ", prefecture="長野県",
        municipality="豊丘村", code=code_of("長野県", "豊丘村"),
        programme="令和３年度「小さな拠点」づくり全国フォーラム（令和４年１月14日開催）", fiscal_year=2021,
        source_ref="事例紹介①",
        source=src + ", entry l.241-242",
        note=("事例紹介① 「持続可能な地域運営組織の経営」 (speaker 岡田敬 氏); the same place is case 5 of "
              "the 2019 case book (sh2019-05)")))
    seeds.check(S4, 245, "高知県中山間振興・交通部中山間地域対策課")
    out.append(row(
        id="sh-forum-r3f-2", kind="small_hub", name="県の視点から見た、地域の多様な取組", prefecture="高知県",
        precision="prefecture", operator="高知県中山間振興・交通部中山間地域対策課",
        programme="令和３年度「小さな拠点」づくり全国フォーラム（令和４年１月14日開催）", fiscal_year=2021,
        source_ref="事例紹介②",
        source=src + ", entry l.244-245",
        note=("事例紹介② by the prefectural government (speaker 岡野太朗 氏): only the prefecture is given; "
              "Kochi's 集落活動センター themselves are in kochi_activity_centres.csv")))
    return out


# ----------------------------------------------------------------------------------------------
# 3. 地域運営組織 examples (seed 002, l.1748-1792)
# ----------------------------------------------------------------------------------------------

def rmo_rows(seeds, code_of):
    src = f"{S2}: 地域運営組織の形成・運営 — 地域運営組織の活動事例 (l.1748-1792)"
    layout = ("the activity bullets printed around the two names (サロン・児童クラブ・コンビニでの産直朝市; "
              "移動販売) cannot be attributed to one or the other from the extracted layout")
    seeds.check(S2, 1781, "（特非）きらりよしじまネットワーク（山形県川西町）")
    seeds.check(S2, 1783, "（特非）ほほえみの郷トイトイ（山口県山口市）")
    return [
        row(id="rmo-soumu-01", kind="rmo", name="（特非）きらりよしじまネットワーク", prefecture="山形県",
            municipality="川西町", code=code_of("山形県", "川西町"), operator="（特非）きらりよしじまネットワーク",
            programme="地域運営組織の形成・運営（総務省 地域力創造グループ）", source_ref="1",
            source=src + ", entry l.1781",
            note=layout + "; related small hub: 吉島地区交流センター (sh2019-03); source_ref is the printed order"),
        row(id="rmo-soumu-02", kind="rmo", name="（特非）ほほえみの郷トイトイ", prefecture="山口県",
            municipality="山口市", code=code_of("山口県", "山口市"), operator="（特非）ほほえみの郷トイトイ",
            programme="地域運営組織の形成・運営（総務省 地域力創造グループ）", source_ref="2",
            source=src + ", entry l.1783",
            note=layout + "; same name as case 17 of the 2019 case book (sh2019-17); source_ref is the printed order"),
    ]


# ----------------------------------------------------------------------------------------------
# 4. 関係人口 model projects
# ----------------------------------------------------------------------------------------------
# Area entries: (prefecture, municipality or None for a prefecture-only area, extra note)
P_ITAKU = "関係人口創出・拡大のための中間支援組織の提案型モデル事業(委託)"
P_HOJO = "関係人口創出・拡大のための中間支援組織の提案型モデル事業(補助タイプ)"
P_R4 = "関係人口創出・拡大のための中間支援組織の提案型モデル事業"
P_R2 = "関係人口創出・拡大のための中間支援組織の提案型モデル事業"
P_SOUMU = "関係人口創出・拡大事業（総務省モデル事業）"
P_EX = "関係人口創出・拡大のための対流促進事業（関係人口の取組例）"
P_YAMAGATA = "地方創生推進タイプ・横展開型"

HOKA = "document: 「{}」 — the list ends in ほか; only the named municipality is kept"

R3_ITAKU = [  # (no, operator, 所在地, 事業名, line of detail row, [areas])
    (1, "株式会社シーズ総合政策研究所", "島根県松江市",
     "「つながりダイバーシティ 2.0 ー自走支援*横展開支援による多様性を受容するアクティブな関係人口創出プラットフォームー」",
     257, [("富山県", "魚津市", ""), ("島根県", "浜田市", ""),
           ("島根県", "江津市", "document writes 「同県江津市、」 and the area list ends with a trailing 、 — it may be cut short in the extraction")]),
    (2, "NPO法人持続可能な環境共生林業を実現する自伐型林業推進協会", "東京都港区",
     "「持続的な森林経営と地域産業の兼業化による生業(なりわい)の創出」",
     258, [("宮城県", "丸森町", ""), ("群馬県", "前橋市", ""), ("千葉県", "鴨川市", ""),
           ("千葉県", "大多喜町", "document: 同県大多喜町"),
           ("熊本県", "水上村", HOKA.format("熊本県水上村ほか")), ("大分県", "日田市", "")]),
    (3, "公益社団法人中越防災安全推進機構", "新潟県長岡市",
     "「地域に根差した住民主体の関係人口創出のスキーム構築 ～地域・行政・中間支援組織の三位一体の推進体制づくり～」",
     259, [("新潟県", "長岡市", ""), ("新潟県", "上越市", "document: 同県上越市"),
           ("新潟県", "関川村", HOKA.format("同県関川村ほか"))]),
    (4, "一般社団法人つながる地域づくり研究所", "岡山県岡山市",
     "「地域と企業が組織で関わる仕組み『放課後企業クラブ』を通じた「複層メッシュ型」関係人口の創出・拡大プロジェクト」",
     260, [("北海道", "鷹栖町", ""), ("岩手県", "雫石町", ""), ("新潟県", "南魚沼市", ""),
           ("山梨県", "都留市", ""), ("静岡県", "南伊豆町", ""), ("鳥取県", "南部町", "")]),
    (5, "ディップ株式会社", "東京都港区",
     "「有期雇用者をターゲットとした国境離島地域における関係人口創出・拡大事業」",
     261, [("長崎県", "佐世保市", ""), ("長崎県", "五島市", "document: 同県五島市"),
           ("長崎県", "小値賀町", "document: 同県小値賀町"), ("長崎県", "新上五島町", "document: 同県新上五島町")]),
    (6, "十勝シティデザイン株式会社", "北海道帯広市",
     "「リゾベーション型地域滞在」に基づく関係人口創出・拡大を目指す「都市圏起点+コミュニティホテル仮説型」中間支援モデル構築に係る調査・分析業務",
     266, [("北海道", "帯広市",
            "document: 「北海道帯広市及び隣接する十勝振興局内の町村」 — the neighbouring 町村 are not named, only 帯広市 is kept")]),
    (7, "一般社団法人熱意ある地方創生ベンチャー連合", "東京都港区",
     "「ベンチャー企業と地域との協働事業「ワーケーション×スキルアップ」プログラムの創出」",
     267, [("熊本県", "多良木町", ""), ("鹿児島県", "長島町", "")]),
    (8, "一般社団法人熱中学園", "東京都墨田区",
     "「持続可能性の為の広域展開変革プロジェクト」",
     268, [("北海道", "芽室町", "document: 「北海道芽室町ほか十勝地方」 — the list says ほか (other places in 十勝地方, not named); only 芽室町 is kept"),
           ("宮城県", "丸森町", ""),
           ("山形県", "高畠町", "CORRECTED: document writes 「山形県高島町」, which does not exist (山形県 has no 高島町; 高島 is only 滋賀県高島市); read as 高畠町 (東置賜郡, 06381): the only 山形県 municipality whose name differs from it by one look-alike character (畠/島), and the home of the first 熱中小学校 (高畠熱中小学校), on which this 熱中学園 project builds"),
           ("千葉県", "銚子市", ""), ("富山県", "高岡市", ""),
           ("和歌山県", "上富田町", HOKA.format("和歌山県上富田町ほか")),
           ("鳥取県", "琴浦町", HOKA.format("鳥取県琴浦町ほか")),
           ("山口県", "萩市", ""), ("高知県", "日高村", HOKA.format("高知県日高村ほか")),
           ("熊本県", "人吉市", ""), ("宮崎県", "小林市", ""),
           ("鹿児島県", "肝付町", HOKA.format("鹿児島県肝付町ほか")), ("沖縄県", "沖縄市", "")]),
    (9, "NPO法人プラットフォームあおもり", "青森県青森市",
     "「小さなまちで、「つい、かかわり続けたい」関係人口」とまちの案内人や地域住民とのつながりを創り出し続ける、『中間支援組織とコーディネーターを育て継ぐ』挑戦",
     269, [("北海道", "八雲町", ""), ("青森県", "今別町", ""),
           ("青森県", "田子町", HOKA.format("同県田子町ほか")),
           ("京都府", "与謝野町", HOKA.format("京都府与謝野町ほか")), ("鹿児島県", "南九州市", "")]),
    (10, "合同会社巻組", "宮城県石巻市",
     "「ギフト経済循環の見える化による関係人口創出事業」",
     270, [("宮城県", "石巻市", ""), ("島根県", "雲南市", "")]),
    (11, "株式会社JTB", "東京都品川区",
     "「JTB×JA農業労働力支援事業」",
     275, [("神奈川県", "三浦市", ""), ("広島県", "江田島市", "")]),
    (12, "株式会社NTTデータ経営研究所", "東京都千代田区",
     "「「ブロックチェーン技術を活用した地域と人のつながりの可視化」による関係人口創出・拡大プラットフォーム構築事業」",
     276, [("千葉県", "館山市", ""), ("千葉県", "南房総市", "document: 同県南房総市"), ("新潟県", "長岡市", ""),
           ("京都府", "京都市", "京都市 is a designated city: code is the city code 26100")]),
    (13, "U-Bito JAPAN株式会社", "熊本県菊池市",
     "「新たな関係人口をマッチングする事業「くま4(くまよん)」」",
     277, [("熊本県", "山鹿市", ""), ("熊本県", "上天草市", "document: 同県上天草市"),
           ("熊本県", "天草市", "document: 同県天草市"), ("熊本県", "山都町", "document: 同県山都町"),
           ("熊本県", "芦北町", "document: 同県芦北町")]),
    (14, "VUILD株式会社", "神奈川県川崎市",
     "「クリエイター支援とモノづくりで都市と地域間を結ぶ三角関係人口創出プラン」",
     278, [("愛媛県", "内子町", ""), ("熊本県", "南小国町", "")]),
]

R3_HOJO = [  # (no, operator, 所在地, 事業名, line of detail row, [areas])
    (1, "NPO法人ETIC.", "東京都渋谷区",
     "「垣根を越えた全力応援会議!「Beyondミーティング」による関係人口創出事業～2025年までに100のプラットフォームがつながる多極分散型の連帯へ」",
     328, [("福島県", "南相馬市", ""), ("静岡県", None, ""), ("愛知県", None, ""), ("岐阜県", None, ""),
           ("三重県", None, ""), ("滋賀県", "大津市", ""), ("京都府", "与謝野町", ""),
           ("島根県", "雲南市", ""), ("沖縄県", None, "")]),
    (2, "株式会社クラフトパートナーズ", "福井県福井市",
     "「海外アーティスト×地域資源(人、文化、工芸)の融合による新たな関係人口の創出」",
     329, [("福井県", "永平寺町", ""), ("福井県", "越前市", "document: 同県越前市")]),
    (3, "株式会社トビムシ", "東京都港区",
     "「フィールドワーク型地域の学びの場「(仮)山とまちづくり学校」による山とまちを結ぶ共創人口創出事業」",
     330, [("山口県", "萩市", ""), ("福岡県", "八女市", "")]),
    (4, "株式会社日添", "熊本県球磨郡五木村",
     "「#旅するおうち時間・#旅するおそと時間～自分の「好き」から地域と関わる～」",
     331, [("宮城県", "石巻市", ""), ("石川県", "七尾市", ""), ("三重県", "尾鷲市", ""),
           ("鳥取県", "鳥取市", ""), ("山口県", "周防大島町", ""), ("高知県", "四万十町", ""),
           ("熊本県", "五木村", "")]),
    (5, "株式会社福山コンサルタント", "福岡県福岡市",
     "「JR西日本×瀬戸内3市(竹原市/三原市/尾道市)による『せとうちファンづくり』プロジェクト」",
     332, [("広島県", "三原市", ""), ("広島県", "竹原市", "document: 同県竹原市"),
           ("広島県", "尾道市", "document: 同県尾道市")]),
    (6, "株式会社ポケットマルシェ", "東京都渋谷区",
     "「企業」×「漁師・農家」×「未来世代(大学生)」の関係人口協働共創プログラム」",
     333, [("秋田県", "にかほ市", ""), ("香川県", "さぬき市", ""), ("熊本県", "高森町", "")]),
]

R4 = [  # (no, operator, 所在地, 事業名, lines of the entry, [areas])
    (1, "株式会社あしたの寺子屋", "北海道札幌市",
     "「都市部×地方部をごちゃまぜにした越境教育事業を通じた関係人口の創出・拡大」",
     (805, 825), [("北海道", "美幌町", ""), ("青森県", "南部町", ""), ("鹿児島県", "与論町", "")]),
    (2, "一般社団法人いわて圏", "岩手県一関市",
     "「「探究型学習」を起点とした10代～20代の長期的なつながりモデル構築事業」",
     (827, 845), [("岩手県", "一関市", ""), ("岩手県", "奥州市", ""), ("岩手県", "金ケ崎町", ""),
                  ("岩手県", "岩手町", "")]),
    (3, "エッセンス株式会社", "東京都中央区",
     "「都市部プロボノ人材とのマッチングによる関係人口の創出」",
     (847, 861), [("長野県", "上松町", ""), ("長野県", "佐久市", ""), ("岩手県", "普代村", "")]),
    (4, "公益社団法人中越防災安全推進機構", "新潟県長岡市",
     "「中山間地域の農の『支え手』人材を増やす プログラム開発『 Work Rice 』『シェア･ファーム』」",
     (863, 885), [("新潟県", "小千谷市", ""), ("新潟県", "柏崎市", ""), ("新潟県", "上越市", ""),
                  ("新潟県", "出雲崎町", "")]),
    (5, "一般社団法人つながる地域づくり研究所", "岡山県岡山市",
     "「都市部の民間企業と地域が組織で関わるしくみ『放課後企業クラブ』における「まなび」を通じた共創型関係人口の拡大・深化プロジェクト」",
     (887, 909), [("北海道", "北竜町", ""), ("北海道", "奈井江町", ""), ("鳥取県", "南部町", "")]),
    (6, "一般社団法人北海道総合研究調査会", "北海道札幌市",
     "「高・大・地域連携による人材育成・人材循環の仕組みづくり」",
     (911, 929), [("北海道", "むかわ町", "")]),
]

R2 = [  # 内閣官房/内閣府「モデル事業」実施団体 (seed 001 l.609-612): (operator, 事業名)
    ("株式会社シーズ総合政策研究所",
     "「しほね発 つながりダイバーシティプロジェクト ―島根発 関係人口と地域のひとが織りなす多様な創発事業―」",
     "title as printed (「しほね発」 is probably a misprint of 「しまね発」); the title mentions 島根 but the document gives no implementation area"),
    ("公益社団法人中越防災安全推進機構", "「いしがたの力カレッジ」「地域に関わる多様な入力づくり」",
     "two title lines as printed (「いしがたの」「入力」 look like extraction errors, perhaps いなかの/人 — kept verbatim); no implementation area given"),
    ("株式会社日本能率協会総合研究所", "「山口・田舎暮らしクエスト ～新たな暮らしを探究するクエスト参加者を募集します～」",
     "printed with the logo text JMAR; the title mentions 山口 but the document gives no implementation area (山口県 or 山口市 cannot be told)"),
    ("株式会社Next Commons", "「地方と都市をつなぐリカレント教育の場づくりによる関係人口創出プラン」",
     "no implementation area given"),
    ("一般社団法人熱中学園", "「企業版ふるさと納税を活用した「ふるさとみつげ塾」プログラムの開発」",
     "no implementation area given"),
    ("合同会社巻組", "「ギフト経済循環の見える化による関係人口創出事業」",
     "no implementation area given (the same title is R3 委託 ⑩, areas 宮城県石巻市・島根県雲南市, mp-r3-itaku-10-*)"),
    ("一般社団法人離島百貨店", "「過疎地域と都市部との結節点となる「地域マネージャー」育成事業」",
     "no implementation area given"),
]

R2_TIMETABLE = [  # (operator, title, line, (pref, muni) or None, note)
    ("ディップ株式会社", "「求職者をターゲットに関係人口および就業・移住に繋げる効果的な手法」", 617, None,
     "no implementation area given; NOT PLACEABLE"),
    ("十勝シティデザイン株式会社", "「関係人口拡大と中心市街地活性化を目指すHOTEL NUPKA(十勝・帯広)の取組み」", 617,
     ("北海道", "帯広市"),
     "place from the printed title 「…HOTEL NUPKA(十勝・帯広)の取組み」 (帯広 = 帯広市; the same operator's R3 委託 "
     "project ⑥ is also 帯広市)"),
    ("凸版印刷株式会社", "「地域の価値交換による関係人口創出に向けて～トッパンの取組み事例&関連サービス～」", 617, None,
     "printed with the logo text TOPPAN; no implementation area given; NOT PLACEABLE"),
]

SOUMU = [  # seed 002 l.740-758: (year label, fiscal year, prefecture, municipality, 取組, line)
    ("R元モデル事業", 2019, "宮崎県", "五ヶ瀬町", "県立中高一貫校の卒業生を対象とした関係人口案内人育成", 742),
    ("H30モデル事業", 2018, "島根県", "邑南町", "「はすみファンと共に創る地域」事業での「INAKAイルミ」の実施", 747),
    ("H30モデル事業", 2018, "愛媛県", "西条市",
     "「自立循環型関係人口プラットフォーム構築事業」での「LOVE SAIJO ファンクラブ」を活用した地場産品のPR", 752),
    ("R元モデル事業", 2019, "鳥取県", "鳥取市", "地方の農業に関心のある都市部からの滞在者との協働による農業用水路の修繕", 756),
]

EXAMPLES = [  # 関係人口の取組例 printed in the 対流促進事業 pages (seed 001 and again seed 004)
    ("農家のお手伝いを通じた地域との関係づくり", "新潟県", "村上市", "公益社団法人中越防災安全推進機構",
     f"{S1}: 関係人口創出・拡大のための対流促進事業 — 関係人口の取組例 (l.112-130), entry l.116; again in {S4} l.743-746",
     "printed as （新潟県村上市 （公社）中越防災安全推進機構）; 村上市 is not among the named areas of the org's R3 委託 project ③ (長岡市・上越市・関川村ほか) nor of its R4 project ④; fiscal year not stated"),
    ("#旅するおうち時間 旅気分を味わえる商品とオンラインで地域とのつながりを構築", "熊本県", "五木村", "株式会社日添",
     f"{S1}: 関係人口創出・拡大のための対流促進事業 — 関係人口の取組例 (l.112-130), entry l.120-121; again in {S4} l.738-741",
     "printed as （熊本県五木村 株式会社日添）; same operator and place as R3 補助タイプ ④ (mp-r3-hojo-04-7); seed 004 writes 産品 for 商品; fiscal year not stated"),
    ("ワーケーション実施者が地域活動に参加", "宮城県", "丸森町", "一般社団法人熱中学園",
     f"{S1}: 関係人口創出・拡大のための対流促進事業 — 関係人口の取組例 (l.112-130), entry l.130; again in {S4} l.728-730",
     "printed as （宮城県丸森町（一社）熱中学園）; same operator and place as R3 委託 ⑧ (mp-r3-itaku-08-2); fiscal year not stated"),
]

YAMAGATA = [  # seed 003 footnote l.12 order; per-municipality roles from the 連携市町村 column
    ("山形県", None, "申請者 (「山形県ほか6自治体」) and 事業推進主体 of the whole project"),
    ("山形県", "鶴岡市", "連携市町村 of: 地域づくり研修会・アドバイザー派遣・中間支援団体による支援 (Sukedachi Creative庄内 委託, l.32-37)"),
    ("山形県", "酒田市", "連携市町村 of: 副業・兼業人材マッチング (パーソルキャリア(株), l.24-26); 首都圏子育て世帯の暮らし体験 (l.28); 研修会・アドバイザー派遣 (l.32)"),
    ("山形県", "寒河江市", "連携市町村 of: 地域課題の発掘・企業マッチング・伴走支援 ((株)パソナJOBHUB, l.19); 副業・兼業人材マッチング (パーソルキャリア(株), l.24); 学会・大会誘致 (l.27); 研修会・アドバイザー派遣 (l.32)"),
    ("山形県", "尾花沢市", "連携市町村 of: 地域課題の発掘・企業マッチング・伴走支援 ((株)パソナJOBHUB, l.19); 首都圏子育て世帯の暮らし体験 (l.28); 外国人関係人口 実態調査 (株式会社ポリグロットリンク, l.39-41)"),
    ("山形県", "朝日町", "連携市町村 of: 研修会・アドバイザー派遣・中間支援団体による支援 (l.32)"),
    ("山形県", "飯豊町", "連携市町村 of: 学会・大会誘致 (l.27); 首都圏子育て世帯の暮らし体験 (l.28); 研修会・アドバイザー派遣 (l.32)"),
]


GROUP_NOTES = {
    ("mp-r3-hojo", 1): "operator printed as 「NPO法人 ETIC.」 (l.282) and 「えていっく NPO法人 ETIC」 (l.328)",
}


def area_rows(seeds, code_of, prefix, programme, fy, no, operator, loc, name, areas, source, src_line,
              src_span, base_note):
    out = []
    for k, (pref, muni, extra) in enumerate(areas, 1):
        if muni is None:
            seeds.check(S1 if source.startswith(S1) else S4, src_line, pref, span=src_span)
        elif "CORRECTED" in extra:
            seeds.check(S1, src_line, "山形県高島町", span=src_span)
        else:
            # the document writes 同県X for repeated prefectures
            seeds.check(S1 if source.startswith(S1) else S4, src_line, muni, span=src_span)
        notes = [n for n in (extra, GROUP_NOTES.get((prefix, no), ""), base_note.format(loc=loc)) if n]
        out.append(row(
            id=f"{prefix}-{no:02d}-{k}", kind="model_project", name=name, prefecture=pref,
            municipality=muni or "", code=code_of(pref, muni) if muni else "",
            precision="prefecture" if muni is None else "",
            programme=programme, fiscal_year=fy, operator=operator, source_ref=str(no), source=source,
            note="; ".join(notes) + ("" if muni else "; the document names only the prefecture as the area")))
    return out


def model_rows(seeds, code_of):
    out = []
    # R2 (内閣官房/内閣府): the 7 of the 実施団体 box (no areas) + 3 only in the timetable's 成果報告②
    conflict = ("R2 conflict in the document: the box 「内閣官房/内閣府「モデル事業」実施団体」 (l.609-612) lists "
                "シーズ, 中越, JMAR, Next Commons, 熱中学園, 巻組, 離島百貨店, while the timetable's 「中間支援組織の提案型"
                "モデル事業」の成果報告①② (l.647-652) lists Next Commons, 熱中学園, シーズ, 巻組, ディップ, 凸版印刷, "
                "十勝シティデザイン; both are said to be 7団体 (l.588, l.597)")
    for i, (op, name, note) in enumerate(R2, 1):
        seeds.check(S1, 611 if i <= 4 else 612, name.split("「")[1][:8])
        in_tt = op in ("株式会社シーズ総合政策研究所", "株式会社Next Commons", "一般社団法人熱中学園", "合同会社巻組")
        out.append(row(
            id=f"mp-r2-{i:02d}", kind="model_project", name=name, programme=P_R2, fiscal_year=2020,
            operator=op, source_ref=str(i),
            source=f"{S1}: 成果報告会 (令和3年2月24日) — 内閣官房/内閣府「モデル事業」実施団体 (l.588-612)",
            note=(note + "; NOT PLACEABLE: no prefecture or municipality in the document; "
                  + ("also in the timetable's 成果報告① (l.647-648); " if in_tt else
                     "NOT in the timetable's 成果報告 (l.645-652); ")
                  + conflict + "; source_ref is the printed order in the box")))
    for i, (op, name, line, area, note) in enumerate(R2_TIMETABLE, len(R2) + 1):
        seeds.check(S1, 617, name.split("「")[1][:8])
        seeds.check(S1, 652, op.replace("株式会社", "")[:4])
        pref, muni = area if area else ("", "")
        out.append(row(
            id=f"mp-r2-{i:02d}", kind="model_project", name=name, prefecture=pref, municipality=muni,
            code=code_of(pref, muni) if muni else "", programme=P_R2, fiscal_year=2020, operator=op,
            source_ref=str(i),
            source=(f"{S1}: 成果報告会 (令和3年2月24日) — timetable 「中間支援組織の提案型モデル事業」の成果報告② "
                    f"(l.651-652); title l.{line}"),
            note=(note + "; listed as a model-project reporter only in the timetable (成果報告②); in the "
                  "extracted text its title is printed under the heading 「「かかわりラボ」会員による先行事例発表会」 "
                  "(l.615-617), so its R2 model-project status rests on the timetable; " + conflict
                  + "; source_ref continues the box's printed order (8-10 in the order of l.617)")))
    # R3 委託 (list headed "(1)")
    for no, op, loc, name, line, areas in R3_ITAKU:
        seeds.check(S1, line, op.replace("株式会社", "").replace("一般社団法人", "").replace("NPO法人", "")
                    .replace("公益社団法人", "").replace("合同会社", "")[:6])
        out += area_rows(seeds, code_of, "mp-r3-itaku", P_ITAKU, 2021, no, op, loc, name, areas,
                         f"{S1}: 令和3年度 …提案型モデル事業(1) 採択団体一覧 (l.254-278), entry l.{line}", line, 0,
                         "operator 所在地 {loc}; 実施予定地域 (planned areas); the document heads this list 「(1)」: "
                         "it is the non-補助 part of the 20 R3 当初 adoptions (14 + 6 補助タイプ), i.e. the 委託タイプ")
    # R3 補助タイプ
    for no, op, loc, name, line, areas in R3_HOJO:
        out += area_rows(seeds, code_of, "mp-r3-hojo", P_HOJO, 2021, no, op, loc, name, areas,
                         f"{S1}: 令和3年度 …提案型モデル事業(補助タイプ) 補助団体一覧 (l.280-333), entry l.{line}",
                         line, 0, "operator 所在地 {loc}; 実施地域は提案時点における実施予定地域")
    # R4
    for no, op, loc, name, (l0, l1), areas in R4:
        out += area_rows(seeds, code_of, "mp-r4", P_R4, 2022, no, op, loc, name, areas,
                         f"{S4}: 令和４年度 …提案型モデル事業 採択団体一覧 (l.796-933), entry l.{l0}-{l1}",
                         l0, l1 - l0,
                         "operator 所在地 {loc}; 実施予定地域 at the time of the proposal, project names 仮称; "
                         "type not stated (the page adds ※今後、補助タイプの募集を予定)")
    # 総務省 H30 / R1 model projects (examples)
    for i, (lab, fy, pref, muni, what, line) in enumerate(SOUMU, 1):
        seeds.check(S2, line, f"{pref}{muni}（{lab}）")
        out.append(row(
            id=f"mp-soumu-{'h30' if fy == 2018 else 'r1'}-{i}", kind="model_project", name=what,
            prefecture=pref, municipality=muni, code=code_of(pref, muni), programme=P_SOUMU,
            fiscal_year=fy, source_ref=str(i),
            source=f"{S2}: 関係人口について — 関係人口の取組例 (l.740-758), entry l.{line}-{line + 3}",
            note=(f"printed as ＜{pref}{muni}（{lab}）＞; one of the 総務省 model projects "
                  "(30団体 in H30, 44団体 in R1, 25団体 in R2 per l.809-818 — only these four are named); "
                  "operator not stated (the model projects were run by local governments); "
                  "source_ref is the printed order of the four examples")))
    # 関係人口の取組例 in the 対流促進事業 pages
    for i, (name, pref, muni, op, src, note) in enumerate(EXAMPLES, 1):
        out.append(row(
            id=f"mp-ex-{i:02d}", kind="model_project", name=name, prefecture=pref, municipality=muni,
            code=code_of(pref, muni), programme=P_EX, operator=op, source_ref=str(i), source=src, note=note))
    seeds.check(S1, 116, "新潟県村上市")
    seeds.check(S1, 121, "熊本県五木村")
    seeds.check(S1, 130, "宮城県丸森町")
    # Yamagata 2024 (seed 003)
    seeds.check(S3, 12, "山形県、鶴岡市、酒田市、寒河江市、尾花沢市、朝日町、飯豊町")
    for k, (pref, muni, role) in enumerate(YAMAGATA):
        out.append(row(
            id=f"mp-r6-yamagata-{k + 1}", kind="model_project",
            name="地域づくりの新たな担い手となる関係人口創出・拡大プロジェクト", prefecture=pref,
            municipality=muni or "", code=code_of(pref, muni) if muni else "",
            precision="prefecture" if muni is None else "",
            programme=P_YAMAGATA, fiscal_year=2024, operator="山形県", source_ref="1",
            source=f"{S3}: 事業概要 (l.3-12) and 具体的な交付金の使途及び実施体制 (l.14-41)",
            note=(role + "; 山形県の広域連携事業 (申請者 山形県ほか6自治体), 事業計画期間 R6-R8年度, "
                  "初回採択回 令和6年度第1回募集, 総事業費 444,226千円 (R6 143,841千円); operator = 山形県 "
                  "(申請者・事業推進主体); one project: all seven rows (山形県 + the six municipalities of the footnote "
                  "※山形県、鶴岡市、酒田市、寒河江市、尾花沢市、朝日町、飯豊町の広域連携事業) share source_ref 1, "
                  "the document giving it no number"
                  + ("; the document names only the prefecture as the area" if muni is None else ""))))
    return out


# ----------------------------------------------------------------------------------------------

def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {path}: {len(rows)} rows")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default=str(SHARED / "seeds"))
    ap.add_argument("--boundaries", default=str(SHARED / "data/boundaries"))
    ap.add_argument("--out", default=os.path.join(ROOT, "geodata", "hubs"))
    a = ap.parse_args()
    table = load_n03(a.boundaries)

    def code_of(pref, muni):
        if (pref, muni) not in table:
            raise SystemExit(f"no N03 municipality {pref} {muni}")
        return table[(pref, muni)]

    seeds = Seeds(a.seeds)
    os.makedirs(a.out, exist_ok=True)
    write(os.path.join(a.out, "kochi_activity_centres.csv"), kochi_rows(seeds, code_of))
    write(os.path.join(a.out, "small_hubs.csv"),
          casebook_rows(seeds, code_of) + tax_rows(seeds, code_of) + forum_rows(seeds, code_of))
    write(os.path.join(a.out, "rmo.csv"), rmo_rows(seeds, code_of))
    write(os.path.join(a.out, "model_projects.csv"), model_rows(seeds, code_of))


if __name__ == "__main__":
    sys.exit(main())
