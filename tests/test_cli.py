"""The ``graphbuild`` command, run in-process through ``graphbuild.cli.main`` (and once as a process)."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from graphbuild import __version__
from graphbuild.cli import build_parser, main
from graphbuild.corpus import sample_gold_path
from graphbuild.errors import EXIT_FAILURE, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE

ROOT = Path(__file__).resolve().parents[1]

LISBONNE = (
    "Le Premier ministre portugais António Costa a reçu jeudi à Lisbonne le président du gouvernement espagnol "
    "Pedro Sánchez pour un sommet consacré à la gestion de l'eau et aux liaisons ferroviaires entre les deux pays.\n"
    "Les deux dirigeants ont signé un accord sur le partage des eaux du Tage et ont salué « une amitié ibérique "
    "exemplaire ».\n"
)
OTTAWA = (
    "Le Premier ministre canadien Justin Trudeau s'est entretenu mardi par téléphone avec le président mexicain "
    "Andrés Manuel López Obrador, a indiqué son bureau dans un communiqué publié à Ottawa.\n"
    "Les deux hommes ont discuté des échanges commerciaux nord-américains et de la coopération en matière de "
    "migrations. M. Trudeau a remercié son homologue pour l'accueil réservé aux entreprises canadiennes.\n"
)


def run(*argv) -> tuple[int, str, str]:
    """main(argv) with stdout and stderr captured: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    (folder / "lisbonne.txt").write_text(LISBONNE, encoding="utf-8")
    (folder / "ottawa.txt").write_text(OTTAWA, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(articles, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    code, stdout, stderr = run("build", articles, "--out", out)
    return code, stdout, stderr, out


def test_build_writes_the_graph_and_the_view_and_prints_a_summary(built):
    code, stdout, stderr, out = built
    assert code == EXIT_OK, stderr
    assert "error" not in stderr and "Traceback" not in stderr
    ttl, html = out / "graph.ttl", out / "graph.html"
    assert ttl.is_file() and html.is_file()
    text = ttl.read_text(encoding="utf-8")
    assert text.startswith("@prefix ")
    assert '"lisbonne.txt"' in text and '"ottawa.txt"' in text
    assert "<html" in html.read_text(encoding="utf-8").lower()
    assert stdout.startswith("2 documents, ")
    assert re.search(r"^actors: 4 persons, ", stdout, re.M)
    assert re.search(r"^interactions: 2 \(.*1 meeting.*1 phone call.*\)$", stdout, re.M)
    assert "not asserted: 0 planned, 0 requested, 0 denied" in stdout
    assert "António Costa — Pedro Sánchez (1)" in stdout
    assert f"written: {ttl}, {html}" in stdout


def test_query_who_spoke_with_whom_as_csv(built):
    ttl = built[3] / "graph.ttl"
    code, stdout, stderr = run("query", ttl, "who-spoke-with-whom", "--format", "csv")
    assert code == EXIT_OK, stderr
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert len(rows) == 2
    by_doc = {r["documents"]: r for r in rows}
    meeting = by_doc["lisbonne.txt"]
    assert (meeting["mode"], meeting["initiator"], meeting["addressee"], meeting["modality"]) == (
        "Meeting", "António Costa", "Pedro Sánchez", "Asserted")
    call = by_doc["ottawa.txt"]
    assert call["mode"] == "PhoneCall" and call["modality"] == "Asserted"
    assert set(call["participants"].split(", ")) == {"Justin Trudeau", "Andrés Manuel López Obrador"}


def test_query_with_a_parameter_as_json(built):
    ttl = built[3] / "graph.ttl"
    code, stdout, stderr = run("query", ttl, "interactions-of", "--param", "actor=pedro sánchez", "-f", "json")
    assert code == EXIT_OK, stderr
    doc = json.loads(stdout)
    assert "name" in doc["head"]["vars"]
    rows = [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]
    assert [(r["name"], r["role"], r["mode"], r["with"]) for r in rows] == [
        ("Pedro Sánchez", "addressee", "Meeting", "António Costa")]


def test_query_table_list_construct_and_errors(built):
    ttl = built[3] / "graph.ttl"
    code, stdout, _ = run("query", ttl, "SELECT ?n WHERE { ?p a dip:Person ; rdfs:label ?n } ORDER BY ?n",
                          "--engine", "rdflib")
    assert code == EXIT_OK
    assert stdout.splitlines()[2:] == ["Andrés Manuel López Obrador", "António Costa", "Justin Trudeau",
                                       "Pedro Sánchez", "(4 rows)"]
    code, stdout, _ = run("query", "--list")
    assert code == EXIT_OK and "who-spoke-with-whom" in stdout and "interactions-of (actor)" in stdout
    code, stdout, _ = run("query", ttl, "CONSTRUCT { ?p a dip:Person } WHERE { ?p rdfs:label \"Justin Trudeau\"@fr }")
    assert code == EXIT_OK and "person:justin-trudeau a dip:Person ." in stdout
    code, stdout, stderr = run("query", ttl, "interactions-of")
    assert code == EXIT_FAILURE and stdout == ""
    assert stderr.startswith("graphbuild: error: ") and "actor" in stderr and len(stderr.splitlines()) == 1
    code, _, stderr = run("query", ttl, "no-such-query")
    assert code == EXIT_FAILURE and "unknown query" in stderr
    assert run("query", ttl)[0] == EXIT_USAGE


def test_broken_input_gives_exit_3_and_the_rest_is_built(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "bon.txt").write_text(OTTAWA, encoding="utf-8")
    (src / "casse.txt").write_bytes(b"\x00\xff\x10 pas du texte \x00" * 8)
    code, stdout, stderr = run("build", src, "--out", tmp_path / "out", "--no-html")
    assert code == EXIT_PARTIAL
    assert f"{src / 'casse.txt'}: error: binary content" in stderr
    assert "Traceback" not in stderr
    ttl = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert '"bon.txt"' in ttl and "casse" not in ttl
    assert not (tmp_path / "out" / "graph.html").exists()
    assert stdout.startswith("1 document, ")


def test_a_document_the_extractor_fails_on_is_reported_and_the_rest_is_built(tmp_path, monkeypatch):
    import graphbuild.pipeline as pipeline

    real = pipeline.extract

    def failing(document, sdoc, lexicon):
        if document.id == "ottawa.txt":
            raise IndexError("list index out of range")
        return real(document, sdoc, lexicon)

    monkeypatch.setattr(pipeline, "extract", failing)
    src = tmp_path / "in"
    src.mkdir()
    (src / "lisbonne.txt").write_text(LISBONNE, encoding="utf-8")
    (src / "ottawa.txt").write_text(OTTAWA, encoding="utf-8")
    code, stdout, stderr = run("build", src, "--out", tmp_path / "out", "--no-html")
    assert code == EXIT_PARTIAL
    assert (f"{src / 'ottawa.txt'} (document ottawa.txt): error: extraction failed, document skipped: "
            "IndexError: list index out of range") in stderr
    assert "Traceback" not in stderr
    ttl = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "Pedro Sánchez" in ttl and "Trudeau" not in ttl


def test_nonexistent_input_is_exit_1_with_one_line(tmp_path):
    code, stdout, stderr = run("build", tmp_path / "absent", "--out", tmp_path / "out")
    assert code == EXIT_FAILURE
    assert stdout == ""
    assert stderr == f"graphbuild: error: {tmp_path / 'absent'}: no such file or folder\n"
    assert not (tmp_path / "out").exists()


def test_nothing_readable_is_exit_1_and_nothing_written(tmp_path):
    (tmp_path / "vide.txt").write_text("", encoding="utf-8")
    code, _, stderr = run("build", tmp_path / "vide.txt", "--out", tmp_path / "out")
    assert code == EXIT_FAILURE
    assert f"{tmp_path / 'vide.txt'}: error: empty input" in stderr
    assert "no document could be read" in stderr
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_stdin_other_formats_and_quiet(tmp_path, monkeypatch):
    line = json.dumps({"id": "depeche-1", "text": LISBONNE, "date": "2023-03-02"}, ensure_ascii=False)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(line.encode("utf-8")), encoding="utf-8"))
    code, stdout, stderr = run("build", "-", "--out", tmp_path, "--format", "ntriples", "--format", "json-ld",
                               "-f", "ntriples", "--no-html", "--quiet", "--base", "http://exemple.org/kg/")
    assert (code, stdout, stderr) == (EXIT_OK, "", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.jsonld", "graph.nt"]
    nt = (tmp_path / "graph.nt").read_text(encoding="utf-8")
    assert '"depeche-1"' in nt and "2023-03-02" in nt
    assert "<http://exemple.org/kg/doc/" in nt and "w3id.org/graphbuild/resource/" not in nt
    json.loads((tmp_path / "graph.jsonld").read_text(encoding="utf-8"))


def test_two_builds_are_byte_identical(articles, tmp_path):
    for name in ("a", "b"):
        assert run("build", articles, "--out", tmp_path / name, "--no-html", "-q")[0] == EXIT_OK
    first = (tmp_path / "a" / "graph.ttl").read_bytes()
    assert first == (tmp_path / "b" / "graph.ttl").read_bytes()
    # the same articles given in another order, as files
    code = run("build", articles / "ottawa.txt", articles / "lisbonne.txt", "--out", tmp_path / "c", "--no-html",
               "-q")[0]
    assert code == EXIT_OK
    assert (tmp_path / "c" / "graph.ttl").read_bytes() == first


def test_view_writes_html(built, tmp_path):
    ttl = built[3] / "graph.ttl"
    page = tmp_path / "vue.html"
    code, stdout, stderr = run("view", ttl, "-o", page, "--level", "state", "--with-topics", "--title", "Ibérie")
    assert code == EXIT_OK, stderr
    text = page.read_text(encoding="utf-8")
    assert "<title>Ibérie</title>" in text
    assert stdout == f"written: {page}\n"
    code, _, _ = run("view", ttl, "-o", tmp_path / "ego.html", "--focus", "Pedro Sánchez", "--depth", "2")
    assert code == EXIT_OK and (tmp_path / "ego.html").is_file()
    code, _, stderr = run("view", ttl, "-o", tmp_path / "x.html", "--focus", "Personne Inconnue")
    assert code == EXIT_FAILURE and stderr.startswith("graphbuild: error: ") and len(stderr.splitlines()) == 1
    code, _, stderr = run("view", tmp_path / "absent.ttl")
    assert code == EXIT_FAILURE and "absent.ttl" in stderr


def test_validate_the_sample_build(sample_ttl):
    code, stdout, stderr = run("validate", sample_ttl)
    assert code == EXIT_OK, stdout + stderr
    assert "conforms" in stdout


def test_validate_reports_a_broken_graph(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("""@prefix dip: <https://w3id.org/graphbuild/diplomacy#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/graphbuild/resource/event/x> a dip:PhoneCall, dip:Interaction ;
    dip:confidence "1.7"^^xsd:decimal .
""", encoding="utf-8")
    code, stdout, _ = run("validate", bad)
    assert code == EXIT_FAILURE
    assert "does not conform" in stdout
    assert "Violation: https://w3id.org/graphbuild/resource/event/x dip:confidence" in stdout


def test_score_prints_the_figures(sample_ttl, tmp_path):
    code, stdout, _ = run("score", sample_ttl, sample_gold_path())
    assert code == EXIT_OK
    assert re.search(r"^interaction F1 = \d\.\d{3}$", stdout.splitlines()[-1])
    code, stdout, _ = run("score", sample_ttl, sample_gold_path(), "--json")
    figures = json.loads(stdout)
    assert figures["documents"] == 12 and len(figures["interaction"]) == 3 and "misses" not in figures
    assert run("score", sample_ttl, sample_gold_path(), "--min-f1", "1")[0] in (EXIT_OK, EXIT_FAILURE)
    (tmp_path / "gold.jsonl").write_text('{"doc": "x"}\n{oops\n', encoding="utf-8")
    code, _, stderr = run("score", sample_ttl, tmp_path / "gold.jsonl")
    assert code == EXIT_FAILURE and f"{tmp_path / 'gold.jsonl'}:2: malformed JSON" in stderr


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["build", "--min-confidence", "1.5"],
                                  ["build", "--format", "rdfxml"], ["build", "--processes", "0"],
                                  ["build", "--base", "pas une IRI"], ["build", "--base", "http://exemple.org/kg"],
                                  ["query", "g.ttl", "q", "--param", "sans-egal"]])
