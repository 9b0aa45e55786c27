#!/usr/bin/env python3
"""Writes the bad-input files of tests/data/bad/files (run once; the files are committed).

Each file has one fault, named by the file. ogr2ogr (GDAL) makes the binary formats."""
import json, os, subprocess

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "files")
os.makedirs(HERE, exist_ok=True)


def w(name, text, encoding="utf-8"):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(text.encode(encoding) if isinstance(text, str) else text)


OK1 = "1,大川村役場,133.4728,33.7834"
OK2 = "2,本山町役場,133.5908,33.7575"
H = "id,name,lon,lat\n"
w("good.csv", H + OK1 + "\n" + OK2 + "\n")
w("quote_unclosed.csv", H + OK1 + '\n2,"本山町役場,133.5908,33.7575\n3,c,133.5,33.7\n')
w("quote_unclosed_last.csv", H + OK1 + "\n" + OK2 + '\n3,c,"133.5,33.7\n')
w("quote_unclosed_crlf.csv", (H + OK1 + '\n2,"b,133.5,33.7\n').replace("\n", "\r\n"))
w("lon_text.csv", H + OK1 + "\n2,b,abc,33.7\n")
w("lon_trailing_garbage.csv", H + OK1 + "\n2,b,133.5abc,33.7\n")
w("lon_nan.csv", H + OK1 + "\n2,b,nan,33.7\n")
w("lon_inf.csv", H + OK1 + "\n2,b,inf,33.7\n")
w("lat_empty.csv", H + OK1 + "\n2,b,133.5,\n")
w("lon_outside.csv", H + OK1 + "\n2,b,200,33.7\n")
w("lonlat_zero.csv", H + OK1 + "\n2,b,0,0\n")
w("lonlat_swapped.csv", H + OK1 + "\n2,b,33.7834,133.4728\n")
w("lonlat_projected.csv", H + "1,a,-5000.5,12000.25\n")
w("lonlat_sea.csv", H + "1,a,150.0,30.0\n")
w("lat_column_missing.csv", "id,name,lon\n1,a,133.5\n")
w("lon_column_missing.csv", "id,name,lat\n1,a,33.5\n")
w("name_column_missing.csv", "id,label,lon,lat\n1,a,133.5,33.7\n")
w("name_empty.csv", H + OK1 + "\n2,,133.5,33.7\n")
w("id_empty.csv", H + OK1 + "\n,b,133.5,33.7\n")
w("id_duplicate.csv", H + OK1 + "\n1,b,133.5,33.7\n")
w("opened_month13.csv", "id,name,lon,lat,opened\n1,a,133.4728,33.7834,2020-13\n")
w("opened_text.csv", "id,name,lon,lat,opened\n1,a,133.4728,33.7834,sometime\n")
w("opened_day32.csv", "id,name,lon,lat,opened\n1,a,133.4728,33.7834,2020-01-32\n")
w("opened_month00.csv", "id,name,lon,lat,opened\n1,a,133.4728,33.7834,2020-00\n")
w("opened_slash.csv", "id,name,lon,lat,opened\n1,a,133.4728,33.7834,2020/13\n")  # 2020/04 is a date now
w("opened_short_year.csv", "id,name,lon,lat,opened\n1,a,133.4728,33.7834,20-04\n")
w("fiscal_year_text.csv", "id,name,lon,lat,fiscal_year\n1,a,133.4728,33.7834,next year\n")
w("fiscal_year_far.csv", "id,name,lon,lat,fiscal_year\n1,a,133.4728,33.7834,3020\n")
w("fiscal_year_era_zero.csv", "id,name,lon,lat,fiscal_year\n1,a,133.4728,33.7834,令和0\n")
w("header_only.csv", H)
w("empty.csv", "")
w("no_location.csv", "id,name,note\n1,a,x\n")
w("prefecture_unknown.csv", "id,name,prefecture,municipality\n1,a,アトランティス県,どこか町\n")
w("municipality_unknown.csv", "id,name,prefecture,municipality\n1,a,高知県,存在しない町\n")
w("code_unknown.csv", "id,name,municipality_code\n1,a,99999\n")
w("many_bad_rows.csv", H + "".join(f"{i},b{i},x{i},33.7\n" for i in range(1, 16)))
w("invalid_utf8_and_cp932.csv", b"id,name,lon,lat\n1,\xff\xfe\xfd,133.5,33.7\n")
w("sjis.csv", (H + "1,大川村役場,133.4728,33.7834\n").encode("cp932"))  # with --encoding utf-8: invalid
w("binary_garbage.csv", bytes(range(256)) * 4)
w("nul_bytes.csv", b"id,name,lon,lat\n1,a\x00b,133.5,33.7\n\x00\x00\x00")

