"""The installation's seal, the register of issued files and their verification.

- ``keys``: the sealing key and certificate (generated or PKCS#12), their history;
- ``signing.seal_pdf``: one PAdES signature over the whole file;
- ``issuing``: allocate a register row and code, render with its QR code, seal,
  record the hash (``issue_pdf``); describers say what a registered file is;
- ``verify``: accept a file only when sealed by this installation, unchanged,
  and registered; bounded in size, pages, time and memory.
"""