def test_usage_errors_exit_2(argv):
    code, _, stderr = run(*argv)
    assert code == EXIT_USAGE
    assert "error" in stderr


def test_version():
    code, stdout, _ = run("--version")
    assert (code, stdout) == (EXIT_OK, f"graphbuild {__version__}\n")


def test_console_script_and_python_m():
    exe = Path(sys.executable).parent / "graphbuild"
    proc = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    for command in ("build", "view", "query", "validate", "score"):
        assert command in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "graphbuild", "--version"], capture_output=True, text=True,
                          timeout=120)
    assert (proc.returncode, proc.stdout) == (0, f"graphbuild {__version__}\n")
    proc = subprocess.run([sys.executable, "-m", "graphbuild", "build", "/nulle/part"], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == EXIT_FAILURE
    assert proc.stderr == "graphbuild: error: /nulle/part: no such file or folder\n"


def _commands_and_options():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, command in sub.choices.items():
        options = [s for a in command._actions for s in a.option_strings if s.startswith("--") and s != "--help"]
        yield name, options


def test_readme_documents_every_command_and_option():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, options in _commands_and_options():
        assert f"graphbuild {name}" in readme, f"README does not document `graphbuild {name}`"
        for option in options:
            assert re.search(rf"{re.escape(option)}\b", readme), f"README does not mention {name} {option}"
    assert "graphbuild --version" in readme
    for command in ("make run", "make test"):
        assert command in readme
