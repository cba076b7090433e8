"""`kb site build` on different days: the date reaches only the pages whose overdue flags it
moves, and a build with nothing changed does no page's work."""

import re

from kb.site.build import MANIFEST


def build(run_kb, kb, out, *args, env=None):
    result = run_kb("site", "build", "-o", out, *args, kb=kb, env=env)
    assert result.exit_code == 0, result.output
    return result


def tree(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def reopen_the_dialogue(repo):
    """The Law Enforcement Dialogue (due October 2024) made an open commitment."""
    path = repo / "meetings/2024-07-13-naqvi-blome.yaml"
    text = path.read_text()
    lapsed = "    due: 2024-10\n    status: lapsed\n    updates:\n      - date: 2026-11-24\n        status: lapsed\n"
    assert lapsed in text
    path.write_text(text.replace(lapsed, lapsed.replace("lapsed", "open").replace("2026-11-24", "2024-08-01")))


def test_two_days_give_the_same_bytes(run_kb, repo, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    build(run_kb, repo, first, "--today", "2030-01-01")
    build(run_kb, repo, second, env={"KB_TODAY": "2030-01-02"})
    assert tree(first) == tree(second)
    assert "2030-01-0" not in (first / "index.html").read_text()


def test_a_due_date_passing_rewrites_exactly_the_pages_that_list_the_commitment(run_kb, repo, tmp_path):
    reopen_the_dialogue(repo)
    out = tmp_path / "site"
    build(run_kb, repo, out, "--today", "2024-10-31")
    before = tree(out)
    result = build(run_kb, repo, out, "--today", "2024-11-01")
    after = tree(out)
    assert sorted(p for p in after if after[p] != before[p]) == [
        ".kb-site",  # the list of the files kb wrote holds each one's hash
        "commitments.html",
        "countries/PK.html",
        "countries/US.html",
        "index.html",
        "meetings/2024-07-13-naqvi-blome.html",
        # the pages of those it is open with (scope.open_items, as their briefs list it)
        "orgs/pk-islamabad-capital-territory-administration.html",
        "orgs/pk-islamabad-police.html",
        "orgs/pk-ministry-of-interior.html",
        "orgs/us-department-of-state.html",
        "orgs/us-embassy-islamabad.html",
        "people/ali-nasir-rizvi.html",
        "people/donald-blome.html",
        "people/khurram-ali-agha.html",
        "people/mohammad-ali-randhawa.html",
        "people/mohsin-naqvi.html",
        "people/natalie-baker.html",
        "problems.html",  # `kb check` on the site's day: KB602, the commitment is overdue
    ]
    assert re.search(r": (\d+) files, 17 written, ", result.stderr)
    assert "overdue" in (out / "meetings/2024-07-13-naqvi-blome.html").read_text()
    assert "overdue" not in before["meetings/2024-07-13-naqvi-blome.html"].decode()


def test_the_next_day_with_nothing_changed_writes_nothing(run_kb, repo, tmp_path):
    reopen_the_dialogue(repo)
    out = tmp_path / "site"
    first = build(run_kb, repo, out, "--today", "2024-11-01")
    total = int(re.search(r": (\d+) files", first.stderr).group(1))
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    for day in ("2024-11-01", "2024-11-02", "2024-12-31"):
        result = build(run_kb, repo, out, "--today", day)
        assert f": {total} files, 0 written, {total} unchanged" in result.stderr
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before
    # a new year redraws the open roles' bars (to the end of the chart's last year)
    result = build(run_kb, repo, out, "--today", "2025-01-01")
    assert " 0 written" not in result.stderr


def test_a_build_with_nothing_to_do_makes_no_copy_of_the_knowledge_base(run_kb, repo, tmp_path, monkeypatch):
    """The audience's copy of every meeting is made only when a page may be looked at."""
    from kb.site import visible

    out = tmp_path / "site"
    first = build(run_kb, repo, out, "--today", "2030-01-01", "--audience", "GREEN")
    total = int(re.search(r": (\d+) files", first.stderr).group(1))

    def refused(kb, readers):
        raise AssertionError("the audience's copy was made")

    monkeypatch.setattr(visible, "visible_kb", refused)
    again = build(run_kb, repo, out, "--today", "2030-01-02", "--audience", "GREEN")
    assert f": {total} files, 0 written, {total} unchanged" in again.stderr
    # the same count of meetings withheld as the build that made the copy
    assert first.stderr.split(";", 1)[1] == again.stderr.split(";", 1)[1]


def test_a_deleted_page_or_a_changed_record_is_noticed_after_a_shortcut(run_kb, repo, tmp_path):
    out = tmp_path / "site"
    build(run_kb, repo, out, "--today", "2030-01-01")
    build(run_kb, repo, out, "--today", "2030-01-02")
    (out / "site.css").unlink()
    result = build(run_kb, repo, out, "--today", "2030-01-02")
    assert "1 written" in result.stderr and (out / "site.css").is_file()
    path = repo / "meetings/2025-11-13-naqvi-biggar.yaml"
    path.write_text(path.read_text().replace("title: ", "title: Quokka ", 1))
    result = build(run_kb, repo, out, "--today", "2030-01-02")
    assert " 0 written" not in result.stderr
    assert "Quokka" in (out / "meetings/2025-11-13-naqvi-biggar.html").read_text()
    assert (out / MANIFEST).is_file()


def test_a_bad_day_is_a_usage_error(run_kb, repo, tmp_path):
    result = run_kb("site", "build", "-o", tmp_path / "site", "--today", "yesterday", kb=repo)
    assert result.exit_code == 2
    assert "--today" in result.output


def test_a_build_with_nothing_to_render_makes_no_template_environment(run_kb, repo, tmp_path, monkeypatch):
    """The templates are read for their stamp without Jinja2, and an environment is made only when
    a page is rendered: a new day with nothing to show otherwise imports no Jinja2."""
    from kb.rendering import templates

    out = tmp_path / "site"
    first = build(run_kb, repo, out, "--today", "2030-01-01")
    total = int(re.search(r": (\d+) files", first.stderr).group(1))

    def refused(*args, **options):
        raise AssertionError("a template environment was made")

    monkeypatch.setattr(templates, "environment", refused)
    for day in ("2030-01-02", "2030-06-30"):
        again = build(run_kb, repo, out, "--today", day)
        assert f": {total} files, 0 written, {total} unchanged" in again.stderr


def test_a_successor_beginning_on_the_day_reaches_the_pages_of_the_post(run_kb, repo, tmp_path):
    """A person's predecessors and successors are read on the day (scope.tenures): the day a
    successor's role begins, their page lists what is open from their predecessor's meeting, and
    the site is the one a build with no cache makes on that day."""
    reopen_the_dialogue(repo)
    (repo / "people/zz-successor.yaml").write_text(
        "id: zz-successor\nname: Zed Successor\ncountry: GB\nroles:\n  - title: Ambassador\n"
        "    post: us-chief-of-mission-pakistan\n    org: us-embassy-islamabad\n    country: US\n"
        "    start: 2024-11-15\n",
        encoding="utf-8",
    )
    out, cold = tmp_path / "site", tmp_path / "cold"
    build(run_kb, repo, out, "--today", "2024-11-14")
    before = tree(out)
    build(run_kb, repo, out, "--today", "2024-11-15")
    after = tree(out)
    assert run_kb("--no-cache", "site", "build", "-o", cold, "--today", "2024-11-15", kb=repo).exit_code == 0
    assert after == tree(cold)
    assert after["people/zz-successor.html"] != before["people/zz-successor.html"]
    assert "Law Enforcement Dialogue" in after["people/zz-successor.html"].decode()


def state_files(repo):
    (rest,) = (repo / ".kb-cache").glob("site-*.state.bin")
    (day,) = (repo / ".kb-cache").glob("site-*.day.bin")
    return rest, day


def test_a_new_day_with_no_record_changed_writes_the_day_s_part_of_the_state_alone(run_kb, repo, tmp_path):
    reopen_the_dialogue(repo)
    out = tmp_path / "site"
    build(run_kb, repo, out, "--today", "2024-10-31")
    rest, day = state_files(repo)
    kept = rest.read_bytes(), rest.stat().st_mtime_ns
    last_day = day.read_bytes()
    result = build(run_kb, repo, out, "--today", "2024-11-01")
    assert re.search(r": (\d+) files, 17 written, ", result.stderr)
    assert (rest.read_bytes(), rest.stat().st_mtime_ns) == kept and day.read_bytes() != last_day
    path = repo / "meetings/2025-11-13-naqvi-biggar.yaml"
    path.write_text(path.read_text().replace("title: ", "title: Quokka ", 1))
    build(run_kb, repo, out, "--today", "2024-11-01")
    assert rest.read_bytes() != kept[0]


def test_a_day_s_part_written_with_another_state_is_not_trusted(run_kb, repo, tmp_path):
    """The day's part of the state kept from an earlier build, beside the rest of a later one: the
    two are not read together (every page is looked at, as by the first build), and the site is
    the one a build with no cache makes."""
    reopen_the_dialogue(repo)
    out, cold = tmp_path / "site", tmp_path / "cold"
    first = re.search(r"\(\d+ looked at\)", build(run_kb, repo, out, "--today", "2024-10-31").stderr)
    _rest, day = state_files(repo)
    earlier = day.read_bytes()
    path = repo / "meetings/2025-11-13-naqvi-biggar.yaml"
    path.write_text(path.read_text().replace("title: ", "title: Quokka ", 1))
    build(run_kb, repo, out, "--today", "2024-10-31")
    day.write_bytes(earlier)
    result = build(run_kb, repo, out, "--today", "2024-11-01")
    assert first is not None and first.group() in result.stderr and "warning" not in result.stderr
    assert run_kb("--no-cache", "site", "build", "-o", cold, "--today", "2024-11-01", kb=repo).exit_code == 0
    assert tree(out) == tree(cold)


def test_the_names_are_worked_out_again_only_when_a_person_s_or_an_organisation_s_file_changed(
    run_kb, repo, tmp_path, monkeypatch
):
    """The names stamp and lookup (kb.site.deps) read the people's and organisations' files alone:
    an edited meeting keeps the last build's, an edited person does not."""
    from kb.site import deps

    out = tmp_path / "site"
    build(run_kb, repo, out, "--today", "2030-01-01")
    calls = []

    def counted(function):
        return lambda kb: calls.append(function.__name__) or function(kb)

    monkeypatch.setattr(deps, "names_stamp", counted(deps.names_stamp))
    monkeypatch.setattr(deps, "lookup", counted(deps.lookup))
    meeting = repo / "meetings/2024-07-13-naqvi-blome.yaml"
    meeting.write_text(meeting.read_text().replace("\ntitle: ", "\ntitle: Edited ", 1))
    assert " 0 written" not in build(run_kb, repo, out, "--today", "2030-01-01").stderr
    assert calls == []
    person = repo / "people/donald-blome.yaml"
    person.write_text(person.read_text().replace("\nname: ", "\nname: Renamed ", 1))
    renamed = build(run_kb, repo, out, "--today", "2030-01-01")
    assert calls == ["names_stamp", "lookup"]
    assert "Renamed Donald Blome" in (out / "people/donald-blome.html").read_text()
    assert " 0 written" not in renamed.stderr


def test_a_new_day_on_which_nothing_reads_otherwise_maps_no_page_s_reach(run_kb, repo, tmp_path, monkeypatch):
    """A day past the window the last build's records read alike in (kb.site.deps.day_window) is
    planned; when no outcome and no post reads otherwise on it, no page's reach is worked out."""
    from kb.site import deps

    out = tmp_path / "site"
    build(run_kb, repo, out, "--today", "2024-10-01")

    def refused(*args):
        raise AssertionError("the pages' reach was worked out")

    monkeypatch.setattr(deps, "Reach", refused)
    again = build(run_kb, repo, out, "--today", "2024-10-08")
    assert re.search(r": (\d+) files, 0 written, \1 unchanged \(1 looked at\)", again.stderr), again.stderr


def test_the_first_edit_after_a_new_day_takes_what_held_on_the_last_build_s_day(run_kb, tmp_path, monkeypatch):
    """Which outcomes of each meeting are open, and its spans of statuses on the years' ends (the
    home page's chart), kept by a build, hold on a later day of the same year for every meeting no
    event day separates the two days by (kb.site.deps.still_holding, still_spans): the first edit after
    a new day on which nothing changed works them out for few meetings, not for every one. The
    site is the cold build's."""
    from conftest import write_hub

    from kb.query import scope
    from kb.site import charts

    repo, out, cold = tmp_path / "kb", tmp_path / "site", tmp_path / "cold"
    write_hub(repo, 60)
    build(run_kb, repo, out, "--today", "2026-12-01")
    build(run_kb, repo, out, "--today", "2026-12-02")  # a new day, nothing changed
    asked: set[str] = set()
    spanned: list[str] = []
    open_item, meeting_spans = scope.open_item, charts.meeting_spans
    monkeypatch.setattr(
        scope, "open_item", lambda outcome, *rest: asked.add(outcome.meeting.id) or open_item(outcome, *rest)
    )
    monkeypatch.setattr(
        charts, "meeting_spans", lambda meeting, ends: spanned.append(meeting.id) or meeting_spans(meeting, ends)
    )
    meeting = sorted((repo / "meetings").rglob("*.yaml"))[-1]
    meeting.write_text(meeting.read_text().replace("\ntitle: ", "\ntitle: Edited ", 1))
    build(run_kb, repo, out, "--today", "2026-12-02")
    with_outcomes = [p for p in (repo / "meetings").rglob("*.yaml") if "\n    status: " in p.read_text()]
    assert len(asked) <= 2 < len(with_outcomes), (len(asked), len(with_outcomes))
    assert len(spanned) <= 2, spanned
    assert run_kb("--no-cache", "site", "build", "-o", cold, "--today", "2026-12-02", kb=repo).exit_code == 0
    assert tree(out) == tree(cold)
    # Into a new year (the chart's ends gain one), and then a month later, edits after each.
    for day in ("2026-12-31", "2027-01-01", "2027-02-01"):
        build(run_kb, repo, out, "--today", day)
        meeting.write_text(meeting.read_text().replace("\ntitle: ", "\ntitle: Edited ", 1))
        build(run_kb, repo, out, "--today", day)
        assert run_kb("--no-cache", "site", "build", "-o", cold, "--today", day, kb=repo).exit_code == 0
        assert tree(out) == tree(cold), day


def test_the_commitments_shares_are_read_packed_and_kept_as_the_same_bytes(run_kb, repo, tmp_path):
    """The last build's shares of the commitments' index are decoded only when a page asks for
    one: read, passed on and written again by a build that asks for none, they are the bytes read."""
    import marshal

    from kb.site.build import Packed, State, _digests_file
    from kb.store.loader import load

    out = tmp_path / "site"
    build(run_kb, repo, out, "--today", "2025-06-01")
    record = _digests_file(load(repo), out)
    state = State.read(record)
    assert isinstance(state.shares, Packed) and state.shares._made is None  # not decoded by reading
    data = state.shares.data
    assert Packed.bytes_of(state.shares) is data  # written again as read, without decoding
    shares = marshal.loads(data)
    assert shares and all(path.startswith("meetings/") for path in shares)
    assert state.shares == shares and dict(state.shares) == shares  # decoded when read
    assert marshal.loads(Packed.bytes_of(shares)) == shares
    assert Packed(data) == Packed(data) and Packed(data) != {}
