"""Damage to apply to inputs, as a hostile or careless user would: text files with odd
cells, ragged or cut lines and stray bytes; JSON objects with fields removed, retyped or
pushed to extreme numbers; results files with forged, repeated or torn records.
Every function takes a random.Random, so a case is the same for the same seed."""

import json

# Cells that have broken number parsers, encoders and formatters before.
NASTY_CELLS = [
    "", " ", "nan", "NaN", "inf", "-inf", "Infinity", "1e39", "-1e39", "1e308", "1e-320", "4e-45",
    "0x1p3", "abc", '"quoted"', '"unterminated', "1,5", "\t", "é", "日本", "\x00", "\x1b[31mred",
    "\x1b]0;title\x07", "981797981.5", "1e8", "123456789012345678901234567890", "-0", "+", "-", ".",
    "1e", "1e+", "--1", "1..2", "9" * 400, "0.1" * 3, "#comment", ";x", "\r", "TRUE", "null",
]

NASTY_NUMBERS = [0, -1, 1e30, -1e30, 1e308, -1e308, 1e-320, 3.5e38, 2 ** 53 + 1, 2 ** 64, 0.5, -0.0]
NASTY_VALUES = ["abc", "NaN", "Infinity", "-Infinity", None, [], [1, 2], {}, True, "", "1"]


def mutate_text(rng, data: bytes, times=None) -> bytes:
    """A delimited text file with 1-3 kinds of damage."""
    for _ in range(times or rng.randint(1, 3)):
        data = rng.choice(TEXT_MUTATIONS)(rng, data)
    return data


def _lines(data):
    return data.split(b"\n")


def _join(lines):
    return b"\n".join(lines)


def _separator(line):
    for s in (b"\t", b","):
        if s in line:
            return s
    return b" "


def replace_cell(rng, data):
    lines = _lines(data)
    i = rng.randrange(len(lines))
    sep = _separator(lines[i])
    cells = lines[i].split(sep)
    cells[rng.randrange(len(cells))] = rng.choice(NASTY_CELLS).encode()
    lines[i] = sep.join(cells)
    return _join(lines)


def drop_or_add_cell(rng, data):
    lines = _lines(data)
    i = rng.randrange(len(lines))
    sep = _separator(lines[i])
    cells = lines[i].split(sep)
    if rng.random() < 0.5 and len(cells) > 1:
        del cells[rng.randrange(len(cells))]
    else:
        cells.insert(rng.randrange(len(cells) + 1), rng.choice([b"1", b"x", b""]))
    lines[i] = sep.join(cells)
    return _join(lines)


def shuffle_lines(rng, data):
    lines = _lines(data)
    op = rng.choice(["duplicate", "delete", "swap", "blank", "comment", "keep-one", "keep-header"])
    i = rng.randrange(len(lines))
    if op == "duplicate":
        lines.insert(i, lines[i])
    elif op == "delete" and len(lines) > 1:
        del lines[i]
    elif op == "swap":
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "blank":
        lines.insert(i, rng.choice([b"", b"   ", b"\t", b"\r"]))
    elif op == "comment":
        lines.insert(i, rng.choice([b"# a comment", b"; another"]))
    elif op == "keep-one":
        lines = lines[:2]
    elif op == "keep-header":
        lines = lines[:1]
    return _join(lines)


def truncate(rng, data):
    return data[:rng.randrange(len(data) + 1)]


def stray_bytes(rng, data):
    pos = rng.randrange(len(data) + 1)
    junk = bytes(rng.choice([0, 0x1B, 0x07, 0x0D, 0xFF, 0xFE, 0xC3, 0x80, 0x9B, 0x22, 0x2C, 0x09, 0x0A, 0x20, 0x41])
                 for _ in range(rng.randint(1, 6)))
    return data[:pos] + junk + data[pos:]


def encoding(rng, data):
    op = rng.choice(["bom", "crlf", "cr", "tabs", "spaces"])
    if op == "bom":
        return b"\xef\xbb\xbf" + data
    if op == "crlf":
        return data.replace(b"\n", b"\r\n")
    if op == "cr":
        return data.replace(b"\n", b"\r")
    if op == "tabs":
        return data.replace(b",", b"\t")
    return data.replace(b",", b"  ")


def label_values(rng, data):
    """The last column of every data line made constant, all distinct, huge or precise."""
    lines = _lines(data)
    kind = rng.choice(["constant", "distinct", "huge", "precise", "words", "one-each"])
    for i in range(1, len(lines)):
        if not lines[i]:
            continue
        sep = _separator(lines[i])
        cells = lines[i].split(sep)
        value = {"constant": "1", "distinct": str(i), "huge": "%g" % (10.0 ** rng.randint(7, 40) * i),
                 "precise": "%.1f" % (981797000.5 + 37 * i), "words": rng.choice(["a", "b", "c c", "é"]),
                 "one-each": "class%d" % i}[kind]
        cells[-1] = value.encode()
        lines[i] = sep.join(cells)
    return _join(lines)


TEXT_MUTATIONS = [replace_cell, replace_cell, drop_or_add_cell, shuffle_lines, truncate, stray_bytes,
                  encoding, label_values]


