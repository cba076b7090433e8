"""Random TLP markings on the repository's own records: no text marked above the audience ever
appears in any brief or timeline, in any format, or in any file of a site built for it."""

import shutil

import yaml
from conftest import REPO
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kb.model.records import SENSITIVITY_ORDER
from kb.store.yamlread import parse_bytes

LEVELS = (None,) + SENSITIVITY_ORDER
PARTS = ("outcomes", "claims", "quotes", "notes")
BRIEF_FORMATS = ("md", "html", "json", "text")
TIMELINE_FORMATS = ("text", "md", "html", "json", "csv", "ics", "mermaid")
COUNTERPARTS = ("US", "natalie-baker", "graeme-biggar")


def copy_repository(root):
    for name in ("kb.yaml", "topics.yaml"):
        shutil.copy(REPO / name, root / name)
    for folder in ("meetings", "people", "orgs"):
        shutil.copytree(REPO / folder, root / folder)


def mark_records(root, draw_level):
    """Give every meeting and part a random marking and a unique token in its text; return the
    tokens with the marking that governs each (its own, else its meeting's, else CLEAR)."""
    tokens = {}
    for path in sorted((root / "meetings").glob("*.yaml")):
        record = parse_bytes(path.read_bytes(), path.name).data
        meeting_level = draw_level()
        if meeting_level:
            record["sensitivity"] = meeting_level
        effective_meeting = meeting_level or "CLEAR"
        token = f"zq{len(tokens)}zq"
        tokens[token] = (effective_meeting, effective_meeting, "title")
        record["title"] += f" {token}"
        record["summary"] = record.get("summary", "") + f" {token}s"
        tokens[f"{token}s"] = (effective_meeting, effective_meeting, "summary")
        for part in PARTS:
            for item in record.get(part, []):
                level = draw_level()
                if level:
                    item["sensitivity"] = level
                token = f"zq{len(tokens)}zq"
                tokens[token] = (effective_meeting, level or effective_meeting, part)
                item["text"] += f" {token}"
        path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False))
    return tokens


# Each example renders 33 outputs; shrinking such examples would take minutes, and a failure
# prints the markings and the token that leaked, which is enough to reproduce it.
@settings(max_examples=10, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), audience=st.sampled_from(SENSITIVITY_ORDER))
def test_nothing_marked_above_the_audience_appears_anywhere(tmp_path_factory, run_kb, data, audience):
    root = tmp_path_factory.mktemp("kb")
    copy_repository(root)
    tokens = mark_records(root, lambda: data.draw(st.sampled_from(LEVELS)))
    assert run_kb("check", "--format", "json", kb=root).output.strip() == "[]"

    rank = SENSITIVITY_ORDER.index
    withheld = [t for t, (meeting, own, _kind) in tokens.items()
                if rank(meeting) > rank(audience) or rank(own) > rank(audience)]
    outputs = []
    for counterpart in COUNTERPARTS:
        for format_ in BRIEF_FORMATS:
            result = run_kb("brief", counterpart, "--format", format_, "--audience", audience, kb=root)
            assert result.exit_code == 0, result.output
            outputs.append(result.output)
        for format_ in TIMELINE_FORMATS:
            result = run_kb("timeline", counterpart, "--format", format_, "--audience", audience, kb=root)
            assert result.exit_code == 0, result.output
            outputs.append(result.output)
    # and every file of a site built for the audience: pages, SVG, the search index
    site = root.parent / f"{root.name}-site"
    result = run_kb("site", "build", "-o", site, "--audience", audience, kb=root)
    assert result.exit_code == 0, result.output
    outputs += [path.read_text(encoding="utf-8") for path in sorted(site.rglob("*")) if path.is_file()]
    everything = "\n".join(outputs)
    for token in withheld:
        assert token not in everything, (token, tokens[token], audience)
    # and what may be seen is not lost: every visible meeting's title reaches the outputs
    for token, (_meeting, _own, kind) in tokens.items():
        if kind == "title" and token not in withheld:
            assert token in everything, token
