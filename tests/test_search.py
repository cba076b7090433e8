"""`kb search` on a copy of the repository's own records: ranking, stems, filters, aliases,
substrings, the incremental index and sensitivity."""

import json
import os
import re
import sqlite3

import pytest

from kb.store import files, index

NCA = "2025-11-13-naqvi-biggar"


@pytest.fixture
def search(run_kb, repo):
    def run(*args, kb=None):
        result = run_kb("search", *args, "--format", "json", kb=kb or repo)
        assert result.exit_code == 0, result.output
        return json.loads(result.output[result.output.index("{") :])  # after any warning

    return run


def refs(found):
    return [hit["ref"] for hit in found["hits"]]


def test_extradition_finds_the_nca_meeting_first(search):
    found = search("extradition")
    assert refs(found) == [NCA, f"{NCA}#extradition-support", f"{NCA}#five-mous", f"{NCA}#source-3"]
    assert found["total"] == 4
    top = found["hits"][0]
    assert top["title"] == "Interior Minister Naqvi meets UK National Crime Agency Director General Biggar"
    # the highlighted spans are the matched words
    assert {top["snippet"][a:b].casefold() for a, b in top["highlights"]} == {"extradition"}


def test_a_stem_finds_the_inflected_word_and_accents_do_not_matter(search):
    assert refs(search("extradite"))[:3] == refs(search("extradition"))[:3]
    assert f"{NCA}#training-cooperation" in refs(search("cooperating", "--kind", "outcome"))
    charge = refs(search("charge", "d'affaires", "--kind", "meeting"))
    assert charge == ["2026-01-24-naqvi-baker", "2025-12-06-naqvi-baker"]


def test_every_word_must_match_and_phrases_match_as_one(search):
    assert refs(search("extradition", "training")) == [NCA]  # the meeting speaks of both
    assert refs(search("extradition", "training", "--kind", "outcome")) == []  # no one outcome does
    assert refs(search('"mutual support"')) == [f"{NCA}#extradition-support"]
    assert refs(search('"support mutual"')) == []
    assert f"{NCA}#extradition-support" in refs(search("extradit*", "--kind", "outcome"))


def test_filters_narrow(search):
    everything = refs(search("narcotics", "--limit", "100"))
    assert {r.split("#")[0] for r in everything} == {
        "2024-07-13-naqvi-blome",
        NCA,
        "2025-12-06-naqvi-baker",
        "2026-01-24-naqvi-baker",
    }
    with_baker = refs(search("narcotics", "--with", "natalie-baker", "--limit", "100"))
    assert with_baker and {r.split("#")[0] for r in with_baker} == {"2025-12-06-naqvi-baker", "2026-01-24-naqvi-baker"}
    assert {r.split("#")[0] for r in refs(search("narcotics", "--country", "GB", "--limit", "100"))} == {NCA}
    assert {r.split("#")[0] for r in refs(search("narcotics", "--since", "2026", "--limit", "100"))} == {
        "2026-01-24-naqvi-baker"
    }
    assert {r.split("#")[0] for r in refs(search("narcotics", "--until", "2024", "--limit", "100"))} == {
        "2024-07-13-naqvi-blome"
    }
    assert {hit["kind"] for hit in search("narcotics", "--kind", "claim", "--limit", "100")["hits"]} == {"claim"}
    limited = search("narcotics", "--limit", "2")
    assert limited["count"] == 2 and limited["total"] == len(everything)


def test_names_match_through_aliases(search):
    # "Donald Bloom" is a recorded spelling of Donald Blome, who is never called that in a meeting's text
    assert refs(search("Donald", "Bloom", "--kind", "meeting")) == ["2024-07-13-naqvi-blome"]
    assert refs(search("Blome", "--kind", "meeting")) == ["2024-07-13-naqvi-blome"]


def test_substrings_and_names_in_other_scripts(search, repo):
    assert refs(search("tradit"))[0] == NCA  # part of a word: the trigram tables
    person = repo / "people" / "graeme-biggar.yaml"
    person.write_text(
        person.read_text(encoding="utf-8").replace(
            "aliases:\n",
            "aliases:\n  - name: 格雷姆\n    kind: transliteration\n  - name: 王毅\n    kind: transliteration\n",
            1,
        )
        if "aliases:\n" in person.read_text(encoding="utf-8")
        else person.read_text(encoding="utf-8") + "aliases:\n  - name: 格雷姆\n    kind: transliteration\n"
        "  - name: 王毅\n    kind: transliteration\n",
        encoding="utf-8",
    )
    assert refs(search("格雷姆", "--kind", "meeting")) == [NCA]  # three characters: trigrams
    assert refs(search("王毅", "--kind", "meeting")) == [NCA]  # two characters: scanned
    assert refs(search("雷", "--kind", "meeting")) == [NCA]


