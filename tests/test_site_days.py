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
