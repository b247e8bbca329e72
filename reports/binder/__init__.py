"""The evidence binder (佐证材料包) of a committee and year: one zip with a sealed
index, a folder of attachment files per item, the annual report PDF and the
ledger workbook (ASSESSMENT.md "Evidence").

- ``items``: what the binder holds (``BinderItem``; ``register_items_source``
  for the assessment; else one item per report figure with records);
- ``plan``: the records, attachments and zip paths of each item (reads only);
- ``archive``: ``build_binder`` writes the zip, bounded by size;
- ``index``: the index PDF, sealed and registered;
- ``services`` / ``selectors``: the background build and its state.
"""

from .archive import BinderRefused, BinderResult, build_binder
from .items import BinderItem, register_items_source

__all__ = ["BinderItem", "BinderRefused", "BinderResult", "build_binder", "register_items_source"]
