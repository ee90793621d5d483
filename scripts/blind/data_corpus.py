#!/usr/bin/env python3
"""Invented test corpus for openly's patient-data detection. All data generated here, seeded.
Usage: python3 scripts/blind/data_corpus.py OUT_DIR  (writes OUT_DIR/corpus and OUT_DIR/truth.json)
Built by an outside tester who had not seen openly's code (2026-12-07); see docs/data.md."""
import json, os, random, shutil, datetime, sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else "target/blind/data"
CORPUS = os.path.join(ROOT, "corpus")
rng = random.Random(20261207)
TRUTH = {}

def check_digit(d9):
    s = sum(int(c) * w for c, w in zip(d9, range(10, 1, -1)))
    c = 11 - (s % 11)
    if c == 11: c = 0
    return None if c == 10 else c

def valid(n):
    n = str(n)
    return len(n) == 10 and n.isdigit() and check_digit(n[:9]) == int(n[9])

def mod11_in(lo9, hi9):
    while True:
        d9 = str(rng.randint(lo9, hi9)).zfill(9)
        c = check_digit(d9)
        if c is not None:
            return d9 + str(c)

def nhs_ew():  # England/Wales ranges
    return mod11_in(400000000, 499999999) if rng.random() < 0.5 else mod11_in(600000000, 799999999)
def nhs_test(): return mod11_in(999000000, 999999999)
def hc(): return mod11_in(320000000, 399999999)
def chi():
    while True:
        d = datetime.date(1930, 1, 1) + datetime.timedelta(days=rng.randint(0, 30000))
        d9 = d.strftime("%d%m%y") + str(rng.randint(0, 999)).zfill(3)
        c = check_digit(d9)
        if c is not None:
            return d9 + str(c)
def invalid10(first="1"):
    while True:
        n = first + "".join(str(rng.randint(0, 9)) for _ in range(9))
        if not valid(n): return n
def rand10(first_choices="0123456789"):
    return rng.choice(first_choices) + "".join(str(rng.randint(0, 9)) for _ in range(9))
def spaced(n): return f"{n[:3]} {n[3:6]} {n[6:]}"
def hyph(n): return f"{n[:3]}-{n[3:6]}-{n[6:]}"

FORE = ["Amelia","Oliver","Isla","George","Ava","Harry","Mia","Noah","Freya","Jack","Ella","Leo",
        "Grace","Arthur","Lily","Oscar","Ruby","Theo","Evie","Alfie","Poppy","Finley","Ivy","Archie"]
SUR = ["Hartley","Pennington","Ashworth","Calloway","Dunmore","Fairbairn","Gillespie","Holloway",
       "Kettering","Lockhart","Merriweather","Northcott","Oakley","Prendergast","Quayle","Ravensworth",
       "Stanforth","Thackeray","Underhill","Vickers","Whitlock","Yardley"]
OUTWARD = ["LS1","LS6","M14","B15","NE4","BS7","CF10","L17","S10","NG7","OX4","YO31","SW1A","E17","N16","LE2"]
def postcode(): return f"{rng.choice(OUTWARD)} {rng.randint(1,9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
def zz99(): return f"ZZ99 {rng.randint(1,9)}{rng.choice('ABCDEFGHJ')}{rng.choice('ABCDEFGHJ')}"
def dob(): return (datetime.date(1935,1,1)+datetime.timedelta(days=rng.randint(0,30000))).isoformat()
def adate(): return (datetime.date(2023,1,1)+datetime.timedelta(days=rng.randint(0,600))).isoformat()
def name(): return rng.choice(FORE), rng.choice(SUR)
PRACTICES = [("A81001","The Elms Medical Centre"),("B82005","Riverside Surgery"),("C83012","Hillview Practice"),
             ("D81020","Market Street Health Centre"),("E84007","Parkside Group Practice"),("F85003","Castle Lane Surgery"),
             ("G82019","Moorfield Medical Practice"),("H81044","Station Road Clinic")]
WARDS = ["Ward 4","Ward 7","AMU","Ward 12","CCU","Ward 21"]

def repo(name, readme, files, truth):
    d = os.path.join(CORPUS, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "README.md"), "w") as f: f.write(readme)
    for path, content in files.items():
        p = os.path.join(d, path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if callable(content): content(p)
        else:
            with open(p, "w") as f: f.write(content)
    TRUTH[name] = truth

def csv(header, rows, sep=","):
    return sep.join(header) + "\n" + "".join(sep.join(str(c) for c in r) + "\n" for r in rows)
def md_table(header, rows):
    s = "| " + " | ".join(header) + " |\n|" + "|".join("---" for _ in header) + "|\n"
    return s + "".join("| " + " | ".join(str(c) for c in r) + " |\n" for r in rows)
def html_table(header, rows):
    s = "<table class=\"table\">\n<thead><tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr></thead>\n<tbody>\n"
    s += "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>\n" for r in rows)
    return s + "</tbody>\n</table>\n"
def html_doc(title, body): return f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body>\n<h1>{title}</h1>\n{body}\n</body></html>\n"
def readme(title, extra=""): return f"# {title}\n\nAn analysis project of a fictional NHS trust analytics team.\n\n{extra}\n"

def pos(rule, path, sev="error", outcome="fail", what=""):
    return {"kind": "positive", "rule": rule, "file": path, "severity": sev, "outcome": outcome, "planted": what}
def neg(path, what): return {"kind": "negative", "rule": None, "file": path, "planted": what}

