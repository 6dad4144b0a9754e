#!/usr/bin/env python3
"""Reads what `troupe-trace svg` writes for every fixture with Python's XML
parser, and checks it against `troupe-trace flow` of the same fixture: the
same participants in the same order, one arrow per message, one note per
note, the same labels.

usage: svg_check.py TROUPE_TRACE FIXTURES_DIR
"""
import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
ARROW = re.compile(r"^  P(\d+)(->>|-\)|-->>|-x)P(\d+): (.*)$")
NOTE = re.compile(r"^  Note over P(\d+): (.*)$")
PARTICIPANT = re.compile(r"^  participant P\d+ as (.*)$")


def unmermaid(text):
    """Mermaid's entity codes and <br/> back to the characters they stand for."""
    text = text.replace("<br/>", "\n")
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text)


def text_of(group):
    return "\n".join(t.text or "" for t in group.findall(SVG + "text"))


def classes(element):
    return element.get("class", "").split()


def check(exe, fixture):
    run = lambda command: subprocess.run(
        [exe, command, str(fixture)], check=True, capture_output=True
    ).stdout
    image = run("svg")
    if image != run("svg"):
        return ["two runs differ"]
    root = ET.fromstring(image)
    problems = []
    if root.tag != SVG + "svg" or root.get("version") != "1.1":
        problems.append(f"root is {root.tag} version {root.get('version')}")
    participants, arrows, notes = [], [], []
    for line in run("flow").decode().splitlines():
        if m := PARTICIPANT.match(line):
            participants.append(unmermaid(m.group(1)))
        elif m := ARROW.match(line):
            kind = {"->>": "ask", "-)": "tell", "-->>": "reply", "-x": "cancel"}[m.group(2)]
            arrows.append((kind, unmermaid(m.group(4))))
        elif m := NOTE.match(line):
            notes.append(unmermaid(m.group(2)))
    groups = [g for g in root.iter(SVG + "g")]
    columns = [text_of(g) for g in groups if "participant" in classes(g)]
    drawn = [
        (classes(g)[1], text_of(g)) for g in groups if classes(g)[:1] == ["message"]
    ]
    drawn_notes = [text_of(g) for g in groups if "note" in classes(g)]
    for what, want, got in [
        ("participants", participants, columns),
        ("arrows", arrows, drawn),
        ("notes", notes, drawn_notes),
    ]:
        if want != got:
            problems.append(f"{what}: flow has {want!r}, svg has {got!r}")
    return problems


def main():
    exe, fixtures = sys.argv[1], pathlib.Path(sys.argv[2])
    failed = 0
    for fixture in sorted(fixtures.glob("*.jsonl")):
        problems = check(exe, fixture)
        for p in problems:
            print(f"{fixture.name}: {p}")
        failed += bool(problems)
        print(f"{fixture.name}: {'FAILED' if problems else 'ok'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
