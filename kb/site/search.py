"""The site's search index: one entry per meeting, person, organisation, country and topic, with
its text folded as kb.model.text.normalise folds it (case, accents, punctuation), written as a
script (``search-index.js``) so that search works from ``file://``, where a page cannot fetch."""

from __future__ import annotations

import json

from kb.model import countries
from kb.model.text import normalise
from kb.site.pages import href


def entries(site) -> list[dict]:
    kb = site.kb
    found = []
    for meeting in reversed(site.meetings):
        place = meeting.get("location") or {}
        names = [site.name_of("person", p) for p in meeting.person_ids()]
        names += [site.name_of("org", o) for o in sorted(meeting.org_ids())]
        topics = [site.name_of("topic", t) for t in meeting.get("topics", [])]
        text = " ".join([meeting.title, *names, *topics, place.get("place") or "",
                         countries.name(place.get("country")) or "", *sorted(meeting.sides()),
                         *(countries.name(s) or "" for s in sorted(meeting.sides())), meeting.get("summary") or "",
                         *(o.data.get("text", "") for o in meeting.outcomes)])
        found.append({"k": "meeting", "t": meeting.title, "u": href("meeting", meeting.id), "d": str(meeting.date),
                      "n": normalise(meeting.title), "x": normalise(text),
                      "c": sorted(meeting.sides() | ({place["country"]} if place.get("country") else set()))})
    for person in sorted(kb.people.values(), key=lambda p: p.id):
        names = [person.name, *(a["name"] for a in person.get("aliases", []) if a.get("kind") != "weak")]
        text = " ".join([*names, *(r.title for r in person.roles), countries.name(person.country()) or ""])
        found.append({"k": "person", "t": person.name, "u": href("person", person.id), "d": "",
                      "n": " ".join(normalise(n) for n in names), "x": normalise(text),
                      "c": [person.country()] if person.country() else []})
    for org in sorted(kb.orgs.values(), key=lambda o: o.id):
        names = org.matching_names()
        found.append({"k": "org", "t": org.name, "u": href("org", org.id), "d": "",
                      "n": " ".join(normalise(n) for n in names), "x": normalise(" ".join(names)),
                      "c": [org.get("country")] if org.get("country") else []})
    for code in site.countries:
        name = countries.name(code) or code
        found.append({"k": "country", "t": name, "u": href("country", code), "d": "",
                      "n": normalise(f"{name} {code}"), "x": normalise(f"{name} {code}"), "c": [code]})
    for topic in kb.topics.values():
        found.append({"k": "topic", "t": topic.label, "u": href("topic", topic.id), "d": "",
                      "n": normalise(topic.label), "x": normalise(" ".join([topic.label, *topic.synonyms])), "c": []})
    return found


def index_script(site) -> str:
    data = json.dumps(entries(site), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # "</" cannot end a script element that holds this text; JSON allows "<\/".
    return "window.KB_INDEX = " + data.replace("</", "<\\/") + ";\n"
