"""For the dev and test settings only: the template ids of the local fake Notify server. Production settings never
import this, since the file it reads (devtools/notify_templates.json) is not in the image (.dockerignore)."""

import json

from .base import BASE_DIR


def template_ids() -> dict[str, str]:
    templates = json.loads((BASE_DIR / "devtools" / "notify_templates.json").read_text(encoding="utf-8"))
    return {template["key"]: template["id"] for template in templates}
