"""The 广东省政府采购网 replica (site ``gdgpo``): the platform's JSON API under ``/gdgpo/``.

Projects made by the ccgp replica's machinery under seeds of their own (``projects.py``,
``cities.py``) become announcements (``announce.py``, ``draft_extra.py``) whose API fields sit
beside what their content shows (``fields.py``); ``content.py`` renders the HTML fragment,
``answers.py`` the JSON, ``site.GdgpoSite`` routes, ``truth.py`` writes the truth.
"""

from replica.gdgpo.site import GdgpoSite

__all__ = ["GdgpoSite"]