fc = lambda feats, extra=None: json.dumps(dict({"type": "FeatureCollection", "features": feats}, **(extra or {})))
pt = lambda lon, lat, props: {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [lon, lat]}}
w("good.geojson", fc([pt(133.4728, 33.7834, {"id": "1", "name": "a"}), pt(133.5908, 33.7575, {"id": "2", "name": "b"})]))
w("crs_unknown.geojson", fc([pt(133.4728, 33.7834, {"id": "1", "name": "a"})],
                            {"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::99999"}}}))
w("crs_garbage.geojson", fc([pt(133.4728, 33.7834, {"id": "1", "name": "a"})],
                            {"crs": {"type": "name", "properties": {"name": "not a crs at all"}}}))
w("ring_unclosed.geojson", fc([{"type": "Feature", "properties": {"id": "1", "name": "a"}, "geometry": {
    "type": "Polygon", "coordinates": [[[133.4, 33.7], [133.5, 33.7], [133.5, 33.8], [133.4, 33.8]]]}}]))
w("ring_too_short.geojson", fc([{"type": "Feature", "properties": {"id": "1", "name": "a"}, "geometry": {
    "type": "Polygon", "coordinates": [[[133.4, 33.7], [133.5, 33.7], [133.4, 33.7]]]}}]))
w("not_json.geojson", "hello, this is not JSON\n")
w("truncated.geojson", fc([pt(133.4728, 33.7834, {"id": "1", "name": "a"}), pt(133.5908, 33.7575, {"id": "2", "name": "b"})])[:150])
w("empty_collection.geojson", fc([]))
w("point_outside.geojson", fc([pt(0.0, 0.0, {"id": "1", "name": "a"})]))
w("name_missing.geojson", fc([pt(133.4728, 33.7834, {"id": "1", "label": "a"})]))
w("geometry_null.geojson", fc([{"type": "Feature", "properties": {"id": "1", "name": "a"}, "geometry": None}]))
w("opened_bad.geojson", fc([pt(133.4728, 33.7834, {"id": "1", "name": "a", "opened": "2021-99"})]))
w("coordinates_nan.geojson", '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"1","name":"a"},'
  '"geometry":{"type":"Point","coordinates":[NaN,33.7]}}]}')


def ogr(out, src, *args):
    path = os.path.join(HERE, out)
    if os.path.exists(path):
        os.remove(path)
    subprocess.run(["ogr2ogr", *args, path, os.path.join(HERE, src)], check=True)


ogr("good.fgb", "good.geojson", "-f", "FlatGeobuf", "-a_srs", "EPSG:6668")
with open(os.path.join(HERE, "good.fgb"), "rb") as f:
    data = f.read()
w("truncated.fgb", data[:-20])
w("header_only.fgb", data[:12])
os.remove(os.path.join(HERE, "good.fgb"))
ogr("two_layers.gpkg", "good.geojson", "-f", "GPKG", "-nln", "first")
subprocess.run(["ogr2ogr", "-update", "-f", "GPKG", "-nln", "second", os.path.join(HERE, "two_layers.gpkg"),
                os.path.join(HERE, "good.geojson")], check=True)
# A Shapefile without its .dbf and .shx: GDAL cannot read its attributes.
ogr("lonely.shp", "good.geojson", "-f", "ESRI Shapefile")
for ext in (".dbf", ".shx", ".prj", ".cpg"):
    p = os.path.join(HERE, "lonely" + ext)
    if os.path.exists(p):
        os.remove(p)
# A SQLite file that is not a hubmap database, and a text file posing as one.
import sqlite3
p = os.path.join(HERE, "other.sqlite")
if os.path.exists(p):
    os.remove(p)