# ---------------------------------------------------------------- POSITIVES
repo("p01-csv-nhs-number", readme("Cohort extract"), {
    "data/cohort.csv": csv(["nhs_number","admission_date","ward","los_days"],
        [[nhs_ew(), adate(), rng.choice(WARDS), rng.randint(1,20)] for _ in range(25)])},
    pos("data/nhs-number","data/cohort.csv",what="25 valid E&W NHS numbers, header nhs_number, plain digits"))

repo("p02-csv-nhs-no-spaced", readme("Outpatient list"), {
    "extracts/outpatients.csv": csv(["NHS No","Clinic","Appointment"],
        [[spaced(nhs_ew()), rng.choice(["Cardiology","Renal","Diabetes"]), adate()] for _ in range(18)])},
    pos("data/nhs-number","extracts/outpatients.csv",what="18 valid NHS numbers '3 3 4' spaced, header 'NHS No'"))

repo("p03-csv-patient-id-hyphen", readme("Referral tracker"), {
    "data/referrals.csv": csv(["patient_id","referral_date","specialty","priority"],
        [[hyph(nhs_ew()), adate(), rng.choice(["ENT","Ortho","Gastro"]), rng.choice(["routine","urgent","2WW"])] for _ in range(20)])},
    pos("data/nhs-number","data/referrals.csv",what="20 valid NHS numbers hyphenated 3-3-4, header patient_id"))

repo("p04-csv-neutral-id", readme("Ward stays"), {
    "data/stays.csv": csv(["id","admitted","discharged","ward"],
        [[nhs_ew(), adate(), adate(), rng.choice(WARDS)] for _ in range(15)])},
    pos("data/nhs-number","data/stays.csv",what="15 valid NHS numbers under neutral header 'id'"))

def jsonl_patients():
    lines = []
    for _ in range(14):
        f, s = name()
        lines.append(json.dumps({"event": "admission", "ts": adate(), "patient": {"nhs_number": nhs_ew(), "sex": rng.choice("MF")}, "ward": rng.choice(WARDS)}))
    return "\n".join(lines) + "\n"
repo("p05-jsonl-nested", readme("Event stream sample"), {"data/events.jsonl": jsonl_patients()},
    pos("data/nhs-number","data/events.jsonl",what="14 JSON Lines records, nested patient.nhs_number"))

def nested_json():
    recs = [{"encounter": {"id": f"ENC{i:05d}", "date": adate()}, "patient": {"identifiers": {"nhs_number": nhs_ew()}, "age_band": rng.choice(["18-39","40-64","65+"])}} for i in range(12)]
    return json.dumps({"source": "EPR export", "generated": "2024-03-01", "results": {"records": recs}}, indent=2)
repo("p06-json-nested-array", readme("EPR API dump"), {"api/responses/encounters.json": nested_json()},
    pos("data/nhs-number","api/responses/encounters.json",what="JSON object > results.records[] array, patient.identifiers.nhs_number nested 3 deep"))

def yaml_patients():
    s = "patients:\n"
    for _ in range(12):
        s += f"  - nhs_number: \"{nhs_ew()}\"\n    admitted: {adate()}\n    ward: \"{rng.choice(WARDS)}\"\n"
    return s
repo("p07-yaml-patients", readme("Bed board config"), {"config/patients.yaml": yaml_patients()},
    pos("data/nhs-number","config/patients.yaml",what="YAML list of 12 patient records with nhs_number (quoted strings)"))

def xlsx_nhs(p):
    import openpyxl
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Extract"
    ws["A1"] = "Patient extract - Trust PAS - run 2024-02-01"
    ws.append([]); ws.append(["NHS Number", "Surname", "Admission date", "Ward"])
    for _ in range(20):
        f, s = name()
        ws.append([int(nhs_ew()), s, datetime.date.fromisoformat(adate()), rng.choice(WARDS)])
    wb.save(p)
repo("p08-xlsx-nhs", readme("PAS extract workbook"), {"data/pas_extract.xlsx": xlsx_nhs},
    pos("data/nhs-number","data/pas_extract.xlsx",what="xlsx, title row + blank row, header row 3 'NHS Number', numbers stored as numeric cells, 20 rows"))
TRUTH["p08-xlsx-nhs"]["also"] = ["data/quasi-identifiers"]

repo("p09-md-report-nhs", readme("Readmissions report"), {
    "reports/readmissions.md": "# Readmissions within 30 days\n\nPatients readmitted in Q3:\n\n" +
        md_table(["NHS Number","Readmitted","Specialty"], [[spaced(nhs_ew()), adate(), rng.choice(["Resp","Cardio","Surgery"])] for _ in range(9)])},
    pos("data/nhs-number","reports/readmissions.md",what="Markdown table, 9 spaced NHS numbers, 'Patients readmitted' above"))

repo("p10-html-report-nhs", readme("Discharge summary report"), {
    "docs/report.Rmd": "---\ntitle: Delayed discharges\noutput: html_document\n---\n\n```{r}\nknitr::kable(delays)\n```\n",
    "docs/report.html": html_doc("Delayed discharges", "<p>Patients with delayed discharge this week.</p>\n" +
        html_table(["nhs_number","days_delayed","ward"], [[nhs_ew(), rng.randint(1,30), rng.choice(WARDS)] for _ in range(11)]))},
    pos("data/nhs-number","docs/report.html",what="knitted HTML report, <table> of 11 NHS numbers under nhs_number"))

