"""Shortening text for lists and labels without cutting a word in half."""


def shorten(text: str, limit: int) -> str:
    """The text, or its words up to `limit` characters followed by an ellipsis: never a word cut in half (one
    word longer than the limit on its own is the only thing cut)."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    boundary = max(cut.rfind(" "), cut.rfind("\n"), cut.rfind("\t"))
    kept = cut[:boundary] if boundary > 0 else text[:limit]
    return kept.rstrip(" \n\t.,;:") + "…"
