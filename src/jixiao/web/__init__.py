"""The web app (``jixiao serve``): the self-evaluation workflow from import to publication.

A thin Django layer: every computation goes through :mod:`jixiao.web.services`, which calls the
same public functions the CLI calls.
"""