def test_a_red_meeting_never_surfaces_for_green(search, repo, run_kb):
    path = repo / "meetings" / f"{NCA}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("sensitivity: CLEAR", "sensitivity: RED"), encoding="utf-8"
    )
    assert search("extradition", "--audience", "GREEN") == {
        "format": "kb-search",
        "version": 1,
        "query": "extradition",
        "audience": "GREEN",
        "count": 0,
        "total": 0,
        "hits": [],
    }
    assert search("tradit", "--audience", "GREEN")["total"] == 0  # nor as a substring
    assert search("Biggar", "--audience", "amber+strict")["total"] == 0
    assert refs(search("extradition", "--audience", "RED"))[0] == NCA
    # kb.yaml's brief_audience is the default audience
    config = repo / "kb.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "brief_audience: GREEN\n", encoding="utf-8")
    assert search("extradition")["total"] == 0
    text = run_kb("search", "Biggar", "--format", "table", kb=repo).output
    assert "Biggar" not in text.replace("'Biggar'", "")


def test_withheld_items_do_not_move_the_ranking(search, repo):
    """bm25 weighs a word by how many items hold it: the scores a GREEN reader sees are those of a
    knowledge base without the RED meeting at all."""
    path = repo / "meetings" / f"{NCA}.yaml"
    marked = path.read_text(encoding="utf-8").replace("sensitivity: CLEAR", "sensitivity: RED")
    path.write_text(marked, encoding="utf-8")
    with_red = search("narcotics", "--audience", "GREEN", "--limit", "100")
    path.unlink()
    without = search("narcotics", "--limit", "100")
    assert with_red["hits"] == without["hits"]


def test_the_index_follows_edits_reading_only_what_changed(search, repo, monkeypatch):
    assert search("extradition")["total"] == 4
    read = []
    original = files.read_file_stamped

    def counting(root, relpath, kind):
        read.append(relpath)
        return original(root, relpath, kind)

    monkeypatch.setattr(files, "read_file_stamped", counting)
    path = repo / "meetings" / "2024-07-13-naqvi-blome.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("summary: ", "summary: Extradition of a fugitive was raised. ", 1),
        encoding="utf-8",
    )
    assert "2024-07-13-naqvi-blome" in refs(search("extradition"))
    # the index reads it, and so does the record cache (for the hits' counterparts): nothing else
    assert set(read) == {"meetings/2024-07-13-naqvi-blome.yaml"}
    path.unlink()
    assert not any(r.startswith("2024-07-13") for r in refs(search("Blome", "--limit", "100")))
    # the index reads it, and so does the record cache (for the hits' counterparts): nothing else
    assert set(read) == {"meetings/2024-07-13-naqvi-blome.yaml"}
    # a person changed: rebuilt, and the new alias is found
    person = repo / "people" / "donald-blome.yaml"
    person.write_text(person.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert search("extradition")["total"] == 4


def test_the_index_reads_an_edit_with_the_schemas_checks_as_stored(search, repo, monkeypatch):
    """A new process (its compiled schemas forgotten) brings the index up to date with the
    schemas' checks the first reader stored in the cache folder: nothing compiled again."""
    from kb.store import schemacode, schemas

    search("extradition")
    monkeypatch.setattr(schemas, "_CODES", {})
    schemas._fast_validator.cache_clear()

    def refused(*args):
        raise AssertionError("the schemas were compiled again")

    monkeypatch.setattr(schemacode, "schema_code", refused)
    path = repo / "meetings" / "2024-07-13-naqvi-blome.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("summary: ", "summary: Zanzibar. ", 1), encoding="utf-8")
    assert refs(search("zanzibar")) == ["2024-07-13-naqvi-blome"]


def test_a_meeting_in_a_subfolder_is_followed_as_any_other(search, repo):
    """The index knows the files every command reads (kb.store.files.walk): a meeting kept in a
    subfolder of meetings/ is found, and an edit to it is seen by the next search."""
    folder = repo / "meetings" / "2024"
    folder.mkdir()
    path = (repo / "meetings" / "2024-07-13-naqvi-blome.yaml").rename(folder / "2024-07-13-naqvi-blome.yaml")
    assert refs(search("zanzibar")) == []
    path.write_text(
        path.read_text(encoding="utf-8").replace("summary: ", "summary: Zanzibar came up. ", 1), encoding="utf-8"
    )
    assert refs(search("zanzibar")) == ["2024-07-13-naqvi-blome"]


def test_a_broken_meeting_is_left_out_and_a_damaged_index_rebuilt(search, repo, run_kb):
    search("extradition")
    index.path_of(repo).write_bytes(b"not a database at all" * 100)
    assert search("extradition")["total"] == 4
    assert sqlite3.connect(index.path_of(repo)).execute("SELECT count(*) FROM docs").fetchone()[0] > 50
    path = repo / "meetings" / f"{NCA}.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    assert search("extradition")["total"] == 0
    result = run_kb("search", "Blome", "--format", "text", kb=repo)
    assert result.exit_code == 0
    assert (
        f"kb: warning: 1 file could not be read and is left out (first: meetings/{NCA}.yaml); "
        "run `kb check` for details"
    ) in result.output
    said = f"kb: warning: 1 file could not be read and is left out (first: meetings/{NCA}.yaml); run `kb check` for details\n"
    # with no hit the index says it, in the same words as every command that loads (they said "1 file(s)")
    assert run_kb("search", "nothingmatchesthis", kb=repo).stderr == said
    index.path_of(repo).unlink()  # rebuilt from the knowledge base: the same warning
    assert "kb: warning: 1 file could not be read" in run_kb("search", "Blome", kb=repo).output


def test_no_cache_writes_no_index(run_kb, repo):
    result = run_kb("--no-cache", "search", "extradition", "--format", "text", kb=repo)
    assert result.exit_code == 0
    assert result.output.splitlines()[0].split("\t")[:3] == ["2025-11-13", NCA, "meeting"]
    assert "«extradition»" in result.output.casefold()
    assert not index.path_of(repo).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (['""'], "nothing to search for"),
        (["--", "-*-"], "nothing to search for"),
        (["x", "--audience", "PURPLE"], "--audience: 'PURPLE' is not a TLP level"),
        (["x", "--with", "nobody-at-all"], "--with: no person or organisation matches 'nobody-at-all'"),
        (["x", "--since", "2024-13"], "--since:"),
    ],
)
def test_bad_input_is_a_clear_error(run_kb, repo, args, message):
    result = run_kb("search", *args, kb=repo)
    assert result.exit_code == 2
    assert result.output.startswith(f"kb: error: {message}"), result.output


