"""Monev: the six-monthly monitoring and evaluation of SOP AP (Permenpan RB No. 35/2012,
BAB IV), filled from the runs Pandu recorded instead of from memory.

* :mod:`bot.monev.period` — which half-year (or date range) a form covers (pure).
* :mod:`bot.monev.rules` — the evaluation criteria and the assessment rule (pure).
* :mod:`bot.monev.model` — the monitoring and evaluation rows, computed from facts (pure).
* :mod:`bot.monev.sentences` — "Catatan hasil penilaian" and proposed "Tindakan" (pure).
* :mod:`bot.monev.queries` / :mod:`bot.monev.store` — the reads / the few writes
  (questionnaires, actions, sign-offs), each a unit of work over
  :mod:`storage.repositories.monev`, where the SQL lives.
* :mod:`bot.monev.service` — what the bot and ``python -m bot monev`` call.
* :mod:`bot.monev.documents`, :mod:`bot.monev.workbook` — the .docx, .xlsx and chart.
"""
