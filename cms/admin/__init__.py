"""The cms's part of the Wagtail admin: ``forms`` (the checked image upload form named by
``WAGTAILIMAGES_IMAGE_FORM_BASE``). The hub hooks are in ``cms.wagtail_hooks``."""