def nb(cells):
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}, "nbformat": 4, "nbformat_minor": 5}, indent=1)
def nb_df_output():
    rows = [[nhs_ew(), rng.randint(20,90), rng.choice("MF")] for _ in range(10)]
    plain = ["   nhs_number  age sex\n"] + [f"{i}  {r[0]}  {r[1]:>3}   {r[2]}\n" for i, r in enumerate(rows)]
    html = ["<div>\n<table border=\"1\" class=\"dataframe\">\n<thead><tr style=\"text-align: right;\"><th></th><th>nhs_number</th><th>age</th><th>sex</th></tr></thead>\n<tbody>\n"] + \
           [f"<tr><th>{i}</th><td>{r[0]}</td><td>{r[1]}</td><td>{r[2]}</td></tr>\n" for i, r in enumerate(rows)] + ["</tbody>\n</table>\n</div>"]
    return nb([{"cell_type": "code", "execution_count": 1, "id": "a1", "metadata": {}, "outputs": [], "source": ["import pandas as pd\n", "df = pd.read_sql(q, conn)"]},
               {"cell_type": "code", "execution_count": 2, "id": "a2", "metadata": {}, "source": ["df.head(10)"],
                "outputs": [{"output_type": "execute_result", "execution_count": 2, "metadata": {}, "data": {"text/plain": plain, "text/html": html}}]}])
repo("p11-notebook-df-output", readme("Exploratory notebook"), {"notebooks/explore.ipynb": nb_df_output()},
    pos("data/nhs-number","notebooks/explore.ipynb",what="notebook execute_result: dataframe of 10 patients (text/plain + text/html) with nhs_number column"))

def nb_print_output():
    rows = [[nhs_ew(), rng.choice(WARDS), adate()] for _ in range(12)]
    text = ["    patient_nhs_no     ward    admitted\n"] + [f"{i:<3} {r[0]}  {r[1]:<8} {r[2]}\n" for i, r in enumerate(rows)]
    return nb([{"cell_type": "code", "execution_count": 3, "id": "b1", "metadata": {}, "source": ["print(patients)"],
                "outputs": [{"output_type": "stream", "name": "stdout", "text": text}]}])
repo("p12-notebook-print-stream", readme("Bed occupancy notebook"), {"analysis.ipynb": nb_print_output()},
    pos("data/nhs-number","analysis.ipynb",what="notebook stream output (print(df)) only, 12 NHS numbers under patient_nhs_no"))

def qi_rows(n, pc=postcode, d=dob):
    out = []
    for _ in range(n):
        f, s = name(); out.append([f, s, d(), pc()])
    return out
repo("p13-quasi-identifiers", readme("Community caseload"), {
    "data/caseload.csv": csv(["forename","surname","date_of_birth","postcode"], qi_rows(20))},
    pos("data/quasi-identifiers","data/caseload.csv",what="forename, surname, date_of_birth, full postcode, 20 rows"))

repo("p14-dob-postcode-only", readme("Screening invitations"), {
    "data/invites.csv": csv(["dob","home_postcode","invited_on","screening_programme"],
        [[dob(), postcode(), adate(), rng.choice(["AAA","Bowel","Breast"])] for _ in range(20)])},
    pos("data/quasi-identifiers","data/invites.csv",what="dob + home_postcode columns (no names), 20 rows"))

def qi_json():
    return json.dumps([{"person": {"name": {"given": f, "family": s}, "birthDate": d, "address": [{"postalCode": pc, "use": "home"}]}} for f, s, d, pc in qi_rows(12)], indent=1)
repo("p15-quasi-json-fhirish", readme("Demographics cache"), {"cache/demographics.json": qi_json()},
    pos("data/quasi-identifiers","cache/demographics.json",what="JSON array: person.name.given/family, birthDate, address[].postalCode (FHIR-like), 12 records"))

def gp_counts(lo, hi):
    return [[c, n, rng.randint(lo, hi)] for c, n in PRACTICES]
repo("p16-html-small-numbers", readme("Admissions by practice"), {
    "output/admissions_by_practice.html": html_doc("Emergency admissions by GP practice, March 2024",
        "<p>Emergency admissions of patients aged 90+ by registered practice.</p>\n" + html_table(["gp_practice_code","gp_practice_name","admissions"], gp_counts(1,7)))},
    pos("data/small-numbers","output/admissions_by_practice.html",sev="warning",what="rendered HTML table, 8 GP practices, admissions 1-7"))

repo("p17-md-small-numbers", readme("Quarto report"), {
    "report/index.qmd": "---\ntitle: Deaths by practice\n---\n\n```{python}\ndf\n```\n",
    "report/index.md": "# Deaths in hospital by GP practice\n\n" + md_table(["GP practice","Practice code","Deaths"], [[n, c, rng.randint(1,7)] for c, n in PRACTICES])},
    pos("data/small-numbers","report/index.md",sev="warning",what="Quarto-rendered Markdown table, deaths 1-7 by GP practice"))

repo("p18-csv-small-numbers", readme("PCN activity"), {
    "data/pcn_patients.csv": csv(["pcn","practice_code","number_of_patients"], [["North PCN", c, rng.randint(1,7)] for c, n in PRACTICES])},
    pos("data/small-numbers","data/pcn_patients.csv",sev="warning",what="CSV keyed by pcn/practice_code, number_of_patients 1-7"))

repo("p19-chi-scottish", readme("Scottish SMR01 extract"), {
    "data/smr01_extract.csv": csv(["CHI","health_board","admission_date","specialty"],
        [[chi(), rng.choice(["S08000015","S08000031","S08000024"]), adate(), rng.choice(["C1","A1","H2"])] for _ in range(20)])},
    pos("data/chi-number","data/smr01_extract.csv",what="20 valid CHI numbers (DDMMYY prefix, Mod 11) under header CHI"))

