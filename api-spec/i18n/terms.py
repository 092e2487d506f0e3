#!/usr/bin/env python3
"""Terminology check of api-spec/i18n/en: for every Chinese source containing a glossary term,
which English rendering its entry uses. Prints, per term, each distinct rendering with its count
and one example, then the entries that use none of the glossary's renderings (outliers).

Usage: python3 api-spec/i18n/terms.py   (from the workspace root; needs PyYAML)
"""
import re
import sys
from collections import Counter, defaultdict

import yaml

# term -> (glossary rendering regex, other renderings seen in translations of the term)
GLOSSARY = {
    "产品": (r"\bproducts?\b|ProductKey|ProductName|ProductSecret|product_key",
             r"\bgoods\b|\bmodels?\b|\bitems?\b"),
    "设备": (r"\bdevices?\b|DeviceName|DeviceSecret|IotId|sub-devices?",
             r"\bequipment\b|\bterminals?\b|\bhardware\b"),
    "物模型": (r"\bTSL model\b|\bTSL\b",
              r"\bthing models?\b|\bthings? specification\b|\bobject models?\b|\bdata models?\b"),
    "Topic": (r"\btopics?\b",
              r"\bTopics?\b"),
    "属性": (r"\bpropert(y|ies)\b",
            r"\battributes?\b|\bfeatures?\b|\bcharacteristics?\b"),
}


def sources():
    """(file, key, Chinese source, English) of every entry, the source read from the spec."""
    sys.path.insert(0, ".")
    out = []
    for service in ("aliyun-iot", "aliyun-mqtt"):
        entries = yaml.safe_load(open(f"api-spec/i18n/en/{service}.yaml", encoding="utf-8"))
        texts = spec_texts(yaml.safe_load(open(f"api-spec/{service}.yaml", encoding="utf-8")))
        for key, e in entries.items():
            out.append((service, key, texts.get(key, ""), e["en"]))
    return out


def spec_texts(spec):
    """Chinese text by i18n key, for the keys this check needs (a subset mirror of
    iotcloud_spec::i18n::texts: descriptions, enum meanings, notes, summaries, groups, rules)."""
    t = {}

    def field(key, f):
        t[key] = f.get("description", "")
        seen = Counter()
        for v in f.get("enum", []):
            seen[v["value"]] += 1
            k = f"{key}.enum.{v['value']}" + (f"#{seen[v['value']]}" if seen[v["value"]] > 1 else "")
            t[k] = v["description"]
        for i, n in enumerate(f.get("constraints", {}).get("notes", []), 1):
            t[f"{key}.note.{i}"] = n

    def rules(key, lst):
        for r in lst or []:
            t[f"{key}." + "|".join("+".join(a) for a in r["alternatives"])] = r["text"]

    for f in spec.get("common_parameters", []):
        field(f"common.{f['name']}", f)
    for e in spec.get("errors", []):
        t[f"error.{e['code']}"] = e["description"]
        if e.get("group"):
            t[f"error.{e['code']}.group"] = e["group"]
    for op in spec["operations"]:
        o = op["name"]
        for k in ("summary", "description", "group"):
            if op.get(k):
                t[f"{o}.{k}"] = op[k]
        if op.get("rate_limit"):
            t[f"{o}.rate_limit"] = op["rate_limit"]["text"]
        rules(f"{o}.one_of", op.get("one_of"))
        for f in op.get("request", []):
            field(f"{o}.request.{f['name']}", f)
        for f in op.get("response", []):
            field(f"{o}.response.{f['name']}", f)
        for s in op.get("structs", []):
            t[f"{o}.struct.{s['name']}"] = s.get("description", "")
            rules(f"{o}.struct.{s['name']}.one_of", s.get("one_of"))
            for f in s["fields"]:
                field(f"{o}.struct.{s['name']}.{f['name']}", f)
    return t


def is_good(term, good, rendering):
    return re.fullmatch(good, rendering, 0 if term == "Topic" else re.I) is not None


def main():
    entries = sources()
    missing = [k for _, k, zh, _ in entries if not zh]
    if missing:
        print(f"warning: {len(missing)} keys not mirrored: {missing[:3]}")
    outliers_total = 0
    for term, (good, other) in GLOSSARY.items():
        renderings = Counter()
        example = {}
        outliers = []
        for service, key, zh, en in entries:
            if term not in zh:
                continue
            flags = 0 if term == "Topic" else re.I
            found = {m.group(0) if flags == 0 else m.group(0).lower()
                     for m in re.finditer(f"{good}|{other}", en, flags)}
            # Sentence-initial "Topic" is the lower-case rendering capitalised.
            if term == "Topic":
                found = {f for f in found
                         if not (f.startswith("T") and re.search(rf"(^|[.:]\s+){f}\b", en))} | \
                        ({"topic"} if re.search(r"(^|[.:]\s+)Topics?\b", en) else set())
            for f in found:
                renderings[f] += 1
                example.setdefault(f, (key, zh, en))
            if not any(is_good(term, good, f) for f in found):
                outliers.append((service, key, zh, en))
        n = sum(1 for _, _, zh, _ in entries if term in zh)
        print(f"== {term}: {n} sources")
        for r, c in renderings.most_common():
            key, zh, en = example[r]
            glossary = "glossary" if is_good(term, good, r) else "OTHER"
            print(f"   {r!r:24} {c:5}  [{glossary}] e.g. {key}: {en[:110]!r}")
        for service, key, zh, en in outliers:
            print(f"   outlier {service} {key}:\n      zh: {zh[:120]!r}\n      en: {en[:160]!r}")
        outliers_total += len(outliers)
    print(f"outliers: {outliers_total}")
    return 1 if outliers_total else 0


if __name__ == "__main__":
    sys.exit(main())
