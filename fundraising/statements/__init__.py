"""The NPO accounting system's three annual statements (资产负债表, 业务活动表, 现金流量表) computed from the ledger,
and the chart-of-accounts mapping from ledger accounts to their lines.

- lines: the statements' lines and layout;
- models: the mapping (AccountMapping) and the subject of the statements' PDF (AnnualStatements);
- mapping: the default line of each account (rules) and the writes (set a line, apply the defaults);
- compute: the statements' arithmetic on the ledger's sums, with the tie-outs;
- documents: the PDF (the document pipeline) and the Excel workbook.

The reads are in fundraising.selectors.statements, the screens in fundraising.statement_views.
"""