repo("p20-hc-northern-ireland", readme("NI waiting list"), {
    "data/waiting_list.csv": csv(["health_and_care_number","trust","referral_date"],
        [[hc(), rng.choice(["Belfast","Western","Southern"]), adate()] for _ in range(20)])},
    pos("data/nhs-number","data/waiting_list.csv",what="20 valid H&C numbers (320-399 range) under health_and_care_number"))

notes = ["Patient reports worsening breathlessness on exertion over three weeks, no chest pain.",
         "Seen with daughter; confusion since Tuesday, urine dip positive, started on antibiotics.",
         "Fell at home overnight, long lie approximately six hours, CK raised, for fluids and review.",
         "Known COPD, sats 88% on air, nebulised and responded well, discharge plan discussed with family.",
         "Wound on left shin slow to heal, district nurse to dress twice weekly, review in clinic.",
         "Declined admission, capacity assessed and documented, safety netting advice given to husband.",
         "Reports low mood after bereavement, sleeping poorly, signposted to talking therapies service.",
         "Chest clear, abdomen soft and non-tender, plan to repeat bloods on Friday before discharge."]
repo("p21-free-text-notes", readme("Clinic notes export"), {
    "data/clinic_notes.csv": csv(["episode_ref","clinic","clinical_notes"],
        [[f"EP{i:04d}", rng.choice(["Resp","Frailty","Wound"]), '"' + notes[i % len(notes)] + (" Follow-up booked." if i >= 8 else "") + '"'] for i in range(12)])},
    pos("data/free-text","data/clinic_notes.csv",sev="info",outcome="needs-review",what="free-text clinical_notes column, 12 rows of varied sentences"))

repo("p22-tsv-nhs", readme("A&E attendances"), {
    "data/ae_attendances.tsv": csv(["nhs_no","arrival","disposal"], [[nhs_ew(), adate(), rng.choice(["admitted","discharged","transferred"])] for _ in range(16)], sep="\t")},
    pos("data/nhs-number","data/ae_attendances.tsv",what="TSV, 16 NHS numbers under nhs_no"))

repo("p23-sql-inserts", readme("Database seed"), {
    "db/seed.sql": "-- seed patients table\nCREATE TABLE patient (nhs_number CHAR(10), surname VARCHAR(50), ward VARCHAR(20));\n" +
        "".join(f"INSERT INTO patient (nhs_number, surname, ward) VALUES ('{nhs_ew()}', '{name()[1]}', '{rng.choice(WARDS)}');\n" for _ in range(8))},
    pos("data/nhs-number","db/seed.sql",what="SQL INSERTs into patient table, 8 valid NHS numbers"))

repo("p24-r-literals", readme("Cohort selection"), {
    "R/select_cohort.R": "# patients to exclude from the cohort (opted out)\nexcluded_patients <- c(" +
        ", ".join(f'"{nhs_ew()}"' for _ in range(6)) + ")\ncohort <- dplyr::filter(df, !nhs_number %in% excluded_patients)\n"},
    pos("data/nhs-number","R/select_cohort.R",what="R character vector of 6 valid NHS numbers, 'patients' and nhs_number nearby"))

def xlsx_two_sheets(p):
    import openpyxl
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Summary"
    ws.append(["Metric","Value"]); ws.append(["Patients", 14])
    ws2 = wb.create_sheet("Patient list")
    ws2.append(["patient_nhs_number","date_of_birth","postcode"])
    for _ in range(14):
        ws2.append([nhs_ew(), datetime.date.fromisoformat(dob()), postcode()])
    wb.save(p)
repo("p25-xlsx-second-sheet", readme("Audit workbook"), {"outputs/audit.xlsx": xlsx_two_sheets},
    pos("data/nhs-number","outputs/audit.xlsx",what="xlsx, NHS numbers (as text) + DOB (date cells) + postcode on second sheet 'Patient list'; also QI"))
TRUTH["p25-xlsx-second-sheet"]["also"] = ["data/quasi-identifiers"]

def ndjson_qi():
    return "".join(json.dumps({"nhs_number": nhs_ew(), "demographics": {"date_of_birth": dob(), "postcode": postcode()}}) + "\n" for _ in range(10))
repo("p26-ndjson-nhs", readme("Message log"), {"logs/messages.ndjson": ndjson_qi()},
    pos("data/nhs-number","logs/messages.ndjson",what=".ndjson, 10 records nhs_number + demographics.date_of_birth + demographics.postcode; also QI"))
TRUTH["p26-ndjson-nhs"]["also"] = ["data/quasi-identifiers"]

# ---------------------------------------------------------------- NEGATIVES
repo("n01-test-range-999", readme("Test patients", "## Data\n\nAll NHS numbers are in the 999 test range."), {
    "data/test_patients.csv": csv(["nhs_number","admission_date","ward"], [[nhs_test(), adate(), rng.choice(WARDS)] for _ in range(25)])},
    neg("data/test_patients.csv","25 valid NHS numbers all in 999 test range"))

def isbn_rows():
    rows = []
    for i in range(20):
        rows.append([mod11_in(400000000, 499999999) if i % 2 else mod11_in(0, 199999999), f"Title {i}", rng.randint(1990, 2023)])
    return rows
repo("n02-isbn-column", readme("Library catalogue"), {"data/books.csv": csv(["isbn","title","year"], isbn_rows())},
    neg("data/books.csv","20 ISBN-10s (valid Mod 11; half 4xxxxxxxxx i.e. in E&W range) under header isbn"))

