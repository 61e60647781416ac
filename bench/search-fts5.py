#!/usr/bin/env python3
"""SQLite FTS5 on the same texts as the Xapian index, for choosing between them.

    bench/search-fts5.py DUMP QUERIES [REPEAT]

DUMP: kind<TAB>text per line (search_bench's fifth argument writes it);
QUERIES: tests/search/queries.tsv. For three FTS5 set-ups — the trigram
tokenizer, unicode61 as it comes, and unicode61 over the single characters
and neighbouring pairs written out (what the previous attempt at q= used) —
prints the CPU seconds to build, the size, the CPU p50/p99 of a query
(MATCH, then instr() to keep only literal hits, as the Xapian index does),
and per query the hits found against the literal count (a plain scan).
CPU time is this process's (time.process_time); the machine is shared.
"""
import os
import sqlite3
import sys
import tempfile
import time


def grams(text):
    out = []
    for i, c in enumerate(text):
        if not c.isspace():
            out.append(c)
            if i + 1 < len(text) and not text[i + 1].isspace():
                out.append(c + text[i + 1])
    return " ".join(out)


def query_grams(word):
    if len(word) == 1:
        return ['"%s"' % word]
    return ['"%s"' % word[i:i + 2] for i in range(len(word) - 1)]


def main():
    dump, queries_path = sys.argv[1], sys.argv[2]
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    texts = [line.rstrip("\n").split("\t", 1)[1] for line in open(dump, encoding="utf-8") if "\t" in line]
    queries = [l.split("\t")[0] for l in open(queries_path, encoding="utf-8") if l.strip() and not l.startswith("#")]
    literal = {q: sum(1 for t in texts if all(w.lower() in t.lower() for w in q.split())) for q in queries}
    print("texts=%d queries=%d" % (len(texts), len(queries)))
    setups = [
        ("trigram", "CREATE VIRTUAL TABLE f USING fts5(t, tokenize='trigram')", lambda t: t,
         lambda ws: " AND ".join('"%s"' % w for w in ws)),
        ("unicode61", "CREATE VIRTUAL TABLE f USING fts5(t)", lambda t: t,
         lambda ws: " AND ".join('"%s"' % w for w in ws)),
        ("unigram+bigram", "CREATE VIRTUAL TABLE f USING fts5(t, g, detail=none)", grams,
         lambda ws: " AND ".join(g for w in ws for g in query_grams(w))),
    ]
    for name, ddl, prepare, match in setups:
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "f.db")
            db = sqlite3.connect(path)
            db.execute(ddl)
            t0 = time.process_time()
            if name == "unigram+bigram":
                db.executemany("INSERT INTO f(t, g) VALUES (?, ?)", ((t, prepare(t)) for t in texts))
            else:
                db.executemany("INSERT INTO f(t) VALUES (?)", ((t,) for t in texts))
            db.commit()
            built = time.process_time() - t0
            size = os.path.getsize(path)
            runs, misses = [], []
            for q in queries:
                ws = q.split()
                m = match(ws)
                sql = "SELECT count(*) FROM f WHERE f MATCH ?" + "".join(" AND instr(lower(t), ?) > 0" for _ in ws)
                n = None
                for _ in range(repeat):
                    t1 = time.process_time()
                    try:
                        n = db.execute(sql, [m] + [w.lower() for w in ws]).fetchone()[0]
                    except sqlite3.OperationalError:
                        n = 0
                    runs.append(1000 * (time.process_time() - t1))
                if n != literal[q]:
                    misses.append("%s %d/%d" % (q, n, literal[q]))
            runs.sort()
            print("%s: build_cpu_s=%.2f size_mb=%.1f cpu_ms_p50=%.2f cpu_ms_p99=%.2f queries_exact=%d/%d" %
                  (name, built, size / 1e6, runs[len(runs) // 2], runs[len(runs) * 99 // 100],
                   len(queries) - len(misses), len(queries)))
            if misses:
                print("  not as the literal count: " + "，".join(misses[:12]) + (" …" if len(misses) > 12 else ""))
            db.close()


if __name__ == "__main__":
    main()
