"""Drafting: the clause library, its placeholders and coverage guarantee, the annexes, and the DPA and
batch outputs with their manifest. Built on the analysis chain (``dpakit.analysis``, ``dpakit.risk``);
nothing below imports from here. The public names are exported from ``dpakit``."""