repo("n03-order-ids-fail-mod11", readme("Order system"), {
    "data/orders.csv": csv(["order_id","supplier","amount"], [[invalid10(rng.choice("4567")), rng.choice(["Acme","Medco"]), rng.randint(10,999)] for _ in range(30)])},
    neg("data/orders.csv","30 10-digit order ids starting 4-7, all failing Mod 11"))

repo("n04-phone-numbers", readme("Contact list"), {
    "data/contacts.csv": csv(["team","phone"], [[rng.choice(["Estates","IT","Pharmacy"]), rand10("7")] for _ in range(40)])},
    neg("data/contacts.csv","40 random 10-digit numbers starting 7 under header phone (~9% pass Mod 11)"))

repo("n05-aggregate-large-counts", readme("Admissions by practice"), {
    "output/admissions.html": html_doc("Admissions by GP practice", html_table(["gp_practice_code","gp_practice_name","admissions"], gp_counts(10, 400))),
    "data/admissions.csv": csv(["gp_practice_code","gp_practice_name","admissions"], gp_counts(12, 300))},
    neg("output/admissions.html","GP-practice aggregates, all counts >= 10 (HTML and CSV)"))

def supp(): return rng.choice(["*", "<5", "*", "<5"])
repo("n06-aggregate-suppressed", readme("Suppressed report"), {
    "report/deaths.md": "# Deaths by practice\n\nCounts under 5 suppressed.\n\n" + md_table(["Practice code","Deaths"], [[c, supp() if i % 2 else rng.randint(10,50)] for i, (c, n) in enumerate(PRACTICES)]),
    "data/deaths.csv": csv(["practice_code","deaths"], [[c, supp() if i % 2 else rng.randint(10,50)] for i, (c, n) in enumerate(PRACTICES)])},
    neg("report/deaths.md","GP-practice table: counts >= 10 or suppressed as * / <5"))

repo("n07-zz99-synthetic", readme("Synthetic cohort", "## Data\n\nSynthetic: 999-range NHS numbers and ZZ99 pseudo-postcodes."), {
    "data/synthetic_patients.csv": csv(["nhs_number","forename","surname","date_of_birth","postcode"],
        [[nhs_test(), *name(), dob(), zz99()] for _ in range(20)])},
    neg("data/synthetic_patients.csv","999-range NHS numbers + names + DOB + ZZ99 pseudo-postcodes"))

repo("n08-single-number-prose", readme("Validation helper", "## Usage\n\nFor example the patient with NHS number " + spaced(nhs_ew()) + " is validated by `check_nhs()`.\n"), {
    "R/check.R": "check_nhs <- function(x) nchar(x) == 10\n"},
    neg("README.md","one valid in-range NHS number in prose near 'patient'"))

repo("n09-out-of-range-reference", readme("Case references"), {
    "data/cases.csv": csv(["case_reference","opened","team"], [[mod11_in(800000000, 989999999), adate(), rng.choice(["A","B"])] for _ in range(25)])},
    neg("data/cases.csv","25 valid-Mod11 numbers 800-989 (out of every range) under case_reference"))

repo("n10-test-fixture-qi", readme("Validation library", "Tests use invented people."), {
    "tests/fixtures/people.csv": csv(["forename","surname","date_of_birth","postcode"], qi_rows(15))},
    neg("tests/fixtures/people.csv","names+DOB+postcodes in tests/fixtures (no NHS numbers) - documented as weak"))

repo("n11-md-example-data", readme("Data dictionary"), {
    "docs/dictionary.md": "# Input format\n\nThe loader expects one row per person.\n\n**Example data** (invented):\n\n" + md_table(["forename","surname","date_of_birth","postcode"], qi_rows(5))},
    neg("docs/dictionary.md","Markdown QI table introduced 'Example data (invented)'"))

repo("n12-region-small-counts", readme("National summary"), {
    "report/summary.md": "# Cases by region\n\n" + md_table(["region","cases"], [[r, rng.randint(1,7)] for r in ["North East","North West","Midlands","East","London","South East","South West"]])},
    neg("report/summary.md","counts 1-7 keyed by region (documented as not a small-area key)"))

repo("n13-rank-by-practice", readme("Practice league table"), {
    "data/league.csv": csv(["gp_practice_code","rank","score"], [[c, i + 1, round(rng.uniform(50,99),1)] for i, (c, n) in enumerate(PRACTICES)])},
    neg("data/league.csv","rank 1-8 keyed by gp_practice_code (rank is not a count)"))

repo("n14-isbn-prose", readme("Reading list", "## References\n\n" + "".join(f"- Book {i}, ISBN {mod11_in(0, 199999999)}\n" for i in range(5)) +
     "".join(f"- Book {i}, ISBN-10: {hyph(mod11_in(400000000, 499999999))}\n" for i in range(5, 9))), {},
    neg("README.md","9 ISBN-10s in prose, introduced by 'ISBN' / 'ISBN-10:'"))

repo("n15-epoch-timestamps", readme("Telemetry"), {
    "data/telemetry.csv": csv(["timestamp","sensor","reading"], [[rng.randint(1600000000, 1750000000), rng.choice(["t1","t2"]), round(rng.uniform(0,1),3)] for _ in range(40)])},
    neg("data/telemetry.csv","40 epoch-second timestamps (10 digits, 16x-17x) under timestamp"))

repo("n16-uprn", readme("Estates"), {
    "data/sites.csv": csv(["uprn","site_name"], [[mod11_in(400000000, 799999999), f"Site {i}"] for i in range(20)])},
    neg("data/sites.csv","20 valid in-range Mod 11 numbers under header uprn"))