def test_table_format_shows_the_hits(run_kb, repo):
    result = run_kb("search", "extradition", "--format", "table", kb=repo)
    assert result.exit_code == 0
    assert re.search(r"4 hits for 'extradition'", result.output)
    assert NCA in result.output
    assert "Interior" in result.output and "Graeme" in result.output


def test_an_edit_keeping_size_and_time_is_still_seen(search, repo):
    """Within the clock tick of the last index, an edit may keep the file's size and mtime."""
    path = repo / "meetings" / "2024-07-13-naqvi-blome.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")  # just written: too recent for its stamp to be trusted
    before = path.stat()
    assert "2024-07-13-naqvi-blome" not in refs(search("zanzibar"))
    word = re.search(r"summary: >-\n +(?:\S+ )*?([A-Za-z]{8}) ", text).group(1)
    path.write_text(text.replace(f" {word} ", " Zanzibar ", 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert "2024-07-13-naqvi-blome" in refs(search("zanzibar"))


NCA_MEETING = (
    "Interior Minister Naqvi meets UK National Crime Agency Director General Biggar, with Graeme Biggar, Jane Marriott"
)


@pytest.mark.parametrize(
    ("kind", "line"),
    [
        (
            "meeting",
            f"2025-11-13\t{NCA}\tmeeting\t{NCA_MEETING}\t…closely against online child exploitation and on "
            "«extradition» cases, and to finalise five MoUs. Biggar condemned…",
        ),
        (
            "outcome",
            f"2025-11-13\t{NCA}#extradition-support\toutcome\t{NCA_MEETING}\tIncrease mutual support in "
            "«extradition» cases. commitment PK GB Ministry of Interior Ministry of Interior and…",
        ),
        (
            "source",
            f"2025-11-13\t{NCA}#source-3\tsource\t{NCA_MEETING}\t"
            "ARY News https://arynews.tv/pakistan-uk-cooperation-on-«extradition»-combating-exploitation",
        ),
    ],
)
def test_every_hit_names_its_meeting_and_quotes_the_match(run_kb, repo, kind, line):
    result = run_kb("search", "extradition", "--kind", kind, "--format", "text", kb=repo)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == line


def test_json_hits_carry_the_meeting_and_the_marked_snippet(search):
    hit = search("extradition", "--kind", "outcome", "--limit", "1")["hits"][0]
    assert {k: hit[k] for k in ("kind", "item", "date", "title", "counterparts", "counterpart_people", "marked")} == {
        "kind": "outcome",
        "item": "extradition-support",
        "date": "2025-11-13",
        "title": "Interior Minister Naqvi meets UK National Crime Agency Director General Biggar",
        "counterparts": ["Graeme Biggar", "Jane Marriott"],
        "counterpart_people": ["graeme-biggar", "jane-marriott"],
        "marked": "Increase mutual support in [extradition] cases. commitment PK GB Ministry of Interior "
        "Ministry of Interior and…",
    }
    assert hit["snippet"] == hit["marked"].replace("[", "").replace("]", "")


def test_a_meeting_hit_quotes_its_summary_before_its_topics(search):
    # the topic "law enforcement" lists extradition among its synonyms: the summary is quoted, not them
    snippet = search("extradition", "--kind", "meeting")["hits"][0]["snippet"]
    assert snippet.startswith("…closely against online child exploitation")


def test_a_snippet_never_quotes_a_withheld_item(search, repo):
    path = repo / "meetings" / f"{NCA}.yaml"
    text = path.read_text(encoding="utf-8")
    marked = text.replace("- id: extradition-support\n", "- id: extradition-support\n    sensitivity: RED\n", 1)
    assert marked != text
    path.write_text(marked, encoding="utf-8")
    found = search("mutual", "support", "--audience", "GREEN", "--limit", "100")
    assert all("mutual support" not in hit["snippet"] for hit in found["hits"])
    assert f"{NCA}#extradition-support" in refs(search("mutual", "support", "--audience", "RED"))