con = sqlite3.connect(p)
con.execute("CREATE TABLE t (x)")
con.commit()
con.close()
w("not_sqlite.sqlite", "SQLite format 2? no: just text\n" * 10)
w("empty.sqlite", "")
# An XML body behind a .csv name: GDAL's JML driver claims it and reports the damage while the
# features are read (found by fuzz/import_fuzz.cpp; GDAL printed "ERROR 1: ..." itself).
w("xml_body.csv", "<JCSDataFile><x")
# One address column (所在地): an address naming no municipality; two municipalities of one name.
w("address_no_municipality.csv", "id,name,所在地\n1,a,高知県長岡郡本山町\n2,b,どこかの村1-2\n")
w("address_ambiguous.csv", "id,name,所在地\n1,a,美郷町粕渕1\n2,b,邑智郡美郷町粕渕1\n")
# Japanese column names; 和暦 out of range; an unreadable date without --strict (a warning).
w("opened_reiwa99.csv", "番号,名称,所在地,開設年月\n1,a,高知県長岡郡本山町,令和99年13月\n")


# Workbooks written by hand (zipfile + the XML of the Office Open format), as Excel saves them:
# shared strings, and <mergeCells> for cells merged across columns.
import zipfile
from xml.sax.saxutils import escape


def xlsx(name, sheets):
    """sheets: [(sheet name, rows as lists of str or None, merged ranges like "A1:D1")]."""
    strings = []

    def sid(text):
        if text not in strings:
            strings.append(text)
        return strings.index(text)

    def col(i):
        return chr(ord("A") + i)

    sheet_xml = []
    for _, rows, merged in sheets:
        body = []
        for r, row in enumerate(rows, 1):
            cells = "".join(f'<c r="{col(c)}{r}" t="s"><v>{sid(v)}</v></c>' for c, v in enumerate(row) if v is not None)
            body.append(f'<row r="{r}">{cells}</row>')
        merge = (f'<mergeCells count="{len(merged)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merged)
                 + "</mergeCells>") if merged else ""
        sheet_xml.append('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                         f'<sheetData>{"".join(body)}</sheetData>{merge}</worksheet>')
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(os.path.join(HERE, name), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                   'spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sharedStrings+xml"/>'
                   + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.'
                             'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                             for i in range(1, len(sheets) + 1)) + "</Types>")
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml",
                   f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook {ns} xmlns:r="{rel}"><sheets>'
                   + "".join(f'<sheet name="{escape(s[0])}" sheetId="{i}" r:id="rId{i}"/>'
                             for i, s in enumerate(sheets, 1)) + "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   + "".join(f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                             for i in range(1, len(sheets) + 1))
                   + f'<Relationship Id="rId{len(sheets) + 1}" Type="{rel}/sharedStrings" '
                   'Target="sharedStrings.xml"/></Relationships>')
        for i, x in enumerate(sheet_xml, 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", x)
        z.writestr("xl/sharedStrings.xml",
                   f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst {ns} count="{len(strings)}" '
                   f'uniqueCount="{len(strings)}">' + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
                   + "</sst>")


LIST = [["番号", "拠点名", "所在地"], ["1", "はりまや拠点", "高知県高知市はりまや町一丁目"]]
# The list on its second sheet; the chosen sheet (--sheet 空) has no cell at all.
xlsx("sheet_empty.xlsx", [("拠点一覧", LIST, []), ("空", [], [])])
# A workbook whose only sheet is empty (GDAL lists no layer for a sheet without cells).
xlsx("workbook_empty.xlsx", [("Sheet1", [], [])])
# A title in cells merged across the columns above the header row, as planners' lists have.
xlsx("header_merged_title.xlsx", [("拠点一覧", [["令和5年度 小さな拠点一覧", None, None]] + LIST, ["A1:C1"])])
# The header's 所在地 merged over two columns (the address split in two cells below it).
xlsx("header_merged_cells.xlsx", [("拠点一覧", [["番号", "拠点名", "所在地", None],
                                                ["1", "はりまや拠点", "高知県高知市", "はりまや町一丁目"]], ["C1:D1"])])