repo("n17-example-943", readme("NHS number validator", "## Example\n\n```\n>>> validate('943 476 5919')\nTrue\n```\nThe example NHS number 943 476 5919 from old NHS documents is valid.\n"), {
    "validator.py": "def validate(n):\n    \"\"\"validate('9434765919') -> True; patient NHS number check\"\"\"\n    n = n.replace(' ', '')\n    return len(n) == 10\n"},
    neg("README.md","943 476 5919 (out-of-range doc example) in README and docstring"))

repo("n18-random-ids", readme("Ticket export"), {
    "data/tickets.csv": csv(["id","created","status"], [[rand10("4567"), adate(), rng.choice(["open","closed"])] for _ in range(60)])},
    neg("data/tickets.csv","60 random 10-digit ids 4-7xxx under neutral 'id' (~9% pass Mod 11)"))

repo("n19-invoice-valid", readme("Finance"), {
    "data/invoices.csv": csv(["invoice_number","supplier","net"], [[mod11_in(400000000, 499999999), rng.choice(["Medco","Acme"]), rng.randint(100,9999)] for _ in range(20)])},
    neg("data/invoices.csv","20 valid in-range Mod 11 numbers under invoice_number"))

repo("n20-sql-test-range", readme("Test DB"), {
    "db/test_seed.sql": "-- test patients, 999 range only\n" + "".join(f"INSERT INTO patient (nhs_number, ward) VALUES ('{nhs_test()}', '{rng.choice(WARDS)}');\n" for _ in range(10))},
    neg("db/test_seed.sql","SQL INSERTs into patient table, 10 NHS numbers all 999-range"))

repo("n21-nhs-header-out-of-range", readme("Mapping table"), {
    "data/mapping.csv": csv(["nhs_number","mapped_code"], [[mod11_in(800000000, 989999999), f"M{i}"] for i in range(20)])},
    neg("data/mapping.csv","20 valid Mod 11 but out-of-range (800-989) under nhs_number header"))

repo("n22-postcode-district-counts", readme("Activity by postcode district"), {
    "data/district_activity.csv": csv(["postcode_district","attendances"], [[o, rng.randint(20,500)] for o in OUTWARD])},
    neg("data/district_activity.csv","postcode districts (outward code only) with counts >= 20"))

repo("n23-category-labels", readme("Lookup"), {
    "data/lookup.csv": csv(["code","gender_description"], [[i, rng.choice(["Female","Male","Not known","Not specified"])] for i in range(30)])},
    neg("data/lookup.csv","repeating category description column (not free text)"))

repo("n24-env-example", readme("Service", "Copy `.env.example` to `.env`."), {
    ".env.example": "DB_HOST=localhost\nDB_PASSWORD=<password>\nAPI_TOKEN=changeme\n",
    "app.py": "import os\nPASSWORD = os.environ['DB_PASSWORD']\n"},
    neg(".env.example","template env file with placeholders"))

repo("n25-yaml-config-numbers", readme("Pipeline config"), {
    "config/pipeline.yaml": "pipeline:\n  run_ids:\n" + "".join(f"    - {rand10('4567')}\n" for _ in range(15)) + "  batch_size: 5\n"},
    neg("config/pipeline.yaml","YAML list of 15 random 10-digit run ids (not patient)"))

repo("n26-dates-only-aggregate", readme("Births by month"), {
    "data/births.csv": csv(["month","trust","births"], [[f"2023-{m:02d}", "RXX", rng.randint(150,400)] for m in range(1,13)])},
    neg("data/births.csv","monthly births by trust, counts >= 150"))


# ---------------------------------------------------------------- ROUND 2: harder, realistic variants
def uk_dob():
    return datetime.date.fromisoformat(dob()).strftime("%d/%m/%Y")
repo("p27-csv-title-preamble", readme("Monthly PAS extract"), {
    "data/monthly_extract.csv": "Patient extract - Trust PAS - run 2024-02-01\n\n" + csv(["NHS Number","Surname","Ward"], [[nhs_ew(), name()[1], rng.choice(WARDS)] for _ in range(20)])},
    pos("data/nhs-number","data/monthly_extract.csv",what="CSV with a title line + blank line before the header row 'NHS Number', 20 rows"))
# The surname beside each NHS number is a quasi-identifier too (added by the lead after the
# first scoring: the original truth listed one rule per repository).
TRUTH["p27-csv-title-preamble"]["also"] = ["data/quasi-identifiers"]

def xlsx_plain(p):
    import openpyxl
    wb = openpyxl.Workbook(); ws = wb.active
    ws.append(["NHS Number", "Ward"])
    for _ in range(20): ws.append([int(nhs_ew()), rng.choice(WARDS)])
    wb.save(p)
repo("p28-xlsx-numeric-header-row1", readme("Ward list workbook"), {"data/ward_list.xlsx": xlsx_plain},
    pos("data/nhs-number","data/ward_list.xlsx",what="xlsx, header in row 1, NHS numbers as numeric cells, 20 rows (control for p08)"))

repo("p29-csv-pandas-float", readme("Pandas export"), {
    "output/cohort_out.csv": csv(["", "nhs_number","age"], [[i, f"{nhs_ew()}.0", rng.randint(18,95)] for i in range(20)])},
    pos("data/nhs-number","output/cohort_out.csv",what="pandas to_csv with float NHS numbers '4xxxxxxxxx.0' and unnamed index column, 20 rows"))

repo("p30-qi-uk-dates", readme("District nursing list"), {
    "data/dn_list.csv": csv(["Patient Name","DOB","Postcode"], [[" ".join(name()), uk_dob(), postcode().replace(" ", "") if i % 2 else postcode()] for i in range(20)])},
    pos("data/quasi-identifiers","data/dn_list.csv",what="'Patient Name' (full name), DOB dd/mm/yyyy, postcodes half without space, 20 rows"))

