"""Evidence attachments (佐证材料) on any record.

The API for other apps (the annual assessment, the evidence binder):

- ``services.attachment_add(*, actor, record, upload, note="")`` and
  ``services.attachments_add(*, actor, record, uploads, note="")`` store files
  on any record of a registered record type (all or none; ValidationError with
  Chinese reasons, PermissionDenied when the actor may not change the record);
  ``services.attachment_remove(*, actor, attachment)`` moves one to the trash.
- ``selectors.attachments_of(records)`` -> ``{record: [Attachment, ...]}`` in one
  query; ``selectors.attachments_visible_to(actor, records)`` leaves out the
  types whose attachments the actor may not read (talks).
- A record page shows the section with ``{% load attachments %}{% attachment_section obj %}``.

A record type takes attachments once it is registered (portal.registry): its
scope decides who reads them, its change rule who adds and removes them, an
``is_frozen`` property on the model stops both, and ``get_absolute_url`` (or
the type's detail page) is where the pages return.
"""
