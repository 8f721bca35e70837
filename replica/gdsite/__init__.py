"""Replicas of the Guangdong government site group: NFCMS column sites and the gkmlpt app.

Four sites under ``/gd/<host>/<path>`` (湛江 portal, 中山市财政局, 江门市财政局, 肇庆 portal);
see the package README's "Guangdong site group" section.
"""

from replica.gdsite.site import GdSite, make_sites

__all__ = ["GdSite", "make_sites"]
