"""tutor: a terminal study tutor that answers from your notes, with citations."""

import os

__version__ = "0.1.0"

# Offline by design: litellm would otherwise fetch its price list at import (seconds of
# retries with no network), and Hugging Face libraries must never reach for the hub.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
