"""The consultant's workspace: one record model per table (``records``), the SQLite store and its
migrations (``store``), who may see what (``access``), an organisation's record as a ZIP (``archive``:
export, import, compare) and the redline of two stored documents (``redline``). The top floor of the core:
it may import anything below, nothing below imports it. The public names are exported from ``dpakit``."""