repo("p31-json-numbers", readme("API cache"), {
    "cache/patients.json": json.dumps([{"nhsNumber": int(nhs_ew()), "wardCode": rng.choice(WARDS)} for _ in range(12)])},
    pos("data/nhs-number","cache/patients.json",what="JSON array, camelCase nhsNumber as JSON numbers (not strings), 12 records"))

repo("p32-log-text", readme("Interface engine"), {
    "logs/interface.log": "".join(f"2024-03-0{i%9+1} 10:0{i%10}:00 INFO processed ADT^A01 for patient NHS {nhs_ew()} ward {rng.choice(WARDS)}\n" for i in range(12))},
    pos("data/nhs-number","logs/interface.log",what="plain-text log, 12 lines 'for patient NHS <number>'"))

repo("p33-html-no-thead", readme("Legacy report"), {
    "site/patients.htm": "<html><body><p>Patients on the virtual ward</p><table border=1>\n<tr><th>NHS Number</th><th>Name</th></tr>\n" +
        "".join(f"<tr><td>{spaced(nhs_ew())}</td><td>{name()[1]}</td></tr>\n" for _ in range(10)) + "</table></body></html>\n"},
    pos("data/nhs-number","site/patients.htm",what=".htm, table without <thead>, 10 spaced NHS numbers"))

repo("p34-semicolon-csv", readme("European-locale export"), {
    "data/export.csv": csv(["nhs_number","admission_date","ward"], [[nhs_ew(), adate(), rng.choice(WARDS)] for _ in range(20)], sep=";")},
    pos("data/nhs-number","data/export.csv",what="semicolon-separated .csv, 20 NHS numbers"))

repo("p35-small-numbers-partial-suppression", readme("Admissions by practice"), {
    "output/admissions.md": "# Admissions by GP practice\n\nSmall counts are suppressed.\n\n" + md_table(["Practice","Number of admissions"], [[c, "<5" if i % 3 == 0 else rng.randint(5, 7)] for i, (c, n) in enumerate(PRACTICES)])},
    pos("data/small-numbers","output/admissions.md",sev="warning",what="practice table where <5 suppressed but 5-7 left unsuppressed under 'Number of admissions'"))

repo("p36-chi-json", readme("Scottish API"), {
    "data/chi_records.json": json.dumps({"records": [{"patient": {"chi_number": chi()}, "board": "NHS Lothian"} for _ in range(12)]}, indent=1)},
    pos("data/chi-number","data/chi_records.json",what="nested JSON patient.chi_number, 12 valid CHI"))

repo("p37-xlsx-qi", readme("Clinic list workbook"), {"data/clinic_list.xlsx": lambda p: (lambda wb: (wb.active.append(["Forename","Surname","Date of Birth","Post Code"]), [wb.active.append([*name(), datetime.date.fromisoformat(dob()), postcode()]) for _ in range(15)], wb.save(p)))(__import__('openpyxl').Workbook())},
    pos("data/quasi-identifiers","data/clinic_list.xlsx",what="xlsx, Forename/Surname/'Date of Birth' (date cells)/'Post Code', 15 rows"))

repo("n27-999-spaced-text", readme("Test harness", "## Test patients\n\n" + "".join(f"- patient {spaced(nhs_test())}\n" for _ in range(8))), {},
    neg("README.md","8 spaced 999-range numbers next to 'patient' in README"))

repo("n28-isbn10-header", readme("Bookshop"), {
    "data/stock.csv": csv(["ISBN-10","Title"], [[mod11_in(400000000, 799999999), f"Book {i}"] for i in range(20)])},
    neg("data/stock.csv","20 in-range Mod 11 numbers under header 'ISBN-10'"))

repo("n29-telephone-spaced", readme("Directory"), {
    "data/directory.csv": csv(["department","Telephone"], [[f"Dept {i}", spaced(rand10("7"))] for i in range(40)])},
    neg("data/directory.csv","40 random 10-digit numbers 3-3-4 spaced under 'Telephone'"))

repo("n30-practice-list-size", readme("Practice list sizes"), {
    "data/list_sizes.csv": csv(["gp_practice_code","registered_patients","gp_fte"], [[c, rng.randint(2000, 15000), rng.randint(1, 7)] for c, n in PRACTICES])},
    neg("data/list_sizes.csv","practices: registered_patients >= 2000 and gp_fte 1-7 (staff FTE, not patients)"))

repo("n31-fhir-mock", readme("PDS mock", "Mock responses of an API."), {
    "mocks/pds_response.json": json.dumps([{"name": [{"given": [f], "family": s}], "birthDate": d, "address": [{"postalCode": pc}], "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": nhs_test()}]} for f, s, d, pc in qi_rows(8)], indent=1)},
    neg("mocks/pds_response.json","FHIR-like mock under mocks/: names, birthDate, postcodes, 999-range NHS numbers"))


# ---------------------------------------------------------------- ROUND 3: more realistic outputs and decoys
def rmd_console():
    rows = [[nhs_ew(), rng.randint(20, 90), rng.choice(WARDS)] for _ in range(8)]
    out = "    ## # A tibble: 8 x 3\n    ##   nhs_number   age ward   \n    ##   <chr>      <int> <chr>  \n" + \
          "".join(f"    ## {i+1} {r[0]}    {r[1]} {r[2]}\n" for i, r in enumerate(rows))
    return "Cohort check\n================\n\n``` r\ncohort %>% head(8)\n```\n\n" + out
