"""Views of the transparency site, by area: public pages, reports, disclosures, engagement, open data."""
