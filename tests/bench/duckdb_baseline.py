#!/usr/bin/env python3
"""DuckDB baseline for the analysis benchmark.

Exports a generated round's responses from the SQLite database to Parquet
(one file of responses with their school's township, one of the taxonomy
categories each response chose, by the same rule as the engine: the options
of every choice question that name a category, plus a sub-category's parent),
then times DuckDB computing the share of responding families wanting each
category, by township (the engine's `township` × `@category` × `all` rows),
from those Parquet files. Prints every run and the median of 3.

    python3 tests/bench/duckdb_baseline.py target/bench-analysis.db 1 [OUTDIR]
"""
import csv
import json
import os
import sqlite3
import statistics
import sys
import time

import duckdb

# Questions of after-school-needs whose options are taxonomy ids.
CATEGORY_QUESTIONS = [
    "categories", "top3", "science_items", "sports_items", "arts_items",
    "labor_items", "heritage_items", "rural_items",
]

QUERY = """
WITH per_town AS (
    SELECT township, count(*) AS n FROM read_parquet('{r}') GROUP BY township
), hits AS (
    SELECT r.township, c.category, count(*) AS k
    FROM read_parquet('{c}') c JOIN read_parquet('{r}') r USING (response_id)
    GROUP BY r.township, c.category
)
SELECT h.township, h.category, h.k, p.n, h.k::DOUBLE / p.n AS share
FROM hits h JOIN per_town p USING (township)
ORDER BY 1, 2
"""


def export(db_path, round_id, out):
    resp_csv = os.path.join(out, "responses.csv")
    cat_csv = os.path.join(out, "choices.csv")
    con = sqlite3.connect(db_path)
    rows = con.execute(
        "SELECT r.id, r.school_id, t.name, coalesce(r.grade, 0), r.answers "
        "FROM responses r JOIN schools s ON s.id = r.school_id "
        "JOIN townships t ON t.id = s.township_id WHERE r.round_id = ?",
        (round_id,),
    )
    with open(resp_csv, "w", newline="") as rf, open(cat_csv, "w", newline="") as cf:
        rw, cw = csv.writer(rf), csv.writer(cf)
        rw.writerow(["response_id", "school_id", "township", "grade"])
        cw.writerow(["response_id", "category"])
        for rid, school, town, grade, answers in rows:
            rw.writerow([rid, school, town, grade])
            a = json.loads(answers)
            cats = set()
            for q in CATEGORY_QUESTIONS:
                for v in a.get(q, []):
                    cats.add(v)
                    if "." in v:
                        cats.add(v.split(".")[0])
            for c in cats:
                cw.writerow([rid, c])
    d = duckdb.connect()
    r_pq, c_pq = os.path.join(out, "responses.parquet"), os.path.join(out, "choices.parquet")
    d.execute(f"COPY (SELECT * FROM read_csv_auto('{resp_csv}')) TO '{r_pq}' (FORMAT parquet)")
    d.execute(f"COPY (SELECT * FROM read_csv_auto('{cat_csv}')) TO '{c_pq}' (FORMAT parquet)")
    os.remove(resp_csv)
    os.remove(cat_csv)
    return r_pq, c_pq


def main():
    db_path, round_id = sys.argv[1], int(sys.argv[2])
    out = sys.argv[3] if len(sys.argv) > 3 else os.path.dirname(os.path.abspath(db_path))
    r_pq, c_pq = os.path.join(out, "responses.parquet"), os.path.join(out, "choices.parquet")
    if not (os.path.exists(r_pq) and os.path.exists(c_pq)):
        t = time.perf_counter()
        export(db_path, round_id, out)
        print(f"exported Parquet in {time.perf_counter() - t:.1f} s")
    times = []
    for i in range(3):
        t = time.perf_counter()
        con = duckdb.connect()  # a fresh process-like start: no cached data
        result = con.execute(QUERY.format(r=r_pq, c=c_pq)).fetchall()
        times.append((time.perf_counter() - t) * 1000)
        print(f"run {i + 1}: {times[-1]:.0f} ms, {len(result)} township x category rows")
    print(f"duckdb {duckdb.__version__} median: {statistics.median(times):.0f} ms")


if __name__ == "__main__":
    main()
