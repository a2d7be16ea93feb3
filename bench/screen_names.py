"""Distinct names to time screening with: every distinct primary name of
the lists (as inventories will contain listed names) and as many made-up
company names again (as most inventory names are not listed)."""
import csv
import random
import sys

names = set()
for path in sys.argv[1:]:
    for row in csv.DictReader(open(path, encoding="utf-8")):
        name = row.get("name") or row.get("Clean Name")
        if name:
            names.add(name.strip())
random.seed(1)
parts = ["Nordic", "Alpine", "Delta", "Vertex", "Summit", "Harbor", "Orion",
         "Aurora", "Granite", "Cedar", "Falcon", "Meridian", "Atlas", "Nova"]
kinds = ["Networks", "Telecom", "Systems", "Technologies", "Solutions",
         "Electronics", "Communications", "Radio", "Fibre", "Devices"]
forms = ["Ltd", "GmbH", "Inc.", "S.A.", "AB", "Oy", "B.V.", "LLC", "plc"]
made = set()
while len(made) < len(names):
    made.add(f"{random.choice(parts)} {random.choice(parts)}"
             f"{random.randint(1, 999)} {random.choice(kinds)} "
             f"{random.choice(forms)}")
for n in sorted(names) + sorted(made):
    print(n)
