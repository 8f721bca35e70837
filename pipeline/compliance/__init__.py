"""Compliance: statutory disclosure deadlines checked against the archive.

``rules.yml`` is the rule catalog (legal basis, what each rule covers, its deadline),
``calendar`` the official working-day calendar (public holidays and 调休 make-up workdays).
"""
