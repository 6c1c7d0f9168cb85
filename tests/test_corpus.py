"""Units of the reader (graphbuild.corpus): every input form, normalisation, problems."""
from __future__ import annotations

import io
import json
import unicodedata

import pytest

from graphbuild.corpus import normalize_text, read_inputs, sample_gold_path, sample_path
from graphbuild.errors import InputError

ARTICLE_A = "La ministre des Affaires étrangères du Pérou a reçu lundi son homologue chilien à Lima."
ARTICLE_B = "Le chancelier autrichien s'est entretenu par téléphone avec le Premier ministre grec."


def read(specs, **kwargs):
    problems = []
    docs = list(read_inputs([str(s) for s in specs], problems, **kwargs))
    return docs, problems


def write_jsonl(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def test_text_file_is_one_document_named_after_the_file(tmp_path):
    (tmp_path / "lima.txt").write_text(ARTICLE_A + "\n", encoding="utf-8")
    docs, problems = read([tmp_path / "lima.txt"])
    assert problems == []
    assert len(docs) == 1
    assert docs[0].id == "lima.txt"
    assert docs[0].text == ARTICLE_A
    assert docs[0].origin == str(tmp_path / "lima.txt")
    assert docs[0].lang == "fr" and docs[0].title is None and docs[0].date is None


def test_folder_is_read_recursively_in_order_skipping_hidden_and_other_files(tmp_path):
    (tmp_path / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    (tmp_path / "sous" / "dossier").mkdir(parents=True)
    (tmp_path / "sous" / "dossier" / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "x.txt").write_text("Texte caché qu'on ne lit pas.", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "notes.md").write_text("# pas un article", encoding="utf-8")
    docs, problems = read([tmp_path])
    assert problems == []
    assert [d.id for d in docs] == ["b.txt", "sous/dossier/a.txt"]
    assert [d.text for d in docs] == [ARTICLE_B, ARTICLE_A]


def test_glob_pattern(tmp_path):
    for name, text in (("un.txt", ARTICLE_A), ("deux.txt", ARTICLE_B), ("trois.text", ARTICLE_A)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    docs, problems = read([tmp_path / "*.txt"])
    assert problems == []
    assert sorted(d.id for d in docs) == ["deux.txt", "un.txt"]


def test_jsonl_with_all_fields(tmp_path):
    row = {"id": "art-7", "text": ARTICLE_B, "title": "Entretien  téléphonique", "date": "2021-05-04T10:00:00Z",
           "url": "https://exemple.org/a7", "source": "Agence fictive", "lang": "fr"}
    path = write_jsonl(tmp_path / "lot.jsonl", [row, {"id": "art-8", "text": ARTICLE_A}])
    docs, problems = read([path])
    assert problems == []
    first, second = docs
    assert (first.id, first.text, first.title, first.date, first.url, first.source, first.lang) == (
        "art-7", ARTICLE_B, "Entretien téléphonique", "2021-05-04", "https://exemple.org/a7", "Agence fictive", "fr")
    assert first.origin == f"{path}:1"
    assert (second.id, second.text, second.title, second.date, second.origin) == (
        "art-8", ARTICLE_A, None, None, f"{path}:2")


def test_jsonl_bad_date_is_a_warning_and_the_document_is_kept(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [{"id": "x", "text": ARTICLE_A, "date": "4 mai 2021"}])
    docs, problems = read([path])
    assert [d.id for d in docs] == ["x"] and docs[0].date is None
    assert [(p.location, p.severity) for p in problems] == [(f"{path}:1", "warning")]


def test_stdin_plain_text():
    docs, problems = read(["-"], stdin=io.BytesIO(ARTICLE_A.encode("utf-8")))
    assert problems == []
    assert [(d.id, d.text) for d in docs] == [("stdin", ARTICLE_A)]


def test_stdin_json_lines():
    data = "\n".join(json.dumps({"id": i, "text": t}, ensure_ascii=False)
                     for i, t in (("s1", ARTICLE_A), ("s2", ARTICLE_B)))
    docs, problems = read(["-"], stdin=io.BytesIO(data.encode("utf-8")))
    assert problems == []
    assert [(d.id, d.text, d.origin) for d in docs] == [("s1", ARTICLE_A, "<stdin>:1"), ("s2", ARTICLE_B, "<stdin>:2")]


def test_normalisation_nfc_apostrophes_quotes_and_spaces(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Le président a qualifié l’entretien de «\u00a0très cordial\u00a0» ")
    raw = decomposed + "et a cité “un partenaire\u202fsûr”.\r\nDeuxième   ligne\u00a0!"
    (tmp_path / "n.txt").write_text(raw, encoding="utf-8")
    docs, problems = read([tmp_path / "n.txt"])
    assert problems == []
    text = docs[0].text
    assert text == ("Le président a qualifié l'entretien de « très cordial » et a cité \"un partenaire sûr\".\n"
                    "Deuxième ligne !")
    assert unicodedata.is_normalized("NFC", text)
    assert normalize_text("\ufeffà\u00adbientôt") == "àbientôt"


@pytest.mark.parametrize("content", [b"", b"   \n\t\n"])
def test_empty_file_is_an_error_problem(tmp_path, content):
    (tmp_path / "vide.txt").write_bytes(content)
    docs, problems = read([tmp_path / "vide.txt"])
    assert docs == []
    assert [(p.location, p.severity, p.message) for p in problems] == [(str(tmp_path / "vide.txt"), "error",
                                                                         "empty input")]


def test_binary_file_is_reported_and_others_still_read(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (tmp_path / "z.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 20)
    docs, problems = read([tmp_path])
    assert [d.id for d in docs] == ["a.txt"]
    assert len(problems) == 1
    assert problems[0].location == str(tmp_path / "z.txt") and problems[0].severity == "error"
    assert "binary" in problems[0].message


def test_cp1252_is_decoded_with_a_warning(tmp_path):
    text = "Le député a évoqué « l'accord » signé à Genève – sans détails."
    (tmp_path / "ancien.txt").write_bytes(text.encode("cp1252"))
    docs, problems = read([tmp_path / "ancien.txt"])
    assert [d.text for d in docs] == [text]
    assert len(problems) == 1
    assert problems[0].severity == "warning" and "cp1252" in problems[0].message


def test_malformed_json_line_is_located_and_the_other_lines_read(tmp_path):
    path = write_jsonl(tmp_path / "m.jsonl", [{"id": "ok-1", "text": ARTICLE_A}, '{"id": "cassé", "text": "sans fin',
                                              "", {"id": "ok-2", "text": ARTICLE_B}])
    docs, problems = read([path])
    assert [(d.id, d.text) for d in docs] == [("ok-1", ARTICLE_A), ("ok-2", ARTICLE_B)]
    assert len(problems) == 1
    assert problems[0].location == f"{path}:2"
    assert problems[0].severity == "error" and "malformed JSON" in problems[0].message
    assert str(problems[0]).startswith(f"{path}:2: error: ")


@pytest.mark.parametrize("row, field", [({"id": "sans-texte"}, "text"), ({"text": ARTICLE_A}, "id"),
                                        ({"id": "vide", "text": ""}, "text")])
def test_missing_field(tmp_path, row, field):
    path = write_jsonl(tmp_path / "f.jsonl", [row, {"id": "bon", "text": ARTICLE_B}])
    docs, problems = read([path])
    assert [d.id for d in docs] == ["bon"]
    assert [p.location for p in problems] == [f"{path}:1"]
    assert "missing field" in problems[0].message and field in problems[0].message


def test_non_object_line(tmp_path):
    path = write_jsonl(tmp_path / "l.jsonl", ['["une", "liste"]', {"id": "bon", "text": ARTICLE_B}])
    docs, problems = read([path])
    assert [d.id for d in docs] == ["bon"]
    assert [p.location for p in problems] == [f"{path}:1"]


def test_duplicate_ids_inside_a_file_and_across_inputs(tmp_path):
    path = write_jsonl(tmp_path / "dup.jsonl", [{"id": "même", "text": ARTICLE_A}, {"id": "même", "text": ARTICLE_B}])
    docs, problems = read([path])
    assert [(d.id, d.text) for d in docs] == [("même", ARTICLE_A)]
    assert [p.location for p in problems] == [f"{path}:2"] and "duplicate" in problems[0].message

    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "note.txt").write_text(ARTICLE_A, encoding="utf-8")
    (tmp_path / "y" / "note.txt").write_text(ARTICLE_B, encoding="utf-8")
    docs, problems = read([tmp_path / "x" / "note.txt", tmp_path / "y" / "note.txt"])
    assert [(d.id, d.text) for d in docs] == [("note.txt", ARTICLE_A)]
    assert [p.location for p in problems] == [str(tmp_path / "y" / "note.txt")]
    assert "duplicate" in problems[0].message


def test_nonexistent_path_raises_input_error(tmp_path):
    (tmp_path / "bon.txt").write_text(ARTICLE_A, encoding="utf-8")
    with pytest.raises(InputError, match="nulle-part"):
        read([tmp_path / "bon.txt", tmp_path / "nulle-part"])


def test_glob_without_match_is_not_an_error(tmp_path):
    docs, problems = read([tmp_path / "*.txt"])
    assert docs == [] and problems == []


def test_embedded_sample_and_its_gold_agree():
    docs, problems = read([sample_path()])
    assert problems == []
    gold = [json.loads(line) for line in sample_gold_path().read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(docs) >= 10
    assert [d.id for d in docs] == [g["doc"] for g in gold]
