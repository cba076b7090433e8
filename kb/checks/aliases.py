"""A person's names in other scripts and languages: the codes they are given, and the letters."""

from __future__ import annotations

from kb.checks.registry import ERROR, WARNING, check, finding
from kb.model import scripts


def _aliases(kb):
    """(person, alias index, alias) of every alias of the people to check."""
    for person in kb.people_to_check:
        for index, alias in enumerate(person.aliases):
            yield person, index, alias


@check("KB407", "unknown-script-or-language", ERROR, reads="no-meetings")
def known_scripts_and_languages(kb):
    """An alias's `script` that is not an ISO 15924 code, or a `lang` that is not a BCP 47 tag of a known language.

    A script is four letters, capitalised (`Arab`, `Cyrl`, `Deva`, `Hans`); a language tag starts
    with the ISO 639 code, two letters where the language has them (`ur`, not `urd`), and may name
    a script and a region (`pa-Arab-PK`).

    Failing: people/mohsin-naqvi.yaml
        id: mohsin-naqvi
        name: Mohsin Naqvi
        aliases:
          - name: محسن نقوی
            kind: transliteration
            script: Arabic
            lang: urd

    Passing: people/mohsin-naqvi.yaml
        id: mohsin-naqvi
        name: Mohsin Naqvi
        aliases:
          - name: محسن نقوی
            kind: transliteration
            script: Arab
            lang: ur
    """
    for person, index, alias in _aliases(kb):
        for key, value, problem_of in (
            ("script", alias.script, scripts.script_problem),
            ("lang", alias.lang, scripts.language_problem),
        ):
            if value is not None and (problem := problem_of(value)):
                line, column = person.where("aliases", index, key)
                yield finding("KB407", person.relpath, line, column, *problem)


@check("KB611", "script-mismatch", WARNING, reads="no-meetings")
def scripts_match_the_letters(kb):
    """An alias written in another script than its `script` (or its `lang` tag's script subtag) says, or a `script` its `lang` contradicts.

    The script is what briefs and the site tell readers and browsers about the name; a wrong one
    is usually a copy-paste slip (the Urdu name pasted into the Russian alias). Leave `script`
    out to have it read from the letters.

    Failing: people/mohsin-naqvi.yaml
        id: mohsin-naqvi
        name: Mohsin Naqvi
        aliases:
          - name: Мохсин Накви
            kind: transliteration
            script: Arab

    Passing: people/mohsin-naqvi.yaml
        id: mohsin-naqvi
        name: Mohsin Naqvi
        aliases:
          - name: Мохсин Накви
            kind: transliteration
            script: Cyrl
            lang: ru
    """
    for person, index, alias in _aliases(kb):
        name, script, lang = alias.name, alias.script, alias.lang
        tagged = scripts.tag_script(lang)
        if script and tagged and script != tagged and tagged not in scripts.COVERS.get(script, ()):
            line, column = person.where("aliases", index, "lang")
            yield finding(
                "KB611",
                person.relpath,
                line,
                column,
                f"the language tag '{lang}' is in the script {tagged}, the alias says {script}",
                "make them agree, or leave script out",
            )
            continue
        declared = script or tagged
        if not declared or scripts.script_problem(declared):
            continue  # nothing declared (the letters decide), or an unknown code (KB407)
        if wrong := scripts.contradicts(declared, name):
            found = scripts.infer(name)
            line, column = person.where("aliases", index, "script" if script else "lang")
            said = "its script" if script else f"its language tag '{lang}'"
            yield finding(
                "KB611",
                person.relpath,
                line,
                column,
                f"the alias is written in {found or ', '.join(sorted(wrong))}, not {declared} as {said} says",
                f"write script: {found}" if found else "check the name and its script",
            )


@check("KB612", "several-native-names", WARNING, reads="no-meetings")
def one_native_name(kb):
    """More than one alias of a person is marked `native`: briefs show only the first.

    Mark the one name in the person's own language and script (for a Pakistani minister, the Urdu
    form, not the Arabic or Persian one).

    Failing: people/mohsin-naqvi.yaml
        id: mohsin-naqvi
        name: Mohsin Naqvi
        aliases:
          - name: محسن نقوی
            kind: transliteration
            lang: ur
            native: true
          - name: Мохсин Накви
            kind: transliteration
            lang: ru
            native: true

    Passing: people/mohsin-naqvi.yaml
        id: mohsin-naqvi
        name: Mohsin Naqvi
        aliases:
          - name: محسن نقوی
            kind: transliteration
            lang: ur
            native: true
          - name: Мохсин Накви
            kind: transliteration
            lang: ru
    """
    for person in kb.people_to_check:
        marked = [i for i, alias in enumerate(person.aliases) if alias.native]
        for index in marked[1:]:
            line, column = person.where("aliases", index, "native")
            first, _ = person.where("aliases", marked[0], "native")
            yield finding(
                "KB612",
                person.relpath,
                line,
                column,
                f"a second alias is marked native; briefs show the first (line {first})",
                "mark only the name in the person's own language and script as native",
            )
