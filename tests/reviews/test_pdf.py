def test_making_pdfs_leaves_truncated_uploads_refused():
    """WeasyPrint's import allows truncated images process-wide; reviews.pdf puts Pillow's setting back."""
    from PIL import ImageFile

    import reviews.pdf  # noqa: F401

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