def mutate_json(rng, value, times=None):
    """A JSON object with 1-3 fields removed, retyped, or pushed to extreme numbers (now and
    then the whole value replaced)."""
    for _ in range(times or rng.randint(1, 3)):
        value = _mutate_at(rng, value, depth=0) if rng.random() < 0.05 or not isinstance(value, dict) \
            else _mutate_field(rng, value, depth=0)
    return value


def _mutate_field(rng, v, depth):
    """One field of a non-empty object removed, added or changed."""
    if not v:
        return {"x": 1}
    key = rng.choice(sorted(v))
    v = dict(v)
    op = rng.random()
    if op < 0.15:
        del v[key]
    elif op < 0.25:
        v[key + "_extra"] = rng.choice(NASTY_VALUES)
    else:
        v[key] = _mutate_at(rng, v[key], depth + 1)
    return v


def _mutate_at(rng, v, depth):
    if isinstance(v, dict) and v and (depth < 3 and rng.random() < 0.7):
        return _mutate_field(rng, v, depth)

    if isinstance(v, list) and v and (depth < 3 and rng.random() < 0.7):
        v = list(v)
        op = rng.random()
        i = rng.randrange(len(v))
        if op < 0.15:
            del v[i]
        elif op < 0.25:
            v.append(v[i])
        elif op < 0.35:
            return [x * rng.choice([1e30, -1e20, 1e38]) if isinstance(x, (int, float)) and not isinstance(x, bool)
                    else x for x in v]
        else:
            v[i] = _mutate_at(rng, v[i], depth + 1)
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool) and rng.random() < 0.6:
        return rng.choice([v * 1e30, v + 1, -v, v * 1e-30, rng.choice(NASTY_NUMBERS), int(v) if v == v else 0])
    return rng.choice(NASTY_VALUES + NASTY_NUMBERS)


def extreme_numbers(rng, model):
    """A saved model whose numbers are valid JSON but far from any fit: weights scaled by up
    to 1e38, or a scaling shift, factor or offset pushed to the edge of a Float or past it."""
    model = json.loads(json.dumps(model))
    network, scaling = model.get("network", {}), model.get("scaling", {})
    if rng.random() < 0.6 and isinstance(network.get("parameters"), list):
        factor = 10.0 ** rng.choice([5, 10, 15, 19, 20, 30, 38])
        network["parameters"] = [x * factor * rng.choice([1, -1]) for x in network["parameters"]]
    else:
        field = rng.choice(["shift", "factor", "offset", "input_scale"])
        value = rng.choice([1e30, -1e30, 3.4e38, 3.5e38, 1e308, 1e-30, 0.0, -2.0])
        if isinstance(scaling.get(field), list) and scaling[field]:
            scaling[field][rng.randrange(len(scaling[field]))] = value
        else:
            scaling[field] = value
    return model


def mutate_records(rng, data: bytes, fields=("train_loss",)) -> bytes:
    """A results file (JSON Lines) damaged as an editor, a forger or a killed writer leaves it."""
    lines = [l for l in data.split(b"\n") if l]
    op = rng.choice(["retype", "retype", "drop-field", "duplicate", "forge", "drop-record", "foreign", "garbage",
                     "torn", "key", "grid", "index", "control", "json-damage"])
    i = rng.randrange(len(lines))
    try:
        record = json.loads(lines[i])
    except ValueError:
        record = {}
    if op == "retype":
        field = rng.choice(list(fields) + sorted(record)) if record else "x"
        record[field] = rng.choice(NASTY_VALUES + NASTY_NUMBERS)
        lines[i] = json.dumps(record).encode()
    elif op == "drop-field" and record:
        del record[rng.choice(sorted(record))]
        lines[i] = json.dumps(record).encode()
    elif op == "duplicate":
        lines.insert(rng.randrange(len(lines) + 1), lines[i])
    elif op == "forge":
        record[rng.choice(list(fields))] = rng.choice([0.001, 0, -1, 1e-300])
        lines.append(json.dumps(record).encode())
    elif op == "drop-record":
        del lines[i]
    elif op == "foreign":
        lines.insert(i, rng.choice([b'{"a":1}', b'{"key":"x","index":0}', b"[]", b'"text"', b"{}"]))
    elif op == "garbage":
        lines.insert(i, rng.choice([b"garbage", b"\x1b]0;owned\x07junk", b"{", b"\xff\xfe", b"null"]))
    elif op == "torn":
        cut = lines[i][:rng.randrange(len(lines[i]))]
        return b"\n".join(lines[:i] + [cut]) if rng.random() < 0.5 else b"\n".join(lines[:i]) + b"\n" + cut
    elif op == "key":
        record["key"] = rng.choice(["", "x", 5, None, record.get("key", "") + "\x1b[2J"])
        lines[i] = json.dumps(record).encode()
    elif op == "grid":
        record["grid"] = rng.choice(["other grid", 3, None, ""])
        lines[i] = json.dumps(record).encode()
    elif op == "index":
        record["index"] = rng.choice([-1, 1.5, "0", None, 10 ** 20])
        lines[i] = json.dumps(record).encode()
    elif op == "control":
        record["note\x1b[31m"] = "\x07\x1b]0;x\x07"
        lines[i] = json.dumps(record, ensure_ascii=False).encode()
    else:
        lines[i] = stray_bytes(rng, lines[i])
    return b"\n".join(lines) + b"\n"
