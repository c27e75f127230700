"""Review: reading a DPA someone else wrote (``reading``: DOCX, PDF in a limited child process, text),
finding what it says about each requirement (``detection``) and the report (``report``). Built on the
requirements catalogue; nothing below imports from here. The public names are exported from ``dpakit``."""