repo("p38-rmd-github-document", readme("Cohort check"), {"analysis/cohort_check.Rmd": "---\noutput: github_document\n---\n\n```{r}\ncohort %>% head(8)\n```\n",
    "analysis/cohort_check.md": rmd_console()},
    pos("data/nhs-number","analysis/cohort_check.md",what="R Markdown github_document output: console-printed tibble ('## ' prefixed) with 8 NHS numbers under nhs_number"))

repo("p39-md-short-table", readme("Incident review"), {
    "docs/incident.md": "# Incident review\n\nAffected records:\n\n" + md_table(["NHS Number","Issue"], [[nhs_ew(), "duplicate registration"] for _ in range(5)])},
    pos("data/nhs-number","docs/incident.md",what="Markdown table, only 5 rows, header 'NHS Number', plain digits"))

repo("p40-json-keyed-by-number", readme("Lookup cache"), {
    "cache/by_nhs.json": json.dumps({nhs_ew(): {"ward": rng.choice(WARDS), "admitted": adate()} for _ in range(12)}, indent=1)},
    pos("data/nhs-number","cache/by_nhs.json",what="JSON object whose keys are 12 NHS numbers (dict keyed by number)"))

def xlsx_small(p):
    import openpyxl
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Table 3"
    ws.append(["gp_practice_code","gp_practice_name","patients"])
    for c, n in PRACTICES: ws.append([c, n, rng.randint(1, 7)])
    wb.save(p)
repo("p41-xlsx-small-numbers", readme("Published tables"), {"output/tables.xlsx": xlsx_small},
    pos("data/small-numbers","output/tables.xlsx",sev="warning",what="xlsx sheet: patients 1-7 by gp_practice_code"))

repo("p42-yaml-qi", readme("Test-free config"), {
    "data/contacts.yml": "people:\n" + "".join(f"  - name: {' '.join(name())}\n    date_of_birth: {dob()}\n    postcode: {postcode()}\n" for _ in range(10))},
    pos("data/quasi-identifiers","data/contacts.yml",what="YAML list of 10 records name/date_of_birth/postcode"))

repo("p43-html-small-practice-names", readme("Practice dashboard"), {
    "docs/index.html": html_doc("Cancer referrals", "<h2>Two-week-wait referrals by practice</h2>\n" + html_table(["Practice","Number of patients"], [[n, rng.randint(1, 7)] for c, n in PRACTICES]))},
    pos("data/small-numbers","docs/index.html",sev="warning",what="HTML table 'Practice' (names only) x 'Number of patients' 1-7"))

repo("p44-quoted-uppercase", readme("Warehouse extract"), {
    "data/dw_extract.csv": csv(['"NHS_NUMBER"','"SPELL_START"'], [[f'"{nhs_ew()}"', f'"{adate()}"'] for _ in range(15)])},
    pos("data/nhs-number","data/dw_extract.csv",what="quoted values, upper-case NHS_NUMBER header, 15 rows"))

repo("n32-hashed-nhs", readme("Pseudonymised extract"), {
    "data/pseudo.csv": csv(["nhs_number_hash","admission_date"], [[__import__('hashlib').sha256(nhs_ew().encode()).hexdigest(), adate()] for _ in range(20)])},
    neg("data/pseudo.csv","SHA-256 hashes of NHS numbers (pseudonymised)"))

repo("n33-masked-nhs", readme("Masked report"), {
    "report/masked.md": "# Patients (masked)\n\n" + md_table(["NHS Number","Ward"], [[spaced(nhs_ew())[:3] + " *** ****", rng.choice(WARDS)] for _ in range(10)])},
    neg("report/masked.md","NHS numbers masked as '401 *** ****'"))

repo("n34-rate-by-practice", readme("Rates"), {
    "report/rates.md": "# Admission rates by practice\n\n" + md_table(["gp_practice_code","admission_rate_per_1000"], [[c, rng.randint(1, 7)] for c, n in PRACTICES])},
    neg("report/rates.md","admission_rate_per_1000 integers 1-7 by practice (rate, not a count)"))

repo("n35-yob-sector-aggregate", readme("Cohort profile"), {
    "data/profile.csv": csv(["year_of_birth","postcode_sector","patients"], [[rng.randint(1940, 2000), f"{rng.choice(OUTWARD)} {rng.randint(1,9)}", rng.randint(10, 90)] for _ in range(20)])},
    neg("data/profile.csv","year_of_birth + postcode_sector aggregates, counts >= 10"))

repo("n36-999-hyphen-json", readme("API sandbox", "The sandbox uses test patients only."), {
    "sandbox/patients.json": json.dumps([{"patient": {"nhs_number": hyph(nhs_test()), "name": " ".join(name()), "birthDate": dob()}} for _ in range(12)], indent=1)},
    neg("sandbox/patients.json","12 sandbox patients, 999-range hyphenated NHS numbers, names and DOBs (no postcodes)"))

repo("n37-practice-codes-only", readme("Reference data"), {
    "data/practices.csv": csv(["gp_practice_code","gp_practice_name","pcn_code","open"], [[c, n, f"U{rng.randint(10000,99999)}", rng.randint(0, 1)] for c, n in PRACTICES])},
    neg("data/practices.csv","practice reference table with a 0/1 'open' flag"))

# write truth
with open(os.path.join(ROOT, "truth.json"), "w") as f:
    json.dump(TRUTH, f, indent=2)
print(len(TRUTH), "repos;", sum(1 for t in TRUTH.values() if t["kind"] == "positive"), "positive")
